"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1,
rules 45–52 (re-enacted unchanged in substance, renumbered by one, by SSI 2011/399).

Why our own: the count must reproduce the official sheets exactly, and widely used Python libraries
differ from the Order on exactly the points below. Each point is pinned by a test in
``tests/counting/test_scottish_rules.py`` and all 351 wards of May 2017 are checked against the published
stage totals.

* Quota = ⌊valid papers / (seats + 1)⌋ + 1, fixed for the whole count.
* Every candidate at or over the quota at the end of a stage is deemed elected at once and receives
  no further papers, even while their own surplus waits to be transferred.
* Surpluses are transferred one per stage, largest first; equal surpluses go in the order of the
  most recent earlier stage at which the candidates' totals differed, otherwise by lot (r.49(2)).
  A zero surplus (a candidate exactly on quota) is not a stage.
* Weighted inclusive Gregory: *all* the elected candidate's papers move, each at
  ``surplus × value of the paper ÷ candidate's total``, "the calculation being made to five decimal
  places (any remainder being ignored)" (r.48). Identical papers always share a value, so a group
  moves as one. Papers with no further continuing preference are non-transferable; the value cut
  off by truncation is reported as ``loss``.
* With no surplus left, the lowest continuing candidate is excluded and all their papers go on in one
  stage at their current values; equal lowest: fewest votes at the most recent earlier stage at which
  they differed, otherwise lot.
* When the continuing candidates are as many as the vacancies left, they are all deemed elected and
  nothing more is transferred; the count also ends when every seat is filled.

All arithmetic is in integers counting 0.00001 of a vote, so every figure is exact.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ._fixed import to_decimal
from .errors import OptionsError, ProfileError
from .profile import Profile, first_continuing
from .result import Action, Result, Stage, TieBreak
from .ties import break_tie, new_seed, order_by

PLACES = 5
SCALE = 10**PLACES
BLOCK = 1 << 15


