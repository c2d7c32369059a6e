"""How the constitution writes times and offices in what members read.

The record spells a time ``2026-11-30T14:57:46.187328Z`` and an office ``control_commission``
so that every party hashes the same bytes; a member refused "until 2026-11-30T14:57:46.187328Z"
has to decode it.  Refusal messages and the titles of documents written for people (a secret
ballot's manifest) use these words instead.  Pure: no Django, no locale (a server's locale must
not change what a refusal says, nor a manifest's bytes).
"""

from __future__ import annotations

from datetime import UTC, datetime

from .events import parse_time

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

OFFICE_WORDS = {
    "chair": "chair",
    "secretary": "secretary",
    "executive": "executive committee",
    "control_commission": "control commission",
}
"""Each office of ``state.OFFICES`` as people say it."""


def when(moment: datetime | str) -> str:
    """``30 November 2026 at 14:57 UTC``: a time of the record, to the minute, in words.

    Accepts the record's own spelling too, so a time kept as text in the state (an appeal's
    close) reads the same way."""
    if isinstance(moment, str):
        moment = parse_time(moment)
    moment = moment.astimezone(UTC)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} at {moment:%H:%M} UTC"


def office(key: str | None) -> str:
    """An office as people write it: ``control_commission`` -> ``control commission``."""
    if not key:
        return ""
    return OFFICE_WORDS.get(key, key.replace("_", " "))
