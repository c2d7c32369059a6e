"""Elections of delegates and officers, mandates, terms and the rotation limit."""

from __future__ import annotations

from smolny.constitution import commands as c
from smolny.constitution.elections import callable_seats

from .scene import Scene, federation


def _chair_election(s: Scene, caller: str = "clara") -> str:
    s.do(c.CallElection(caller, "C3", "office", "chair"))
    return s.latest("E")


def test_a_docker_can_call_the_election_of_the_dockers_chair() -> None:
    s = federation()
    events = s.do(c.CallElection("clara", "C3", "office", "chair"))
    assert s.types(events) == ["election_called"]
    data = events[0].data
    assert (data["council"], data["kind"], data["office"], data["body"], data["seats"]) == (
        "C3",
        "office",
        "chair",
        "C3",
        1,
    )
    assert data["method"] == "plurality" and data["by_election"] is False
    election = s.state.elections[data["id"]]
    assert election.open and election.called_by == "clara"


def test_a_teacher_cannot_call_the_dockers_elections() -> None:
    s = federation()
    s.refused(c.CallElection("olga", "C3", "office", "chair"), "not_a_voter")


def test_a_stranger_cannot_call_an_election() -> None:
    s = federation()
    s.refused(c.CallElection("boris", "C3", "office", "chair"), "not_a_member")


def test_nobody_can_call_an_election_for_seats_that_are_held() -> None:
    s = federation()
    error = s.refused(c.CallElection("clara", "C3", "delegate"), "no_vacancy")
    assert "recall" in error.message


def test_nobody_can_call_an_election_for_an_office_that_does_not_exist() -> None:
    s = federation()
    error = s.refused(c.CallElection("clara", "C3", "office", "treasurer"), "unknown_office")
    # The keys a request must send, each with the words members know the office by.
    assert error.message == (
        "'treasurer' is not an office; the offices are chair, secretary, executive "
        "(executive committee), control_commission (control commission)."
    )


def test_a_held_office_is_named_in_words_when_a_second_election_is_refused() -> None:
    s = federation()
    s.do(c.CallElection("clara", "C3", "office", "chair"))
    s.do(c.CallElection("clara", "C3", "office", "executive"))
    chair = s.refused(c.CallElection("leo", "C3", "office", "chair"), "no_vacancy")
    assert chair.message.startswith("The chair of Dockers is held or already up for election.")
    executive = s.refused(c.CallElection("leo", "C3", "office", "executive"), "no_vacancy")
    assert executive.message.startswith(
        "Every seat of the executive committee of Dockers is held or already up for election."
    )


def test_an_office_election_must_name_the_office() -> None:
    s = federation()
    error = s.refused(c.CallElection("clara", "C3", "office", None), "unknown_office")
    assert error.message.startswith("Name the office")


def test_the_congress_sends_no_delegates() -> None:
    s = federation()
    s.elect("C2", "delegate", ["rosa"])
    s.refused(c.CallElection("rosa", "C1", "delegate"), "congress_has_no_delegation")


def test_a_single_seat_cannot_be_counted_by_plurality_for_many_seats() -> None:
    s = federation()
    s.refused(c.CallElection("rosa", "C2", "delegate", method="plurality"), "method_single_seat")


def test_a_docker_can_nominate_another_docker() -> None:
    s = federation()
    election = _chair_election(s)
    events = s.do(c.Nominate("clara", election, "leo"))
    assert s.types(events) == ["candidate_nominated"]
    assert s.state.elections[election].candidates == ["leo"]


def test_a_teacher_cannot_nominate_in_the_dockers_election() -> None:
    s = federation()
    election = _chair_election(s)
    s.refused(c.Nominate("olga", election, "leo"), "not_a_voter")


def test_a_teacher_cannot_stand_in_the_dockers_election() -> None:
    s = federation()
    election = _chair_election(s)
    error = s.refused(c.Nominate("clara", election, "olga"), "candidate_not_eligible")
    assert "its own voters" in error.message


def test_nobody_can_be_nominated_twice() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.refused(c.Nominate("vera", election, "leo"), "already_candidate")


def test_nominations_close_when_voting_opens() -> None:
    s = federation()
    election = _chair_election(s)
    s.tick(hours=1)
    s.refused(c.Nominate("clara", election, "leo"), "nominations_closed")


def test_a_candidate_can_withdraw() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    events = s.do(c.WithdrawCandidacy("leo", election))
    assert s.types(events) == ["candidacy_withdrawn"]
    assert s.state.elections[election].candidates == []


def test_clara_cannot_withdraw_leos_candidacy() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.refused(c.WithdrawCandidacy("clara", election), "not_candidate")


