"""Ranked-choice (STV) elections in the app, counted by ``smolny.counting``.

DESIGN: councils elect their delegations by proportional representation so that a minority
tendency gets its fair share of the seats.  Multi-seat elections therefore use STV: Scottish
STV (SSI 2007/42 Sch.1) by default, Meek STV when the federation's parameters say so.  The
ballots and the seed are in the ``election_closed`` event, so anyone can recount from the
record with the same package.  Both packages are pure (no Django, no I/O), so the constitution
stays replayable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .errors import DomainError
from .methods import Method, register

STV_METHODS = ("scottish-stv", "meek-stv")


def _validate_ranking(choices: Sequence[str], candidates: Sequence[str], seats: int) -> None:
    if not choices:
        raise DomainError(
            "invalid_ballot", "Rank at least one candidate (1 for your first choice)."
        )
    if len(set(choices)) != len(choices):
        raise DomainError("invalid_ballot", "Each candidate can be ranked only once.")
    unknown = [c for c in choices if c not in candidates]
    if unknown:
        raise DomainError(
            "invalid_ballot", f"Not a candidate in this election: {', '.join(unknown)}."
        )


def _counter(method: str) -> Any:
    def count(
        candidates: Sequence[str], ballots: Mapping[str, Sequence[str]], seats: int, seed: str
    ) -> dict[str, Any]:
        from smolny.counting import Profile
        from smolny.counting import count as run
        from smolny.counting.report import to_json_obj

        index = {c: i for i, c in enumerate(candidates)}
        rows = [[index[c] for c in ranking if c in index] for ranking in ballots.values()]
        rows = [r for r in rows if r]
        first = {c: 0 for c in candidates}
        for row in rows:
            first[candidates[row[0]]] += 1
        base: dict[str, Any] = {
            "tallies": first,
            "seed": seed,
            "ballots_counted": len(ballots),
            "tie_broken_by_lot": False,
            "stages": [],
        }
        if len(candidates) <= seats or not rows:
            # Nothing to count: every candidate is elected unopposed, or nobody has voted.
            elected = list(candidates) if len(candidates) <= seats else []
            return base | {"elected": elected}
        width = max(len(r) for r in rows)
        matrix = np.full((len(rows), width), -1, dtype=np.int32)
        for i, row in enumerate(rows):
            matrix[i, : len(row)] = row
        profile = Profile.from_rankings(list(candidates), matrix)
        # The count's own lot is seeded from the election's seed, so it is reproducible too.
        result = run(profile, method, seats, seed=int(seed[:13], 16))
        report = to_json_obj(result)
        return base | {
            "elected": [candidates[n - 1] for n in report["elected"]],
            "tie_broken_by_lot": any(t["how"] == "lot" for t in report["tie_breaks"]),
            "quota": report["quota"],
            "stages": report["stages"],
            "tie_breaks": report["tie_breaks"],
            "count_seed": report["seed"],
        }

    return count


register(
    Method(
        "scottish-stv",
        "Single transferable vote (Scottish rules): rank the candidates",
        _validate_ranking,
        _counter("scottish-stv"),
        multi_seat=True,
    )
)
register(
    Method(
        "meek-stv",
        "Single transferable vote (Meek's method): rank the candidates",
        _validate_ranking,
        _counter("meek-stv"),
        multi_seat=True,
    )
)
