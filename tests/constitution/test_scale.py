"""A council of thousands still fits in the record: no event repeats a list of its members.

A record entry holds at most 65,535 bytes (tlog-tiles frames each entry with a 16-bit length).
GIVEN a base council of 3,000 members, WHEN it elects its delegation, decides a motion by roll
call and receives a document, THEN every event stays well inside that limit and every member
still receives the document and is counted.
"""

from __future__ import annotations

from smolny.constitution import commands as c

from .scene import Scene

MEMBERS = 3000
LIMIT = 65_535


def test_a_council_of_thousands_elects_votes_and_is_written_to() -> None:
    s = Scene()
    s.do(
        c.FoundFederation(
            "m0",
            "Big Union",
            "Congress",
            {
                "members_per_delegate": 1000,
                "nomination_hours": 1,
                "voting_hours": 48,
                "motion_notice_hours": 1,
                "cosponsor_share": "1/1000",
            },
        )
    )
    s.do(c.CreateCouncil("m0", "C1", "Big Branch", True))
    people = [f"m{i}" for i in range(MEMBERS)]
    for person in people:
        s.do(c.Join(person, person.upper(), "C2"))
    s.do(c.Reapportion("m0", "C1"))
    s.do(c.CloseFounding("m0"))
    assert s.state.councils["C2"].seats == 3

    s.do(c.CallElection("m1", "C2", "delegate"))
    for person in people[:5]:
        s.do(c.Nominate(person, "E1", person))
    s.tick(hours=1)
    for i, person in enumerate(people):
        s.do(c.CastBallot(person, "E1", tuple(people[(i % 5 + k) % 5] for k in range(3))))
    closing = s.do(c.CloseElection("m1", "E1"))
    assert s.state.elections["E1"].result["ballots_counted"] == MEMBERS  # type: ignore[index]

    s.do(c.FileMotion("m1", "C2", "Strike", "We strike on Monday."))
    s.do(c.CoSponsor("m2", "MO1"))
    s.do(c.CoSponsor("m3", "MO1"))
    s.tick(hours=1)
    for i, person in enumerate(people):
        s.do(c.CastVote(person, "MO1", "yes" if i % 3 else "no"))
    deciding = s.do(c.CloseVote("m1", "MO1"))
    assert deciding[0].data["yes"] == 2000 and deciding[0].data["electorate"] == MEMBERS

    filing = s.do(c.FileDocument("m2", "C2", "Minutes", "All of it."))
    assert len(s.state.documents["D1"].recipients) == MEMBERS

    biggest = max(len(e.encode()) for e in s.log)
    assert biggest < LIMIT // 10, biggest
    assert all(len(e.encode()) < LIMIT for e in closing + deciding + filing)
