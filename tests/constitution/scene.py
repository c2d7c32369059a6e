"""A small federation with named personas, for tests that read like scenes.

The congress (C1) has one district, Harbour District (C2), with two base councils: the Dockers
(C3) and the Teachers (C4).  Seats are one delegate per 3 members.

- ``rosa``: a docker, elected the Dockers' delegate to the district (with ``karl``: the
  Dockers have two seats).
- ``karl``, ``clara``, ``leo``, ``nadia``, ``vera``: her constituents in the Dockers.
- ``ivan``, ``olga``, ``pavel``, ``sofia``: teachers; ``ivan`` is their delegate (with ``olga``).
- ``max``: the founder, a teacher too, with no powers once the founding is closed.

``with_congress`` adds the third level: the district elects ``rosa`` and ``ivan`` to the
congress.  Ids are deterministic, and the tests rely on two of them: mandate M1 is rosa's and
M2 karl's (the Dockers' delegation; ``federation`` checks it).  Look the others up with
``Scene.mandate_of``.

``Scene.refused`` is the twin of every "can" test: it asserts the error's stable code, that
its message is a sentence a member can act on, and that the state's canonical bytes and the
record are byte-for-byte what they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from smolny.constitution import DomainError, Event, State, apply, decide, replay
from smolny.constitution import commands as c
from smolny.constitution.snapshot import digest_bytes

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
        election = self.latest("E")
        self.run_election(election, winners, voters)
        return election

    def run_election(
        self, election: str, winners: list[str], voters: Iterable[str] | None = None
    ) -> list[Event]:
        """Nominate the winners in an election already called, everyone votes for them, close."""
        council = self.state.elections[election].council
        for person in winners:
            self.do(c.Nominate(person, election, person))
        self.tick(hours=1)
        for voter in voters if voters is not None else self.state.voters(council):
            self.do(c.CastBallot(voter, election, tuple(winners)))
        self.tick(hours=2)
        return self.do(c.CloseElection(winners[0], election))

    def latest(self, prefix: str) -> str:
        """The id of the newest election (E), mandate (M), recall (R), motion (MO)..."""
        return f"{prefix}{self.state.counters[prefix]}"

    def pass_motion(
        self,
        council: str,
        effect: dict[str, Any] | None = None,
        *,
        yes: Iterable[str] | None = None,
        no: Iterable[str] = (),
        title: str = "A motion",
        text: str = "The council resolves as follows.",
    ) -> list[Event]:
        """File a motion in ``council``, let its voters co-sponsor it onto the agenda, vote, close.

        ``yes`` defaults to every voter not voting no; returns the events of the closing vote.
        """
        voters = self.state.voters(council)
        against = set(no)
        supporters = [v for v in (voters if yes is None else yes) if v not in against]
        self.do(c.FileMotion(supporters[0], council, title, text, effect))
        motion = self.latest("MO")
        for sponsor in supporters[1:]:
            if self.state.motions[motion].status != "filed":
                break
            self.do(c.CoSponsor(sponsor, motion))
        assert self.state.motions[motion].status == "agenda", "the motion found no agenda"
        self.tick(hours=1)
        for voter in supporters:
            self.do(c.CastVote(voter, motion, "yes"))
        for voter in sorted(against):
            self.do(c.CastVote(voter, motion, "no"))
        self.tick(hours=2)
        return self.do(c.CloseVote(supporters[0], motion))

    def digest(self) -> bytes:
        return digest_bytes(self.state)

    def log_bytes(self) -> list[bytes]:
        return [event.encode() for event in self.log]

    def refused(self, command: c.Command, code: str) -> DomainError:
        """Assert the command is refused with ``code``, a message a member can act on, and
        that neither the state nor the record moved."""
        before, log_before, now = self.digest(), self.log_bytes(), self.now
        with pytest.raises(DomainError) as info:
            self.do(command)
        error = info.value
        assert error.code == code, f"refused with {error.code!r} ({error.message}), not {code!r}"
        assert_actionable(error.message)
        assert self.now == now
        assert self.digest() == before, "a refused command changed the state"
        assert self.log_bytes() == log_before, "a refused command changed the record"
        return error

    def replayed(self) -> State:
        return replay(Event.decode(b) for b in self.log_bytes())

    def mandate_of(self, holder: str, kind: str = "delegate") -> str:
        for m in self.state.active_mandates(holder=holder):
            if m.kind == kind:
                return m.id
        raise LookupError(holder)


def assert_actionable(message: str) -> None:
    """A refusal is a sentence for a member: words, a full stop, no programmer's leftovers."""
    assert isinstance(message, str), message
    assert len(message.split()) >= 3, f"too terse for a member: {message!r}"
    assert message.rstrip()[-1] in ".?", f"not a finished sentence: {message!r}"
    for leftover in ("Traceback", "None", "KeyError", "<", "{", "}"):
        assert leftover not in message, f"programmer's leftover {leftover!r} in {message!r}"


def federation(**overrides: Any) -> Scene:
    """The scene's federation; ``overrides`` change its founding parameters."""
    s = Scene()
    s.do(c.FoundFederation("max", "Harbour Federation", "Congress", PARAMS | overrides))
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
    assert (s.state.mandates["M1"].holder, s.state.mandates["M2"].holder) == ("rosa", "karl")
    return s


def founding() -> Scene:
    """A federation still in its founding assembly: the congress only, max presiding."""
    s = Scene()
    s.do(c.FoundFederation("max", "Harbour Federation", "Congress", PARAMS))
    return s


def with_congress(s: Scene, delegates: list[str] | None = None) -> Scene:
    """The district sends delegates to the congress (the third level of the tree)."""
    s.elect("C2", "delegate", delegates or ["rosa", "ivan"])
    return s


def with_chair(s: Scene, council: str = "C3", holder: str = "karl") -> str:
    """``holder`` is elected chair of ``council``; returns the mandate id."""
    s.elect(council, "office", [holder], office="chair")
    return s.latest("M")
