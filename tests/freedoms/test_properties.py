"""Properties of supports and shares under any sequence of acts (Hypothesis).

Whatever members do, in any order: the count anyone recomputes from the record equals the
state's; nobody supports two tendencies of one scope; a refusal changes nothing; and the
shares of each quantity add up to its total whenever some tendency has a supporter.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.constitution import DomainError
from smolny.constitution import commands as c
from smolny.constitution.tendencies import count_from_record, my_commitment

from .scene import federation, key, tendency

PEOPLE = ("rosa", "karl", "clara", "leo", "nadia", "vera", "ivan", "olga", "pavel", "sofia", "max")
ACTS = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.integers(0, 2), st.booleans(), st.booleans()),
    max_size=25,
)


@settings(max_examples=40)
@given(ACTS)
def test_supports_count_and_one_per_scope_hold_under_any_sequence(
    acts: list[tuple[str, int, bool, bool]],
) -> None:
    s = federation()
    ids = [
        tendency(s, founders=("karl", "clara"), name="A"),
        tendency(s, founders=("ivan", "olga"), name="B"),
        tendency(s, scope="C3", founders=("rosa", "vera"), name="C"),
    ]
    for person, which, declare, named in acts:
        t = ids[which]
        command: c.Command = (
            c.DeclareSupport(person, t, key(person), named)
            if declare
            else c.WithdrawSupport(person, t, key(person))
        )
        before = s.digest()
        try:
            s.do(command)
        except DomainError:
            assert s.digest() == before
    for t in ids:
        assert count_from_record(s.log, t) == s.state.tendencies[t].supporters
    for person in PEOPLE:
        in_district = [
            t
            for t in ids[:2]
            if person in s.state.tendencies[t].named
            or my_commitment(person, t, key(person)) in s.state.tendencies[t].commitments
        ]
        assert len(in_district) <= 1
    events = s.do(c.RecomputeShares("max", "C2"))
    data = events[0].data
    if any(data["supporters"].values()):
        for quantity, total in data["totals"].items():
            assert sum(data["shares"][quantity].values()) == total
