"""A canonical, JSON-ready picture of the whole state.

Used to compare a replay with the live state (``smolny replay``, ``smolny verify``), and by the
tests to show that a refused command changed nothing.  Sets become sorted lists and times
become record-format strings, so two equal states give byte-identical canonical JSON.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from smolny import canonical

from .events import fmt_time
from .state import State


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return fmt_time(value)
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def snapshot(state: State) -> dict[str, Any]:
    data = _plain(state)
    assert isinstance(data, dict)
    data.pop("dirty", None)
    return data


def entity(value: Any) -> dict[str, Any]:
    data = _plain(value)
    assert isinstance(data, dict)
    return data


def digest_bytes(state: State) -> bytes:
    return canonical.encode(snapshot(state))
