"""Apportionment: one delegate per N members, or a fixed house divided by Sainte-Laguë."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.constitution import commands as c
from smolny.constitution.apportionment import apportion, sainte_lague, seats_per_members
from smolny.constitution.params import Params

from .scene import PARAMS, Scene


def test_sainte_lague_on_a_worked_example_checked_by_hand() -> None:
    """Five councils of 53, 24, 13, 7 and 3 members share a house of 10.

    Quotients v/1, v/3, v/5, ... in decreasing order (seat won):
    53 (A1), 24 (B1), 17.67 (A2), 13 (C1), 10.6 (A3), 8 (B2), 7.57 (A4), 7 (D1), 5.89 (A5),
    4.82 (A6, 53/11) -- just ahead of B's third quotient 24/5 = 4.8 and C's 13/3 = 4.33.

    So A 6, B 2, C 1, D 1, E 0.  D'Hondt would give A 6, B 3, C 1, D 0 and the largest
    remainder A 5, B 3, C 1, D 1: the example tells the three methods apart.
    """
    votes = {"C2": 53, "C3": 24, "C4": 13, "C5": 7, "C6": 3}
    assert sainte_lague(votes, 10) == {"C2": 6, "C3": 2, "C4": 1, "C5": 1, "C6": 0}


def test_sainte_lague_gives_a_tied_last_seat_to_the_larger_council() -> None:
    # C4's second quotient 3/3 ties C3's first 1/1: C4 represents more members.
    assert sainte_lague({"C3": 1, "C4": 3}, 2) == {"C3": 0, "C4": 2}


def test_sainte_lague_gives_an_exact_tie_to_the_earlier_founded_council() -> None:
    assert sainte_lague({"C3": 5, "C4": 5}, 1) == {"C3": 1, "C4": 0}
    # ids compare by their number, not as text: C9 was founded before C10.
    assert sainte_lague({"C10": 5, "C9": 5}, 1) == {"C10": 0, "C9": 1}


def test_sainte_lague_of_nothing_is_nothing() -> None:
    assert sainte_lague({}, 5) == {}
    assert sainte_lague({"C2": 4}, 0) == {"C2": 0}


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.dictionaries(
        st.integers(2, 40).map(lambda n: f"C{n}"), st.integers(0, 500), min_size=1, max_size=8
    ),
    st.integers(0, 40),
)
def test_sainte_lague_fills_the_house_and_is_a_divisor_method(
    votes: dict[str, int], house: int
) -> None:
    """The seats sum to the house, and no council could take a seat from another and end with
    a higher quotient: max over i of v_i/(2 s_i + 1) <= min over j with s_j > 0 of
    v_j/(2 s_j - 1) (the defining property of the Webster/Sainte-Laguë divisor method)."""
    seats = sainte_lague(votes, house)
    assert sum(seats.values()) == house
    assert set(seats) == set(votes)
    if not any(votes.values()):
        return
    next_quotient = max(Fraction(v, 2 * seats[k] + 1) for k, v in votes.items())
    last_quotients = [Fraction(v, 2 * seats[k] - 1) for k, v in votes.items() if seats[k] > 0]
    if last_quotients:
        assert next_quotient <= min(last_quotients)


def test_per_members_is_one_delegate_per_n_members_or_part_thereof() -> None:
    assert [seats_per_members(n, 3) for n in (0, 1, 2, 3, 4, 6, 7)] == [0, 1, 1, 1, 2, 2, 3]
    params = Params.from_dict({"members_per_delegate": 25})
    assert apportion(params, {"C3": 25, "C4": 26, "C5": 0}) == {"C3": 1, "C4": 2, "C5": 0}


def test_fixed_house_divides_the_house_by_sainte_lague() -> None:
    params = Params.from_dict({"seat_rule": "fixed_house", "house_size": 10})
    votes = {"C2": 53, "C3": 24, "C4": 13, "C5": 7, "C6": 3}
    assert apportion(params, votes) == {"C2": 6, "C3": 2, "C4": 1, "C5": 1, "C6": 0}


def test_the_founder_apportions_a_fixed_house_of_ten_among_five_councils() -> None:
    s = Scene()
    s.do(
        c.FoundFederation(
            "max",
            "Big Federation",
            "Congress",
            PARAMS | {"seat_rule": "fixed_house", "house_size": 10},
        )
    )
    sizes = {"Dockers": 53, "Teachers": 24, "Nurses": 13, "Miners": 7, "Poets": 3}
    for number, (name, size) in enumerate(sizes.items(), start=2):
        s.do(c.CreateCouncil("max", "C1", name, True))
        for i in range(size):
            s.do(c.Join(f"{name.lower()}{i}", f"{name} {i}", f"C{number}"))
    events = s.do(c.Reapportion("max", "C1"))
    assert events[0].data == {
        "council": "C1",
        "rule": "fixed_house",
        "members": {"C2": 53, "C3": 24, "C4": 13, "C5": 7, "C6": 3},
        "seats": {"C2": 6, "C3": 2, "C4": 1, "C5": 1, "C6": 0},
    }
    assert [s.state.councils[f"C{n}"].seats for n in range(2, 7)] == [6, 2, 1, 1, 0]
    assert s.state.apportionments[-1]["seats"] == events[0].data["seats"]


def test_per_members_counts_every_member_below_a_higher_council() -> None:
    s = Scene()
    s.do(c.FoundFederation("max", "Harbour", "Congress", PARAMS))
    s.do(c.CreateCouncil("max", "C1", "North", False))
    s.do(c.CreateCouncil("max", "C1", "South", False))
    s.do(c.CreateCouncil("max", "C2", "Dockers", True))
    s.do(c.CreateCouncil("max", "C3", "Teachers", True))
    for i in range(7):
        s.do(c.Join(f"d{i}", f"Docker {i}", "C4"))
    s.do(c.Join("t0", "Teacher", "C5"))
    events = s.do(c.Reapportion("max", "C1"))
    assert events[0].data["members"] == {"C2": 7, "C3": 1}
    assert events[0].data["seats"] == {"C2": 3, "C3": 1}
