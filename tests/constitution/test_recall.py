"""Recall: the constituency can end any mandate at any time (DESIGN, first row).

In the scene the Dockers are six (rosa, karl, clara, leo, nadia, vera); a third of them (two)
opens the ballot; a majority (four) ends the mandate at once.
"""

from __future__ import annotations

from smolny.constitution import commands as c

from .scene import Scene, federation


def _petition(s: Scene, *signers: str) -> str:
    s.do(c.OpenRecall("karl", "M1", "She voted against the mandate the Dockers gave her."))
    recall = s.latest("R")
    for signer in signers:
        s.do(c.SignRecall(signer, recall))
    return recall


def test_karl_can_open_a_recall_of_rosa() -> None:
    s = federation()
    events = s.do(c.OpenRecall("karl", "M1", "She voted against our mandate."))
    assert s.types(events) == ["recall_opened"]
    assert events[0].data == {
        "id": "R1",
        "mandate": "M1",
        "grounds": "She voted against our mandate.",
    }
    recall = s.state.recalls["R1"]
    assert (recall.status, recall.signatures, recall.opened_by) == ("petition", ["karl"], "karl")


def test_a_teacher_cannot_open_a_recall_of_the_dockers_delegate() -> None:
    s = federation()
    error = s.refused(c.OpenRecall("olga", "M1", "I dislike her."), "not_a_voter")
    assert "Dockers" in error.message


def test_a_recall_needs_grounds() -> None:
    s = federation()
    s.refused(c.OpenRecall("karl", "M1", "   "), "missing_text")


def test_a_second_recall_of_the_same_mandate_cannot_be_opened() -> None:
    s = federation()
    _petition(s)
    error = s.refused(c.OpenRecall("clara", "M1", "Again."), "recall_open")
    holder = s.state.members[s.state.mandates["M1"].holder].name
    assert error.message == (
        f"A recall of {holder} from this mandate is already open: sign its petition instead "
        "(it is listed under Recalls on the page of Dockers)."
    )


def test_clara_can_sign_and_a_third_of_the_dockers_opens_the_ballot() -> None:
    s = federation()
    recall = _petition(s)
    events = s.do(c.SignRecall("clara", recall))
    assert s.types(events) == ["recall_signed", "recall_ballot_opened"]
    assert events[1].data["signatures"] == 2 and events[1].data["needed"] == 2
    assert s.state.recalls[recall].status == "ballot"
    assert s.state.mandates["M1"].active  # a ballot, not yet a decision


def test_a_teacher_cannot_sign_the_dockers_recall() -> None:
    s = federation()
    recall = _petition(s)
    s.refused(c.SignRecall("olga", recall), "not_a_voter")


def test_nobody_can_sign_a_recall_twice() -> None:
    s = federation()
    recall = _petition(s)
    s.refused(c.SignRecall("karl", recall), "already_signed")


def test_a_majority_of_signatures_ends_the_mandate_at_once() -> None:
    s = federation()
    recall = _petition(s, "clara", "leo")
    events = s.do(c.SignRecall("nadia", recall))
    assert s.types(events) == [
        "recall_signed",
        "recall_carried",
        "mandate_ended",
        "election_called",
    ]
    assert events[1].data == {
        "recall": recall,
        "how": "signatures",
        "yes": 4,
        "no": 0,
        "constituency": 6,
    }
    assert events[2].data == {"mandate": "M1", "reason": "recalled"}
    assert events[3].data["by_election"] is True
    assert s.state.recalls[recall].status == "carried"
    assert s.state.mandates["M1"].end_reason == "recalled"


