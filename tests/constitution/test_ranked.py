"""Multi-seat elections in the app are counted by STV (Scottish by default, Meek by parameter).

GIVEN a base council of eleven electing three delegates, a majority of six and a minority of
five, WHEN each bloc ranks its own candidates, THEN STV gives the minority a seat that a block
vote (or approval by blocs) would give to the majority, and the count's stages are in the record.
"""

from __future__ import annotations

import pytest

from smolny.constitution import DomainError, apply, decide
from smolny.constitution import commands as c
from smolny.constitution.methods import METHODS
from smolny.constitution.snapshot import digest_bytes

from .scene import Scene

MAJORITY = ("ana", "ben", "cal", "dia", "eve", "fay")
MINORITY = ("gus", "hal", "ida", "jon", "kim")


def council(stv_method: str | None = None) -> Scene:
    s = Scene()
    params = {"members_per_delegate": 4, "nomination_hours": 1, "voting_hours": 2}
    if stv_method:
        params["stv_method"] = stv_method
    s.do(c.FoundFederation("max", "Fed", "Congress", params))
    s.do(c.CreateCouncil("max", "C1", "Works Council", True))
    for name in MAJORITY + MINORITY:
        s.do(c.Join(name, name.title(), "C2"))
    s.do(c.Reapportion("max", "C1"))
    s.do(c.CloseFounding("max"))
    return s


def hold(s: Scene) -> dict[str, object]:
    s.do(c.CallElection("ana", "C2", "delegate"))
    for person in ("ana", "ben", "cal", "gus", "hal"):
        s.do(c.Nominate(person, "E1", person))
    s.tick(hours=1)
    for voter in MAJORITY:
        s.do(c.CastBallot(voter, "E1", ("ana", "ben", "cal")))
    for voter in MINORITY:
        s.do(c.CastBallot(voter, "E1", ("gus", "hal")))
    s.do(c.CloseElection("ana", "E1"))
    result = s.state.elections["E1"].result
    assert result is not None
    return result


@pytest.mark.parametrize("method", ["scottish-stv", "meek-stv"])
def test_stv_gives_the_minority_its_share_of_the_seats(method: str) -> None:
    s = council(None if method == "scottish-stv" else method)
    assert s.state.councils["C2"].seats == 3
    result = hold(s)
    assert s.state.elections["E1"].method == method
    assert result["method"] == method
    assert set(result["elected"]) == {"ana", "ben", "gus"}
    assert result["stages"] and result["quota"]
    # Anyone can recount from the record: the same ballots and seed give the same result.
    ballots = s.state.elections["E1"].ballots
    assert len(ballots) == result["ballots_counted"] == 11
    again = METHODS[method].count(result["candidates"], ballots, 3, result["seed"])
    assert again["elected"] == result["elected"] and again["stages"] == result["stages"]


def test_approval_by_blocs_would_have_shut_the_minority_out() -> None:
    s = council()
    ballots = {v: ["ana", "ben", "cal"] for v in MAJORITY} | {v: ["gus", "hal"] for v in MINORITY}
    counted = METHODS["approval"].count(["ana", "ben", "cal", "gus", "hal"], ballots, 3, "0" * 64)
    assert set(counted["elected"]) == {"ana", "ben", "cal"}
    assert s.state.params.stv_method == "scottish-stv"


@pytest.mark.parametrize(
    ("choices", "code_text"),
    [
        ((), "Rank at least one"),
        (("ana", "ana"), "only once"),
        (("ana", "zed"), "Not a candidate"),
    ],
)
def test_a_bad_ranking_is_refused_and_changes_nothing(
    choices: tuple[str, ...], code_text: str
) -> None:
    s = council()
    s.do(c.CallElection("ana", "C2", "delegate"))
    s.do(c.Nominate("ana", "E1", "ana"))
    s.do(c.Nominate("ben", "E1", "ben"))
    s.tick(hours=1)
    before = digest_bytes(s.state)
    with pytest.raises(DomainError) as refused:
        decide(s.state, c.CastBallot("cal", "E1", choices), s.now)
    assert refused.value.code == "invalid_ballot" and code_text in refused.value.message
    assert digest_bytes(s.state) == before


def test_the_stv_method_is_a_parameter_with_a_closed_list() -> None:
    s = Scene()
    with pytest.raises(DomainError) as refused:
        s.do(c.FoundFederation("max", "Fed", "Congress", {"stv_method": "borda"}))
    assert refused.value.code == "invalid_parameter"
    for event in decide(
        s.state, c.FoundFederation("max", "Fed", "C", {"stv_method": "meek-stv"}), s.now
    ):
        apply(s.state, event)
    assert s.state.params.stv_method == "meek-stv"
