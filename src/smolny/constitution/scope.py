"""Which councils an event concerns, so each council's page can show its part of the record.

Derived from the event and the state it was decided against (pure), and stored beside the
entry as an index; it is not part of the hashed entry, and anyone can recompute it.
"""

from __future__ import annotations

from typing import Any

from .events import Event
from .state import State

_COUNCIL_KEYS = frozenset(("council", "body", "constituency", "parent", "source", "scope"))
_REFS = {
    "election": "elections",
    "motion": "motions",
    "recall": "recalls",
    "mandate": "mandates",
    "act": "acts",
    "tendency": "tendencies",
    "case": "cases",
    "publication": "publications",
}


_ENTITY_COUNCIL_ATTRS = ("council", "body", "constituency", "scope")
_MEMBERSHIP = frozenset(("member_joined", "member_left", "member_transferred"))


def councils_of(state: State, event: Event) -> list[str]:
    # Runs for every entry appended: it looks only at the keys the event has (a handful)
    # rather than testing every key it might have.
    found: set[str] = set()
    data: dict[str, Any] = event.data
    councils = state.councils
    for key, value in data.items():
        if type(value) is not str:
            continue
        if key in _COUNCIL_KEYS:
            if value in councils:
                found.add(value)
            continue
        collection = _REFS.get(key)
        if collection is None:
            continue
        entity = getattr(state, collection).get(value)
        if entity is None:
            continue
        for attr in _ENTITY_COUNCIL_ATTRS:
            council = getattr(entity, attr, None)
            if isinstance(council, str):
                found.add(council)
        if key == "recall":
            mandate = state.mandates.get(entity.mandate)
            if mandate is not None:
                found.update({mandate.body, mandate.constituency})
    if event.type == "council_created" and isinstance(data.get("id"), str):
        found.add(data["id"])
    if event.type in _MEMBERSHIP:
        member = state.members.get(data.get("member", ""))
        if member is not None and member.council:
            found.add(member.council)
    return sorted(found)
