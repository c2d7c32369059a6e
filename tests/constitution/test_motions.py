"""Motions: filed by any voter, put on the agenda by co-sponsors alone, decided by roll call."""

from __future__ import annotations

from smolny.constitution import commands as c

from .scene import Scene, federation


def _motion(s: Scene, mover: str = "karl", council: str = "C3") -> str:
    s.do(c.FileMotion(mover, council, "Safety first", "No unloading in storms."))
    return s.latest("MO")


def _on_agenda(s: Scene) -> str:
    motion = _motion(s)
    s.do(c.CoSponsor("clara", motion))
    s.tick(hours=1)
    return motion


def test_karl_can_file_a_motion_to_the_dockers() -> None:
    s = federation()
    events = s.do(c.FileMotion("karl", "C3", "Safety first", "No unloading in storms."))
    assert s.types(events) == ["motion_filed"]
    assert events[0].data == {
        "id": "MO1",
        "council": "C3",
        "title": "Safety first",
        "text": "No unloading in storms.",
        "effect": None,
        "ballot_mode": "open",
    }
    motion = s.state.motions["MO1"]
    assert (motion.status, motion.sponsors, motion.filed_by) == ("filed", ["karl"], "karl")


def test_a_teacher_cannot_file_a_motion_to_the_dockers() -> None:
    s = federation()
    s.refused(c.FileMotion("olga", "C3", "Safety first", "From outside."), "not_a_voter")


def test_a_motion_needs_a_title_and_a_text() -> None:
    s = federation()
    s.refused(c.FileMotion("karl", "C3", "", "Text."), "missing_text")
    s.refused(c.FileMotion("karl", "C3", "Title", " "), "missing_text")


def test_a_motion_cannot_ask_for_a_ballot_mode_that_does_not_exist() -> None:
    s = federation()
    s.refused(
        c.FileMotion("karl", "C3", "T", "Text.", None, "telepathy"), "ballot_mode_unavailable"
    )


def test_a_motion_cannot_carry_an_unknown_effect() -> None:
    s = federation()
    s.refused(c.FileMotion("karl", "C3", "T", "Text.", {"kind": "abolish_state"}), "unknown_effect")


def test_clara_can_cosponsor_and_the_motion_reaches_the_agenda_by_itself() -> None:
    """No officer schedules a motion: the co-sponsors' signatures alone put it on the agenda."""
    s = federation()
    motion = _motion(s)
    events = s.do(c.CoSponsor("clara", motion))
    assert s.types(events) == ["motion_cosponsored", "motion_on_agenda"]
    assert events[1].data["sponsors"] == 2 and events[1].data["needed"] == 2
    assert {e.actor for e in s.log if e.data.get("motion") == motion} == {"clara"}
    assert s.state.motions[motion].status == "agenda"


def test_a_teacher_cannot_cosponsor_the_dockers_motion() -> None:
    s = federation()
    motion = _motion(s)
    s.refused(c.CoSponsor("olga", motion), "not_a_voter")


def test_the_mover_cannot_cosponsor_her_own_motion() -> None:
    s = federation()
    motion = _motion(s)
    s.refused(c.CoSponsor("karl", motion), "already_sponsor")


def test_a_motion_on_the_agenda_seeks_no_more_sponsors() -> None:
    s = federation()
    motion = _on_agenda(s)
    s.refused(c.CoSponsor("leo", motion), "not_seeking_sponsors")


def test_the_mover_can_withdraw_a_motion_before_it_reaches_the_agenda() -> None:
    s = federation()
    motion = _motion(s)
    events = s.do(c.WithdrawMotion("karl", motion))
    assert s.types(events) == ["motion_withdrawn"]
    assert s.state.motions[motion].status == "withdrawn"


def test_clara_cannot_withdraw_karls_motion() -> None:
    s = federation()
    motion = _motion(s)
    s.refused(c.WithdrawMotion("clara", motion), "not_mover")


def test_a_motion_on_the_agenda_belongs_to_the_council_and_cannot_be_withdrawn() -> None:
    s = federation()
    motion = _on_agenda(s)
    s.refused(c.WithdrawMotion("karl", motion), "on_agenda")


def test_a_docker_can_vote_on_the_dockers_motion() -> None:
    s = federation()
    motion = _on_agenda(s)
    events = s.do(c.CastVote("vera", motion, "abstain"))
    assert s.types(events) == ["vote_cast"]
    assert s.state.motions[motion].votes == {"vera": "abstain"}


