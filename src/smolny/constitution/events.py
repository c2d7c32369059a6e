"""Events: what happened, as it will stand in the record forever.

An event is a type, the actor whose command caused it, the time the command was decided, and
a body of JSON values (no floats: see ``smolny.canonical``).  Times are UTC, written
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` so that the text sorts as the time does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from smolny import canonical


def fmt_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


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