def test_the_full_recall_flow_seats_a_new_delegate() -> None:
    """Petition, threshold, ballot, carried at once by a majority of the whole constituency,
    the mandate ends, a by-election is called, and a new delegate takes the seat."""
    s = federation()
    recall = _petition(s, "clara")
    assert s.state.recalls[recall].status == "ballot"
    s.tick(hours=0.5)
    for voter in ("karl", "clara", "leo"):
        events = s.do(c.VoteRecall(voter, recall, "yes"))
        assert s.types(events) == ["recall_voted"]
    s.do(c.VoteRecall("rosa", recall, "no"))
    events = s.do(c.VoteRecall("nadia", recall, "yes"))  # 4 of 6: carried without waiting
    assert s.types(events) == ["recall_voted", "recall_carried", "mandate_ended", "election_called"]
    assert events[1].data == {
        "recall": recall,
        "how": "ballot",
        "yes": 4,
        "no": 1,
        "constituency": 6,
    }
    assert s.state.voters("C2") == ["ivan", "karl", "olga"]
    by_election = events[3].data["id"]
    events = s.run_election(by_election, ["vera"])
    assert s.types(events) == ["election_closed", "mandate_started"]
    assert events[1].data["holder"] == "vera"
    assert events[1].data["constituency"] == "C3" and events[1].data["body"] == "C2"
    assert s.state.voters("C2") == ["ivan", "karl", "olga", "vera"]


def test_a_docker_can_vote_in_the_recall_ballot() -> None:
    s = federation()
    recall = _petition(s, "clara")
    events = s.do(c.VoteRecall("vera", recall, "no"))
    assert s.types(events) == ["recall_voted"]
    assert s.state.recalls[recall].votes == {"vera": "no"}


def test_a_teacher_cannot_vote_in_the_dockers_recall() -> None:
    s = federation()
    recall = _petition(s, "clara")
    s.refused(c.VoteRecall("olga", recall, "yes"), "not_a_voter")


def test_nobody_can_vote_before_the_petition_reaches_its_threshold() -> None:
    s = federation()
    recall = _petition(s)
    error = s.refused(c.VoteRecall("clara", recall, "yes"), "ballot_not_open")
    assert "signs" in error.message


def test_a_recall_vote_is_yes_or_no() -> None:
    s = federation()
    recall = _petition(s, "clara")
    s.refused(c.VoteRecall("clara", recall, "maybe"), "invalid_choice")


def test_a_recall_ballot_that_fails_keeps_the_delegate() -> None:
    s = federation()
    recall = _petition(s, "clara")
    for voter, choice in [("karl", "yes"), ("clara", "yes"), ("rosa", "no"), ("vera", "no")]:
        s.do(c.VoteRecall(voter, recall, choice))
    s.do(c.VoteRecall("nadia", recall, "no"))
    s.tick(hours=2)
    s.refused(c.VoteRecall("leo", recall, "yes"), "ballot_closed")
    events = s.do(c.CloseRecall("olga", recall))
    assert s.types(events) == ["recall_failed"]
    assert events[0].data == {"recall": recall, "yes": 2, "no": 3, "constituency": 6}
    assert s.state.recalls[recall].status == "failed"
    assert s.state.mandates["M1"].active
    s.refused(c.SignRecall("leo", recall), "recall_decided")


def test_a_recall_ballot_carries_at_its_close_on_a_majority_of_the_votes_cast() -> None:
    s = federation()
    recall = _petition(s, "clara")
    s.do(c.VoteRecall("karl", recall, "yes"))
    s.do(c.VoteRecall("clara", recall, "yes"))
    s.do(c.VoteRecall("rosa", recall, "no"))
    s.tick(hours=2)
    events = s.do(c.CloseRecall("leo", recall))
    assert s.types(events) == ["recall_carried", "mandate_ended", "election_called"]
    assert events[0].data["how"] == "ballot"


def test_a_recall_ballot_cannot_be_closed_while_it_is_open() -> None:
    s = federation()
    recall = _petition(s, "clara")
    error = s.refused(c.CloseRecall("leo", recall), "ballot_still_open")
    assert "whole constituency" in error.message


def test_a_stranger_cannot_close_a_recall_ballot() -> None:
    s = federation()
    recall = _petition(s, "clara")
    s.tick(hours=3)
    s.refused(c.CloseRecall("boris", recall), "not_a_member")


def test_a_petition_cannot_be_closed_as_if_it_were_a_ballot() -> None:
    s = federation()
    recall = _petition(s)
    s.refused(c.CloseRecall("leo", recall), "ballot_not_open")


