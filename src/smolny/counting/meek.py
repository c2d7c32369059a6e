"""Meek STV, as in I. D. Hill, "Implementing STV by Meek's method", Voting Matters 22 (2006),
following Hill, Wichmann and Woodall, Algorithm 123 (Computer Journal 30, 1987).

Why our own: Meek's method is defined by an iteration whose result depends on the arithmetic; a
verifiable count needs that arithmetic stated and exact, so every figure here is an integer count of
10^-``decimals`` of a vote (fixed point), never a binary float. The stated choices:

* Precision: ``decimals`` places (default 9, as in Hill 2006). A paper arriving at a candidate with
  value ``v`` leaves ``v × keep factor`` there, *rounded up* to the last place, and passes the rest
  on; what passes the last preference is excess (non-transferable). Rounding up what is kept means
  no value is created or lost: ``sum(totals) + excess == valid poll`` exactly.
* Quota = (valid poll − excess) ÷ (seats + 1), truncated to ``decimals`` places, plus one unit of
  the last place (Hill 2006), recomputed at every iteration.
* A hopeful candidate whose votes reach the quota is elected. Elected candidates' keep factors are
  updated to ``keep × quota ÷ votes``, rounded up.
* Tolerance: the iteration has converged when every elected candidate's votes are at most
  ``quota × (1 + tolerance)`` (default tolerance 1/100000, i.e. 0.001 % of the quota), or when an
  iteration changes nothing (the fixed point reached at this precision). ``max_iterations`` bounds
  it (default 10000) and a count that has not converged by then is refused, not guessed.
* After convergence with no one newly elected, the hopeful with fewest votes is excluded (keep
  factor 0); equal lowest: fewest votes at the most recent earlier stage where they differed,
  otherwise lot (seeded, recorded).
* When hopefuls and elected together are no more than the seats, all hopefuls are elected.
* Equal rankings: Algorithm 123 and Hill 2006 give no rule for them, so a profile with ``=`` is
  refused with :class:`ProfileError` rather than counted under an invented rule.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np

from ._fixed import to_decimal
from .errors import CountingError, OptionsError, ProfileError
from .profile import IntArray, Profile
from .result import Action, Result, Stage, TieBreak
from .ties import break_tie, new_seed, order_by

HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2


def _distribute(profile: Profile, keep: IntArray, scale: int) -> tuple[IntArray, int]:
    """One pass of Meek's distribution: each candidate's votes and the excess, in units."""
    n = profile.ncand
    r = profile.rankings
    w = profile.weights
    kf = np.zeros(n + 1, dtype=np.int64)
    kf[:n] = keep
    votes = np.zeros(n + 1, dtype=np.int64)
    rem = np.full(profile.ngroups, scale, dtype=np.int64)
    for j in range(r.shape[1]):
        c = r[:, j].astype(np.intp)
        k = kf[c]
        kept = (rem * k + (scale - 1)) // scale
        rem -= kept
        np.add.at(votes, c, w * kept)
    excess = int((w * rem).sum())
    return votes[:n], excess


def meek_stv(
    profile: Profile,
    seats: int,
    *,
    seed: int | None = None,
    decimals: int = 9,
    tolerance: Fraction = Fraction(1, 100000),
    max_iterations: int = 10000,
) -> Result:
    """Count ``profile`` by Meek's method. See the module docstring for every stated choice."""
    profile.require_strict("Meek STV")
    n = profile.ncand
    if seats < 1:
        raise OptionsError("at least one seat is needed")
    if not 1 <= decimals <= 9:
        raise OptionsError("decimals must be between 1 and 9 (values are held in 64-bit integers)")
    if tolerance < 0:
        raise OptionsError("the tolerance cannot be negative")
    hopefuls = n - len(profile.withdrawn)
    if seats > hopefuls:
        raise OptionsError(f"{seats} seats but only {hopefuls} candidates stand")
    if profile.total * 10**decimals > 2**62:
        raise OptionsError("too many papers for this precision; lower decimals")
    seed = new_seed() if seed is None else seed
    scale = 10**decimals
    status = np.full(n, HOPEFUL, dtype=np.int64)
    keep = np.full(n, scale, dtype=np.int64)
    for c in profile.withdrawn:
        status[c] = EXCLUDED
        keep[c] = 0
    lengths = profile.lengths()
    if profile.withdrawn:
        ranked = profile.rankings
        ok = np.isin(ranked, [c for c in range(n) if c not in profile.withdrawn])
        has = ok.any(axis=1)
    else:
        has = lengths > 0
    invalid = int(profile.weights[~has].sum())
    valid = int(profile.weights[has].sum())
    if valid == 0:
        raise ProfileError(
            "no valid paper: every paper is empty or names only withdrawn candidates"
        )
    total_units = valid * scale
    # Papers with no valid preference are left out of the count altogether.
    counted = (
        profile
        if invalid == 0
        else Profile(
            candidates=profile.candidates,
            rankings=profile.rankings[has],
            weights=profile.weights[has],
            withdrawn=profile.withdrawn,
        )
    )

    elected: list[int] = []
    stages: list[Stage] = []
    history: list[list[int]] = []
    breaks: list[TieBreak] = []
    iterations_total = 0
    action = Action("first-preferences")
    newly_excluded: tuple[int, ...] = ()

    def quota_of(excess: int) -> int:
        return int((total_units - excess) // (seats + 1) + 1)

    while True:
        newly: list[int] = []
        iterations = 0
        votes, excess = _distribute(counted, keep, scale)
        while True:
            iterations += 1
            quota = quota_of(excess)
            reached = [c for c in range(n) if status[c] == HOPEFUL and int(votes[c]) >= quota]
            if reached:
                snapshot = [int(v) for v in votes]
                ordered = order_by(
                    reached,
                    snapshot,
                    [*history, snapshot],
                    seed=seed,
                    stage=len(stages) + 1,
                    purpose="order-of-election",
                    breaks=breaks,
                )
                for c in ordered:
                    status[c] = ELECTED
                    elected.append(c)
                    newly.append(c)
            if len(elected) >= seats:
                break
            elected_now = [c for c in range(n) if status[c] == ELECTED]
            converged = all(
                Fraction(int(votes[c]) - quota) <= tolerance * quota for c in elected_now
            )
            if converged and not reached:
                break
            new_keep = keep.copy()
            for c in elected_now:
                new_keep[c] = -((-int(keep[c]) * quota) // int(votes[c]))  # rounded up
            if np.array_equal(new_keep, keep) and not reached:
                break  # fixed point at this precision
            keep = new_keep
            if iterations >= max_iterations:
                raise CountingError(
                    f"Meek iteration did not converge within {max_iterations} iterations; "
                    "raise max_iterations or the tolerance"
                )
            votes, excess = _distribute(counted, keep, scale)
        iterations_total += iterations
        snapshot = [int(v) for v in votes]
        history.append(snapshot)
        quota = quota_of(excess)
        stages.append(
            Stage(
                number=len(stages) + 1,
                action=action,
                totals=tuple(to_decimal(v, decimals) for v in snapshot),
                non_transferable=to_decimal(excess, decimals),
                loss=to_decimal(total_units - sum(snapshot) - excess, decimals),
                elected=tuple(newly),
                excluded=newly_excluded,
                quota=to_decimal(quota, decimals),
                extra={
                    "iterations": str(iterations),
                    "keep_factors": ",".join(
                        format(to_decimal(int(k), decimals), "f") for k in keep
                    ),
                },
            )
        )
        if len(elected) >= seats:
            break
        hopeful = [c for c in range(n) if status[c] == HOPEFUL]
        if len(hopeful) + len(elected) <= seats:
            rest = order_by(
                hopeful,
                snapshot,
                history,
                seed=seed,
                stage=len(stages),
                purpose="order-of-election",
                breaks=breaks,
            )
            elected.extend(rest)
            last = stages[-1]
            stages[-1] = Stage(
                number=last.number,
                action=last.action,
                totals=last.totals,
                non_transferable=last.non_transferable,
                loss=last.loss,
                elected=last.elected + tuple(rest),
                excluded=last.excluded,
                quota=last.quota,
                extra={**last.extra, "elect_remaining": ",".join(str(c + 1) for c in rest)},
            )
            break
        if newly:
            action = Action("iteration", note="after election")
            newly_excluded = ()
            continue
        low = min(snapshot[c] for c in hopeful)
        tied = [c for c in hopeful if snapshot[c] == low]
        if len(tied) == 1:
            who = tied[0]
        else:
            who, tb = break_tie(
                tied,
                history,
                highest=False,
                seed=seed,
                stage=len(stages) + 1,
                purpose="exclusion",
            )
            breaks.append(tb)
        status[who] = EXCLUDED
        keep[who] = 0
        action = Action("exclusion", (who,))
        newly_excluded = (who,)

    return Result(
        method="meek-stv",
        seats=seats,
        candidates=profile.candidates,
        elected=tuple(elected[:seats]),
        stages=tuple(stages),
        valid_poll=Decimal(valid),
        seed=seed,
        quota=stages[-1].quota,
        tie_breaks=tuple(breaks),
        options={
            "decimals": str(decimals),
            "tolerance": str(tolerance),
            "max_iterations": str(max_iterations),
            "iterations": str(iterations_total),
        },
        title=profile.title,
        withdrawn=tuple(sorted(profile.withdrawn)),
        invalid=invalid,
    )
