"""The working context of one decision: the state (read only), the actor, the time, the events.

``decide`` never writes to the state.  A command whose consequences cascade (a member leaves,
so her delegate seat ends, so she is no longer a voter of the district, so her congress seat
ends too) is worked out against an overlay of what this command is already ending, not by
applying events early; that is what keeps a refused command from changing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from smolny import canonical

from .errors import Conflict, DomainError, NotAllowed, NotFound
from .events import Event, fmt_time
from .state import Council, Election, Mandate, Member, Motion, Recall, State, seat_key
from .words import when

MAX_TEXT_BYTES = 48_000
"""A record entry holds at most 65,535 bytes (a tlog-tiles bundle frames each entry with a
16-bit length); a text field is capped well below that, counted as it will be recorded."""


class Ctx:
    def __init__(self, state: State, actor: str, now: datetime) -> None:
        self.state = state
        self.actor = actor
        self.now = now
        self.at = fmt_time(now)
        self.events: list[Event] = []
        self._ids: dict[str, int] = {}
        self.ending: set[str] = set()
        """Mandates this command ends (the overlay cascades are computed against)."""
        self._leaving_base: set[str] = set()
        self.settled: set[str] = set()
        """Recalls this command decides (they are not made moot by the mandate ending)."""

    # --- events and ids -----------------------------------------------------------------

    def emit(self, type_: str, **data: Any) -> None:
        self.events.append(Event(type_, self.actor, self.at, data))

    def new_id(self, prefix: str) -> str:
        taken = self._ids.get(prefix, 0) + 1
        self._ids[prefix] = taken
        return f"{prefix}{self.state.counters.get(prefix, 0) + taken}"

    def later(self, hours: int) -> str:
        return fmt_time(self.now + timedelta(hours=hours))

    # --- look-ups that refuse clearly ----------------------------------------------------

    def council(self, council_id: str) -> Council:
        council = self.state.councils.get(council_id)
        if council is None or council.seceded:
            raise NotFound("no_such_council", f"There is no council {council_id!r}.")
        return council

    def member(self, member_id: str) -> Member:
        member = self.state.members.get(member_id)
        if member is None or not member.active:
            raise NotFound("no_such_member", f"{member_id!r} is not a member of the federation.")
        return member

    def me(self) -> Member:
        member = self.state.members.get(self.actor)
        if member is None or not member.active:
            raise NotAllowed(
                "not_a_member", "Only members of the federation can do this; join a council first."
            )
        return member

    def mandate(self, mandate_id: str) -> Mandate:
        mandate = self.state.mandates.get(mandate_id)
        if mandate is None:
            raise NotFound("no_such_mandate", f"There is no mandate {mandate_id!r}.")
        return mandate

    def election(self, election_id: str) -> Election:
        election = self.state.elections.get(election_id)
        if election is None:
            raise NotFound("no_such_election", f"There is no election {election_id!r}.")
        return election

    def recall(self, recall_id: str) -> Recall:
        recall = self.state.recalls.get(recall_id)
        if recall is None:
            raise NotFound("no_such_recall", f"There is no recall petition {recall_id!r}.")
        return recall

    def motion(self, motion_id: str) -> Motion:
        motion = self.state.motions.get(motion_id)
        if motion is None:
            raise NotFound("no_such_motion", f"There is no motion {motion_id!r}.")
        return motion

    def require_voter(self, council_id: str, what: str) -> None:
        self.me()
        council = self.council(council_id)
        if not self.state.is_voter(council_id, self.actor):
            who = "members" if council.base else "delegates"
            raise NotAllowed("not_a_voter", f"Only the {who} of {council.name} can {what}.")
        self.require_rights(what)

    def require_rights(self, what: str) -> None:
        """A suspension decided in a case (cases.py) suspends voting and filing until its end
        date, and not a moment longer: nothing here renews it."""
        suspension = self.state.sanction_in_force(self.actor, "suspension", self.now)
        if suspension is not None:
            raise NotAllowed(
                "suspended",
                f"Your rights are suspended until {when(suspension.until)} by the decision "
                f"in case {suspension.case}, so you cannot {what} until then.",
            )

    def require_text(self, value: str, label: str, limit: int = 20000) -> None:
        if not isinstance(value, str) or not value.strip():
            raise DomainError("missing_text", f"Please write the {label}.")
        if len(value) > limit:
            raise DomainError(
                "text_too_long",
                f"The {label} is {len(value)} characters long; the limit is {limit}.",
            )
        if value.isascii() and 6 * len(value) + 2 <= MAX_TEXT_BYTES:
            return  # an ASCII character is recorded in at most 6 bytes (\u001f): no need to encode
        if len(canonical.encode(value)) > MAX_TEXT_BYTES:
            raise DomainError(
                "text_too_long",
                f"The {label} takes {len(canonical.encode(value))} bytes once recorded; the "
                f"limit is {MAX_TEXT_BYTES}. Shorten it, or split it in parts.",
            )

    # --- the overlay: who votes where once this command's endings take effect ----------

    def voter_after(self, council_id: str, person: str) -> bool:
        council = self.state.councils[council_id]
        if council.base:
            return person in council.members and council_id not in self._leaving_base
        return any(
            m.kind == "delegate" and m.body == council_id and m.id not in self.ending
            for m in self.state.active_mandates(holder=person)
        )

    def end_mandates(
        self,
        mandates: Iterable[Mandate],
        reason: str,
        *,
        by_election: bool = True,
        leaving: str | None = None,
    ) -> None:
        """End mandates, every mandate their holders thereby lose eligibility for, and call
        the by-elections (DESIGN: leaving or recall ends a mandate; a by-election follows)."""
        if leaving is not None:
            self._leaving_base = {leaving}
        queue = [(m, reason) for m in mandates if m.active and m.id not in self.ending]
        vacant: list[Mandate] = []
        while queue:
            mandate, why = queue.pop(0)
            if mandate.id in self.ending:
                continue
            self.ending.add(mandate.id)
            # A seat lost by cascade is always refilled by a by-election; the seats this
            # command ends directly are refilled only when the caller asks (term ends are
            # refilled by a regular election instead).
            if by_election or why == "lost_eligibility":
                vacant.append(mandate)
            self.emit("mandate_ended", mandate=mandate.id, reason=why)
            for recall in self.state.recalls.values():
                if (
                    recall.mandate == mandate.id
                    and recall.status in ("petition", "ballot")
                    and recall.id not in self.settled
                ):
                    self.emit("recall_moot", recall=recall.id, reason=why)
            for other in self.state.active_mandates(holder=mandate.holder):
                if other.id in self.ending:
                    continue
                if not self.voter_after(other.constituency, other.holder):
                    queue.append((other, "lost_eligibility"))
        vacated: dict[tuple[str, str, str | None], int] = {}
        for mandate in vacant:
            key = (mandate.constituency, mandate.kind, mandate.office)
            vacated[key] = vacated.get(key, 0) + 1
        for (constituency, kind, office), seats in sorted(
            vacated.items(), key=lambda kv: str(kv[0])
        ):
            council = self.state.councils[constituency]
            if council.seceded:
                continue
            # Never more seats than are now in force: reapportionment or an amendment may have
            # cut them while these mandates ran, and then the seat is not refilled.
            seats = min(seats, self.open_seats(constituency, kind, office))
            if seats:
                self.call_election(constituency, kind, office, seats, by_election=True, method=None)

    def call_election(
        self,
        council_id: str,
        kind: str,
        office: str | None,
        seats: int,
        *,
        by_election: bool,
        method: str | None,
    ) -> str:
        from .methods import default_method

        council = self.state.councils[council_id]
        body = council_id if kind == "office" else council.parent
        assert body is not None
        chosen = method or default_method(seats, self.state.params.stv_method)
        election_id = self.new_id("E")
        params = self.state.params
        self.emit(
            "election_called",
            id=election_id,
            council=council_id,
            kind=kind,
            office=office,
            body=body,
            seats=seats,
            method=chosen,
            ballot_mode="open",
            by_election=by_election,
            nominations_close=self.later(params.nomination_hours),
            voting_close=self.later(params.nomination_hours + params.voting_hours),
        )
        return election_id

    def open_seats(self, council_id: str, kind: str, office: str | None) -> int:
        """Seats of a delegation or an office not yet held nor already up for election."""
        council = self.state.councils[council_id]
        if kind == "delegate":
            total = council.seats
            body = council.parent
        else:
            total = self.state.office_seats(office or "")
            body = council_id
        held = sum(
            1
            for m in self.state.active_mandates(constituency=council_id)
            if m.kind == kind and m.office == office and m.body == body and m.id not in self.ending
        )
        pending = sum(
            e.seats
            for e in self.state.elections.values()
            if e.open and e.council == council_id and e.kind == kind and e.office == office
        )
        return max(0, total - held - pending)

    def seat_key(self, election: Election) -> str:
        return seat_key(election.kind, election.body, election.council, election.office)


def conflict(code: str, message: str) -> Conflict:
    return Conflict(code, message)


def acting_member(state: State, member: str | None) -> str | None:
    """``member`` if she is an active member; for ``None``, any active member (whether a member
    could act, asked for a visitor who would sign in first); else None."""
    if member is None:
        return next((m.id for m in state.members.values() if m.active), None)
    person = state.members.get(member)
    return member if person is not None and person.active else None


def would_decide(
    state: State, handler: Callable[[Ctx, Any], None], command: Any, now: datetime
) -> bool:
    """Whether ``handler`` would decide ``command`` at ``now`` rather than refuse it.

    Deciding writes nothing (the events stay in the throw-away context), so a page may ask
    this to offer an action only when the rules would take it."""
    try:
        handler(Ctx(state, command.actor, now), command)
    except DomainError:
        return False
    return True