def _blocks(g: int) -> list[tuple[int, int]]:
    # small blocks for small profiles too, so temporaries stay a fraction of the groups' size
    size = max(512, min(BLOCK, g // 32))
    return [(s, min(s + size, g)) for s in range(0, g, size)]


def scottish_stv(profile: Profile, seats: int, *, seed: int | None = None) -> Result:
    """Count ``profile`` for ``seats`` vacancies by the Scottish rule. See the module docstring."""
    profile.require_strict("Scottish STV")
    n = profile.ncand
    if seats < 1:
        raise OptionsError("at least one seat is needed")
    hopeful = n - len(profile.withdrawn)
    if seats > hopeful:
        raise OptionsError(f"{seats} seats but only {hopeful} candidates stand")
    seed = new_seed() if seed is None else seed
    rankings = profile.rankings
    depth = rankings.shape[1]
    weights = profile.weights

    continuing = ~profile.withdrawn_mask()
    # Per-group state, kept small (memory is dominated by the groups): the position of the
    # paper's current preference, the candidate holding it (``n`` once exhausted) and its value
    # in 0.00001 of a vote (at most 100000, so int32). All work is done in blocks of groups so
    # that temporaries stay bounded however many groups there are.
    g = profile.ngroups
    pos = np.zeros(g, dtype=rankings.dtype)
    holder = np.full(g, n, dtype=rankings.dtype)
    value = np.full(g, SCALE, dtype=np.int32)
    papers = np.zeros(n + 1, dtype=np.int64)
    for s, e in _blocks(g):
        p = first_continuing(profile, continuing, rows=np.arange(s, e))
        has = p < depth
        pos[s:e] = np.minimum(p, depth - 1)
        rows = np.flatnonzero(has)
        holder[s + rows] = rankings[s + rows, p[rows]]
        np.add.at(papers, holder[s:e].astype(np.intp), weights[s:e])
    invalid = int(papers[n])
    valid = int(papers[:n].sum())
    if valid == 0:
        raise ProfileError(
            "no valid paper: every paper is empty or names only withdrawn candidates"
        )
    quota_votes = valid // (seats + 1) + 1
    quota = quota_votes * SCALE
    totals = papers[:n] * SCALE
    non_transferable = 0
    loss = 0

    elected: list[int] = []
    excluded: list[int] = list(sorted(profile.withdrawn))
    pending: list[int] = []  # deemed elected, surplus not yet transferred
    history: list[list[int]] = []
    stages: list[Stage] = []
    breaks: list[TieBreak] = []

    def close_stage(action: Action, newly_excluded: tuple[int, ...]) -> None:
        number = len(stages) + 1
        snapshot = [int(x) for x in totals]
        history.append(snapshot)
        reached = [c for c in range(n) if continuing[c] and snapshot[c] >= quota]
        newly = order_by(
            reached,
            snapshot,
            history,
            seed=seed,
            stage=number,
            purpose="order-of-election",
            breaks=breaks,
        )
        for c in newly:
            continuing[c] = False
            elected.append(c)
            pending.append(c)
        stages.append(
            Stage(
                number=number,
                action=action,
                totals=tuple(to_decimal(x, PLACES) for x in snapshot),
                non_transferable=to_decimal(non_transferable, PLACES),
                loss=to_decimal(loss, PLACES),
                elected=tuple(newly),
                excluded=newly_excluded,
            )
        )

    def move(who: int, surplus: int | None) -> tuple[int, int]:
        """Send every paper ``who`` holds to its next continuing preference.

        With ``surplus``, each at ``surplus × value ÷ total`` truncated (r.48); otherwise at its
        current value (exclusion). Returns the value moved and the value exhausted.
        """
        total = int(totals[who])
        moved = exhausted = 0
        for s, e in _blocks(g):
            sel = np.flatnonzero(holder[s:e] == who) + s
            if sel.size == 0:
                continue
            new_value = value[sel].astype(np.int64)
            if surplus is not None:
                new_value = (surplus * new_value) // total
            nxt = first_continuing(profile, continuing, pos[sel].astype(np.int64) + 1, sel)
            going = nxt < depth
            to_rows = sel[going]
            pos[to_rows] = nxt[going]
            value[sel] = new_value
            dest = rankings[to_rows, nxt[going]]
            holder[sel] = n
            holder[to_rows] = dest
            amounts = weights[to_rows] * new_value[going]
            np.add.at(totals, dest.astype(np.intp), amounts)
            moved += int(amounts.sum())
            exhausted += int((weights[sel[~going]] * new_value[~going]).sum())
        return moved, exhausted

    close_stage(Action("first-preferences"), ())

    while len(elected) < seats:
        left = [c for c in range(n) if continuing[c]]
        if len(left) <= seats - len(elected):
            # rule: continuing candidates equal to the vacancies left are deemed elected
            number = len(stages)
            rest = order_by(
                left,
                history[-1],
                history,
                seed=seed,
                stage=number,
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
                extra={"elect_remaining": ",".join(str(c + 1) for c in rest)},
            )
            break
        pending[:] = [c for c in pending if int(totals[c]) > quota]
        number = len(stages) + 1
        if pending:
            top = max(int(totals[c]) for c in pending)
            tied = [c for c in pending if int(totals[c]) == top]
            if len(tied) == 1:
                who = tied[0]
            else:
                who, tb = break_tie(
                    tied, history, highest=True, seed=seed, stage=number, purpose="surplus"
                )
                breaks.append(tb)
            pending.remove(who)
            total = int(totals[who])
            surplus = total - quota
            # r.48: transfer value = surplus × paper value ÷ total, truncated to 5 decimals
            moved, exhausted = move(who, surplus)
            non_transferable += exhausted
            loss += surplus - moved - exhausted
            totals[who] = quota
            close_stage(Action("surplus", (who,)), ())
        else:
            low = min(int(totals[c]) for c in left)
            tied = [c for c in left if int(totals[c]) == low]
            if len(tied) == 1:
                who = tied[0]
            else:
                who, tb = break_tie(
                    tied, history, highest=False, seed=seed, stage=number, purpose="exclusion"
                )
                breaks.append(tb)
            continuing[who] = False
            excluded.append(who)
            moved, exhausted = move(who, None)
            non_transferable += exhausted
            loss += int(totals[who]) - moved - exhausted
            totals[who] = 0
            close_stage(Action("exclusion", (who,)), (who,))

    return Result(
        method="scottish-stv",
        seats=seats,
        candidates=profile.candidates,
        elected=tuple(elected),
        stages=tuple(stages),
        valid_poll=Decimal(valid),
        seed=seed,
        quota=Decimal(quota_votes),
        tie_breaks=tuple(breaks),
        options={"quota": "droop-integer", "precision": "5 decimal places, truncated"},
        title=profile.title,
        withdrawn=tuple(sorted(profile.withdrawn)),
        invalid=invalid,
    )
