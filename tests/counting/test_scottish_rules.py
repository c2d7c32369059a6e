"""Each subtle rule of Scottish STV (SSI 2007/42 Sch.1), pinned on a small hand-made election."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.counting import OptionsError, Profile, ProfileError, scottish_stv
from smolny.counting.ties import lot

A, B, C, D, E, F = range(6)


def equal_surpluses() -> Profile:
    # A's surplus (TV 0.5) brings B and C to 55 each; B had more at stage 1.
    return Profile.from_lists(
        list("ABCDEF"),
        [
            (40, [A, B, F]),
            (60, [A, C]),
            (35, [B, D]),
            (25, [C, E]),
            (30, [D]),
            (29, [E]),
            (28, [F]),
        ],
    )


def test_equal_surpluses_go_in_the_order_of_the_most_recent_stage_where_they_differed() -> None:
    r = scottish_stv(equal_surpluses(), 4, seed=1)
    assert r.quota == 50
    s2 = r.stages[1]
    assert s2.totals[B] == s2.totals[C] == Decimal(55)
    assert set(s2.elected) == {B, C}
    assert [s.action.candidates for s in r.stages[2:4]] == [(B,), (C,)]
    tie = next(t for t in r.tie_breaks if t.purpose == "surplus")
    assert (tie.how, tie.decided_at, tie.chosen) == ("earlier-stage", 1, B)


def test_all_papers_of_a_surplus_move_each_at_its_own_value_truncated_to_5dp() -> None:
    """Inclusive Gregory: B's own papers (value 1) and those from A (value 0.5) both move."""
    r = scottish_stv(equal_surpluses(), 4, seed=1)
    s3 = r.stages[2]
    # 35 of B's own papers at trunc5(5 × 1 / 55) = 0.09090; 40 from A at trunc5(5 × 0.5 / 55)
    assert s3.totals[D] == Decimal(30) + 35 * Decimal("0.09090")
    assert s3.totals[F] == Decimal(28) + 40 * Decimal("0.04545")
    assert s3.totals[B] == r.quota
    assert s3.loss - r.stages[1].loss == Decimal(5) - 35 * Decimal("0.09090") - 40 * Decimal(
        "0.04545"
    )


def test_equal_surpluses_at_the_first_stage_are_decided_by_a_recorded_lot() -> None:
    ballots = [(30, [A, C]), (30, [B, D]), (10, [C]), (9, [D]), (8, [E])]
    p = Profile.from_lists(list("ABCDE"), ballots)
    choices = set()
    for seed in range(20):
        r = scottish_stv(p, 2, seed=seed)
        tie = next(t for t in r.tie_breaks if t.purpose == "order-of-election")
        assert tie.how == "lot" and r.seed == seed
        assert tie.chosen == lot(seed, 1, "order-of-election", [A, B])
        assert r.elected[0] == tie.chosen
        # the same seed gives the same count
        assert scottish_stv(p, 2, seed=seed) == r
        choices.add(tie.chosen)
    assert choices == {A, B}


def test_a_count_without_seed_draws_one_and_records_it() -> None:
    p = Profile.from_lists(list("AB"), [(1, [A]), (1, [B])])
    r = scottish_stv(p, 1)
    again = scottish_stv(p, 1, seed=r.seed)
    assert again.elected == r.elected


def test_exclusion_tie_goes_back_to_the_most_recent_stage_where_they_differed() -> None:
    ballots = [(9, [C]), (7, [B, D]), (4, [A, B, C, D]), (11, [D, A, B, C])]
    r = scottish_stv(Profile.from_lists(list("ABCD"), ballots), 1, seed=1)
    tie = next(t for t in r.tie_breaks if t.purpose == "exclusion")
    assert tie.how == "earlier-stage"
    at = r.stages[tie.stage - 2].totals
    assert at[B] == at[D]
    decided = r.stages[tie.decided_at - 1].totals  # type: ignore[operator]
    assert decided[tie.chosen] == min(decided[c] for c in tie.tied)
    assert r.stages[tie.stage - 1].action.candidates == (tie.chosen,)


def test_candidates_deemed_elected_receive_no_more_papers() -> None:
    """A and B both reach quota at stage 1; A's surplus papers that name B next skip to C."""
    ballots = [(40, [A, B, C]), (30, [B, D]), (10, [C]), (9, [D]), (8, [E])]
    r = scottish_stv(Profile.from_lists(list("ABCDE"), ballots), 3, seed=1)
    assert set(r.stages[0].elected) == {A, B}
    s2 = r.stages[1]
    assert s2.action.candidates == (A,)
    assert s2.totals[B] == r.stages[0].totals[B]
    assert s2.totals[C] > r.stages[0].totals[C]


