"""Plurality and approval: one tally, the ``seats`` highest elected.

* Plurality counts each paper once, for its first preference (a paper ranking two candidates equal
  first is refused: it has no single first preference).
* Approval counts each paper once for every candidate it names, at any rank (equal rankings are
  fine: they approve both), as when a ranked ballot file is read as approval ballots.

Ties at the cut (more candidates tied for the last seats than seats left) are decided by the
seeded lot and recorded; ties above the cut change nothing and draw no lot.
Why our own: the same result and report shape, exact integers and recorded lots as every method.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .errors import OptionsError
from .profile import IntArray, Profile
from .result import Action, Result, Stage, TieBreak
from .ties import lot, new_seed


def top(
    tally: list[int], standing: list[int], seats: int, seed: int, breaks: list[TieBreak]
) -> list[int]:
    """The ``seats`` highest of ``standing``, highest first; a lot only for a tie at the cut."""
    order = sorted(standing, key=lambda c: (-tally[c], c))
    chosen = order[:seats]
    if seats < len(order) and tally[order[seats - 1]] == tally[order[seats]]:
        cut = tally[order[seats]]
        sure = [c for c in chosen if tally[c] > cut]
        tied = [c for c in order if tally[c] == cut]
        picks: list[int] = []
        pool = list(tied)
        while len(sure) + len(picks) < seats:
            c = lot(seed, 1, f"last-seat-{len(sure) + len(picks) + 1}", pool)
            breaks.append(TieBreak(1, "last-seat", tuple(sorted(pool)), c, "lot"))
            picks.append(c)
            pool.remove(c)
        chosen = sure + picks
    return chosen


def _single_stage(
    method: str, profile: Profile, tally: IntArray, seats: int, seed: int | None, valid: int
) -> Result:
    n = profile.ncand
    standing = [c for c in range(n) if c not in profile.withdrawn]
    if not 1 <= seats <= len(standing):
        raise OptionsError(f"seats must be between 1 and {len(standing)}")
    seed = new_seed() if seed is None else seed
    breaks: list[TieBreak] = []
    values = [int(x) for x in tally]
    elected = top(values, standing, seats, seed, breaks)
    stage = Stage(
        number=1,
        action=Action("tally"),
        totals=tuple(Decimal(x) for x in values),
        non_transferable=Decimal(profile.total - valid),
        elected=tuple(elected),
    )
    return Result(
        method=method,
        seats=seats,
        candidates=profile.candidates,
        elected=tuple(elected),
        stages=(stage,),
        valid_poll=Decimal(valid),
        seed=seed,
        tie_breaks=tuple(breaks),
        title=profile.title,
        withdrawn=tuple(sorted(profile.withdrawn)),
        invalid=profile.total - valid,
    )


def plurality(profile: Profile, seats: int = 1, *, seed: int | None = None) -> Result:
    """First preferences; the ``seats`` highest are elected."""
    fp = profile.first_preferences()
    return _single_stage("plurality", profile, fp, seats, seed, int(fp.sum()))


def approval_tally(profile: Profile) -> IntArray:
    n = profile.ncand
    out = np.zeros(n + 1, dtype=np.int64)
    for j in range(profile.rankings.shape[1]):
        np.add.at(out, profile.rankings[:, j].astype(np.intp), profile.weights)
    tally = out[:n]
    for c in profile.withdrawn:
        tally[c] = 0
    return tally


def approval(profile: Profile, seats: int = 1, *, seed: int | None = None) -> Result:
    """Every named candidate is approved; the ``seats`` most approved are elected."""
    tally = approval_tally(profile)
    named = profile.lengths() > 0
    return _single_stage("approval", profile, tally, seats, seed, int(profile.weights[named].sum()))
