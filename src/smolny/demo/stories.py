"""The pieces every part of the demo's history is made of: an election, a motion.

Each is a story (see ``timeline``) that plays out under the federation's real windows:
nominations for ``nomination_hours``, ballots until ``voting_close``, a motion's vote after
``motion_notice_hours``.  Ballots and votes are drawn at random from a story's own seeded
generator, then checked against the counting method so the result is the one the script
planned (a contested election that the planned candidates win, by a visible margin and never
by lot); a story stops early (``stage``) to leave something open for the person exploring.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from smolny.constitution import commands as c
from smolny.constitution.methods import METHODS, tie_seed
from smolny.constitution.ranked import STV_METHODS
from smolny.constitution.state import Election

from .timeline import Story, StoryError, Timeline, created, hours, spread


def minutes(m: float) -> timedelta:
    return timedelta(minutes=m)


def election(
    tl: Timeline,
    rng: random.Random,
    *,
    at: datetime,
    council: str,
    kind: str,
    winners: Sequence[str],
    losers: Sequence[str] = (),
    office: str | None = None,
    turnout: float = 0.8,
    stage: str = "closed",
    until: datetime | None = None,
    abstainers: Sequence[str] = (),
) -> Story:
    """A voter of ``council`` (by name) calls the election at ``at``; see ``contest``."""
    yield at, None
    council_id = tl.council(council)
    caller = rng.choice([v for v in tl.state.voters(council_id) if v not in abstainers])
    events = yield at + minutes(1), c.CallElection(caller, council_id, kind, office)
    yield from contest(
        tl,
        rng,
        created(events, "election_called"),
        winners,
        losers,
        turnout=turnout,
        stage=stage,
        until=until,
        abstainers=abstainers,
    )


def contest(
    tl: Timeline,
    rng: random.Random,
    election_id: str,
    winners: Sequence[str],
    losers: Sequence[str] = (),
    *,
    turnout: float = 0.8,
    stage: str = "closed",
    until: datetime | None = None,
    abstainers: Sequence[str] = (),
) -> Story:
    """Nominations, ballots and the count of an election already called.

    ``stage`` is where the story stops: ``nominations`` (still open at ``until``), ``voting``
    (ballots cast until ``until``, not closed) or ``closed`` (counted; the planned winners
    must have won).  ``abstainers`` cast no ballot (a persona left to vote by hand).
    """
    e = tl.state.elections[election_id]
    candidates = [*winners, *losers]
    rng.shuffle(candidates)
    end = until if stage == "nominations" and until else e.nominations_close - hours(2)
    for t, candidate in zip(
        spread(rng, tl.at_least(e.called_at) + minutes(20), end, len(candidates), gap=600),
        candidates,
        strict=True,
    ):
        voters = tl.state.voters(e.council)
        others = [v for v in voters if v != candidate and v not in abstainers]
        nominator = candidate if rng.random() < 0.4 or not others else rng.choice(others)
        yield t, c.Nominate(nominator, election_id, candidate)
    if stage == "nominations":
        return
    yield e.nominations_close + minutes(rng.randint(5, 90)), None
    voters = [v for v in tl.state.voters(e.council) if v not in abstainers]
    ballots = plan_ballots(rng, e, voters, winners, turnout)
    end = until if stage == "voting" and until else e.voting_close - hours(1)
    everyone = set(ballots) == set(tl.state.voters(e.council))
    if everyone:
        # A small body votes within a day or so, and is counted as soon as all have voted.
        end = min(end, tl.at_least(e.nominations_close) + hours(rng.randint(20, 40)))
    order = list(ballots)
    rng.shuffle(order)
    times = spread(rng, tl.at_least(e.nominations_close) + minutes(1), end, len(order), gap=30)
    for t, voter in zip(times, order, strict=True):
        yield t, c.CastBallot(voter, election_id, tuple(ballots[voter]))
    if stage == "voting":
        return
    close_at = (
        times[-1] + minutes(rng.randint(10, 90))
        if everyone
        else e.voting_close + minutes(rng.randint(10, 150))
    )
    closer = rng.choice(tl.state.voters(e.council))
    yield close_at, c.CloseElection(closer, election_id)
    assert e.result is not None
    if sorted(e.result["elected"]) != sorted(winners):
        raise StoryError(f"{election_id} elected {e.result['elected']}, not {list(winners)}")


def plan_ballots(
    rng: random.Random,
    e: Election,
    voters: Sequence[str],
    winners: Sequence[str],
    turnout: float,
) -> dict[str, list[str]]:
    """Ballots that look like people's (varied, some self-votes) and elect ``winners``."""
    candidates = list(e.candidates)
    count = len(voters) if turnout >= 1 else max(1, round(turnout * len(voters)))
    method = METHODS[e.method]
    for _ in range(1000):
        who = sorted(rng.sample(list(voters), count))
        ballots: dict[str, list[str]] = {}
        for voter in who:
            if e.method == "plurality":
                if voter in candidates and rng.random() < 0.8:
                    ballots[voter] = [voter]
                    continue
                weights = [3.0 if cand in winners else 2.0 for cand in candidates]
                ballots[voter] = [rng.choices(candidates, weights)[0]]
            elif e.method in STV_METHODS:
                # A ranking: a candidate the story elects ranks herself first (one the story
                # defeats modestly does not), the favoured candidates mostly ahead of the
                # others, and not always every candidate ranked.
                def key(cand: str, voter: str = voter) -> float:
                    if cand == voter:
                        return -1.0 if cand in winners else 2.0
                    return rng.random() * (0.6 if cand in winners else 1.0)

                ranking = sorted(candidates, key=key)
                ballots[voter] = ranking[: rng.randint(max(1, len(ranking) // 2), len(ranking))]
            else:
                marks = [
                    cand
                    for cand in candidates
                    if cand == voter or rng.random() < (0.75 if cand in winners else 0.4)
                ]
                ballots[voter] = marks or [rng.choice(list(winners))]
        result = method.count(candidates, ballots, e.seats, tie_seed(e.id, ballots))
        # In the small councils of delegates an STV count can need a lot late in the count;
        # that is believable (and recorded with its seed), a lot between open ballots less so.
        by_lot_ok = e.method in STV_METHODS
        if sorted(result["elected"]) == sorted(winners) and (
            by_lot_ok or not result["tie_broken_by_lot"]
        ):
            return ballots
    raise StoryError(f"no ballots elect {list(winners)} in {e.id}")


def motion(
    tl: Timeline,
    rng: random.Random,
    *,
    at: datetime,
    council: str,
    mover: str,
    title: str,
    text: str,
    roll: tuple[float, float, float],
    carried: bool | None = None,
    effect: dict[str, object] | None = None,
    fixed: dict[str, str] | None = None,
    stage: str = "decided",
    sponsors: int | None = None,
    sponsor_gap: tuple[int, int] = (15, 300),
    until: datetime | None = None,
    abstainers: Sequence[str] = (),
) -> Story:
    """A motion is filed at ``at``, co-sponsored onto the agenda, voted on and decided.

    ``roll`` is (yes, no, abstain): whole numbers of voters, or shares of the council's voters
    when below 1.  ``fixed`` sets some voters' choices (a delegate's vote her constituents will
    remember).  ``stage``: ``sponsors`` (only ``sponsors`` co-sponsors sign, so it stays
    filed), ``voting`` (votes cast until ``until``, not closed) or ``decided``.
    """
    yield at, None
    council_id = tl.council(council)
    events = yield at + minutes(1), c.FileMotion(mover, council_id, title, text, effect)
    motion_id = created(events, "motion_filed")
    m = tl.state.motions[motion_id]
    pool = [v for v in tl.state.voters(council_id) if v != mover and v not in abstainers]
    rng.shuffle(pool)
    t = at + minutes(1)
    signed = 0
    while m.status == "filed":
        if stage == "sponsors" and signed >= (sponsors or 0):
            return
        t += minutes(rng.randint(*sponsor_gap))
        yield t, c.CoSponsor(pool.pop(), motion_id)
        signed += 1
    if stage == "sponsors":
        raise StoryError(f"{motion_id} reached the agenda; it was meant to gather co-sponsors")
    assert m.vote_opens is not None and m.vote_closes is not None
    yield m.vote_opens + minutes(rng.randint(2, 60)), None
    voters = tl.state.voters(council_id)
    choices = plan_roll(rng, voters, m.sponsors, roll, fixed or {}, abstainers)
    order = list(choices)
    rng.shuffle(order)
    everyone = set(choices) == set(voters)
    end = until if stage == "voting" and until else m.vote_closes - hours(2)
    if everyone:
        end = min(end, m.vote_opens + hours(rng.randint(20, 40)))
    times = spread(rng, tl.at_least(m.vote_opens) + minutes(1), end, len(order), gap=30)
    for when, voter in zip(times, order, strict=True):
        yield when, c.CastVote(voter, motion_id, choices[voter])
    if stage == "voting":
        return
    close_at = (
        times[-1] + minutes(rng.randint(10, 90))
        if everyone
        else m.vote_closes + minutes(rng.randint(10, 150))
    )
    yield close_at, c.CloseVote(rng.choice(voters), motion_id)
    if carried is not None and (m.status == "carried") != carried:
        raise StoryError(f"{motion_id} ({title}) was {m.status}; the script wanted otherwise")


def plan_roll(
    rng: random.Random,
    voters: Sequence[str],
    sponsors: Sequence[str],
    roll: tuple[float, float, float],
    fixed: dict[str, str],
    abstainers: Sequence[str],
) -> dict[str, str]:
    """Who votes what: the fixed choices, then yes (sponsors first), no and abstain."""
    wanted = [
        int(share) if share >= 1 or share == 0 else round(share * len(voters)) for share in roll
    ]
    choices = {v: ch for v, ch in fixed.items() if v in voters}
    for index, choice in enumerate(("yes", "no", "abstain")):
        wanted[index] -= sum(1 for ch in choices.values() if ch == choice)
    free = [v for v in voters if v not in choices and v not in abstainers]
    rng.shuffle(free)
    free.sort(key=lambda v: v not in sponsors)  # those who sponsored it vote for it
    for index, choice in enumerate(("yes", "no", "abstain")):
        take = max(0, wanted[index])
        if take > len(free):
            raise StoryError(f"not enough voters left for {take} {choice} votes")
        if choice == "yes":
            picked, free = free[:take], free[take:]
        else:
            picked, free = free[len(free) - take :], free[: len(free) - take]
        for voter in picked:
            choices[voter] = choice
    return choices