def test_a_docker_can_cast_a_ballot_once_voting_opens() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.tick(hours=1)
    events = s.do(c.CastBallot("vera", election, ("leo",)))
    assert s.types(events) == ["ballot_cast"]
    assert events[0].data == {"election": election, "voter": "vera", "choices": ["leo"]}
    assert s.state.elections[election].ballots == {"vera": ["leo"]}


def test_a_teacher_cannot_vote_in_the_dockers_election() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.tick(hours=1)
    s.refused(c.CastBallot("olga", election, ("leo",)), "not_a_voter")


def test_nobody_can_vote_before_nominations_close() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.refused(c.CastBallot("vera", election, ("leo",)), "voting_not_open")


def test_a_ballot_for_someone_who_is_not_a_candidate_is_refused_when_cast() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.tick(hours=1)
    s.refused(c.CastBallot("vera", election, ("nadia",)), "invalid_ballot")
    s.refused(c.CastBallot("vera", election, ("leo", "leo")), "invalid_ballot")


def test_an_election_can_be_closed_after_voting_closes_and_the_winner_is_seated() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.do(c.Nominate("clara", election, "nadia"))
    s.tick(hours=1)
    for voter, choice in [("vera", "leo"), ("clara", "leo"), ("nadia", "nadia")]:
        s.do(c.CastBallot(voter, election, (choice,)))
    s.tick(hours=2)
    events = s.do(c.CloseElection("olga", election))  # any member may close a finished count
    assert s.types(events) == ["election_closed", "mandate_started"]
    result = events[0].data["result"]
    assert result["tallies"] == {"leo": 2, "nadia": 1}
    assert result["elected"] == ["leo"]
    assert result["contested"] is True
    assert result["ballots_counted"] == 3
    assert s.state.elections[election].ballots == {
        "clara": ["leo"],
        "nadia": ["nadia"],
        "vera": ["leo"],
    }
    started = events[1].data
    assert (started["holder"], started["kind"], started["office"], started["body"]) == (
        "leo",
        "office",
        "chair",
        "C3",
    )
    assert s.state.offices_of("leo", "C3") == ["chair"]
    assert not s.state.elections[election].open


def test_an_election_cannot_be_closed_while_voting_is_open() -> None:
    s = federation()
    election = _chair_election(s)
    s.do(c.Nominate("clara", election, "leo"))
    s.tick(hours=1)
    s.do(c.CastBallot("vera", election, ("leo",)))
    s.refused(c.CloseElection("vera", election), "voting_still_open")


def test_a_stranger_cannot_close_an_election() -> None:
    s = federation()
    election = _chair_election(s)
    s.tick(hours=3)
    s.refused(c.CloseElection("boris", election), "not_a_member")


def test_rosa_can_resign_and_a_by_election_follows() -> None:
    s = federation()
    events = s.do(c.Resign("rosa", "M1"))
    assert s.types(events) == ["mandate_ended", "election_called"]
    assert events[0].data == {"mandate": "M1", "reason": "resigned"}
    assert events[1].data["by_election"] is True and events[1].data["seats"] == 1
    assert not s.state.mandates["M1"].active
    assert s.state.mandates["M1"].end_reason == "resigned"


def test_karl_cannot_resign_rosas_mandate() -> None:
    s = federation()
    s.refused(c.Resign("karl", "M1"), "not_holder")


def test_nobody_can_resign_a_mandate_twice() -> None:
    s = federation()
    s.do(c.Resign("rosa", "M1"))
    s.refused(c.Resign("rosa", "M1"), "mandate_ended")


def test_terms_end_after_term_days_and_a_regular_election_is_called() -> None:
    s = federation()
    s.tick(days=30)
    events = s.do(c.EndTerms("vera", "C3"))
    assert s.types(events) == ["mandate_ended", "mandate_ended", "election_called"]
    assert {e.data["reason"] for e in events[:2]} == {"term"}
    called = events[2].data
    assert (called["seats"], called["by_election"]) == (2, False)
    assert called["method"] == s.state.elections["E1"].method  # the federation's multi-seat count
    assert s.state.voters("C2") == ["ivan", "olga"]


def test_no_one_can_end_terms_before_they_are_over() -> None:
    s = federation()
    s.tick(days=29)
    error = s.refused(c.EndTerms("vera", "C3"), "no_expired_terms")
    assert "Dockers" in error.message


def test_a_stranger_cannot_end_terms() -> None:
    s = federation()
    s.tick(days=31)
    s.refused(c.EndTerms("boris", "C3"), "not_a_member")


def _new_term(s: Scene, winners: list[str]) -> str:
    s.tick(days=30)
    s.do(c.EndTerms("vera", "C3"))
    election = s.latest("E")
    s.run_election(election, winners)
    return election


