"""Our IRV elects whom an independent implementation elects.

pyrankvote (its own code, its own data model) counts the same papers; wherever our count broke
no tie (ties are settled differently by design: ours by earlier stages then a seeded lot,
pyrankvote's by second preferences), both must elect the same candidate.  pyrankvote also
excludes in bulk and takes half the papers as a majority; neither can change a winner when no
tie arises, so a disagreement here would be a bug in one of the two counts.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pyrankvote import Ballot, Candidate, instant_runoff_voting

from smolny.counting import Profile, irv

NAMES = ("Ada", "Ben", "Cleo", "Dmitri", "Eva", "Femi")


@st.composite
def papers(draw: st.DrawFn) -> tuple[int, list[list[int]]]:
    n = draw(st.integers(3, len(NAMES)))
    ranking = st.permutations(range(n)).flatmap(
        lambda order: st.integers(1, n).map(lambda k: list(order[:k]))
    )
    return n, draw(st.lists(ranking, min_size=1, max_size=60))


@settings(max_examples=300)
@given(papers())
def test_irv_elects_whom_pyrankvote_elects(drawn: tuple[int, list[list[int]]]) -> None:
    n, rankings = drawn
    names = NAMES[:n]
    ours = irv(Profile.from_lists(names, [(1, r) for r in rankings]), seed=1)
    assume(not ours.tie_breaks)
    people = [Candidate(name) for name in names]
    theirs = instant_runoff_voting(people, [Ballot([people[c] for c in r]) for r in rankings])
    (winner,) = theirs.get_winners()
    assert names[ours.elected[0]] == winner.name