def test_a_resignation_makes_a_recall_moot() -> None:
    s = federation()
    recall = _petition(s)
    events = s.do(c.Resign("rosa", "M1"))
    assert s.types(events) == ["mandate_ended", "recall_moot", "election_called"]
    assert events[1].data == {"recall": recall, "reason": "resigned"}
    assert s.state.recalls[recall].status == "moot"
    s.refused(c.SignRecall("clara", recall), "recall_decided")


def test_a_recall_of_an_ended_mandate_cannot_be_opened() -> None:
    s = federation()
    s.do(c.Resign("rosa", "M1"))
    s.refused(c.OpenRecall("karl", "M1", "Too late."), "mandate_ended")


def test_no_term_protects_a_delegate_from_recall_even_on_her_first_day() -> None:
    s = federation()
    s.do(c.Resign("karl", "M2"))
    s.run_election(s.latest("E"), ["leo"])
    mandate = s.mandate_of("leo")
    s.do(c.OpenRecall("vera", mandate, "Elected by mistake."))
    for signer in ("clara", "nadia", "karl"):
        s.do(c.SignRecall(signer, s.latest("R")))
    assert not s.state.mandates[mandate].active
    assert s.state.mandates[mandate].end_reason == "recalled"


def test_the_district_can_recall_its_congress_delegate() -> None:
    """A mandate's constituency is the council that elected it: the district's delegates,
    not the Dockers, recall rosa from the congress."""
    s = federation()
    s.elect("C2", "delegate", ["rosa", "ivan"])
    congress_seat = next(m.id for m in s.state.active_mandates(holder="rosa") if m.body == "C1")
    s.refused(c.OpenRecall("clara", congress_seat, "From the Dockers."), "not_a_voter")
    s.do(c.OpenRecall("olga", congress_seat, "From the district."))
    s.do(c.SignRecall("karl", s.latest("R")))
    events = s.do(c.SignRecall("ivan", s.latest("R")))
    assert "recall_carried" in s.types(events)
    assert not s.state.mandates[congress_seat].active
    assert s.state.mandates["M1"].active  # her Dockers seat in the district stands


def test_a_delegate_leaving_makes_the_recall_of_her_moot() -> None:
    s = federation()
    recall = _petition(s, "clara")
    events = s.do(c.Leave("rosa"))
    assert s.types(events) == ["mandate_ended", "recall_moot", "election_called", "member_left"]
    assert events[1].data == {"recall": recall, "reason": "left"}
    s.refused(c.VoteRecall("clara", recall, "yes"), "recall_decided")


def test_signatures_of_members_who_left_no_longer_count() -> None:
    """The constituency is counted as it is now: karl and clara signed, then clara left; two
    more signatures make three of five, a majority, and only then the mandate ends."""
    s = federation()
    recall = _petition(s, "clara")
    s.do(c.Leave("clara"))
    events = s.do(c.SignRecall("leo", recall))
    assert s.types(events) == ["recall_signed"]  # karl and leo: two of five
    events = s.do(c.SignRecall("nadia", recall))
    assert "recall_carried" in s.types(events)
    carried = next(e for e in events if e.type == "recall_carried")
    assert (carried.data["yes"], carried.data["constituency"]) == (3, 5)


def test_rosa_may_sign_the_petition_to_recall_herself_and_it_counts() -> None:
    """DESIGN: the constituency recalls, and rosa is one of the Dockers who elected her.  Her
    signature on her own recall is public and can only bring her recall nearer, which is no
    more than she can do at once by resigning; so the rules let her sign (and vote, as in the
    full flow above).  The home page lists it apart from the petitions she might sign."""
    s = federation()
    recall = _petition(s)
    events = s.do(c.SignRecall("rosa", recall))
    assert s.types(events) == ["recall_signed", "recall_ballot_opened"]
    assert events[1].data["signatures"] == 2
    error = s.refused(c.SignRecall("rosa", recall), "already_signed")
    assert "already signed" in error.message
