"""Recompute published results from the replayed state, as anyone holding the record can.

DESIGN.md: "results can be recomputed by anyone from the record".  Before an
``election_closed`` or ``motion_decided`` entry is folded, the state holds exactly what the
constitution saw when it decided (these are the first events of their commands).  The verifier
asks the constitution to decide the closing command again — ``CloseElection`` or ``CloseVote``
by the entry's actor at the entry's time — and compares the result it publishes (the count by
``METHODS[method].count`` over the ballots in that state, or the motion's tally from its votes)
with the one in the record, field by field.  Re-deciding rather than restating the counting
rules here keeps the verifier in step with the constitution as its rules grow (a new counting
method, a new field of the result), which is the point: the record must agree with the rules
as published.

A result that the command cannot be re-decided for (a close that some other command caused)
is recounted directly from the state with the counting method, on the fields the method
returns.
"""

from __future__ import annotations

from typing import Any

from smolny.constitution import DomainError, decide
from smolny.constitution import commands as c
from smolny.constitution.events import Event, parse_time
from smolny.constitution.methods import METHODS, tie_seed
from smolny.constitution.state import State

RESULTS = {"election_closed": "election", "motion_decided": "motion"}


def recount(state: State, event: Event) -> str | None:
    """Why ``event``'s published result is wrong, or None (also for events with no result)."""
    if event.type not in RESULTS:
        return None
    subject = str(event.data.get(RESULTS[event.type], ""))
    command: c.Command = (
        c.CloseElection(event.actor, subject)
        if event.type == "election_closed"
        else c.CloseVote(event.actor, subject)
    )
    try:
        again = decide(state, command, parse_time(event.at))
    except DomainError:
        again = []
    for other in again:
        if other.type == event.type and other.data.get(RESULTS[event.type]) == subject:
            return _differs(event.data, other.data)
    if event.type == "election_closed":
        return _count_directly(state, event.data)
    return None if subject in state.motions else f"motion {subject} was never filed"


def _differs(published: dict[str, Any], recounted: dict[str, Any]) -> str | None:
    if published == recounted:
        return None
    for key in sorted(published.keys() | recounted.keys()):
        if isinstance(published.get(key), dict) and isinstance(recounted.get(key), dict):
            inner = _differs(published[key], recounted[key])
            if inner is not None:
                return f"{key}: {inner}"
        elif published.get(key) != recounted.get(key):
            return (
                f"the published {key} is {published.get(key)!r}, "
                f"but recounting gives {recounted.get(key)!r}"
            )
    return "the published result differs from the recount"


def _count_directly(state: State, data: dict[str, Any]) -> str | None:
    election = state.elections.get(data["election"])
    if election is None:
        return f"election {data['election']} was never called"
    method = METHODS.get(election.method)
    if method is None:
        return f"unknown counting method {election.method!r}"
    voters = set(state.voters(election.council))
    ballots = {v: b for v, b in sorted(election.ballots.items()) if v in voters}
    candidates = [x for x in election.candidates if x in voters]
    counted = method.count(candidates, ballots, election.seats, tie_seed(election.id, ballots))
    published = data["result"]
    return _differs({k: published.get(k) for k in counted}, counted)