def test_a_teacher_cannot_vote_on_the_dockers_motion() -> None:
    s = federation()
    motion = _on_agenda(s)
    s.refused(c.CastVote("olga", motion, "no"), "not_a_voter")


def test_nobody_can_vote_before_the_notice_period_is_over() -> None:
    s = federation()
    motion = _motion(s)
    s.do(c.CoSponsor("clara", motion))
    s.refused(c.CastVote("vera", motion, "yes"), "vote_not_open")


def test_nobody_can_vote_on_a_motion_still_seeking_sponsors() -> None:
    s = federation()
    motion = _motion(s)
    s.refused(c.CastVote("vera", motion, "yes"), "not_on_agenda")


def test_a_vote_is_yes_no_or_abstain() -> None:
    s = federation()
    motion = _on_agenda(s)
    s.refused(c.CastVote("vera", motion, "perhaps"), "invalid_choice")


def test_a_motion_is_decided_by_roll_call_with_the_roll_in_the_record() -> None:
    s = federation()
    motion = _on_agenda(s)
    roll = {"karl": "yes", "clara": "yes", "leo": "yes", "rosa": "no", "nadia": "abstain"}
    for voter, choice in roll.items():
        s.do(c.CastVote(voter, motion, choice))
    s.tick(hours=2)
    events = s.do(c.CloseVote("vera", motion))
    assert s.types(events) == ["motion_decided"]
    assert events[0].data == {
        "motion": motion,
        "carried": True,
        "yes": 3,
        "no": 1,
        "abstain": 1,
        "electorate": 6,
        "majority": "simple",
    }
    # The roll call is in the record as one entry per vote, and in the state.
    assert s.state.motions[motion].votes == roll
    assert s.state.motions[motion].status == "carried"


def test_a_vote_closes_early_once_every_voter_has_voted() -> None:
    s = federation()
    motion = _on_agenda(s)
    for voter in ("rosa", "karl", "clara", "leo", "nadia"):
        s.do(c.CastVote(voter, motion, "no"))
    s.refused(c.CloseVote("karl", motion), "vote_still_open")
    s.do(c.CastVote("vera", motion, "yes"))
    events = s.do(c.CloseVote("karl", motion))
    assert events[0].data["carried"] is False
    assert s.state.motions[motion].status == "lost"


def test_a_stranger_cannot_close_a_vote() -> None:
    s = federation()
    motion = _on_agenda(s)
    s.tick(hours=3)
    s.refused(c.CloseVote("boris", motion), "not_a_member")


def test_a_decided_motion_cannot_be_decided_again() -> None:
    s = federation()
    s.pass_motion("C3")
    s.refused(c.CloseVote("karl", s.latest("MO")), "motion_decided")


def test_a_member_who_left_no_longer_counts_in_the_roll() -> None:
    s = federation()
    motion = _on_agenda(s)
    s.do(c.CastVote("vera", motion, "yes"))
    s.do(c.CastVote("rosa", motion, "no"))
    s.do(c.Leave("vera"))
    s.tick(hours=2)
    events = s.do(c.CloseVote("karl", motion))
    assert (events[0].data["yes"], events[0].data["no"]) == (0, 1)
    assert events[0].data["carried"] is False


def test_amend_text_changes_a_pending_motion_once_the_amendment_carries() -> None:
    s = federation()
    target = _motion(s)
    events = s.pass_motion(
        "C3", {"kind": "amend_text", "motion": target, "text": "No unloading in gales."}
    )
    assert s.types(events) == ["motion_decided", "motion_amended"]
    assert events[1].data == {
        "motion": target,
        "amendment": s.latest("MO"),
        "text": "No unloading in gales.",
    }
    assert s.state.motions[target].text == "No unloading in gales."
    assert s.state.motions[target].amended_by == [s.latest("MO")]


