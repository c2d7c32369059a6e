"""The fast paths of fmt_time and parse_time give exactly what strftime and strptime give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.constitution import fmt_time, parse_time

FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

offsets = st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=offsets
)


@settings(max_examples=500)
@given(moments)
def test_fmt_time_is_strftime_and_parse_time_reads_it_back(moment: datetime) -> None:
    text = fmt_time(moment)
    assert text == moment.astimezone(UTC).strftime(FORMAT)
    if moment.astimezone(UTC).year >= 1000:  # strftime does not pad smaller years
        parsed = parse_time(text)
        assert parsed == moment
        assert parsed.tzinfo is UTC


@settings(max_examples=500)
@given(st.text(alphabet="0123456789-T:.Z ", min_size=20, max_size=30))
def test_parse_time_accepts_and_refuses_what_strptime_does(text: str) -> None:
    try:
        expected: datetime | str = datetime.strptime(text, FORMAT).replace(tzinfo=UTC)
    except ValueError as error:
        expected = str(error)
    try:
        got: datetime | str = parse_time(text)
    except ValueError as error:
        got = str(error)
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30T10:00:00.000000Z",  # the record's shape, not a date
        "2026-13-01T10:00:00.000000Z",
        "0000-01-01T10:00:00.000000Z",
        "2026-1-5T10:00:00.5Z",  # strptime's looser shape still parses
        "２026-01-05T10:00:00.000000Z",  # a non-ASCII digit
    ],
)
def test_parse_time_edge_cases_match_strptime(text: str) -> None:
    try:
        expected: datetime | str = datetime.strptime(text, FORMAT).replace(tzinfo=UTC)
    except ValueError as error:
        expected = str(error)
    try:
        got: datetime | str = parse_time(text)
    except ValueError as error:
        got = str(error)
    assert got == expected
