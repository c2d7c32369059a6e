"""The server's clock: the only place the web layer reads the time.

The constitution never reads a clock; the time comes in with each command from here.  Tests
and rehearsals move this clock forward (``advance``) to close a vote without waiting days; the
offset is process-local and starts at zero, and it can only move forward, so a running server
never decides anything before something it already decided.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

_lock = threading.Lock()
_offset = timedelta(0)
_last = datetime.min.replace(tzinfo=UTC)


def now() -> datetime:
    global _last
    with _lock:
        moment = max(datetime.now(UTC) + _offset, _last + timedelta(microseconds=1))
        _last = moment
        return moment


def advance(hours: float = 0, days: float = 0) -> None:
    global _offset
    if hours < 0 or days < 0:
        raise ValueError("the clock only moves forward")
    with _lock:
        _offset += timedelta(hours=hours, days=days)
