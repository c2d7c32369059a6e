"""The canonical encoder writes exactly the bytes of the ``rfc8785`` library.

``smolny.canonical`` encodes with the standard library's C encoder where that gives RFC 8785's
bytes, and with ``rfc8785`` where it might not (text holding characters from U+E000 up, or a
lone surrogate).  GIVEN any value the record may hold (generated: nested objects and lists of
strings over all of Unicode, integers within 2**53, booleans, null), THEN both give the same
bytes, or both refuse; and the cases where the key orders of UTF-16 and of code points differ
are encoded in UTF-16 order, as RFC 8785 requires.
"""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny import canonical

SAFE = 2**53 - 1

# Every code point, lone surrogates included, weighted towards the ones that matter here:
# control characters, the private-use area from U+E000, and characters beyond U+FFFF.
CHARACTERS = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "\u2028", "\ue000", "\uffff"]),
    st.sampled_from(["\U0001f600", "\U00010000", "\ud800", "\udfff"]),
)
TEXT = st.text(CHARACTERS, max_size=12)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-SAFE, SAFE), TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(TEXT, inner, max_size=5)),
    max_leaves=30,
)


def library(value: Any) -> bytes | str:
    try:
        return bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, UnicodeError) as error:
        return f"refused: {type(error).__name__}"


def ours(value: Any) -> bytes | str:
    try:
        return canonical.encode(value)
    except (rfc8785.CanonicalizationError, UnicodeError) as error:
        return f"refused: {type(error).__name__}"


@settings(max_examples=2000, deadline=None)
@given(VALUES)
def test_the_same_bytes_as_rfc8785_for_any_value_the_record_holds(value: Any) -> None:
    assert ours(value) == library(value)


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\ue000": 2},  # UTF-16: D83D < E000; code points: E000 < 1F600
        {"a\uffff": 1, "a\U00010000": 2},
        {"z": "\ud800"},  # a lone surrogate: refused by both
        {"b": [1, "x\ny\t\u0001\u007f"], "a": None, "c": True},
    ],
)
def test_the_cases_where_the_fast_path_could_differ(value: Any) -> None:
    assert ours(value) == library(value)


def test_the_fast_path_still_refuses_floats_and_unsafe_integers() -> None:
    with pytest.raises(canonical.NonCanonicalValue, match="floats"):
        canonical.encode({"share": 0.5})
    with pytest.raises(canonical.NonCanonicalValue, match="safe range"):
        canonical.encode([2**53])


@settings(max_examples=500, deadline=None)
@given(VALUES)
def test_what_is_encoded_decodes_to_itself(value: Any) -> None:
    try:
        encoded = canonical.encode(value)
    except (rfc8785.CanonicalizationError, UnicodeError):
        return
    assert canonical.encode(canonical.decode(encoded)) == encoded


@pytest.mark.parametrize(
    "data",
    [b'{"a":9007199254740992}', b'{"a":1.5}', b'{"a":-0}', b'{"b":1,"a":2}', b'{"a": 1}'],
)
def test_bytes_that_are_not_a_canonical_encoding_do_not_decode(data: bytes) -> None:
    with pytest.raises(canonical.NonCanonicalValue):
        canonical.decode(data)


ANYTHING = st.recursive(
    st.one_of(SCALARS, st.floats(allow_nan=False), st.integers(), st.binary(max_size=2)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(TEXT, st.integers(0, 3)), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=1000, deadline=None)
@given(ANYTHING)
def test_the_quick_walk_accepts_exactly_what_the_named_check_accepts(value: Any) -> None:
    """``encode`` walks a value quickly and names what it refuses with the slower check: the
    two must agree on what is refused (floats, integers beyond 2**53, non-string keys, bytes)."""
    try:
        canonical._check(value, "$")
        accepted = True
    except canonical.NonCanonicalValue:
        accepted = False
    assert canonical._acceptable(value) == accepted
