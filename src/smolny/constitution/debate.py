"""Debate on a motion: a speaker list whose order is the constitution's, and a chair whose every
ruling is recorded and can be overturned by the floor.

DESIGN: "Oppositionists got five minutes after three-hour speeches; organized heckling drowned
them" — so "speaker lists alternate for and against and give each tendency equal time; every
ruling of the chair is recorded and can be overturned by the floor."  The rules here:

- While a motion is on the agenda and its vote has not closed, every voter of its council may
  ask to speak for or against it, for herself or on behalf of a tendency she supports *by
  name* (a private support is anonymous, so whoever holds one speaks for herself).  She may
  withdraw while she waits.
- The order is decided here (:func:`order`), never by the chair: a speaker the floor restored
  comes first; then sides alternate, for and against (the side that is not waiting does not
  hold the other back); within a side the tendency that has held the floor least in this
  debate goes first (the non-aligned count as one group), and within a group, first come.
  The chair only *gives* the floor (to whoever the rules designate) and cannot pick.
- Every speech has the same limit, ``speech_minutes``.  The speaker may end hers at any time;
  once it is up the chair, or any voter (so that a chair cannot let an ally run on), ends it.
  A chair who wants a speaker to stop sooner must call her to order: a ruling.
- A ruling (closing the list, calling the speaker to order, or ruling on a point of order in
  words) carries its reason and stays in the record.  Any voter of the council may challenge
  it; the floor then votes for ``challenge_minutes`` by open roll call, and a simple majority
  of the votes cast overturns it (a tie upholds it).  Overturned, its effect is undone: a
  closed list reopens; a speaker called to order gets the rest of her time back, at the head
  of the list.

Time held is counted as held (the end of a speech minus its start, in whole seconds): a
speech that ran over its limit counts against its tendency as it ran.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from . import commands as c
from .apply import _count, folds
from .context import Ctx, acting_member, conflict, would_decide
from .errors import DomainError, NotAllowed, NotFound
from .events import fmt_time, parse_time
from .state import Debate, Motion, Ruling, Speaker, State
from .words import when

SIDES = ("for", "against")
KINDS = ("close_list", "call_to_order", "point_of_order")
CHOICES = ("uphold", "overturn")
NON_ALIGNED = ""
"""The group of those who speak for themselves, in :func:`time_used`."""


# --- the order of speakers: pure, and the only one there is --------------------------------


def group(speaker: Speaker) -> str:
    """The group a speaker's time counts for: her tendency, or the non-aligned."""
    return speaker.tendency or NON_ALIGNED


def time_used(state: State, motion_id: str) -> dict[str, int]:
    """Seconds each group has held the floor in this debate (speeches ended)."""
    used: dict[str, int] = {}
    debate = state.debates.get(motion_id)
    for speaker_id in debate.speakers if debate else []:
        speaker = state.speakers[speaker_id]
        if speaker.held is not None:
            used[group(speaker)] = used.get(group(speaker), 0) + speaker.held
    return used


def order(state: State, motion_id: str, skip: frozenset[str] = frozenset()) -> list[Speaker]:
    """The waiting speakers in the order the rules give them the floor.

    The first is the one the chair must call next; the rest are a forecast that assumes each
    speaks her full time (the time actually held may reorder them within a side)."""
    debate = state.debates.get(motion_id)
    if debate is None:
        return []
    waiting = [
        state.speakers[s]
        for s in debate.speakers
        if state.speakers[s].status == "waiting" and s not in skip
    ]
    used = time_used(state, motion_id)
    standard = state.params.speech_minutes * 60
    last = debate.last_side
    out: list[Speaker] = []
    rest: list[Speaker] = []
    for speaker in waiting:
        if speaker.restored_by is not None:
            out.append(speaker)
            used[group(speaker)] = used.get(group(speaker), 0) + (speaker.seconds or standard)
            last = speaker.side
        else:
            rest.append(speaker)
    while rest:
        sides = {s.side for s in rest}
        side = ("against" if last == "for" else "for") if len(sides) == 2 else sides.pop()
        # ``rest`` is in the order asked, and ``min`` keeps the first of equals: the group that
        # has spoken least, the one that asked first among those, and its first speaker.
        chosen = min((s for s in rest if s.side == side), key=lambda s: used.get(group(s), 0))
        out.append(chosen)
        rest.remove(chosen)
        used[group(chosen)] = used.get(group(chosen), 0) + standard
        last = side
    return out


