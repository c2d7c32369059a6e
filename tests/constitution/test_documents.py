"""Documents reach every voter of their body at filing; executive acts need a granted power."""

from __future__ import annotations

from smolny.constitution import commands as c
from smolny.constitution import replay

from .scene import Scene, federation, with_chair


def test_a_document_to_the_district_reaches_every_delegate_when_it_is_filed() -> None:
    """No officer can hold it back: folding the filing event itself delivers it."""
    s = federation()
    events = s.do(c.FileDocument("vera", "C2", "Letter to the district", "Read this aloud."))
    assert s.types(events) == ["document_filed"]
    data = events[0].data
    assert (data["id"], data["body"], data["title"]) == ("D1", "C2", "Letter to the district")
    document = s.state.documents["D1"]
    assert document.author == "vera" and document.recipients == ["ivan", "karl", "olga", "rosa"]
    assert replay(s.log).documents["D1"].recipients == document.recipients


def test_a_document_to_the_dockers_reaches_all_six_dockers() -> None:
    s = federation()
    s.do(c.FileDocument("karl", "C3", "Minutes", "We met."))
    assert s.state.documents["D1"].recipients == sorted(
        ["rosa", "karl", "clara", "leo", "nadia", "vera"]
    )


def test_the_recipients_are_fixed_at_filing() -> None:
    s = federation()
    s.do(c.FileDocument("karl", "C3", "Minutes", "We met."))
    s.do(c.Join("boris", "Boris", "C3"))
    s.do(c.Leave("vera"))
    assert "vera" in s.state.documents["D1"].recipients
    assert "boris" not in s.state.documents["D1"].recipients


def test_a_document_to_the_congress_from_a_docker_is_delivered_even_to_an_empty_hall() -> None:
    s = federation()
    s.do(c.FileDocument("leo", "C1", "To the congress", "A last letter."))
    assert s.state.documents["D1"].recipients == []


def test_a_docker_cannot_address_a_document_to_the_teachers() -> None:
    s = federation()
    error = s.refused(c.FileDocument("karl", "C4", "To the teachers", "Hello."), "not_addressable")
    assert "Teachers" in error.message


def test_a_stranger_cannot_file_a_document() -> None:
    s = federation()
    s.refused(c.FileDocument("boris", "C3", "Hello", "Let me in."), "not_a_member")


def test_a_document_needs_a_text() -> None:
    s = federation()
    s.refused(c.FileDocument("karl", "C3", "Empty", ""), "missing_text")


def _chair_with_power(s: Scene, power: str = "issue_statement") -> str:
    with_chair(s, "C3", "karl")
    s.pass_motion("C3", {"kind": "grant_power", "office": "chair", "power": power})
    return power


def test_the_chair_can_act_within_a_power_the_council_granted() -> None:
    s = federation()
    _chair_with_power(s)
    assert s.state.councils["C3"].powers == {"chair": ["issue_statement"]}
    events = s.do(c.PerformAct("karl", "C3", "chair", "issue_statement", "Strike", "We strike."))
    assert s.types(events) == ["act_performed"]
    assert events[0].data == {
        "id": "A1",
        "council": "C3",
        "office": "chair",
        "power": "issue_statement",
        "title": "Strike",
        "text": "We strike.",
    }
    act = s.state.acts["A1"]
    assert (act.actor, act.reversed_by) == ("karl", None)


def test_the_chair_cannot_act_without_a_granted_power() -> None:
    s = federation()
    with_chair(s, "C3", "karl")
    error = s.refused(
        c.PerformAct("karl", "C3", "chair", "issue_statement", "Strike", "We strike."), "no_power"
    )
    assert "grant" in error.message


def test_the_chair_cannot_use_a_power_granted_to_another_power() -> None:
    s = federation()
    _chair_with_power(s, "convene")
    s.refused(c.PerformAct("karl", "C3", "chair", "issue_statement", "S", "S."), "no_power")


def test_a_docker_who_is_not_the_chair_cannot_act_as_chair() -> None:
    s = federation()
    _chair_with_power(s)
    s.refused(c.PerformAct("clara", "C3", "chair", "issue_statement", "S", "S."), "not_officer")


def test_the_dockers_chair_cannot_act_for_the_teachers() -> None:
    s = federation()
    _chair_with_power(s)
    s.refused(c.PerformAct("karl", "C4", "chair", "issue_statement", "S", "S."), "not_officer")


def test_a_revoked_power_can_no_longer_be_used() -> None:
    s = federation()
    _chair_with_power(s)
    events = s.pass_motion(
        "C3", {"kind": "revoke_power", "office": "chair", "power": "issue_statement"}
    )
    assert s.types(events) == ["motion_decided", "power_revoked"]
    s.refused(c.PerformAct("karl", "C3", "chair", "issue_statement", "S", "S."), "no_power")


def test_the_council_can_reverse_an_executive_act_by_motion() -> None:
    s = federation()
    _chair_with_power(s)
    s.do(c.PerformAct("karl", "C3", "chair", "issue_statement", "Strike", "We strike."))
    events = s.pass_motion("C3", {"kind": "reverse_act", "act": "A1"})
    assert s.types(events) == ["motion_decided", "act_reversed"]
    assert events[1].data == {"act": "A1", "motion": s.latest("MO")}
    assert s.state.acts["A1"].reversed_by == s.latest("MO")
    s.refused(
        c.FileMotion("leo", "C3", "Again", "Again.", {"kind": "reverse_act", "act": "A1"}),
        "already_reversed",
    )


def test_only_the_council_whose_officer_acted_can_reverse_the_act() -> None:
    s = federation()
    _chair_with_power(s)
    s.do(c.PerformAct("karl", "C3", "chair", "issue_statement", "Strike", "We strike."))
    effect = {"kind": "reverse_act", "act": "A1"}
    s.refused(c.FileMotion("olga", "C4", "Undo", "Undo.", effect), "invalid_effect")


def test_a_chair_who_loses_the_office_loses_the_power_with_it() -> None:
    s = federation()
    _chair_with_power(s)
    s.do(c.Resign("karl", s.mandate_of("karl", "office")))
    s.refused(c.PerformAct("karl", "C3", "chair", "issue_statement", "S", "S."), "not_officer")
