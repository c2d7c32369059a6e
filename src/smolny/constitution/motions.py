"""Motions: any voter files, others co-sponsor, the rules put it on the agenda, the council votes.

DESIGN: a motion is "placed on the agenda by itself once enough co-sponsors sign" — there is no
officer who schedules it, so none can hold it back.  The vote opens after the notice period and
closes at its deadline, or as soon as every voter has voted.  Roll-call votes are public and
each delegate's vote is shown to her constituents.

A motion may carry an *effect* that the rules execute when it carries: amending the federation's
parameters (congress only, two-thirds of the votes cast), reapportioning seats, creating a
council below, granting or revoking an office's power, reversing an executive act, amending
the text of another motion still to be decided, and those later capabilities register in
``MORE_EFFECTS`` (the code of rules, secession, admitting or removing the record's witnesses).  This is how the council, not its bureau,
keeps both legislative and executive power.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from fractions import Fraction
from typing import Any

from . import commands as c
from . import secret, witnesses
from .context import Ctx, acting_member, conflict, would_decide
from .errors import DomainError, NotAllowed
from .federation import council_created, seats_apportioned
from .methods import BALLOT_MODES
from .params import Params, share_of
from .state import OFFICES, Motion, State
from .words import when

CHOICES = ("yes", "no", "abstain")
EFFECTS = (
    "amend_params",
    "reapportion",
    "create_council",
    "grant_power",
    "revoke_power",
    "reverse_act",
    "amend_text",
)
POWERS = ("convene", "publish_minutes", "issue_statement", "reapportion", "manage_documents")


EffectCheck = Callable[[Ctx, str, dict[str, Any]], dict[str, Any]]
EffectRun = Callable[[Ctx, Motion], None]
MORE_EFFECTS: dict[str, tuple[EffectCheck, EffectRun, bool]] = {}
"""Effects added by later capabilities (the code of rules, secession): kind -> (check, execute,
needs two thirds)."""


def _check_effect(ctx: Ctx, council_id: str, effect: dict[str, Any]) -> dict[str, Any]:
    kind = effect.get("kind")
    council = ctx.state.councils[council_id]
    if isinstance(kind, str) and kind in MORE_EFFECTS:
        return MORE_EFFECTS[kind][0](ctx, council_id, effect)
    if kind not in EFFECTS:
        raise DomainError(
            "unknown_effect", f"A motion's effect is one of {', '.join(EFFECTS)}, or none."
        )
    if kind == "amend_params":
        if council.parent is not None:
            raise NotAllowed(
                "congress_only", "Only the congress can amend the federation's parameters."
            )
        changes = effect.get("changes")
        if not isinstance(changes, dict) or not changes:
            raise DomainError("invalid_effect", "Say which parameters change, and to what.")
        amended = Params.from_dict(ctx.state.params.to_dict() | changes).to_dict()
        witnesses.check_quorum(amended["witness_quorum"], len(ctx.state.witnesses))
        # Recorded as parsed ("4" becomes 4), so the record holds only canonical values.
        return {"kind": kind, "changes": {key: amended[key] for key in changes}}
    if kind == "reapportion":
        if council.base:
            raise DomainError(
                "base_has_no_children", f"{council.name} is a base council; it has no delegations."
            )
        return {"kind": kind}
    if kind == "create_council":
        if council.base:
            raise DomainError("parent_is_base", f"{council.name} holds members, not councils.")
        name = effect.get("name")
        if not isinstance(name, str) or not name.strip():
            raise DomainError("invalid_effect", "Name the new council.")
        taken = {k.name.casefold() for k in ctx.state.councils.values() if not k.seceded}
        if name.strip().casefold() in taken:
            raise conflict("name_taken", f"There is already a council called {name.strip()!r}.")
        return {"kind": kind, "name": name.strip(), "base": bool(effect.get("base", True))}
    if kind in ("grant_power", "revoke_power"):
        office, power = effect.get("office"), effect.get("power")
        if office not in OFFICES or power not in POWERS:
            raise DomainError(
                "invalid_effect",
                f"Name an office ({', '.join(OFFICES)}) and a power ({', '.join(POWERS)}).",
            )
        return {"kind": kind, "office": office, "power": power}
    if kind == "reverse_act":
        act = ctx.state.acts.get(str(effect.get("act")))
        if act is None or act.council != council_id:
            raise DomainError("invalid_effect", f"{council.name} has no such executive act.")
        if act.reversed_by is not None:
            raise conflict("already_reversed", "That executive act has already been reversed.")
        return {"kind": kind, "act": act.id}
    target = ctx.state.motions.get(str(effect.get("motion")))
    if target is None or target.council != council_id or target.status not in ("filed", "agenda"):
        raise DomainError(
            "invalid_effect", "An amendment must name a motion of this council not yet decided."
        )
    text = effect.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DomainError("invalid_effect", "Write the amended text.")
    return {"kind": kind, "motion": target.id, "text": text.strip()}


def file(ctx: Ctx, cmd: c.FileMotion) -> None:
    council = ctx.council(cmd.council)
    ctx.require_voter(council.id, "file motions to it")
    ctx.require_text(cmd.title, "motion's title", 300)
    ctx.require_text(cmd.text, "motion's text")
    if cmd.ballot_mode not in BALLOT_MODES:
        raise DomainError(
            "ballot_mode_unavailable",
            f"Ballot mode {cmd.ballot_mode!r} is not available; motions are decided "
            f"by {' or '.join(BALLOT_MODES)} vote.",
        )
    effect = _check_effect(ctx, council.id, dict(cmd.effect)) if cmd.effect else None
    motion_id = ctx.new_id("MO")
    ctx.emit(
        "motion_filed",
        id=motion_id,
        council=council.id,
        title=cmd.title.strip(),
        text=cmd.text.strip(),
        effect=effect,
        ballot_mode=cmd.ballot_mode,
    )
    if cmd.ballot_mode == "secret":
        secret.configure(ctx, motion_id, "motion", council.id, cmd.trustees, cmd.threshold)
    _maybe_agenda(ctx, motion_id, council.id, {ctx.actor})


def _maybe_agenda(ctx: Ctx, motion_id: str, council_id: str, sponsors: set[str]) -> None:
    voters = set(ctx.state.voters(council_id))
    needed = share_of(ctx.state.params.cosponsor_share, len(voters))
    have = len(sponsors & voters)
    if have >= needed:
        params = ctx.state.params
        ctx.emit(
            "motion_on_agenda",
            motion=motion_id,
            sponsors=have,
            needed=needed,
            vote_opens=ctx.later(params.motion_notice_hours),
            vote_closes=ctx.later(params.motion_notice_hours + params.voting_hours),
        )


def cosponsor(ctx: Ctx, cmd: c.CoSponsor) -> None:
    motion = ctx.motion(cmd.motion)
    ctx.require_voter(motion.council, "co-sponsor its motions")
    if motion.status != "filed":
        raise conflict(
            "not_seeking_sponsors",
            f"This motion is no longer gathering co-sponsors (it is {motion.status}).",
        )
    if ctx.actor in motion.sponsors:
        raise conflict("already_sponsor", "You already sponsor this motion.")
    ctx.emit("motion_cosponsored", motion=motion.id, member=ctx.actor)
    _maybe_agenda(ctx, motion.id, motion.council, set(motion.sponsors) | {ctx.actor})


def withdraw(ctx: Ctx, cmd: c.WithdrawMotion) -> None:
    motion = ctx.motion(cmd.motion)
    ctx.me()
    if motion.filed_by != ctx.actor:
        raise NotAllowed("not_mover", "Only the member who filed a motion can withdraw it.")
    if motion.status != "filed":
        raise conflict(
            "on_agenda",
            "A motion on the agenda belongs to the council; it can no longer be "
            "withdrawn, only voted down.",
        )
    ctx.emit("motion_withdrawn", motion=motion.id)


def _voting_window(ctx: Ctx, motion: Motion) -> None:
    if motion.status != "agenda":
        if motion.status == "filed":
            raise conflict(
                "not_on_agenda", "This motion is not on the agenda yet; it needs more co-sponsors."
            )
        raise conflict("motion_decided", f"This motion has been decided ({motion.status}).")
    assert motion.vote_opens is not None and motion.vote_closes is not None
    if ctx.now < motion.vote_opens:
        raise conflict("vote_not_open", f"Voting opens at {when(motion.vote_opens)}.")


def vote(ctx: Ctx, cmd: c.CastVote) -> None:
    motion = ctx.motion(cmd.motion)
    ctx.require_voter(motion.council, "vote on its motions")
    _voting_window(ctx, motion)
    assert motion.vote_closes is not None
    if ctx.now >= motion.vote_closes:
        raise conflict("vote_closed", "Voting has closed; the motion can now be decided.")
    if motion.ballot_mode == "secret":
        raise secret.refuse_open_vote(motion.id)
    if cmd.choice not in CHOICES:
        raise DomainError("invalid_choice", "Vote yes, no or abstain.")
    ctx.emit("vote_cast", motion=motion.id, member=ctx.actor, choice=cmd.choice)


def close(ctx: Ctx, cmd: c.CloseVote) -> None:
    motion = ctx.motion(cmd.motion)
    ctx.me()
    _voting_window(ctx, motion)
    if motion.ballot_mode == "secret":
        secret.close(ctx, motion.id)
        return
    voters = set(ctx.state.voters(motion.council))
    assert motion.vote_closes is not None
    if ctx.now < motion.vote_closes and not (voters and voters <= set(motion.votes)):
        raise conflict(
            "vote_still_open",
            f"Voting is open until {when(motion.vote_closes)}, unless every voter "
            "has voted before then.",
        )
    roll = {v: ch for v, ch in sorted(motion.votes.items()) if v in voters}
    yes = sum(1 for ch in roll.values() if ch == "yes")
    no = sum(1 for ch in roll.values() if ch == "no")
    abstain = sum(1 for ch in roll.values() if ch == "abstain")
    decide_counts(ctx, motion, yes, no, abstain, len(voters), roll)


def may_close(state: State, motion_id: str, now: datetime, member: str | None = None) -> bool:
    """Whether ``member`` may close the vote on ``motion_id`` at ``now`` (``None``: whether a
    member could, for a visitor who would sign in first): the motion page offers the button
    only then, so nobody is invited to an action the rules would refuse.

    A roll call asks :func:`close` itself (counting a roll is cheap, and the rule then has one
    statement); a secret ballot's close has several legitimate ends (publishing the tally,
    declaring the decrypted result, closing a ballot nobody can decide as void), which
    :func:`.secret.may_close` asks.
    """
    actor = acting_member(state, member)
    motion = state.motions.get(motion_id)
    if actor is None or motion is None or motion.status != "agenda":
        return False
    if motion.vote_opens is None or now < motion.vote_opens:
        return False
    if motion.ballot_mode == "secret":
        return secret.may_close(state, motion_id, now, member)
    return would_decide(state, close, c.CloseVote(actor, motion_id), now)


def decide_counts(
    ctx: Ctx, motion: Motion, yes: int, no: int, abstain: int, electorate: int, roll: dict[str, str]
) -> None:
    """Decide the motion from its counts (a roll call's, or a secret ballot's decryption).

    The roll itself is not repeated in the event: each vote is already an entry of its own
    (and a row of the read models), and a council of thousands would make this entry too
    large to record.  ``roll`` is the roll the counts come from, for the caller's checks.
    """
    two_thirds = bool(
        motion.effect
        and (
            motion.effect["kind"] == "amend_params"
            or MORE_EFFECTS.get(motion.effect["kind"], (None, None, False))[2]
        )
    )
    # Constitutional amendments need two thirds of the votes cast; all else a simple majority.
    carried = (yes > 0 and Fraction(yes, yes + no) >= Fraction(2, 3)) if two_thirds else yes > no
    ctx.emit(
        "motion_decided",
        motion=motion.id,
        carried=carried,
        yes=yes,
        no=no,
        abstain=abstain,
        electorate=electorate,
        majority="two_thirds" if two_thirds else "simple",
    )
    if carried and motion.effect:
        _execute(ctx, motion)


def _execute(ctx: Ctx, motion: Motion) -> None:
    effect = motion.effect
    assert effect is not None
    kind = effect["kind"]
    if kind in MORE_EFFECTS:
        MORE_EFFECTS[kind][1](ctx, motion)
        return
    if kind == "amend_params":
        merged = ctx.state.params.to_dict() | effect["changes"]
        try:
            amended = Params.from_dict(merged)
            witnesses.check_quorum(amended.witness_quorum, len(ctx.state.witnesses))
        except DomainError as refusal:
            ctx.emit(
                "effect_lapsed",
                motion=motion.id,
                reason="the quorum would exceed the witnesses admitted"
                if refusal.code == "quorum_above_witnesses"
                else "the amendment no longer fits the parameters in force",
            )
            return
        ctx.emit("params_amended", motion=motion.id, changes=effect["changes"])
    elif kind == "reapportion":
        seats_apportioned(ctx, motion.council)
    elif kind == "create_council":
        try:
            council_created(ctx, motion.council, effect["name"], effect["base"])
        except DomainError as refusal:
            # The name may have been taken since filing; the vote must still be decidable.
            ctx.emit("effect_lapsed", motion=motion.id, reason=refusal.message)
    elif kind in ("grant_power", "revoke_power"):
        ctx.emit(
            "power_" + ("granted" if kind == "grant_power" else "revoked"),
            council=motion.council,
            office=effect["office"],
            power=effect["power"],
            motion=motion.id,
        )
    elif kind == "reverse_act":
        ctx.emit("act_reversed", act=effect["act"], motion=motion.id)
    elif kind == "amend_text":
        target = ctx.state.motions[effect["motion"]]
        if target.status in ("filed", "agenda"):
            ctx.emit("motion_amended", motion=target.id, amendment=motion.id, text=effect["text"])
        else:
            ctx.emit(
                "effect_lapsed", motion=motion.id, reason="the amended motion was decided first"
            )