def chairs(state: State, council_id: str) -> list[str]:
    """Who holds the chair of a council now."""
    return [
        m.holder
        for m in state.active_mandates(body=council_id)
        if m.kind == "office" and m.office == "chair"
    ]


def duration(seconds: int) -> str:
    """``4 minutes 30 seconds``: a time held or left, in words."""
    minutes, rest = divmod(max(0, seconds), 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


# --- checks -----------------------------------------------------------------------------------


def _open(ctx: Ctx, motion: Motion) -> None:
    """A motion is debated while it is on the agenda, until its vote closes."""
    if motion.status == "filed":
        raise conflict(
            "not_on_agenda",
            "This motion is not on the agenda yet; it is debated once its co-sponsors put it there.",
        )
    if motion.status != "agenda":
        raise conflict(
            "debate_over", f"The debate on this motion is over: the motion was {motion.status}."
        )
    assert motion.vote_closes is not None
    if ctx.now >= motion.vote_closes:
        raise conflict(
            "debate_over",
            f"The debate on this motion ended when its vote closed, on {when(motion.vote_closes)}.",
        )


def _is_chair(ctx: Ctx, council_id: str) -> bool:
    return ctx.actor in chairs(ctx.state, council_id)


def _require_chair(ctx: Ctx, motion: Motion, what: str) -> None:
    ctx.me()
    council = ctx.council(motion.council)
    holders = chairs(ctx.state, council.id)
    if ctx.actor not in holders:
        if not holders:
            raise conflict(
                "no_chair",
                f"{council.name} has no chair in office to {what}; the council elects one "
                "(an election of its chair).",
            )
        names = " and ".join(ctx.state.members[h].name for h in holders)
        raise NotAllowed("not_chair", f"Only the chair of {council.name} ({names}) can {what}.")
    ctx.require_rights(what)


def _speaking(ctx: Ctx, motion: Motion) -> Speaker:
    debate = ctx.state.debates.get(motion.id)
    if debate is None or debate.speaking is None:
        raise conflict("no_one_speaking", "No one has the floor on this motion now.")
    return ctx.state.speakers[debate.speaking]


def _held(ctx: Ctx, speaker: Speaker) -> int:
    assert speaker.started is not None
    return int((ctx.now - speaker.started).total_seconds())


def _mine(state: State, motion_id: str, member: str) -> Speaker | None:
    """Her place on the list, waiting or speaking, if she has one."""
    debate = state.debates.get(motion_id)
    for speaker_id in debate.speakers if debate else []:
        speaker = state.speakers[speaker_id]
        if speaker.member == member and speaker.status in ("waiting", "speaking"):
            return speaker
    return None


def ruling(ctx: Ctx, ruling_id: str) -> Ruling:
    found = ctx.state.rulings.get(ruling_id)
    if found is None:
        raise NotFound("no_such_ruling", f"There is no ruling of the chair {ruling_id!r}.")
    return found


# --- the speaker list -------------------------------------------------------------------------


def ask(ctx: Ctx, cmd: c.AskToSpeak) -> None:
    motion = ctx.motion(cmd.motion)
    ctx.require_voter(motion.council, "ask to speak in its debates")
    _open(ctx, motion)
    if cmd.side not in SIDES:
        raise DomainError("invalid_side", "Ask to speak either for or against the motion.")
    debate = ctx.state.debates.get(motion.id)
    if debate is not None and debate.closed_by is not None:
        raise conflict(
            "list_closed",
            f"The chair closed the speaker list by ruling {debate.closed_by}; no one can be added "
            "unless the floor overturns it, and any voter may challenge it.",
        )
    mine = _mine(ctx.state, motion.id, ctx.actor)
    if mine is not None:
        if mine.status == "speaking":
            raise conflict("already_listed", "You have the floor now.")
        raise conflict(
            "already_listed",
            "You are already on the speaker list; withdraw first to change side or tendency.",
        )
    tendency_id = (cmd.tendency or "").strip() or None
    if tendency_id is not None:
        found = ctx.state.tendencies.get(tendency_id)
        if found is None:
            raise NotFound("no_such_tendency", f"There is no tendency {tendency_id!r}.")
        if found.status != "active":
            raise conflict("not_founded", f"{found.name} is still being founded.")
        if ctx.actor not in found.named:
            raise NotAllowed(
                "not_a_named_supporter",
                f"Only members who support {found.name} by name can speak on its behalf; a "
                "private support stays private, so speak for yourself, or declare your "
                "support by name first.",
            )
    ctx.emit(
        "speaker_requested",
        motion=motion.id,
        speaker=ctx.new_id("SP"),
        member=ctx.actor,
        side=cmd.side,
        tendency=tendency_id,
    )


def withdraw(ctx: Ctx, cmd: c.WithdrawRequestToSpeak) -> None:
    motion = ctx.motion(cmd.motion)
    ctx.me()
    mine = _mine(ctx.state, motion.id, ctx.actor)
    if mine is None or mine.status != "waiting":
        raise conflict(
            "not_on_list",
            "You are not waiting on this motion's speaker list; only a speaker can take her own "
            "name off it.",
        )
    ctx.emit("speaker_withdrawn", motion=motion.id, speaker=mine.id, member=ctx.actor)


def give_floor(ctx: Ctx, cmd: c.GiveFloor) -> None:
    motion = ctx.motion(cmd.motion)
    _require_chair(ctx, motion, "give the floor")
    _open(ctx, motion)
    debate = ctx.state.debates.get(motion.id)
    if debate is not None and debate.speaking is not None:
        speaker = ctx.state.speakers[debate.speaking]
        raise conflict(
            "floor_taken",
            f"{ctx.state.members[speaker.member].name} has the floor; her speech must end first.",
        )
    lapsed: set[str] = set()
    while True:
        queue = order(ctx.state, motion.id, frozenset(lapsed))
        if not queue:
            raise conflict("list_empty", "No one entitled to speak is waiting on the list.")
        chosen = queue[0]
        if ctx.state.is_voter(motion.council, chosen.member):
            break
        # She left, moved or lost her seat since she asked: her place lapses, in the record.
        ctx.emit(
            "speaker_withdrawn",
            motion=motion.id,
            speaker=chosen.id,
            member=chosen.member,
            lapsed=True,
        )
        lapsed.add(chosen.id)
    seconds = chosen.seconds if chosen.seconds is not None else ctx.state.params.speech_minutes * 60
    ctx.emit(
        "floor_given",
        motion=motion.id,
        speaker=chosen.id,
        member=chosen.member,
        side=chosen.side,
        tendency=chosen.tendency,
        seconds=seconds,
    )


def end_speech(ctx: Ctx, cmd: c.EndSpeech) -> None:
    motion = ctx.motion(cmd.motion)
    ctx.me()
    speaker = _speaking(ctx, motion)
    held = _held(ctx, speaker)
    if ctx.actor != speaker.member:
        council = ctx.council(motion.council)
        if not (_is_chair(ctx, council.id) or ctx.state.is_voter(council.id, ctx.actor)):
            who = "members" if council.base else "delegates"
            raise NotAllowed(
                "not_a_voter",
                f"Only the speaker, the chair or the {who} of {council.name} can end a speech.",
            )
        assert speaker.started is not None and speaker.granted is not None
        if held < speaker.granted:
            up = speaker.started + timedelta(seconds=speaker.granted)
            raise conflict(
                "time_not_up",
                f"{ctx.state.members[speaker.member].name} has the floor until {when(up)}; "
                "only she can end her speech before then. The chair may call her to order, "
                "a ruling the floor can overturn.",
            )
    ctx.emit(
        "speech_ended",
        motion=motion.id,
        speaker=speaker.id,
        member=speaker.member,
        seconds=held,
        ruling=None,
    )


# --- rulings of the chair and their challenge -------------------------------------------------


def rule(ctx: Ctx, cmd: c.MakeRuling) -> None:
    motion = ctx.motion(cmd.motion)
    _require_chair(ctx, motion, "rule in its debates")
    _open(ctx, motion)
    if cmd.kind not in KINDS:
        raise DomainError(
            "invalid_ruling",
            "A ruling closes the speaker list, calls the speaker to order, or rules on a point "
            "of order.",
        )
    ctx.require_text(cmd.reason, "reason for the ruling", 2000)
    debate = ctx.state.debates.get(motion.id)
    speaker: Speaker | None = None
    if cmd.kind == "close_list" and debate is not None and debate.closed_by is not None:
        raise conflict("list_closed", "The speaker list is already closed.")
    if cmd.kind == "call_to_order":
        speaker = _speaking(ctx, motion)
    ruling_id = ctx.new_id("CR")
    ctx.emit(
        "chair_ruled",
        motion=motion.id,
        ruling=ruling_id,
        kind=cmd.kind,
        reason=cmd.reason.strip(),
        speaker=speaker.id if speaker else None,
    )
    if speaker is not None:
        ctx.emit(
            "speech_ended",
            motion=motion.id,
            speaker=speaker.id,
            member=speaker.member,
            seconds=_held(ctx, speaker),
            ruling=ruling_id,
        )


def challenge(ctx: Ctx, cmd: c.ChallengeRuling) -> None:
    found = ruling(ctx, cmd.ruling)
    motion = ctx.state.motions[found.motion]
    ctx.require_voter(motion.council, "challenge the rulings of its chair")
    _open(ctx, motion)
    if found.status != "standing":
        raise conflict(
            "already_challenged",
            f"Ruling {found.id} has already been challenged; a ruling is challenged once.",
        )
    closes = ctx.now + timedelta(minutes=ctx.state.params.challenge_minutes)
    ctx.emit("ruling_challenged", ruling=found.id, motion=motion.id, closes=fmt_time(closes))


def _challenged(found: Ruling) -> datetime:
    if found.status == "standing":
        raise conflict(
            "not_challenged", "No one has challenged this ruling, so there is nothing to vote on."
        )
    if found.status != "challenged":
        raise conflict(
            "challenge_decided",
            f"The floor has decided this challenge: the ruling was {found.status}.",
        )
    assert found.closes is not None
    return found.closes


def vote(ctx: Ctx, cmd: c.VoteOnChallenge) -> None:
    found = ruling(ctx, cmd.ruling)
    ctx.require_voter(found.council, "vote on challenges to its chair's rulings")
    closes = _challenged(found)
    if ctx.now >= closes:
        raise conflict(
            "challenge_closed",
            f"Voting on this challenge closed on {when(closes)}; it can now be counted.",
        )
    if cmd.choice not in CHOICES:
        raise DomainError("invalid_choice", "Vote to uphold the ruling or to overturn it.")
    ctx.emit(
        "challenge_voted",
        ruling=found.id,
        motion=found.motion,
        member=ctx.actor,
        choice=cmd.choice,
    )


def close_challenge(ctx: Ctx, cmd: c.CloseChallenge) -> None:
    found = ruling(ctx, cmd.ruling)
    ctx.me()
    closes = _challenged(found)
    voters = set(ctx.state.voters(found.council))
    if ctx.now < closes and not (voters and voters <= set(found.votes)):
        raise conflict(
            "challenge_open",
            f"Voting on this challenge is open until {when(closes)}, unless every voter has "
            "voted before then.",
        )
    roll = [choice for voter, choice in found.votes.items() if voter in voters]
    overturn = roll.count("overturn")
    uphold = roll.count("uphold")
    overturned = overturn > uphold  # a simple majority of the votes cast; a tie upholds
    ctx.emit(
        "challenge_decided",
        ruling=found.id,
        motion=found.motion,
        overturned=overturned,
        overturn=overturn,
        uphold=uphold,
        electorate=len(voters),
    )
    if overturned:
        _undo(ctx, found)


def may_close_challenge(
    state: State, ruling_id: str, now: datetime, member: str | None = None
) -> bool:
    """Whether ``member`` may count the floor's votes on a challenged ruling at ``now``
    (``None``: whether a member could, for a visitor who would sign in first): the motion page
    offers "Count the votes" only then, as it offers a vote's close, so nobody presses a button
    that :func:`close_challenge` would refuse while the floor is still voting."""
    actor = acting_member(state, member)
    if actor is None or ruling_id not in state.rulings:
        return False
    return would_decide(state, close_challenge, c.CloseChallenge(actor, ruling_id), now)


def _undo(ctx: Ctx, found: Ruling) -> None:
    """The effect of an overturned ruling, undone."""
    debate = ctx.state.debates[found.motion]
    if found.kind == "close_list" and debate.closed_by == found.id:
        ctx.emit("speaker_list_reopened", motion=found.motion, ruling=found.id)
    if found.kind != "call_to_order" or found.speaker is None:
        return
    speaker = ctx.state.speakers[found.speaker]
    assert speaker.granted is not None and speaker.held is not None
    left = speaker.granted - speaker.held
    motion = ctx.state.motions[found.motion]
    still_debated = motion.status == "agenda" and (
        motion.vote_closes is None or ctx.now < motion.vote_closes
    )
    if left > 0 and still_debated:
        ctx.emit(
            "speaker_restored",
            motion=found.motion,
            ruling=found.id,
            speaker=ctx.new_id("SP"),
            member=speaker.member,
            side=speaker.side,
            tendency=speaker.tendency,
            seconds=left,
        )


# --- folds ------------------------------------------------------------------------------------


def _debate(s: State, motion_id: str) -> Debate:
    debate = s.debates.get(motion_id)
    if debate is None:
        debate = Debate(motion=motion_id, council=s.motions[motion_id].council)
        s.debates[motion_id] = debate
    return debate


def _dirty(s: State, d: dict[str, Any]) -> None:
    s.dirty.add(("debate", d["motion"]))
    s.dirty.add(("speaker", d["speaker"]))


@folds("speaker_requested")
def _requested(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    speaker = Speaker(d["speaker"], d["motion"], d["member"], d["side"], d["tendency"], at)
    s.speakers[speaker.id] = speaker
    _debate(s, speaker.motion).speakers.append(speaker.id)
    _count(s, "SP", speaker.id)
    _dirty(s, d)


@folds("speaker_withdrawn")
def _withdrawn(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    speaker = s.speakers[d["speaker"]]
    speaker.status = "withdrawn"
    speaker.ended = at
    _dirty(s, d)


@folds("floor_given")
def _floor(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    speaker = s.speakers[d["speaker"]]
    speaker.status = "speaking"
    speaker.started = at
    speaker.granted = d["seconds"]
    debate = s.debates[d["motion"]]
    debate.speaking = speaker.id
    debate.last_side = speaker.side
    _dirty(s, d)


@folds("speech_ended")
def _ended(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    speaker = s.speakers[d["speaker"]]
    speaker.status = "called_to_order" if d["ruling"] else "spoke"
    speaker.ended = at
    speaker.held = d["seconds"]
    speaker.ended_by = d["ruling"]
    s.debates[d["motion"]].speaking = None
    _dirty(s, d)


@folds("chair_ruled")
def _ruled(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    debate = _debate(s, d["motion"])
    found = Ruling(
        id=d["ruling"],
        motion=d["motion"],
        council=debate.council,
        chair=actor,
        kind=d["kind"],
        reason=d["reason"],
        at=at,
        speaker=d["speaker"],
    )
    s.rulings[found.id] = found
    debate.rulings.append(found.id)
    if found.kind == "close_list":
        debate.closed_by = found.id
    _count(s, "CR", found.id)
    s.dirty.update({("ruling", found.id), ("debate", found.motion)})


@folds("ruling_challenged")
def _challenged_fold(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    found = s.rulings[d["ruling"]]
    found.status = "challenged"
    found.challenged_by = actor
    found.challenged_at = at
    found.closes = parse_time(d["closes"])
    s.dirty.add(("ruling", found.id))


@folds("challenge_voted")
def _voted(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.rulings[d["ruling"]].votes[d["member"]] = d["choice"]
    s.dirty.add(("ruling", d["ruling"]))
    s.dirty.add(("challenge_vote", f"{d['ruling']} {d['member']}"))  # her row, not the roll


@folds("challenge_decided")
def _decided(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    found = s.rulings[d["ruling"]]
    found.status = "overturned" if d["overturned"] else "upheld"
    found.decided_at = at
    found.outcome = {k: v for k, v in d.items() if k not in ("ruling", "motion")}
    s.dirty.update({("ruling", found.id), ("debate", found.motion)})


@folds("speaker_list_reopened")
def _reopened(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.debates[d["motion"]].closed_by = None
    s.dirty.add(("debate", d["motion"]))


@folds("speaker_restored")
def _restored(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    speaker = Speaker(
        d["speaker"],
        d["motion"],
        d["member"],
        d["side"],
        d["tendency"],
        at,
        seconds=d["seconds"],
        restored_by=d["ruling"],
    )
    s.speakers[speaker.id] = speaker
    s.debates[speaker.motion].speakers.append(speaker.id)
    _count(s, "SP", speaker.id)
    _dirty(s, d)
