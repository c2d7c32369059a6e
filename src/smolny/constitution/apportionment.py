"""Seats of each council in its parent, from the members it represents.

Two rules, chosen in the federation's parameters: one delegate per N members (or part of N), or
a fixed-size house divided among the children by Sainte-Laguë (highest averages with divisors
1, 3, 5, ...).  Recomputation happens only when a council or the congress calls for it, by an
explicit event in the record; nothing is reapportioned silently.

Sainte-Laguë is written here in exact integer arithmetic (comparing v1/(2s1+1) with v2/(2s2+1)
by cross-multiplication) because the constitution must stay free of any dependency; the
counting package's apportionment is tested to agree with it.  Ties for the last seat go to the
council that represents more members, then to the earlier-founded (lower id number), a rule
anyone can apply by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .params import Params


def _id_order(council_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in council_id if ch.isdigit())
    return (int(digits) if digits else 0, council_id)


def sainte_lague(votes: Mapping[str, int], seats: int) -> dict[str, int]:
    """Divide ``seats`` among the keys of ``votes`` by Sainte-Laguë (exact)."""
    won = {key: 0 for key in votes}
    if not votes:
        return won
    for _ in range(seats):
        best: str | None = None
        for key in sorted(votes, key=_id_order):
            if best is None:
                best = key
                continue
            # votes[key]/(2*won[key]+1) > votes[best]/(2*won[best]+1), exactly
            lhs = votes[key] * (2 * won[best] + 1)
            rhs = votes[best] * (2 * won[key] + 1)
            if lhs > rhs or (lhs == rhs and votes[key] > votes[best]):
                best = key
        assert best is not None
        won[best] += 1
    return won


def seats_per_members(members: int, per_delegate: int) -> int:
    """One delegate per ``per_delegate`` members or part thereof; none for an empty council."""
    return math.ceil(members / per_delegate) if members > 0 else 0


def apportion(params: Params, members: Mapping[str, int]) -> dict[str, int]:
    if params.seat_rule == "fixed_house":
        return sainte_lague(members, params.house_size)
    return {
        key: seats_per_members(count, params.members_per_delegate) for key, count in members.items()
    }
