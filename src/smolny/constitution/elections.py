"""Elections of delegates and officers, and how mandates start and end.

DESIGN: "No office is filled from above.  Each office is filled by the body it serves."  So an
election is always held by the council whose voters the winners will answer to: a council
elects its delegation to the council above and its own officers, from its own voters.  Any
voter may call an election for seats that are vacant; nobody may call one for seats that are
held (those end by term, resignation, recall or loss of eligibility).

A mandate lasts ``term_days``; nobody may stand for the same seat after ``rotation_limit``
consecutive terms in it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime, timedelta

from . import commands as c
from . import secret
from .context import Ctx, acting_member, conflict, would_decide
from .errors import DomainError, NotAllowed
from .events import fmt_time
from .methods import BALLOT_MODES, METHODS, _ranked_by_votes, default_method, method_for, tie_seed
from .state import OFFICES, Election, State
from .words import office as office_words
from .words import when


def call(ctx: Ctx, cmd: c.CallElection) -> None:
    council = ctx.council(cmd.council)
    ctx.require_voter(council.id, "call its elections")
    if cmd.kind == "delegate":
        if council.parent is None:
            raise DomainError(
                "congress_has_no_delegation",
                f"{council.name} is the congress; it sends no delegates.",
            )
        office = None
    elif cmd.kind == "office":
        if cmd.office not in OFFICES:
            named = "Name the office" if cmd.office is None else f"{cmd.office!r} is not an office"
            choices = ", ".join(
                key if office_words(key) == key else f"{key} ({office_words(key)})"
                for key in OFFICES
            )
            raise DomainError("unknown_office", f"{named}; the offices are {choices}.")
        office = cmd.office
    else:
        raise DomainError("unknown_kind", "An election is for delegates or for an office.")
    seats = ctx.open_seats(council.id, cmd.kind, office)
    if seats == 0:
        if office is not None and ctx.state.office_seats(office) == 1:
            taken = f"The {office_words(office)} of {council.name} is held"
        else:
            what = "delegation" if office is None else office_words(office)
            taken = f"Every seat of the {what} of {council.name} is held"
        raise conflict(
            "no_vacancy",
            f"{taken} or already up for election. A held seat falls vacant by term, "
            "resignation or recall.",
        )
    if cmd.method is not None:
        method_for(cmd.method, seats)
    if cmd.ballot_mode not in BALLOT_MODES:
        raise DomainError(
            "ballot_mode_unavailable",
            f"Ballot mode {cmd.ballot_mode!r} is not available; choose {' or '.join(BALLOT_MODES)}.",
        )
    if cmd.ballot_mode == "secret":
        chosen = cmd.method or default_method(seats, ctx.state.params.stv_method)
        if chosen not in secret.SECRET_METHODS:
            raise DomainError("secret_ranked_unavailable", secret.RANKED_REFUSAL)
        method_for(chosen, seats)
    election_id = ctx.call_election(
        council.id, cmd.kind, office, seats, by_election=False, method=cmd.method
    )
    if cmd.ballot_mode == "secret":
        # The election_called event states its ballot mode; a secret one is set here rather
        # than by a new parameter of Ctx.call_election, which by-elections also use.
        called = ctx.events[-1]
        ctx.events[-1] = dataclasses.replace(
            called, data={**called.data, "method": chosen, "ballot_mode": "secret"}
        )
        secret.configure(ctx, election_id, "election", council.id, cmd.trustees, cmd.threshold)


def _open_for_nominations(ctx: Ctx, election: Election) -> None:
    if not election.open:
        raise conflict("election_closed", "This election is closed.")
    if ctx.now >= election.nominations_close:
        raise conflict(
            "nominations_closed", f"Nominations closed on {when(election.nominations_close)}."
        )


def nominate(ctx: Ctx, cmd: c.Nominate) -> None:
    election = ctx.election(cmd.election)
    ctx.require_voter(election.council, "nominate candidates in its elections")
    _open_for_nominations(ctx, election)
    ctx.member(cmd.candidate)
    if not ctx.state.is_voter(election.council, cmd.candidate):
        council = ctx.state.councils[election.council]
        raise DomainError(
            "candidate_not_eligible",
            f"{cmd.candidate} is not a voter of {council.name}; a council elects "
            "from its own voters.",
        )
    if cmd.candidate in election.candidates:
        raise conflict("already_candidate", f"{cmd.candidate} is already a candidate.")
    key = ctx.seat_key(election)
    limit = ctx.state.params.rotation_limit
    if _terms_if_elected(ctx, election, key, cmd.candidate) > limit:
        raise DomainError(
            "rotation_limit",
            f"{cmd.candidate} has held this seat for {limit} consecutive terms, "
            "the most the federation allows; someone else must stand.",
        )
    if any(m.seat_key == key for m in ctx.state.active_mandates(holder=cmd.candidate)):
        raise conflict("already_holds_seat", f"{cmd.candidate} already holds this seat.")
    ctx.emit("candidate_nominated", election=election.id, candidate=cmd.candidate)


def _terms_if_elected(ctx: Ctx, election: Election, key: str, person: str) -> int:
    """Consecutive terms ``person`` would have served in the seat once elected.

    An election for a seat nobody holds opens a new term; winners who join holders still
    serving join the term in course (see ``close_and_seat`` and ``State.seat_terms``), so
    joining must not let anyone exceed the limit either.
    """
    terms = ctx.state.seat_terms.get(key, [])
    joins = any(
        m.seat_key == key and m.term_end > ctx.now
        for m in ctx.state.active_mandates(body=election.body, constituency=election.council)
    )
    if not joins or not terms:
        return ctx.state.consecutive_terms(key, person) + 1
    if person in terms[-1][1:]:
        return ctx.state.consecutive_terms(key, person)
    before = 0
    for term in reversed(terms[:-1]):
        if person not in term[1:]:
            break
        before += 1
    return before + 1


def withdraw(ctx: Ctx, cmd: c.WithdrawCandidacy) -> None:
    election = ctx.election(cmd.election)
    ctx.me()
    _open_for_nominations(ctx, election)
    if ctx.actor not in election.candidates:
        raise conflict("not_candidate", "You are not a candidate in this election.")
    ctx.emit("candidacy_withdrawn", election=election.id, candidate=ctx.actor)


def cast(ctx: Ctx, cmd: c.CastBallot) -> None:
    election = ctx.election(cmd.election)
    ctx.require_voter(election.council, "vote in its elections")
    if not election.open:
        raise conflict("election_closed", "This election is closed.")
    if ctx.now < election.nominations_close:
        raise conflict(
            "voting_not_open",
            f"Voting opens when nominations close, on {when(election.nominations_close)}.",
        )
    if ctx.now >= election.voting_close:
        raise conflict("voting_closed", "Voting has closed; the election can now be counted.")
    if election.ballot_mode not in BALLOT_MODES:
        raise DomainError("ballot_mode_unavailable", "This ballot mode is not available.")
    if election.ballot_mode == "secret":
        raise secret.refuse_open_vote(election.id)
    choices = list(cmd.choices)
    METHODS[election.method].validate(choices, election.candidates, election.seats)
    ctx.emit("ballot_cast", election=election.id, voter=ctx.actor, choices=choices)


def close(ctx: Ctx, cmd: c.CloseElection) -> None:
    election = ctx.election(cmd.election)
    ctx.me()
    if not election.open:
        raise conflict("election_closed", "This election is already closed.")
    if election.ballot_mode == "secret":
        secret.close(ctx, election.id)
        return
    voters = set(ctx.state.voters(election.council))
    everyone_voted = (
        ctx.now >= election.nominations_close and voters and voters <= set(election.ballots)
    )
    if ctx.now < election.voting_close and not everyone_voted:
        raise conflict(
            "voting_still_open",
            f"Voting is open until {when(election.voting_close)}, unless every "
            "voter has voted before then.",
        )
    close_and_seat(ctx, election, voters)


def may_close(state: State, election_id: str, now: datetime, member: str | None = None) -> bool:
    """Whether ``member`` may close and count ``election_id`` at ``now`` (``None``: whether a
    member could, for a visitor who would sign in first): the election page offers the button
    only then, as the motion and recall pages do.  An open ballot asks :func:`close` itself
    (everyone has voted, or the time is up); a secret one asks :func:`.secret.may_close`
    (publishing the tally, declaring the decrypted result, or closing a ballot nobody can
    decide as void, each only when the rules would)."""
    actor = acting_member(state, member)
    election = state.elections.get(election_id)
    if actor is None or election is None or not election.open:
        return False
    if election.ballot_mode == "secret":
        return secret.may_close(state, election_id, now, member)
    return would_decide(state, close, c.CloseElection(actor, election_id), now)


def callable_seats(
    state: State, council_id: str, now: datetime, member: str | None
) -> list[tuple[str, str | None]]:
    """The elections ``member`` may call in ``council_id`` at ``now``: ``("delegate", None)``
    for its delegation and ``("office", office)`` for each office, where :func:`call` would
    decide the call (a voter of the council, a seat nobody holds nor is already up for
    election).  The council page offers only these, so that a member is never invited to call
    an election every choice of which the rules refuse."""
    actor = acting_member(state, member)
    if actor is None or council_id not in state.councils:
        return []
    wanted: list[tuple[str, str | None]] = [("delegate", None)]
    wanted += [("office", office) for office in OFFICES]
    return [
        (kind, office)
        for kind, office in wanted
        if would_decide(state, call, c.CallElection(actor, council_id, kind, office), now)
    ]


def close_and_seat(
    ctx: Ctx,
    election: Election,
    voters: set[str],
    *,
    tallies: Mapping[str, int] | None = None,
    seed: str | None = None,
    counted: int = 0,
) -> None:
    """Count and seat.  A secret ballot passes the ``tallies`` its trustees decrypted (and
    ``counted``, the ballots in them): every ballot on its frozen roll counts."""
    # Only the ballots of those who are voters now count, and only eligible candidates stand.
    ballots = {v: b for v, b in sorted(election.ballots.items()) if v in voters}
    # Nobody holds a seat twice (she may have won it meanwhile in a concurrent by-election),
    # and nobody is seated beyond the seats now in force (reapportionment or an amendment may
    # have cut them since the election was called).
    held = [
        m
        for m in ctx.state.active_mandates(body=election.body, constituency=election.council)
        if m.kind == election.kind and m.office == election.office and m.id not in ctx.ending
    ]
    holders = {m.holder for m in held}
    candidates = [cand for cand in election.candidates if cand in voters and cand not in holders]
    if election.kind == "delegate":
        in_force = ctx.state.councils[election.council].seats
    else:
        in_force = ctx.state.office_seats(election.office or "")
    seats = max(0, min(election.seats, in_force - len(held)))
    method = METHODS[election.method]
    if tallies is None:
        seed = tie_seed(election.id, ballots)
        result = method.count(candidates, ballots, seats, seed)
    else:
        assert seed is not None
        marks = {cand: tallies.get(cand, 0) for cand in candidates}
        elected, by_lot = _ranked_by_votes(candidates, marks, seats, seed)
        result = {
            "tallies": marks,
            "elected": elected,
            "tie_broken_by_lot": by_lot,
            "seed": seed,
            "ballots_counted": counted,
        }
    result["seats"] = seats
    result["method"] = election.method
    result["electorate"] = len(voters)
    result["candidates"] = candidates
    result["contested"] = len(candidates) > seats
    # The ballots themselves are in the record already (each ``ballot_cast`` entry) and in the
    # read models; repeating them here would make the entry of a large council's count too big
    # to record.  ``ballots_counted`` and the seed let anyone recount from those entries.
    ctx.emit("election_closed", election=election.id, result=result)
    # A seat's holders share one term.  Winners who join holders still serving (a by-election,
    # or seats added by reapportionment) serve out that term and end with it; only an election
    # that fills a seat nobody holds any more starts a new term.  So terms never drift apart,
    # and the rotation limit counts the same terms for everyone in the seat.
    running = [m.term_end for m in held if m.term_end > ctx.now]
    new_term = not running
    end = min(running) if running else ctx.now + timedelta(days=ctx.state.params.term_days)
    term_end = fmt_time(end)
    for holder in result["elected"]:
        ctx.emit(
            "mandate_started",
            id=ctx.new_id("M"),
            holder=holder,
            kind=election.kind,
            body=election.body,
            constituency=election.council,
            office=election.office,
            election=election.id,
            term_end=term_end,
            new_term=new_term,
        )


def resign(ctx: Ctx, cmd: c.Resign) -> None:
    mandate = ctx.mandate(cmd.mandate)
    ctx.me()
    if mandate.holder != ctx.actor:
        raise NotAllowed("not_holder", "Only the holder of a mandate can resign it.")
    if not mandate.active:
        raise conflict("mandate_ended", "This mandate has already ended.")
    ctx.end_mandates([mandate], "resigned")


def end_terms(ctx: Ctx, cmd: c.EndTerms) -> None:
    council = ctx.council(cmd.council)
    ctx.me()
    expired = [
        m for m in ctx.state.active_mandates(constituency=council.id) if m.term_end <= ctx.now
    ]
    if not expired:
        raise conflict("no_expired_terms", f"No mandate from {council.name} has reached its term.")
    ctx.end_mandates(expired, "term", by_election=False)
    # The new term has the seats now in force, which reapportionment may have changed.
    for kind, office in sorted({(m.kind, m.office) for m in expired}, key=str):
        seats = ctx.open_seats(council.id, kind, office)
        if seats:
            ctx.call_election(council.id, kind, office, seats, by_election=False, method=None)