def test_an_amendment_lapses_if_its_motion_is_decided_first() -> None:
    s = federation()
    target = _motion(s)
    s.do(
        c.FileMotion(
            "leo",
            "C3",
            "Gales",
            "Amend.",
            {"kind": "amend_text", "motion": target, "text": "Gales."},
        )
    )
    amendment = s.latest("MO")
    s.do(c.CoSponsor("clara", target))
    s.do(c.CoSponsor("clara", amendment))
    s.tick(hours=1)
    for voter in ("karl", "clara", "leo", "rosa"):
        s.do(c.CastVote(voter, target, "yes"))
        s.do(c.CastVote(voter, amendment, "yes"))
    s.tick(hours=2)
    s.do(c.CloseVote("karl", target))
    events = s.do(c.CloseVote("karl", amendment))
    assert s.types(events) == ["motion_decided", "effect_lapsed"]
    assert s.state.motions[target].text == "No unloading in storms."
    result = s.state.motions[amendment].result
    assert result is not None and "effect_lapsed" in result


def test_an_amendment_must_name_a_pending_motion_of_the_same_council() -> None:
    s = federation()
    teachers = _motion(s, "olga", "C4")
    effect = {"kind": "amend_text", "motion": teachers, "text": "Ours now."}
    s.refused(c.FileMotion("karl", "C3", "T", "Text.", effect), "invalid_effect")


def test_a_motion_can_create_a_council_below_the_district() -> None:
    s = federation()
    events = s.pass_motion("C2", {"kind": "create_council", "name": "Nurses", "base": True})
    assert s.types(events) == ["motion_decided", "council_created"]
    assert events[1].data == {"id": "C5", "name": "Nurses", "parent": "C2", "base": True}
    assert s.state.councils["C2"].children == ["C3", "C4", "C5"]


def test_a_base_council_cannot_create_a_council_below_itself() -> None:
    s = federation()
    effect = {"kind": "create_council", "name": "Crane Operators"}
    s.refused(c.FileMotion("karl", "C3", "T", "Text.", effect), "parent_is_base")


def test_a_carried_motion_to_create_a_council_whose_name_was_taken_meanwhile_lapses() -> None:
    """GIVEN two motions in the district to create 'Nurses', WHEN both carry, THEN the second
    cannot create a second 'Nurses': its effect lapses, and the motion is still decided (it must
    not stay on the agenda forever because closing its vote is refused)."""
    s = federation()
    effect = {"kind": "create_council", "name": "Nurses", "base": True}
    s.do(c.FileMotion("rosa", "C2", "Nurses", "Found a nurses' council.", effect))
    first = s.latest("MO")
    s.do(c.FileMotion("ivan", "C2", "Nurses too", "Found a nurses' council.", effect))
    second = s.latest("MO")
    s.do(c.CoSponsor("karl", first))
    s.do(c.CoSponsor("karl", second))
    s.tick(hours=1)
    for voter in ("rosa", "karl", "ivan", "olga"):
        s.do(c.CastVote(voter, first, "yes"))
        s.do(c.CastVote(voter, second, "yes"))
    s.do(c.CloseVote("rosa", first))
    events = s.do(c.CloseVote("rosa", second))
    assert s.types(events) == ["motion_decided", "effect_lapsed"], (
        "motions.py _execute: a carried create_council whose name is taken must lapse, "
        "not make the vote impossible to close"
    )
    assert s.state.motions[second].status == "carried"


def test_a_motion_can_reapportion_the_district() -> None:
    s = federation()
    for name in ("boris", "dora", "emil", "fanny"):
        s.do(c.Join(name, name.title(), "C4"))
    events = s.pass_motion("C2", {"kind": "reapportion"})
    assert s.types(events) == ["motion_decided", "seats_apportioned"]
    assert events[1].data["seats"] == {"C3": 2, "C4": 3}
    assert s.state.councils["C4"].seats == 3


def test_a_base_council_has_nothing_to_reapportion() -> None:
    s = federation()
    s.refused(
        c.FileMotion("karl", "C3", "T", "Text.", {"kind": "reapportion"}), "base_has_no_children"
    )


def test_a_lost_motion_has_no_effect() -> None:
    s = federation()
    events = s.pass_motion(
        "C3",
        {"kind": "grant_power", "office": "chair", "power": "issue_statement"},
        yes=["karl", "clara"],
        no=["rosa", "leo", "nadia"],
    )
    assert s.types(events) == ["motion_decided"]
    assert events[0].data["carried"] is False
    assert s.state.councils["C3"].powers == {}


def test_a_motion_cannot_create_a_council_whose_name_is_taken() -> None:
    s = federation()
    effect = {"kind": "create_council", "name": "dockers"}
    s.refused(c.FileMotion("rosa", "C2", "T", "Text.", effect), "name_taken")
