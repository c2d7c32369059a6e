"""Meek STV, Schulze, IRV, plurality, approval and the divisor methods."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.counting import (
    CountingError,
    OptionsError,
    Profile,
    ProfileError,
    apportion,
    approval,
    count,
    irv,
    meek_stv,
    plurality,
    schulze,
    scottish_stv,
)
from smolny.counting.ties import lot


def prof(spec: list[tuple[int, str]], names: str) -> Profile:
    return Profile.from_lists(list(names), [(w, [names.index(x) for x in s]) for w, s in spec])


# --- Meek ------------------------------------------------------------------------------------

MEEK_VS_GREGORY = Profile.from_lists(
    ["0", "1", "2", "3"], [(1, [3, 0, 1, 2]), (2, [0, 1, 2, 3]), (3, [3, 0, 2, 1])]
)


def test_meek_spreads_the_cost_of_an_election_over_every_paper_that_helped() -> None:
    """Meek keeps value on elected candidates it passes through; Gregory counts do not."""
    assert sorted(meek_stv(MEEK_VS_GREGORY, 3, seed=1).elected) == [0, 1, 3]
    assert sorted(scottish_stv(MEEK_VS_GREGORY, 3, seed=1).elected) == [0, 2, 3]


def meek_case() -> Profile:
    return prof(
        [(28, "ABC"), (26, "BAC"), (3, "C"), (2, "D"), (1, "E"), (15, "DB"), (9, "EC")], "ABCDE"
    )


def test_meek_converges_within_its_stated_tolerance() -> None:
    for tol in (Fraction(1, 100), Fraction(1, 10**5), Fraction(1, 10**8)):
        r = meek_stv(meek_case(), 3, seed=1, tolerance=tol)
        for s in r.stages:
            assert s.quota is not None
            if s.number == len(r.stages):
                continue  # the count stops as soon as the last seat is filled
            elected_so_far = {c for t in r.stages[: s.number] for c in t.elected}
            for c in elected_so_far:
                # at convergence an elected candidate is within the tolerance of the quota
                assert s.totals[c] - s.quota <= Decimal(
                    tol.numerator
                ) / tol.denominator * s.quota or (s.extra.get("elect_remaining"))


def test_a_tighter_tolerance_needs_at_least_as_many_iterations() -> None:
    loose = meek_stv(meek_case(), 3, seed=1, tolerance=Fraction(1, 100))
    tight = meek_stv(meek_case(), 3, seed=1, tolerance=Fraction(1, 10**8))
    assert int(tight.options["iterations"]) >= int(loose.options["iterations"]) > 1
    assert tight.options["tolerance"] == "1/100000000"


def test_meek_conserves_value_exactly() -> None:
    r = meek_stv(meek_case(), 3, seed=1)
    for s in r.stages:
        assert sum(s.totals) + s.non_transferable == r.valid_poll
        assert s.loss == 0


def test_meek_states_its_precision() -> None:
    r = meek_stv(meek_case(), 3, seed=1, decimals=6)
    assert r.options["decimals"] == "6"
    assert all(t.as_tuple().exponent == -6 for t in r.stages[0].totals)  # type: ignore[union-attr]


def test_meek_refuses_equal_rankings_and_bad_options() -> None:
    with pytest.raises(ProfileError, match="equal rankings"):
        meek_stv(Profile.from_lists(list("AB"), [(1, [(0, 1)])]), 1)
    with pytest.raises(OptionsError):
        meek_stv(meek_case(), 3, decimals=12)
    with pytest.raises(CountingError, match="did not converge"):
        meek_stv(meek_case(), 3, seed=1, tolerance=Fraction(0), max_iterations=2)


# --- Schulze ---------------------------------------------------------------------------------
# Examples from M. Schulze, Social Choice and Welfare 36 (2011), section 3.


def test_schulze_example_1_elects_e_and_ranks_e_a_c_b_d() -> None:
    p = prof(
        [
            (5, "ACBED"),
            (5, "ADECB"),
            (8, "BEDAC"),
            (3, "CABED"),
            (7, "CAEBD"),
            (2, "CBADE"),
            (7, "DCEBA"),
            (8, "EBADC"),
        ],
        "ABCDE",
    )
    r = schulze(p, 5, seed=1)
    assert ["ABCDE"[c] for c in r.elected] == list("EACBD")
    assert r.tie_breaks == ()
    d = np.array(
        [[int(x) for x in row.split(",")] for row in r.stages[0].extra["pairwise"].split(";")]
    )
    assert d[0, 1] == 20 and d[1, 0] == 25  # d[A,B], d[B,A] as in the paper


def test_schulze_example_2_elects_d() -> None:
    p = prof(
        [
            (5, "ACBD"),
            (2, "ACDB"),
            (3, "ADCB"),
            (4, "BACD"),
            (3, "CBDA"),
            (3, "CDBA"),
            (1, "DACB"),
            (5, "DBAC"),
            (4, "DCBA"),
        ],
        "ABCD",
    )
    assert schulze(p, 1, seed=1).elected == (3,)


def test_schulze_example_4_ties_b_and_d_and_breaks_it_by_a_recorded_random_ballot() -> None:
    p = prof([(3, "ABCD"), (2, "DABC"), (2, "DBCA"), (2, "CBDA")], "ABCD")
    winners = set()
    for seed in range(12):
        r = schulze(p, 1, seed=seed)
        tie = r.tie_breaks[0]
        assert tie.tied == (1, 3) and tie.how == "lot"
        assert schulze(p, 1, seed=seed).elected == r.elected
        winners.add(r.elected[0])
    assert winners == {1, 3}


# --- IRV, plurality, approval ----------------------------------------------------------------


def test_irv_excludes_the_lowest_until_a_majority() -> None:
    p = prof([(8, "AB"), (7, "BA"), (6, "CB")], "ABC")
    r = irv(p, 1, seed=1)
    assert r.elected == (1,)
    assert [s.action.kind for s in r.stages] == ["first-preferences", "exclusion"]
    assert r.stages[1].totals[1] == 13


def test_plurality_ties_at_the_cut_are_decided_by_the_seeded_lot() -> None:
    p = prof([(5, "A"), (3, "B"), (3, "C")], "ABC")
    r = plurality(p, 2, seed=7)
    assert r.elected[0] == 0
    assert r.elected[1] == lot(7, 1, "last-seat-2", [1, 2])
    assert r.tie_breaks[0].tied == (1, 2)


def test_approval_counts_every_named_candidate() -> None:
    p = Profile.from_lists(list("ABC"), [(2, [0, 1]), (3, [(1, 2)]), (1, [2])])
    r = approval(p, 1, seed=1)
    assert [int(t) for t in r.stages[0].totals] == [2, 5, 4]
    assert r.elected == (1,)


def test_plurality_refuses_equal_first_preferences() -> None:
    with pytest.raises(ProfileError, match="equal first"):
        plurality(Profile.from_lists(list("AB"), [(1, [(0, 1)])]), 1)


# --- Divisor methods -------------------------------------------------------------------------
# Balinski and Young, Fair Representation: the 1790 census and the first House of 105 seats.
# Jefferson's method (D'Hondt) gave the 1792 apportionment; Webster's (Sainte-Laguë) differs from
# it only by moving one seat from Virginia to Delaware.

CENSUS_1790 = {
    "CT": 236841,
    "DE": 55540,
    "GA": 70835,
    "KY": 68705,
    "MD": 278514,
    "MA": 475327,
    "NH": 141822,
    "NJ": 179570,
    "NY": 331589,
    "NC": 353523,
    "PA": 432879,
    "RI": 68446,
    "SC": 206236,
    "VT": 85533,
    "VA": 630560,
}
JEFFERSON_1792 = {
    "CT": 7,
    "DE": 1,
    "GA": 2,
    "KY": 2,
    "MD": 8,
    "MA": 14,
    "NH": 4,
    "NJ": 5,
    "NY": 10,
    "NC": 10,
    "PA": 13,
    "RI": 2,
    "SC": 6,
    "VT": 2,
    "VA": 19,
}


def test_dhondt_is_jeffersons_method_on_the_1790_census() -> None:
    assert dict(apportion("dhondt", CENSUS_1790, 105, seed=1).seats) == JEFFERSON_1792


def test_sainte_lague_is_websters_method_on_the_1790_census() -> None:
    webster = dict(JEFFERSON_1792, VA=18, DE=2)
    assert dict(apportion("sainte-lague", CENSUS_1790, 105, seed=1).seats) == webster


def test_threshold_excludes_small_parties() -> None:
    a = apportion("sainte-lague", {"X": 60, "Y": 36, "Z": 4}, 10, threshold="0.05", seed=1)
    assert a.seats == {"X": 6, "Y": 4, "Z": 0} and a.below_threshold == ("Z",)


def test_a_tie_for_the_last_seat_is_decided_by_a_recorded_lot() -> None:
    results = {apportion("dhondt", {"X": 10, "Y": 10}, 1, seed=s).order for s in range(10)}
    assert results == {("X",), ("Y",)}
    a = apportion("dhondt", {"X": 10, "Y": 10}, 1, seed=3)
    assert a.tie_breaks[0].how == "lot" and a.seed == 3
    # a tie every tied party survives draws no lot
    assert apportion("dhondt", {"X": 10, "Y": 10}, 2, seed=3).tie_breaks == ()


def test_apportion_refuses_bad_input() -> None:
    with pytest.raises(OptionsError):
        apportion("hamilton", {"X": 1}, 1)
    with pytest.raises(OptionsError):
        apportion("dhondt", {"X": 1}, 1, threshold=0.05)  # type: ignore[arg-type]
    with pytest.raises(OptionsError):
        apportion("dhondt", {"X": -1}, 1)


@given(
    st.dictionaries(
        st.text("abcdef", min_size=1, max_size=3), st.integers(0, 10**6), min_size=1, max_size=8
    ),
    st.integers(0, 60),
)
@settings(max_examples=100, deadline=None)
def test_divisor_methods_hand_out_exactly_the_seats(votes: dict[str, int], seats: int) -> None:
    if seats and not any(votes.values()):
        return
    for method in ("dhondt", "sainte-lague"):
        a = apportion(method, votes, seats, seed=1)
        assert sum(a.seats.values()) == seats
        assert all(a.seats[k] == 0 for k, v in votes.items() if v == 0)


def test_count_dispatches_by_name_and_refuses_unknown_methods() -> None:
    p = prof([(3, "A"), (2, "B")], "AB")
    assert count(p, "dhondt", 5, seed=1).elected.count(0) == 3
    with pytest.raises(OptionsError, match="unknown method"):
        count(p, "borda", 1)
