"""The record's entries and the single row that serializes appends.

An entry's ``body`` is the event's canonical bytes exactly as appended: the record's Merkle
tree hashes these bytes, so they are never re-encoded or edited.  Nothing in the application
updates or deletes an entry; ``smolny verify`` detects anyone who does it behind its back.
"""

from __future__ import annotations

from django.db import models


class Entry(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    """0-based index of the entry in the record (its leaf index in the Merkle tree)."""
    type = models.CharField(max_length=64, db_index=True)
    actor = models.CharField(max_length=64, db_index=True)
    at = models.CharField(max_length=32)
    body = models.BinaryField()
    scope = models.CharField(max_length=400, default="", db_index=False)
    """Space-padded ids of the councils the event concerns (" C2 C7 "): an index for pages,
    recomputable from the record, and not part of the hashed bytes."""

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.type} by {self.actor}"


class Head(models.Model):
    """One row: the number of entries.  Locking it is the serialization point of appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)


class Node(models.Model):
    """One stored hash of the record's Merkle tree (RFC 9162): a complete aligned subtree.

    ``(level, idx)`` is the hash of leaves ``[idx * 2**level, (idx + 1) * 2**level)``; level 0
    holds the leaf hashes.  Rows are written with the entries they hash, in the same
    transaction, and never change (smolny.record.hashstore).
    """

    pk = models.CompositePrimaryKey("level", "idx")
    level = models.SmallIntegerField()
    idx = models.BigIntegerField()
    hash = models.BinaryField()

    class Meta:
        ordering = ["level", "idx"]

    def __str__(self) -> str:
        return f"node ({self.level}, {self.idx})"


class Checkpoint(models.Model):
    """A C2SP checkpoint signed with the federation's key after a committed batch.

    ``note`` is the signed note exactly as signed (origin, size, base64 root, signature line).
    The signing key itself is never in the database (settings.SMOLNY_KEY_DIR).
    """

    size = models.BigIntegerField(primary_key=True)
    note = models.TextField()

    class Meta:
        ordering = ["size"]

    def __str__(self) -> str:
        return f"checkpoint at size {self.size}"


class Cosignature(models.Model):
    """A mirror's C2SP tlog-cosignature line on one checkpoint, verified when submitted."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness = models.CharField(max_length=200)
    """The witness key's name and key ID (``name+hexid``): one cosignature per witness."""
    line = models.TextField()
    """The signature line as it appears in the note (``— name base64...``), with its newline."""
    at = models.BigIntegerField()
    """The time the witness states (POSIX seconds)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness"], name="one_cosignature_per_witness"
            )
        ]

    def __str__(self) -> str:
        return f"cosignature by {self.witness} on size {self.checkpoint_id}"
