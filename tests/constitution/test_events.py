"""Events are encoded canonically (RFC 8785), decode to themselves, and carry no floats."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.canonical import NonCanonicalValue
from smolny.constitution import Event, fmt_time, parse_time

from .scene import T0, federation, with_congress

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_an_event_decodes_from_its_canonical_bytes_to_itself() -> None:
    event = Event("recall_signed", "clara", fmt_time(T0), {"recall": "R1", "member": "clara"})
    data = event.encode()
    assert data == (
        b'{"actor":"clara","at":"2026-01-05T09:00:00.000000Z",'
        b'"data":{"member":"clara","recall":"R1"},"type":"recall_signed"}'
    )
    assert Event.decode(data) == event
    assert Event.decode(data).time == T0


def test_every_event_of_a_scene_round_trips() -> None:
    s = with_congress(federation())
    for event in s.log:
        assert Event.decode(event.encode()) == event
        assert Event.decode(event.encode()).encode() == event.encode()


def test_an_event_with_a_float_cannot_be_encoded() -> None:
    event = Event("params_amended", "rosa", fmt_time(T0), {"changes": {"recall_share": 0.2}})
    with pytest.raises(NonCanonicalValue, match="float"):
        event.encode()


def test_bytes_with_a_float_cannot_be_decoded() -> None:
    data = b'{"actor":"rosa","at":"2026-01-05T09:00:00.000000Z","data":{"x":0.5},"type":"t"}'
    with pytest.raises(NonCanonicalValue):
        Event.decode(data)


def test_bytes_that_are_not_canonical_cannot_be_decoded() -> None:
    data = b'{"type":"t","actor":"rosa","at":"2026-01-05T09:00:00.000000Z","data":{}}'
    with pytest.raises(NonCanonicalValue, match="canonical"):
        Event.decode(data)


def test_times_are_written_so_that_text_sorts_as_time_does() -> None:
    assert fmt_time(T0) == "2026-01-05T09:00:00.000000Z"
    assert parse_time(fmt_time(T0)) == T0
    with pytest.raises(ValueError):
        fmt_time(T0.replace(tzinfo=None))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.text(min_size=1, max_size=20),
    st.text(max_size=20),
    st.dictionaries(st.text(max_size=8), json_values, max_size=5),
)
def test_any_event_without_floats_round_trips(type_: str, actor: str, data: dict[str, Any]) -> None:
    event = Event(type_, actor, fmt_time(T0), data)
    encoded = event.encode()
    assert Event.decode(encoded) == event
    assert Event.decode(encoded).encode() == encoded


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.floats(allow_nan=False), st.sampled_from(["top", "nested", "listed"]))
def test_a_float_anywhere_in_an_event_is_refused(value: float, where: str) -> None:
    data: dict[str, Any] = {
        "top": {"x": value},
        "nested": {"x": {"y": {"z": value}}},
        "listed": {"x": [1, "two", value]},
    }[where]
    with pytest.raises(NonCanonicalValue):
        Event("t", "rosa", fmt_time(T0), data).encode()
