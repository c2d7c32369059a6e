"""A small federation with named personas, for tests that read like scenes.

The congress (C1) has one district, Harbour District (C2), with two base councils: the Dockers
(C3) and the Teachers (C4).  Seats are one delegate per 3 members.

- ``rosa``: a docker, elected the Dockers' delegate to the district.
- ``karl``, ``clara``, ``leo``, ``nadia``, ``vera``: her constituents in the Dockers.
- ``ivan``, ``olga``, ``pavel``, ``sofia``: teachers; ``ivan`` is their delegate.
- ``max``: the founder, a teacher too, with no powers once the founding is closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from smolny.constitution import Event, State, apply, commands as c, decide

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DOCKERS = ("rosa", "karl", "clara", "leo", "nadia", "vera")
TEACHERS = ("ivan", "olga", "pavel", "sofia", "max")
PARAMS = {
    "members_per_delegate": 3,
    "nomination_hours": 1,
    "voting_hours": 2,
    "motion_notice_hours": 1,
    "recall_ballot_hours": 2,
    "recall_share": "1/3",
    "cosponsor_share": "1/3",
    "rotation_limit": 2,
    "term_days": 30,
}


class Scene:
    """The state plus a clock; ``do`` decides and applies one command, as the store will."""

    def __init__(self) -> None:
        self.state = State()
        self.now = T0
        self.log: list[Event] = []

    def tick(self, hours: float = 0, days: float = 0) -> None:
        self.now += timedelta(hours=hours, days=days)

    def do(self, command: c.Command) -> list[Event]:
        events = decide(self.state, command, self.now)
        for event in events:
            apply(self.state, event)
        self.log.extend(events)
        self.tick(hours=0.001)
        return events

    def types(self, events: Iterable[Event]) -> list[str]:
        return [e.type for e in events]

    def elect(
        self,
        council: str,
        kind: str,
        winners: list[str],
        office: str | None = None,
        voters: Iterable[str] | None = None,
    ) -> str:
        """Call an election, nominate the winners, everyone votes for them, close it."""
        self.do(c.CallElection(winners[0], council, kind, office))
        election = max(self.state.elections, key=lambda e: int(e[1:]))
        for person in winners:
            self.do(c.Nominate(person, election, person))
        self.tick(hours=1)
        for voter in voters if voters is not None else self.state.voters(council):
            self.do(
                c.CastBallot(
                    voter, election, tuple(winners[:1]) if len(winners) == 1 else tuple(winners)
                )
            )
        self.do(c.CloseElection(winners[0], election))
        return election

    def mandate_of(self, holder: str, kind: str = "delegate") -> str:
        for m in self.state.active_mandates(holder=holder):
            if m.kind == kind:
                return m.id
        raise LookupError(holder)


def federation() -> Scene:
    s = Scene()
    s.do(c.FoundFederation("max", "Harbour Federation", "Congress", PARAMS))
    s.do(c.CreateCouncil("max", "C1", "Harbour District", False))
    s.do(c.CreateCouncil("max", "C2", "Dockers", True))
    s.do(c.CreateCouncil("max", "C2", "Teachers", True))
    for name in DOCKERS:
        s.do(c.Join(name, name.title(), "C3"))
    for name in TEACHERS:
        s.do(c.Join(name, name.title(), "C4"))
    s.do(c.Reapportion("max", "C2"))
    s.do(c.Reapportion("max", "C1"))
    s.do(c.CloseFounding("max"))
    s.elect("C3", "delegate", ["rosa", "karl"])
    s.elect("C4", "delegate", ["ivan", "olga"])
    return s
