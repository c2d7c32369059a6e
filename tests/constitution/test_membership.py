"""Joining, transferring and leaving are rights; leaving ends what was held for the council left."""

from __future__ import annotations

from smolny.constitution import commands as c

from .scene import federation, with_chair, with_congress


def test_a_newcomer_can_join_the_dockers() -> None:
    s = federation()
    events = s.do(c.Join("boris", "Boris", "C3"))
    assert s.types(events) == ["member_joined"]
    assert events[0].data == {"member": "boris", "name": "Boris", "council": "C3"}
    assert "boris" in s.state.councils["C3"].members
    assert s.state.members["boris"].active
    assert s.state.is_voter("C3", "boris")


def test_rosa_cannot_join_a_second_council() -> None:
    s = federation()
    error = s.refused(c.Join("rosa", "Rosa", "C4"), "already_member")
    assert "transfer" in error.message


def test_nobody_can_join_the_district_which_holds_delegates_not_members() -> None:
    s = federation()
    s.refused(c.Join("boris", "Boris", "C2"), "not_base_council")


def test_nobody_can_join_a_council_that_does_not_exist() -> None:
    s = federation()
    s.refused(c.Join("boris", "Boris", "C99"), "no_such_council")


def test_a_member_id_must_be_plain() -> None:
    s = federation()
    s.refused(c.Join("bo ris!", "Boris", "C3"), "invalid_member_id")
    # Ids the record gives others as actors (a tendency, a council, the server) are not hers.
    for taken in ("T1", "C3", "MO12", "server"):
        s.refused(c.Join(taken, "Tess", "C3"), "reserved_member_id")
    s.do(c.Join("t1", "Tess", "C3"))


def test_a_member_who_left_can_join_again() -> None:
    s = federation()
    s.do(c.Leave("vera"))
    events = s.do(c.Join("vera", "Vera", "C4"))
    assert s.types(events) == ["member_joined"]
    assert s.state.members["vera"].council == "C4"
    assert [what for what, _, _ in s.state.members["vera"].history] == ["joined", "left", "joined"]


def test_clara_can_transfer_to_the_teachers() -> None:
    s = federation()
    events = s.do(c.Transfer("clara", "C4"))
    assert s.types(events) == ["member_transferred"]
    assert events[0].data == {"member": "clara", "source": "C3", "council": "C4"}
    assert "clara" not in s.state.councils["C3"].members
    assert "clara" in s.state.councils["C4"].members


def test_a_non_member_cannot_transfer() -> None:
    s = federation()
    s.refused(c.Transfer("boris", "C4"), "not_a_member")


def test_clara_cannot_transfer_to_her_own_council() -> None:
    s = federation()
    s.refused(c.Transfer("clara", "C3"), "same_council")


def test_clara_cannot_transfer_to_the_district() -> None:
    s = federation()
    s.refused(c.Transfer("clara", "C2"), "not_base_council")


def test_vera_can_leave() -> None:
    s = federation()
    events = s.do(c.Leave("vera"))
    assert s.types(events) == ["member_left"]
    assert not s.state.members["vera"].active
    assert "vera" not in s.state.councils["C3"].members


def test_someone_who_already_left_cannot_leave_again() -> None:
    s = federation()
    s.do(c.Leave("vera"))
    s.refused(c.Leave("vera"), "not_a_member")


def test_a_stranger_cannot_leave() -> None:
    s = federation()
    s.refused(c.Leave("boris"), "not_a_member")


def test_karl_leaving_ends_his_delegate_seat_and_opens_a_by_election() -> None:
    s = federation()
    events = s.do(c.Leave("karl"))
    assert s.types(events) == ["mandate_ended", "election_called", "member_left"]
    assert events[0].data == {"mandate": "M2", "reason": "left"}
    called = events[1].data
    assert (called["council"], called["kind"], called["body"], called["seats"]) == (
        "C3",
        "delegate",
        "C2",
        1,
    )
    assert called["by_election"] is True
    assert s.state.voters("C2") == ["ivan", "olga", "rosa"]


