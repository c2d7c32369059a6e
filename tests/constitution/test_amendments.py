"""Constitutional amendments: only the congress, only by two thirds of the votes cast."""

from __future__ import annotations

from smolny.constitution import Event
from smolny.constitution import commands as c

from .scene import Scene, federation

CONGRESS = ["rosa", "karl", "clara", "ivan", "olga", "pavel"]


def congress() -> Scene:
    """One delegate per two members: three seats each for the Dockers and the Teachers, six for
    the district in the congress, all six filled."""
    s = federation(members_per_delegate=2)
    s.elect("C3", "delegate", ["clara"])
    s.elect("C4", "delegate", ["pavel"])
    s.elect("C2", "delegate", CONGRESS)
    assert s.state.voters("C1") == sorted(CONGRESS)
    return s


def test_the_congress_amends_the_parameters_by_two_thirds() -> None:
    s = congress()
    events = s.pass_motion(
        "C1",
        {"kind": "amend_params", "changes": {"recall_share": "1/4", "term_days": 60}},
        yes=["rosa", "karl", "clara", "ivan"],
        no=["olga", "pavel"],
    )
    assert s.types(events) == ["motion_decided", "params_amended"]
    decided = events[0].data
    assert (decided["yes"], decided["no"], decided["majority"]) == (4, 2, "two_thirds")
    assert events[1].data == {
        "motion": s.latest("MO"),
        "changes": {"recall_share": "1/4", "term_days": 60},
    }
    assert s.state.params.recall_share == "1/4"
    assert s.state.params.term_days == 60
    assert [a["changes"] for a in s.state.amendments] == [{"recall_share": "1/4", "term_days": 60}]


def test_a_simple_majority_does_not_amend_the_parameters() -> None:
    s = congress()
    events = s.pass_motion(
        "C1",
        {"kind": "amend_params", "changes": {"recall_share": "1/2"}},
        yes=["rosa", "karl", "clara"],
        no=["olga", "pavel"],
    )
    assert s.types(events) == ["motion_decided"]
    assert events[0].data["carried"] is False  # 3 to 2 is a majority, not two thirds
    assert s.state.params.recall_share == "1/3"
    assert s.state.amendments == []


def test_the_new_parameters_govern_the_next_decision() -> None:
    """After raising the recall share to one half, one third of the Dockers no longer opens a
    recall ballot."""
    s = congress()
    s.pass_motion("C1", {"kind": "amend_params", "changes": {"recall_share": "1/2"}})
    s.do(c.OpenRecall("leo", s.mandate_of("rosa"), "Absent."))
    events = s.do(c.SignRecall("nadia", s.latest("R")))
    assert s.types(events) == ["recall_signed"]
    events = s.do(c.SignRecall("vera", s.latest("R")))
    assert s.types(events) == ["recall_signed", "recall_ballot_opened"]


def test_the_district_cannot_amend_the_federations_parameters() -> None:
    s = federation()
    effect = {"kind": "amend_params", "changes": {"recall_share": "1/2"}}
    error = s.refused(c.FileMotion("rosa", "C2", "Raise", "Raise it.", effect), "congress_only")
    assert "congress" in error.message


def test_the_dockers_cannot_amend_the_federations_parameters() -> None:
    s = federation()
    effect = {"kind": "amend_params", "changes": {"rotation_limit": 9}}
    s.refused(c.FileMotion("karl", "C3", "Forever", "Keep rosa.", effect), "congress_only")


def test_an_amendment_must_leave_valid_parameters() -> None:
    s = congress()
    for changes in ({"rotation_limit": 0}, {"recall_share": "2"}, {"seat_rule": "lottery"}, {}):
        effect = {"kind": "amend_params", "changes": changes}
        s.refused(
            c.FileMotion("rosa", "C1", "Bad", "Bad.", effect),
            "invalid_effect" if not changes else "invalid_parameter",
        )


def test_an_amendment_cannot_put_a_float_in_the_record() -> None:
    """Canonical events carry no floats; a float in an amendment must be refused when the
    motion is filed, not discovered when the record tries to encode it."""
    s = congress()
    effect = {"kind": "amend_params", "changes": {"members_per_delegate": 2.5}}
    s.refused(c.FileMotion("rosa", "C1", "Half", "Half.", effect), "invalid_parameter")


def test_an_amendment_is_recorded_in_canonical_form() -> None:
    s = congress()
    effect = {"kind": "amend_params", "changes": {"members_per_delegate": "4"}}
    events = s.do(c.FileMotion("rosa", "C1", "Four", "Four.", effect))
    assert events[0].data["effect"] == {
        "kind": "amend_params",
        "changes": {"members_per_delegate": 4},
    }
    assert Event.decode(events[0].encode()) == events[0]
