"""Which councils an event concerns, so each council's page can show its part of the record.

Derived from the event and the state it was decided against (pure), and stored beside the
entry as an index; it is not part of the hashed entry, and anyone can recompute it.
"""

from __future__ import annotations

from typing import Any

from .events import Event
from .state import State

_COUNCIL_KEYS = ("council", "body", "constituency", "parent", "source", "scope")
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


def councils_of(state: State, event: Event) -> list[str]:
    found: set[str] = set()
    data: dict[str, Any] = event.data
    for key in _COUNCIL_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value in state.councils:
            found.add(value)
    if event.type == "council_created" and isinstance(data.get("id"), str):
        found.add(data["id"])
    for key, collection in _REFS.items():
        ref = data.get(key)
        entity = getattr(state, collection).get(ref) if isinstance(ref, str) else None
        if entity is None:
            continue
        for attr in ("council", "body", "constituency", "scope"):
            value = getattr(entity, attr, None)
            if isinstance(value, str):
                found.add(value)
        if key == "recall":
            mandate = state.mandates.get(entity.mandate)
            if mandate is not None:
                found.update({mandate.body, mandate.constituency})
    if event.type in ("member_joined", "member_left", "member_transferred"):
        member = state.members.get(data.get("member", ""))
        if member is not None and member.council:
            found.add(member.council)
    return sorted(found)