def test_a_transfer_ends_every_mandate_held_for_the_council_left_and_cascades_up_the_tree() -> None:
    """GIVEN rosa sits in the district for the Dockers and in the congress for the district,
    and chairs the Dockers, WHEN she moves to the Teachers, THEN her Dockers seat and chair end,
    she is no longer a voter of the district, so her congress seat ends too, and each seat gets
    a by-election from the constituency that elected it."""
    s = with_congress(federation())
    chair = with_chair(s, "C3", "rosa")
    in_district, in_congress = (
        next(m.id for m in s.state.active_mandates(holder="rosa", body=body))
        for body in ("C2", "C1")
    )
    events = s.do(c.Transfer("rosa", "C4"))
    ended = {e.data["mandate"]: e.data["reason"] for e in events if e.type == "mandate_ended"}
    assert ended == {
        in_district: "transferred",
        chair: "transferred",
        in_congress: "lost_eligibility",
    }
    by_elections = {
        (e.data["council"], e.data["kind"], e.data["office"], e.data["seats"])
        for e in events
        if e.type == "election_called"
    }
    assert by_elections == {
        ("C3", "delegate", None, 1),
        ("C3", "office", "chair", 1),
        ("C2", "delegate", None, 1),
    }
    assert all(e.data["by_election"] for e in events if e.type == "election_called")
    assert events[-1].type == "member_transferred"
    assert s.state.active_mandates(holder="rosa") == []
    assert s.state.voters("C1") == ["ivan"]
    assert s.state.voters("C2") == ["ivan", "karl", "olga"]
    assert s.state.members["rosa"].council == "C4"


def test_a_transfer_keeps_no_mandate_of_the_old_council_but_touches_no_one_else() -> None:
    s = with_congress(federation())
    s.do(c.Transfer("rosa", "C4"))
    for holder in ("karl", "olga", "ivan"):
        assert s.state.active_mandates(holder=holder), holder
    assert [m.body for m in s.state.active_mandates(holder="ivan")] == ["C2", "C1"]


def test_leaving_the_federation_ends_every_mandate_including_the_congress_seat() -> None:
    s = with_congress(federation())
    held = {m.id: "left" for m in s.state.active_mandates(holder="ivan")}
    assert len(held) == 2
    events = s.do(c.Leave("ivan"))
    ended = {e.data["mandate"]: e.data["reason"] for e in events if e.type == "mandate_ended"}
    assert ended == held
    assert {e.data["council"] for e in events if e.type == "election_called"} == {"C4", "C2"}
    assert s.state.voters("C1") == ["rosa"]


def test_a_by_election_after_a_transfer_seats_a_new_delegate() -> None:
    s = federation()
    s.do(c.Transfer("rosa", "C4"))
    by_election = s.latest("E")
    events = s.run_election(by_election, ["clara"])
    assert s.types(events) == ["election_closed", "mandate_started"]
    assert events[1].data["holder"] == "clara"
    assert s.state.voters("C2") == ["clara", "ivan", "karl", "olga"]
    # The by-election winner serves out the term in course of the Dockers' delegation.
    assert s.state.seat_terms["delegate:C3->C2"] == [["E1", "rosa", "karl", "clara"]]


def test_a_district_chair_who_moves_loses_the_chair_with_her_district_seat() -> None:
    s = federation()
    chair = with_chair(s, "C2", "rosa")
    events = s.do(c.Transfer("rosa", "C4"))
    ended = {e.data["mandate"]: e.data["reason"] for e in events if e.type == "mandate_ended"}
    assert ended == {"M1": "transferred", chair: "lost_eligibility"}
    called = {(e.data["council"], e.data["kind"]) for e in events if e.type == "election_called"}
    assert called == {("C3", "delegate"), ("C2", "office")}
