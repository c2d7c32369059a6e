"""Events: what happened, as it will stand in the record forever.

An event is a type, the actor whose command caused it, the time the command was decided, and
a body of JSON values (no floats: see ``smolny.canonical``).  Times are UTC, written
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` so that the text sorts as the time does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from smolny import canonical

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_EXACT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
"""The record's own spelling of a time, and nothing else (strptime also takes e.g. ``2026-1-5``)."""


def fmt_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    moment = moment.astimezone(UTC)
    if type(moment) is datetime and moment.year >= 1000:
        # The same text as strftime (``...+00:00`` cut to ``...`` + Z), at a third of the cost;
        # strftime's %Y does not pad years below 1000, so those keep going through it.
        return moment.isoformat(timespec="microseconds")[:26] + "Z"
    return moment.strftime(_FORMAT)


def parse_time(text: str) -> datetime:
    # Every fold parses its event's time: text in the record's exact format is read by
    # ``fromisoformat`` (the same datetime as strptime, about 20 times faster); anything else,
    # and any out-of-range field, goes through strptime, so results and errors are unchanged.
    if type(text) is str and _EXACT.fullmatch(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    return datetime.strptime(text, _FORMAT).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Event:
    type: str
    actor: str
    at: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "actor": self.actor, "at": self.at, "data": self.data}

    def encode(self) -> bytes:
        """The canonical bytes that become the record entry (and its Merkle leaf)."""
        return canonical.encode(self.to_json())

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Event:
        return cls(type=value["type"], actor=value["actor"], at=value["at"], data=value["data"])

    @classmethod
    def decode(cls, data: bytes) -> Event:
        return cls.from_json(canonical.decode(data))

    @property
    def time(self) -> datetime:
        return parse_time(self.at)
