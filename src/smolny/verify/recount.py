"""Recompute published results from the replayed state, as anyone holding the record can.

DESIGN.md: "results can be recomputed by anyone from the record".  Before an
``election_closed`` or ``motion_decided`` entry is folded, the state holds exactly what the
constitution saw when it decided (these are the first events of their commands), so the count
is redone here from the ballots and votes in that state and compared field by field with the
published result.  The rules are restated rather than imported from the deciding code, so a
change there that alters a result is caught by the recount instead of being copied by it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from smolny.constitution.events import Event
from smolny.constitution.methods import METHODS, tie_seed
from smolny.constitution.state import State


def recount(state: State, event: Event) -> str | None:
    """Why ``event``'s published result is wrong, or None (also for events with no result)."""
    if event.type == "election_closed":
        return _election(state, event.data)
    if event.type == "motion_decided":
        return _motion(state, event.data)
    return None


def _differs(published: dict[str, Any], recounted: dict[str, Any]) -> str | None:
    for key in sorted(published.keys() | recounted.keys()):
        if published.get(key) != recounted.get(key):
            return (
                f"the published {key} is {published.get(key)!r}, "
                f"but recounting gives {recounted.get(key)!r}"
            )
    return None


def _election(state: State, data: dict[str, Any]) -> str | None:
    election = state.elections.get(data["election"])
    if election is None:
        return f"election {data['election']} was never called"
    voters = set(state.voters(election.council))
    ballots = {v: b for v, b in sorted(election.ballots.items()) if v in voters}
    candidates = [c for c in election.candidates if c in voters]
    method = METHODS.get(election.method)
    if method is None:
        return f"unknown counting method {election.method!r}"
    result = method.count(candidates, ballots, election.seats, tie_seed(election.id, ballots))
    result["method"] = election.method
    result["electorate"] = len(voters)
    result["candidates"] = candidates
    result["contested"] = len(candidates) > election.seats
    result["breakdown"] = {v: list(b) for v, b in ballots.items()}
    return _differs(data["result"], result)


def _motion(state: State, data: dict[str, Any]) -> str | None:
    motion = state.motions.get(data["motion"])
    if motion is None:
        return f"motion {data['motion']} was never filed"
    voters = set(state.voters(motion.council))
    roll = {v: ch for v, ch in sorted(motion.votes.items()) if v in voters}
    yes = sum(1 for ch in roll.values() if ch == "yes")
    no = sum(1 for ch in roll.values() if ch == "no")
    abstain = sum(1 for ch in roll.values() if ch == "abstain")
    two_thirds = bool(motion.effect and motion.effect.get("kind") == "amend_params")
    carried = (yes > 0 and Fraction(yes, yes + no) >= Fraction(2, 3)) if two_thirds else yes > no
    expected = {
        "motion": motion.id,
        "carried": carried,
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "electorate": len(voters),
        "roll": roll,
        "majority": "two_thirds" if two_thirds else "simple",
    }
    return _differs(data, expected)
