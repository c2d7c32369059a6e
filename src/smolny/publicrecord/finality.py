"""Which checkpoints are *final*: cosigned by enough of the federation's own witnesses.

The witnesses and the quorum are facts of the record (``smolny.constitution.witnesses``): the
congress admits and removes witnesses and amends ``witness_quorum`` by two thirds, so nobody
who runs the server chooses who vouches for its history.  They are read here from the folded
state (``current_state``) or its projection (``FederationRow``), never from a setting.

A checkpoint is final when at least ``witness_quorum`` of the witnesses in force *now* have
cosigned it.  A cosignature is stored once it verified against a witness in force when it
arrived, and it stays stored (nothing is deleted, and it remains evidence for anyone who trusts
that mirror); but a witness the congress has since removed no longer counts towards finality,
of old checkpoints as of new ones: removing a witness is the congress saying its word no longer
settles anything.  Likewise a higher quorum applies to every checkpoint.  With a quorum of 0
every signed checkpoint is final.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from smolny.constitution.state import State
from smolny.readmodels.models import FederationRow
from smolny.record.note import MAX_SIGNATURES, VerifierKey
from smolny.store.models import Checkpoint, Cosignature
from smolny.store.service import current_state


def ident(key: VerifierKey) -> str:
    """How a cosignature row names its witness: ``name+hexid`` (the key ID binds the key)."""
    return f"{key.name}+{key.key_id.hex()}"


@dataclass(frozen=True)
class Witnesses:
    """The witnesses in force and the quorum, as of the last committed entry."""

    keys: tuple[VerifierKey, ...]
    quorum: int

    @classmethod
    def of(cls, state: State) -> Witnesses:
        keys = tuple(VerifierKey.parse(w.key) for _, w in sorted(state.witnesses.items()))
        return cls(keys, state.params.witness_quorum)

    @classmethod
    def in_force(cls) -> Witnesses:
        """From the folded state itself: what the cosign endpoint accepts against."""
        return cls.of(current_state())

    @classmethod
    def now(cls) -> Witnesses:
        """From the federation's read model, projected from that state in the same transaction
        as the entries.  The reads (``/record/checkpoint``, polled by every client, and the
        pages) use it because ``current_state`` waits for any group commit in progress, which
        would queue each poll behind the congress's votes."""
        row = FederationRow.objects.filter(key="federation").only("witnesses", "params").first()
        if row is None:
            return cls((), 0)
        keys = tuple(VerifierKey.parse(w["key"]) for w in row.witnesses)
        return cls(keys, int(row.params.get("witness_quorum", 0)))

    @property
    def idents(self) -> list[str]:
        return [ident(k) for k in self.keys]

    def count(self, checkpoint: Checkpoint) -> int:
        """Cosignatures of ``checkpoint`` by witnesses in force."""
        if not self.keys:
            return 0
        return checkpoint.cosignatures.filter(witness__in=self.idents).count()

    def status(self, checkpoint: Checkpoint) -> Finality:
        count = self.count(checkpoint)
        return Finality(checkpoint.size, count, self.quorum, count >= self.quorum)

    def latest_final(self) -> Checkpoint | None:
        """The largest checkpoint with at least ``quorum`` cosignatures of witnesses in force."""
        if self.quorum == 0:
            return Checkpoint.objects.order_by("-size").first()
        if not self.keys:
            return None
        size = (
            Cosignature.objects.filter(witness__in=self.idents)
            .values("checkpoint")
            .annotate(n=Count("id"))
            .filter(n__gte=self.quorum)
            .order_by("-checkpoint")
            .values_list("checkpoint", flat=True)
            .first()
        )
        return None if size is None else Checkpoint.objects.get(size=size)


@dataclass(frozen=True)
class Finality:
    size: int
    cosignatures: int
    """Cosignatures by witnesses in force."""
    required: int
    final: bool


def with_cosignatures(checkpoint: Checkpoint) -> str:
    """The checkpoint note with the verified cosignature lines collected for it.

    Every stored line is served (a verifier ignores keys it does not know), up to what one
    signed note may carry; past that, the lines of witnesses in force come first.
    """
    rows = list(checkpoint.cosignatures.order_by("id").values_list("witness", "line"))
    room = MAX_SIGNATURES - 1  # the log's own signature
    if len(rows) > room:
        current = set(Witnesses.now().idents)
        rows.sort(key=lambda row: row[0] not in current)
        rows = rows[:room]
    return checkpoint.note + "".join(line for _, line in rows)
