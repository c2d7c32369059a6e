"""Tie-breaking shared by the methods: backwards by earlier stages, then a reproducible lot.

Scottish rule (SSI 2007/42 Sch.1 r.49(2) for equal surpluses, and the matching rule for exclusion):
"the candidate who had the highest [lowest] number of votes at the end of the most recent preceding
stage at which they had unequal numbers of votes ... and if the numbers of votes ... were equal at
all stages, the returning officer shall decide by lot". When more than two are tied we narrow
stage by stage going backwards: at each earlier stage keep only those with the highest (lowest)
total among the still-tied, until one remains.

The lot must be reproducible by anyone from the recorded seed, on any machine and in any language,
so it is not a library PRNG whose stream may change between versions: the chosen candidate is the
one of the (sorted) tied candidates at index ``SHA-256("smolny-lot:{seed}:{stage}:{purpose}:{tied}")
mod len(tied)``, the hash read as a big-endian integer and ``tied`` written as comma-separated
1-based numbers.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from .result import TieBreak


def new_seed() -> int:
    """A fresh seed for a count whose caller gave none (recorded in the result)."""
    return secrets.randbits(63)


def lot(seed: int, stage: int, purpose: str, tied: Sequence[int]) -> int:
    """Draw one of ``tied`` (0-based candidates) reproducibly from the seed."""
    ordered = sorted(tied)
    text = ",".join(str(c + 1) for c in ordered)
    digest = hashlib.sha256(f"smolny-lot:{seed}:{stage}:{purpose}:{text}".encode()).digest()
    return ordered[int.from_bytes(digest, "big") % len(ordered)]


def break_tie(
    tied: Sequence[int],
    history: Sequence[Sequence[int]],
    *,
    highest: bool,
    seed: int,
    stage: int,
    purpose: str,
) -> tuple[int, TieBreak]:
    """Choose one of ``tied`` by earlier stages (``history[k]`` = totals at stage k+1), then lot.

    ``highest`` picks the one with most votes at the deciding stage (surpluses, order of election);
    otherwise the one with fewest (exclusion).
    """
    still = sorted(tied)
    for k in range(len(history) - 1, -1, -1):
        vals = {c: history[k][c] for c in still}
        best = max(vals.values()) if highest else min(vals.values())
        narrowed = [c for c in still if vals[c] == best]
        if len(narrowed) < len(still):
            still = narrowed
            if len(still) == 1:
                return still[0], TieBreak(
                    stage, purpose, tuple(sorted(tied)), still[0], "earlier-stage", k + 1
                )
    chosen = lot(seed, stage, purpose, still)
    return chosen, TieBreak(stage, purpose, tuple(sorted(tied)), chosen, "lot")


def order_by(
    cands: Sequence[int],
    key: Sequence[int],
    history: Sequence[Sequence[int]],
    *,
    seed: int,
    stage: int,
    purpose: str,
    breaks: list[TieBreak],
) -> list[int]:
    """Sort candidates by ``key`` descending, breaking ties backwards then by lot."""
    remaining = list(cands)
    out: list[int] = []
    while remaining:
        top = max(key[c] for c in remaining)
        tied = [c for c in remaining if key[c] == top]
        if len(tied) == 1:
            chosen = tied[0]
        else:
            chosen, tb = break_tie(
                tied, history, highest=True, seed=seed, stage=stage, purpose=purpose
            )
            breaks.append(tb)
        out.append(chosen)
        remaining.remove(chosen)
    return out