def test_exclusion_moves_all_papers_in_one_stage_at_their_current_values() -> None:
    # C holds first-preference papers (value 1) and papers from A's surplus (value < 1)
    ballots = [(60, [A, C, D]), (12, [C, D]), (25, [B]), (30, [D]), (26, [E])]
    r = scottish_stv(Profile.from_lists(list("ABCDE"), ballots), 2, seed=1)
    assert r.stages[1].action.kind == "surplus"
    exclusions = [s for s in r.stages if s.action.candidates == (C,)]
    assert len(exclusions) == 1
    k = exclusions[0].number
    before, after = r.stages[k - 2], r.stages[k - 1]
    tv = (60 - r.quota) * 100000 // 60  # A's transfer value in 1e-5
    assert before.totals[C] == 12 + 60 * Decimal(tv).scaleb(-5)
    assert after.totals[D] - before.totals[D] == before.totals[C]
    assert after.totals[C] == 0


def test_the_last_vacancies_go_to_the_continuing_candidates_without_more_transfers() -> None:
    ballots = [(50, [A, B]), (20, [B]), (18, [C]), (5, [D])]
    r = scottish_stv(Profile.from_lists(list("ABCD"), ballots), 3, seed=1)
    # after D's exclusion, B and C are the only continuing candidates for two vacancies
    assert set(r.elected) == {A, B, C}
    last = r.stages[-1]
    assert last.extra.get("elect_remaining")
    assert all(s.action.kind != "surplus" or s.number < last.number for s in r.stages)
    assert len(r.stages) == len({s.number for s in r.stages})


def test_papers_naming_only_withdrawn_candidates_are_not_in_the_valid_poll() -> None:
    ballots = [(10, [A, B]), (6, [E]), (7, [E, C]), (5, [B]), (4, [C]), (3, [D])]
    p = Profile.from_lists(list("ABCDE"), ballots, withdrawn=[E])
    r = scottish_stv(p, 2, seed=1)
    assert r.invalid == 6
    assert r.valid_poll == 10 + 7 + 5 + 4 + 3
    assert r.quota == (10 + 7 + 5 + 4 + 3) // 3 + 1
    # the E-then-C papers count for C at full value from the first stage
    assert r.stages[0].totals[C] == 11
    assert r.stages[0].totals[E] == 0
    assert E not in r.elected


def test_equal_rankings_are_refused() -> None:
    p = Profile.from_lists(list("ABC"), [(1, [(A, B), C])])
    with pytest.raises(ProfileError, match="equal rankings"):
        scottish_stv(p, 1, seed=1)


def test_more_seats_than_candidates_is_refused() -> None:
    p = Profile.from_lists(list("AB"), [(1, [A])], withdrawn=[B])
    with pytest.raises(OptionsError):
        scottish_stv(p, 2, seed=1)


profiles = st.integers(min_value=2, max_value=7).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(
                st.integers(min_value=1, max_value=40),
                st.permutations(range(n)).flatmap(
                    lambda perm: st.integers(min_value=1, max_value=len(perm)).map(
                        lambda k: list(perm[:k])
                    )
                ),
            ),
            min_size=1,
            max_size=25,
        ),
        st.integers(min_value=1, max_value=n - 1),
        st.integers(min_value=0, max_value=2**32),
    )
)


@given(profiles)
@settings(max_examples=150, deadline=None)
def test_votes_are_conserved_at_every_stage(
    case: tuple[int, list[tuple[int, list[int]]], int, int],
) -> None:
    n, ballots, seats, seed = case
    p = Profile.from_lists([f"C{i}" for i in range(n)], ballots)
    r = scottish_stv(p, seats, seed=seed)
    for s in r.stages:
        assert sum(s.totals) + s.non_transferable + s.loss == r.valid_poll
        assert s.loss >= 0 and s.non_transferable >= 0
        assert all(t >= 0 for t in s.totals)
    assert len(r.elected) == seats == len(set(r.elected))
    # whoever reached the quota was elected
    reached = {c for s in r.stages for c in range(n) if s.totals[c] >= r.quota}  # type: ignore[operator]
    assert reached <= set(r.elected)


def test_a_paper_whose_next_preferences_are_withdrawn_is_exhausted_on_transfer() -> None:
    ballots = [(10, [A]), (9, [B]), (8, [C]), (3, [D, E]), (1, [D, E, C])]
    p = Profile.from_lists(list("ABCDE"), ballots, withdrawn=[E])
    r = scottish_stv(p, 2, seed=1)
    exclusion = next(s for s in r.stages if s.action.candidates == (D,))
    before = r.stages[exclusion.number - 2]
    assert exclusion.non_transferable - before.non_transferable == 3
    assert exclusion.totals[C] - before.totals[C] == 1
    assert exclusion.totals[E] == 0
