"""PrefLib (.soi/.toi) and cast-vote-record CSV readers."""

from __future__ import annotations

import pytest

from smolny.counting import FormatError, parse_cvr_csv, parse_preflib, schulze

TOI = """\
# FILE NAME: 00000-00000001.toi
# TITLE: Example
# DATA TYPE: toi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 6
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Ann
# ALTERNATIVE NAME 2: Ben
# ALTERNATIVE NAME 3: Cat
3: 1,2,3
2: {2,3},1
1: 3
"""


def test_preflib_toi_is_read_with_equal_rankings() -> None:
    p = parse_preflib(TOI, kind="toi")
    assert p.candidates == ("Ann", "Ben", "Cat") and p.title == "Example"
    assert dict((r, w) for w, r in p.ballots()) == {
        ((0,), (1,), (2,)): 3,
        ((1, 2), (0,)): 2,
        ((2,),): 1,
    }
    assert schulze(p, 1, seed=1).elected


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (("# NUMBER VOTERS: 6", "# NUMBER VOTERS: 7"), 5, "declares 7"),
        (("1: 3\n", "1: 4\n"), 12, "alternative 4 does not exist"),
        (("1: 3\n", "1: 3,3\n"), 12, "twice"),
        (("2: {2,3},1", "0: {2,3},1"), 11, "count of zero"),
        (("# NUMBER UNIQUE ORDERS: 3", "# NUMBER UNIQUE ORDERS: 4"), 6, "unique orders"),
        (("1: 3\n", "1 3\n"), 12, "COUNT:"),
    ],
)
def test_bad_preflib_files_are_refused_naming_the_line(
    edit: tuple[str, str], line: int, message: str
) -> None:
    with pytest.raises(FormatError, match=message) as info:
        parse_preflib(TOI.replace(*edit), kind="toi")
    assert info.value.line == line


def test_soi_refuses_equal_rankings() -> None:
    with pytest.raises(FormatError, match=r"not allowed in a \.soi") as info:
        parse_preflib(TOI.replace("toi", "soi"), kind="soi")
    assert info.value.line == 11


CSV = """\
ballot_id,precinct,rank1,rank2,rank3,count
1,P1,Ann,Ben,,2
2,P1,Cat,,,1
3,P2,Ben,Ann,Cat,1
"""


def test_cvr_csv_is_read_in_rank_columns() -> None:
    p = parse_cvr_csv(CSV)
    assert p.candidates == ("Ann", "Ben", "Cat")
    assert dict((r, w) for w, r in p.ballots()) == {
        ((0,), (1,)): 2,
        ((2,),): 1,
        ((1,), (0,), (2,)): 1,
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (CSV.replace("3,P2,Ben,Ann,Cat,1", "3,P2,Ben,Ann,Ben,1"), 4, "ranked twice"),
        (CSV.replace("2,P1,Cat,,,1", "2,P1,Cat,,,0"), 3, "weight"),
        (CSV.replace("2,P1,Cat,,,1", "2,P1,Cat,,1"), 3, "fields"),
        ("id,name\n1,x\n", 1, "no rank columns"),
    ],
)
def test_bad_cvr_rows_are_refused_naming_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(FormatError, match=message) as info:
        parse_cvr_csv(text)
    assert info.value.line == line


def test_cvr_with_a_fixed_candidate_list_refuses_unknown_names() -> None:
    with pytest.raises(FormatError, match="unknown candidate 'Cat'") as info:
        parse_cvr_csv(CSV, candidates=["Ann", "Ben"])
    assert info.value.line == 3
