"""The founding assembly: the founder lays out the tree, then becomes a member like any other."""

from __future__ import annotations

from smolny.constitution import commands as c
from smolny.constitution.params import Params

from .scene import PARAMS, Scene, federation, founding


def test_max_can_found_the_federation_and_its_congress() -> None:
    s = Scene()
    events = s.do(c.FoundFederation("max", "Harbour Federation", "Congress", PARAMS))
    assert s.types(events) == ["federation_founded", "council_created"]
    assert events[0].data["founder"] == "max"
    assert events[1].data == {"id": "C1", "name": "Congress", "parent": None, "base": False}
    assert s.state.founder == "max" and s.state.founding
    assert s.state.root == "C1"
    assert s.state.params == Params.from_dict(PARAMS)


def test_nobody_can_found_the_federation_twice() -> None:
    s = founding()
    s.refused(c.FoundFederation("karl", "Another Federation"), "already_founded")


def test_a_federation_cannot_be_founded_with_unknown_parameters() -> None:
    s = Scene()
    s.refused(c.FoundFederation("max", "Harbour", params={"seat_ration": 3}), "invalid_parameter")


def test_a_federation_cannot_be_founded_with_a_share_above_one() -> None:
    s = Scene()
    s.refused(
        c.FoundFederation("max", "Harbour", params={"recall_share": "3/2"}), "invalid_parameter"
    )


def test_nothing_can_happen_before_the_founding() -> None:
    s = Scene()
    s.refused(c.Join("karl", "Karl", "C1"), "not_founded")


def test_the_founder_can_create_councils_during_the_founding() -> None:
    s = founding()
    events = s.do(c.CreateCouncil("max", "C1", "Harbour District", False))
    assert s.types(events) == ["council_created"]
    assert events[0].data == {"id": "C2", "name": "Harbour District", "parent": "C1", "base": False}
    assert s.state.councils["C1"].children == ["C2"]
    s.do(c.CreateCouncil("max", "C2", "Dockers", True))
    assert s.state.councils["C3"].base and s.state.councils["C3"].parent == "C2"


def test_karl_cannot_create_a_council_during_the_founding() -> None:
    s = founding()
    error = s.refused(c.CreateCouncil("karl", "C1", "Karl's Council", True), "not_founder")
    assert "founder" in error.message


def test_a_council_cannot_be_created_under_a_base_council() -> None:
    s = founding()
    s.do(c.CreateCouncil("max", "C1", "Dockers", True))
    s.refused(c.CreateCouncil("max", "C2", "Crane Operators", True), "parent_is_base")


def test_two_councils_cannot_share_a_name() -> None:
    s = founding()
    s.do(c.CreateCouncil("max", "C1", "Dockers", True))
    s.refused(c.CreateCouncil("max", "C1", "dockers", True), "name_taken")


def test_the_founder_can_close_the_founding() -> None:
    s = founding()
    events = s.do(c.CloseFounding("max"))
    assert s.types(events) == ["founding_closed"]
    assert not s.state.founding


def test_karl_cannot_close_the_founding() -> None:
    s = founding()
    s.refused(c.CloseFounding("karl"), "not_founder")


def test_the_founder_loses_every_founding_power_once_the_founding_is_closed() -> None:
    s = federation()
    s.refused(c.CreateCouncil("max", "C2", "Nurses", True), "founding_closed")
    s.refused(c.CloseFounding("max"), "founding_closed")
    error = s.refused(c.Reapportion("max", "C2"), "no_power")
    assert "motion" in error.message


def test_the_founder_keeps_only_a_members_rights_after_the_founding() -> None:
    s = federation()
    # max is a teacher: he files motions to the Teachers, like any teacher ...
    events = s.do(c.FileMotion("max", "C4", "Longer breaks", "Twenty minutes, not ten."))
    assert s.types(events) == ["motion_filed"]
    # ... but cannot act in the Dockers, nor in the district where he holds no seat.
    s.refused(c.FileMotion("max", "C3", "Dockers' motion", "From the founder."), "not_a_voter")
    s.refused(c.FileMotion("max", "C2", "District motion", "From the founder."), "not_a_voter")
    s.refused(c.CallElection("max", "C2", "office", "chair"), "not_a_voter")


def test_the_founder_can_reapportion_during_the_founding() -> None:
    s = founding()
    s.do(c.CreateCouncil("max", "C1", "Dockers", True))
    for name in ("rosa", "karl", "clara", "leo"):
        s.do(c.Join(name, name.title(), "C2"))
    events = s.do(c.Reapportion("max", "C1"))
    assert s.types(events) == ["seats_apportioned"]
    assert events[0].data == {
        "council": "C1",
        "rule": "per_members",
        "members": {"C2": 4},
        "seats": {"C2": 2},
    }
    assert s.state.councils["C2"].seats == 2


def test_karl_cannot_reapportion_during_the_founding() -> None:
    s = founding()
    s.refused(c.Reapportion("karl", "C1"), "no_power")


def test_an_officer_given_the_power_can_reapportion_after_the_founding() -> None:
    """GIVEN the Dockers grew to nine, and the district gave its chair the power to reapportion,
    WHEN the chair reapportions the district, THEN the Dockers get three seats."""
    s = federation()
    for name in ("boris", "dora", "emil"):
        s.do(c.Join(name, name.title(), "C3"))
    s.elect("C2", "office", ["olga"], office="chair")
    s.pass_motion("C2", {"kind": "grant_power", "office": "chair", "power": "reapportion"})
    events = s.do(c.Reapportion("olga", "C2"))
    assert s.types(events) == ["seats_apportioned"]
    assert events[0].data["seats"] == {"C3": 3, "C4": 2}
    assert s.state.councils["C3"].seats == 3


def test_a_chair_without_the_power_cannot_reapportion() -> None:
    s = federation()
    s.elect("C2", "office", ["olga"], office="chair")
    s.refused(c.Reapportion("olga", "C2"), "no_power")
