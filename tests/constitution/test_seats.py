"""A seat never has more holders than it has seats, and nobody holds the same seat twice.

Reapportionment may lower a delegation's seats while its mandates run (those mandates run on:
no one loses a seat to arithmetic); what the rules must never do is *seat* someone beyond the
seats in force at the moment of seating.
"""

from __future__ import annotations

from smolny.constitution import commands as c

from .scene import Scene, federation


def _holders(s: Scene, constituency: str = "C3", kind: str = "delegate") -> list[str]:
    return sorted(
        m.holder for m in s.state.active_mandates(constituency=constituency) if m.kind == kind
    )


def _dockers_shrink_to_one_seat() -> Scene:
    """Three dockers leave; the district reapportions: the Dockers (3 members) now have one
    seat, while rosa and karl still hold the two mandates they were elected to."""
    s = federation()
    for person in ("leo", "nadia", "vera"):
        s.do(c.Leave(person))
    s.pass_motion("C2", {"kind": "reapportion"})
    assert s.state.councils["C3"].seats == 1
    assert _holders(s) == ["karl", "rosa"]
    return s


def test_a_resignation_from_a_delegation_over_its_seats_opens_no_by_election() -> None:
    s = _dockers_shrink_to_one_seat()
    events = s.do(c.Resign("rosa", "M1"))
    assert s.types(events) == ["mandate_ended"], (
        "context.py end_mandates calls a by-election for a seat that reapportionment abolished"
    )
    assert _holders(s) == ["karl"]


def test_terms_ending_in_a_shrunken_delegation_open_only_the_seats_it_now_has() -> None:
    s = _dockers_shrink_to_one_seat()
    s.tick(days=30)
    events = s.do(c.EndTerms("clara", "C3"))
    called = [e.data["seats"] for e in events if e.type == "election_called"]
    assert called == [1], "elections.py end_terms calls an election for the seats that expired"


def test_an_election_closed_after_the_seats_were_lowered_seats_no_more_than_the_seats() -> None:
    """GIVEN the Dockers' terms end and an election for their two seats is called, with two
    candidates, WHEN the delegation is cut to one seat before the count, THEN only one
    delegate is seated."""
    s = federation()
    s.tick(days=30)
    s.do(c.EndTerms("clara", "C3"))
    election = s.latest("E")
    assert s.state.elections[election].seats == 2
    s.do(c.Nominate("clara", election, "clara"))
    s.do(c.Nominate("clara", election, "karl"))
    for person in ("leo", "nadia", "vera"):
        s.do(c.Leave(person))
    s.pass_motion("C2", {"kind": "reapportion"})
    assert s.state.councils["C3"].seats == 1
    s.tick(hours=3)
    s.do(c.CloseElection("clara", election))
    assert len(_holders(s)) <= 1, f"{_holders(s)} seated for one seat (elections.py close_and_seat)"


def test_nobody_can_win_the_same_seat_twice_in_two_by_elections() -> None:
    """GIVEN karl and then rosa resign, so two by-elections for the Dockers' delegation are
    open at once, WHEN leo wins both, THEN he holds one seat, not two."""
    s = federation()
    s.do(c.Resign("karl", "M2"))
    first = s.latest("E")
    s.do(c.Resign("rosa", "M1"))
    second = s.latest("E")
    for election in (first, second):
        s.do(c.Nominate("leo", election, "leo"))
    s.tick(hours=1)
    for voter in s.state.voters("C3"):
        s.do(c.CastBallot(voter, first, ("leo",)))
        s.do(c.CastBallot(voter, second, ("leo",)))
    s.do(c.CloseElection("leo", first))
    s.do(c.CloseElection("leo", second))
    assert _holders(s) == ["leo"], (
        f"{_holders(s)}: elections.py close_and_seat seats a holder twice"
    )


def test_an_office_cut_by_amendment_is_not_refilled_beyond_its_new_seats() -> None:
    """Three sit on the Dockers' executive; the congress cuts executives to one seat; when one
    of the three resigns, no by-election is called."""
    s = federation(members_per_delegate=2)
    s.elect("C3", "office", ["clara", "leo", "nadia"], office="executive")
    s.elect("C3", "delegate", ["clara"])
    s.elect("C4", "delegate", ["pavel"])
    s.elect("C2", "delegate", ["rosa", "karl", "clara", "ivan", "olga", "pavel"])
    s.pass_motion("C1", {"kind": "amend_params", "changes": {"executive_seats": 1}})
    assert s.state.office_seats("executive") == 1
    events = s.do(c.Resign("leo", s.mandate_of("leo", "office")))
    assert s.types(events) == ["mandate_ended"]
