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
