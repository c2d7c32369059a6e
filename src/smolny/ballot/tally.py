"""Which ballots count, their homomorphic sum, and the published result.

Re-voting: a voter may cast again before the close; her ballot with the highest ``seq`` counts
and the earlier ones are superseded (published, never deleted).  Two ballots with the same
credential and ``seq``, or the same tracker, are duplicates and fail verification: the server
could otherwise replay a ballot to make it count or hide a later one.

Accumulation is the component-wise product (here, sum in additive notation) of the counted
ballots' ciphertexts, option by option: exponential ElGamal makes it an encryption of the count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smolny import canonical
from smolny.ballot import group as g
from smolny.ballot.election import Election

Ciphertext = tuple[bytes, bytes]
TallyCts = list[tuple[str, list[Ciphertext]]]


@dataclass(frozen=True, slots=True)
class Entry:
    """One ballot as verified: where it is stored, whose, which seq, its tracker and ciphertexts."""

    name: str
    voter: bytes
    seq: int
    tracker: str
    ciphertexts: tuple[tuple[Ciphertext, ...], ...]


def select_counted(entries: Sequence[Entry]) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The last ballot (highest seq) of each voter, and (ballot, message) for each duplicate."""
    failures: list[tuple[str, str]] = []
    by_key: dict[tuple[bytes, int], Entry] = {}
    by_tracker: dict[str, Entry] = {}
    best: dict[bytes, Entry] = {}
    for e in entries:
        if e.tracker in by_tracker:
            failures.append((e.name, f"duplicate of {by_tracker[e.tracker].name} (same tracker)"))
            continue
        by_tracker[e.tracker] = e
        if (e.voter, e.seq) in by_key:
            other = by_key[(e.voter, e.seq)].name
            failures.append((e.name, f"duplicate: same credential and seq {e.seq} as {other}"))
            continue
        by_key[(e.voter, e.seq)] = e
        if e.voter not in best or best[e.voter].seq < e.seq:
            best[e.voter] = e
    return sorted(best.values(), key=lambda e: e.tracker), failures


def accumulate(election: Election, counted: Sequence[Entry]) -> TallyCts:
    out: TallyCts = []
    for ci, contest in enumerate(election.manifest.contests):
        row: list[Ciphertext] = []
        for oi in range(len(contest.options)):
            a, b = g.IDENTITY, g.IDENTITY
            for e in counted:
                x, y = e.ciphertexts[ci][oi]
                a, b = g.add(a, x), g.add(b, y)
            row.append((a, b))
        out.append((contest.id, row))
    return out


def tally_document(election: Election, counted: Sequence[Entry], cts: TallyCts) -> dict[str, Any]:
    return {
        "type": "smolny-tally",
        "version": 1,
        "election": election.fingerprint.hex(),
        "counted": [e.tracker for e in counted],
        "contests": [
            {"id": cid, "ciphertexts": [[a.hex(), b.hex()] for a, b in row]} for cid, row in cts
        ],
    }


def tally_hash(doc: dict[str, Any]) -> bytes:
    return hashlib.sha256(canonical.encode(doc)).digest()


def result_document(
    election: Election, trustees: Sequence[int], counts: Sequence[Sequence[int]], ballots: int
) -> dict[str, Any]:
    return {
        "type": "smolny-result",
        "version": 1,
        "election": election.fingerprint.hex(),
        "ballots": ballots,
        "trustees": sorted(trustees),
        "contests": [
            {"id": c.id, "options": list(c.options), "counts": list(row)}
            for c, row in zip(election.manifest.contests, counts, strict=True)
        ],
    }
