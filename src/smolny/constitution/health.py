"""The health report: signs that a democracy is being hollowed out, computed from the state.

DESIGN: "Every vote keeps its full breakdown; the health report shows the share of unanimous
votes, of uncontested elections, of recalls used, the turnover of officers", and "the health
report flags any office held without an election".  Secret ballots closed as void (their
trustees never finished the key ceremony or the decryption) are counted apart.  Shares are exact fractions as strings.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .state import State


def share(part: int, whole: int) -> str:
    return str(Fraction(part, whole)) if whole else "0"


def health(state: State) -> dict[str, Any]:
    # A void secret ballot decided nothing: it is counted apart, not as a vote or a contest.
    decided = [
        m.result for m in state.motions.values() if m.result is not None and m.status != "void"
    ]
    unanimous = 0
    for result in decided:
        cast = [int(result.get(k, 0)) for k in ("yes", "no", "abstain")]
        if sum(cast) and max(cast) == sum(cast):
            unanimous += 1
    closed = [
        e.result
        for e in state.elections.values()
        if e.result is not None and "void" not in e.result
    ]
    uncontested = sum(1 for r in closed if not r.get("contested", False))
    recalls = list(state.recalls.values())
    carried = sum(1 for r in recalls if r.status == "carried")
    offices = [m for m in state.mandates.values() if m.kind == "office"]
    holders: dict[str, set[str]] = {}
    for mandate in offices:
        holders.setdefault(mandate.seat_key, set()).add(mandate.holder)
    turnover = sum(len(h) for h in holders.values())
    unelected = [
        m.id
        for m in state.mandates.values()
        if m.active and not _elected(state, m.election, m.holder)
    ]
    return {
        "motions_decided": len(decided),
        "unanimous": unanimous,
        "unanimous_votes": share(unanimous, len(decided)),
        "elections_closed": len(closed),
        "uncontested": uncontested,
        "uncontested_elections": share(uncontested, len(closed)),
        "recalls_opened": len(recalls),
        "recalls_carried": carried,
        "mandates_recalled": sum(1 for m in state.mandates.values() if m.end_reason == "recalled"),
        "office_seats": len(holders),
        "office_holders_over_time": turnover,
        "offices_held_without_election": unelected,
        # DESIGN: "every ruling of the chair is recorded and can be overturned by the floor".
        # DESIGN: a secret ballot nobody can decide must not keep a vote open for ever; each
        # one closed as void (a trustee who did nothing, a failed key ceremony) is a sign.
        "secret_ballots_void": sum(1 for sb in state.secret.values() if sb.void is not None),
        "rulings_of_the_chair": len(state.rulings),
        "rulings_challenged": sum(1 for r in state.rulings.values() if r.status != "standing"),
        "rulings_overturned": sum(1 for r in state.rulings.values() if r.status == "overturned"),
    }


def _elected(state: State, election_id: str, holder: str) -> bool:
    """Whether the holder's mandate comes from an election that elected her."""
    election = state.elections.get(election_id)
    if election is None or election.result is None:
        return False
    return holder in election.result.get("elected", [])
