"""Instant-runoff voting (the alternative vote): one seat, whole papers.

Rule: each round every paper counts, whole, for its first continuing preference. A candidate with
more than half of the papers still counting is elected; otherwise the candidate with fewest votes is
excluded (equal lowest: fewest at the most recent earlier round where they differed, otherwise a
seeded lot), and the count goes on. When only one candidate continues, that candidate is elected.
Why our own: the same tie-breaking, stage reporting and exact integers as every other method here.
Equal rankings are refused (the rule gives them no meaning).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .errors import OptionsError, ProfileError
from .profile import Profile, first_continuing
from .result import Action, Result, Stage, TieBreak
from .ties import break_tie, new_seed


def irv(profile: Profile, seats: int = 1, *, seed: int | None = None) -> Result:
    """Count ``profile`` by IRV (``seats`` must be 1)."""
    profile.require_strict("IRV")
    if seats != 1:
        raise OptionsError("IRV fills one seat; use scottish-stv or meek-stv for more")
    n = profile.ncand
    seed = new_seed() if seed is None else seed
    continuing = ~profile.withdrawn_mask()
    if not continuing.any():
        raise OptionsError("every candidate has withdrawn")
    depth = profile.rankings.shape[1]
    w = profile.weights
    pos = first_continuing(profile, continuing)
    invalid = int(w[pos >= depth].sum())
    valid = int(w.sum()) - invalid
    if valid == 0:
        raise ProfileError(
            "no valid paper: every paper is empty or names only withdrawn candidates"
        )
    history: list[list[int]] = []
    stages: list[Stage] = []
    breaks: list[TieBreak] = []
    action = Action("first-preferences")
    excluded_now: tuple[int, ...] = ()
    while True:
        pos = first_continuing(profile, continuing)
        live = np.nonzero(pos < depth)[0]
        tally = np.zeros(n, dtype=np.int64)
        np.add.at(tally, profile.rankings[live, pos[live]].astype(np.intp), w[live])
        snapshot = [int(x) for x in tally]
        history.append(snapshot)
        counting = sum(snapshot)
        left = [c for c in range(n) if continuing[c]]
        winner = next((c for c in left if 2 * snapshot[c] > counting), None)
        if winner is None and len(left) == 1:
            winner = left[0]
        stages.append(
            Stage(
                number=len(stages) + 1,
                action=action,
                totals=tuple(Decimal(x) for x in snapshot),
                non_transferable=Decimal(valid - counting),
                elected=(winner,) if winner is not None else (),
                excluded=excluded_now,
            )
        )
        if winner is not None:
            break
        low = min(snapshot[c] for c in left)
        tied = [c for c in left if snapshot[c] == low]
        who = tied[0]
        if len(tied) > 1:
            who, tb = break_tie(
                tied,
                history,
                highest=False,
                seed=seed,
                stage=len(stages) + 1,
                purpose="exclusion",
            )
            breaks.append(tb)
        continuing[who] = False
        action = Action("exclusion", (who,))
        excluded_now = (who,)
    return Result(
        method="irv",
        seats=1,
        candidates=profile.candidates,
        elected=(winner,),
        stages=tuple(stages),
        valid_poll=Decimal(valid),
        seed=seed,
        tie_breaks=tuple(breaks),
        title=profile.title,
        withdrawn=tuple(sorted(profile.withdrawn)),
        invalid=invalid,
    )