def test_nobody_can_stand_for_a_third_consecutive_term_but_can_again_after_a_gap() -> None:
    """The rotation limit in the scene is two terms."""
    s = federation()
    _new_term(s, ["rosa", "karl"])  # rosa's second consecutive term
    assert s.state.consecutive_terms("delegate:C3->C2", "rosa") == 2
    s.tick(days=30)
    s.do(c.EndTerms("vera", "C3"))
    third = s.latest("E")
    error = s.refused(c.Nominate("vera", third, "rosa"), "rotation_limit")
    assert "2 consecutive terms" in error.message
    s.refused(c.Nominate("rosa", third, "karl"), "rotation_limit")
    s.run_election(third, ["clara", "leo"])
    assert s.state.consecutive_terms("delegate:C3->C2", "rosa") == 0
    s.tick(days=30)
    s.do(c.EndTerms("vera", "C3"))
    fourth = s.latest("E")
    events = s.do(c.Nominate("vera", fourth, "rosa"))  # after a gap, she may stand again
    assert s.types(events) == ["candidate_nominated"]


def test_a_by_election_cannot_give_anyone_more_consecutive_terms_than_the_limit() -> None:
    """GIVEN rosa has served the two consecutive terms the rules allow, and clara and leo
    were elected for the third, WHEN clara resigns, THEN rosa cannot win the by-election, for
    the by-election winner joins the third term (seat_terms) and rosa would have served three
    consecutive terms."""
    s = federation()
    _new_term(s, ["rosa", "karl"])
    _new_term(s, ["clara", "leo"])
    s.do(c.Resign("clara", s.mandate_of("clara")))
    by_election = s.latest("E")
    s.refused(c.Nominate("vera", by_election, "rosa"), "rotation_limit")


def test_a_by_election_winner_serves_out_the_delegations_term() -> None:
    """GIVEN karl resigns on day 10 and leo wins the by-election, THEN leo's mandate ends with
    rosa's on day 30 (terms of one seat never drift apart); WHEN both are re-elected on day 30,
    THEN on day 60 rosa has served two consecutive terms and cannot stand for a third, and
    neither can leo, whose by-election counted as a term.
    """
    s = federation()
    s.tick(days=10)
    s.do(c.Resign("karl", "M2"))
    s.run_election(s.latest("E"), ["leo"])
    rosa, leo = (s.state.mandates[s.mandate_of(p)] for p in ("rosa", "leo"))
    assert leo.term_end == rosa.term_end
    s.tick(days=20)
    s.do(c.EndTerms("clara", "C3"))  # the delegation's first term ends, for both
    assert not rosa.active and not leo.active
    s.run_election(s.latest("E"), ["rosa", "leo"])
    s.tick(days=30)
    s.do(c.EndTerms("clara", "C3"))  # the second term ends
    election = s.latest("E")
    served = [m for m in s.state.mandates.values() if m.holder == "rosa" and m.body == "C2"]
    assert [m.end_reason for m in served] == ["term", "term"]
    key = "delegate:C3->C2"
    assert s.state.consecutive_terms(key, "rosa") == 2
    assert s.state.consecutive_terms(key, "leo") == 2
    s.refused(c.Nominate("vera", election, "rosa"), "rotation_limit")
    s.refused(c.Nominate("vera", election, "leo"), "rotation_limit")


def test_the_elections_a_member_may_call_are_those_with_a_vacant_seat() -> None:
    """GIVEN the Dockers' delegation elected (rosa and karl) and no office filled, THEN a docker
    may call the election of every office but not of the delegation; an office already up for
    election is no longer callable, and with every office up for election nothing is; a
    teacher and a stranger may call none of the Dockers' elections."""
    s = federation()
    offices = [("office", o) for o in ("chair", "secretary", "executive", "control_commission")]
    assert callable_seats(s.state, "C3", s.now, "clara") == offices
    assert callable_seats(s.state, "C3", s.now, "olga") == []
    assert callable_seats(s.state, "C3", s.now, "boris") == []
    assert callable_seats(s.state, "C9", s.now, "clara") == []
    assert ("delegate", None) in callable_seats(s.state, "C2", s.now, "rosa")
    s.do(c.CallElection("clara", "C3", "office", "chair"))
    assert ("office", "chair") not in callable_seats(s.state, "C3", s.now, "leo")
    s.refused(c.CallElection("leo", "C3", "office", "chair"), "no_vacancy")
    for _, office in offices[1:]:
        s.do(c.CallElection("clara", "C3", "office", office))
    assert callable_seats(s.state, "C3", s.now, "leo") == []
