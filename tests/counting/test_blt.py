"""BLT reader and writer: the standard grammar, real-world variants, and refusals naming the line."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.counting import FormatError, Profile, parse_blt, read_blt, scottish_stv, write_blt

from .conftest import SCOTLAND

GOOD = """\
# a comment before the header
4 2
-4
(b1) 3 1 2 0
2 2=3 1 0   # trailing comment
1 3 0
0
"Anna Apple"
"Bo Berry"
Cy Cherry
"Di Date"
"A small \u201ctest\u201d election"
"""


def test_the_standard_grammar_and_its_variants_are_read() -> None:
    p = parse_blt(("\ufeff" + GOOD).encode())
    assert p.candidates == ("Anna Apple", "Bo Berry", "Cy Cherry", "Di Date")
    assert p.seats == 2
    assert p.withdrawn == frozenset({3})
    assert p.title == "A small \u201ctest\u201d election"
    assert p.total == 6
    ballots = dict((r, w) for w, r in p.ballots())
    assert ballots == {((0,), (1,)): 3, ((1, 2), (0,)): 2, ((2,),): 1}


def test_write_then_read_gives_the_same_profile() -> None:
    p = parse_blt(GOOD)
    again = parse_blt(write_blt(p))
    assert again.candidates == p.candidates and again.title == p.title
    assert again.withdrawn == p.withdrawn and again.seats == p.seats
    assert sorted(again.ballots()) == sorted(p.ballots())


@pytest.mark.parametrize(
    "name", ["aberdeen_2017_ward12.blt", "fife_2017_ward22.blt", "shetland_2017_ward7.blt"]
)
def test_raw_originals_read_as_their_converted_files(name: str) -> None:
    raw = read_blt(SCOTLAND / "raw" / name)
    conv = read_blt(SCOTLAND / name)
    assert raw.total == conv.total and raw.seats == conv.seats
    assert np.array_equal(raw.rankings, conv.rankings)
    assert np.array_equal(raw.weights, conv.weights)
    assert (
        scottish_stv(raw, raw.seats or 0, seed=1).elected
        == scottish_stv(conv, conv.seats or 0, seed=1).elected
    )


def test_a_converted_ward_round_trips_byte_for_byte() -> None:
    path = SCOTLAND / "aberdeen_2017_ward1.blt"
    assert write_blt(read_blt(path)) == path.read_text(encoding="utf-8")


BAD = {
    "wrong count of names": ('3 1\n1 1 0\n0\n"A"\n"B"\n', 5, "expected 3 candidate names"),
    "too many names": ('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n', 7, "after the title"),
    "unknown candidate": ('2 1\n1 1 0\n4 1 3 0\n0\n"A"\n"B"\n', 3, "candidate 3 does not exist"),
    "duplicate preference": ('3 1\n2 1 2 1 0\n0\n"A"\n"B"\n"C"\n', 2, "ranked twice"),
    "truncated in ballots": ("3 1\n2 1 2 0\n5 2 3", 3, "does not end with 0"),
    "truncated before end marker": ("3 1\n2 1 2 0\n5 2 3 0\n", 3, "ends before the end-of-ballots"),
    "zero weight in the middle": ('2 1\n1 1 0\n0 2 1 0\n1 2 0\n0\n"A"\n"B"\n', 3, "weight of zero"),
    "stray zero line in the middle": (
        '2 1\n1 1 0\n0\n1 2 0\n"A"\n"B"\n',
        4,
        "after the end-of-ballots",
    ),
    "bad header": ("two 1\n", 1, "first line"),
    "more seats than candidates": ("2 3\n", 1, "seats"),
    "weight not a number": ('2 1\n1.5 1 0\n0\n"A"\n"B"\n', 2, "not a whole number"),
    "unclosed quote": ('2 1\n1 1 0\n0\n"A\n"B"\n', 4, "closing quote"),
    "not utf-8": (b'2 1\n1 1 0\n0\n"\xff"\n"B"\n', 4, "UTF-8"),
    "withdrawn unknown": ('2 1\n-3\n1 1 0\n0\n"A"\n"B"\n', 2, "withdrawn candidate 3"),
    "empty file": ("", 0, "empty"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_files_are_refused_naming_the_line(case: str) -> None:
    text, line, message = BAD[case]
    with pytest.raises(FormatError, match=message) as info:
        parse_blt(text, source="x.blt")
    assert info.value.line == line
    assert (f"x.blt:{line}:" if line else "x.blt:") in str(info.value)


rankings = st.lists(
    st.tuples(
        st.integers(1, 9),
        st.permutations(range(5)).flatmap(lambda p: st.integers(0, 5).map(lambda k: list(p[:k]))),
    ),
    min_size=1,
    max_size=30,
)


@given(rankings)
@settings(max_examples=100, deadline=None)
def test_any_profile_survives_a_write_and_read(ballots: list[tuple[int, list[int]]]) -> None:
    p = Profile.from_lists(list("ABCDE"), ballots, title="T", seats=2)
    q = parse_blt(write_blt(p))
    assert sorted(q.ballots()) == sorted(p.ballots())
    assert q.total == sum(w for w, _ in ballots)
