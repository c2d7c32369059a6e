"""Joining, transferring and leaving: rights that need no one's approval.

DESIGN: "Leaving and transferring are rights: a member can leave or move to another council at
any time."  Leaving or transferring ends the mandates held for the council left (and any seat
higher up that depended on them), and opens by-elections for them.
"""

from __future__ import annotations

from . import commands as c
from .context import Ctx, conflict
from .errors import DomainError
from .state import Mandate

MAX_ID = 64


def join(ctx: Ctx, cmd: c.Join) -> None:
    if (
        not ctx.actor
        or len(ctx.actor) > MAX_ID
        or not ctx.actor.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise DomainError(
            "invalid_member_id", "A member id is 1-64 letters, digits, dots, dashes or underscores."
        )
    existing = ctx.state.members.get(ctx.actor)
    if existing is not None and existing.active:
        raise conflict(
            "already_member", "You are already a member; to move, transfer to another council."
        )
    ctx.require_text(cmd.name, "your name", 200)
    council = ctx.council(cmd.council)
    if not council.base:
        raise DomainError(
            "not_base_council", f"{council.name} holds delegates, not members; join a base council."
        )
    ctx.emit("member_joined", member=ctx.actor, name=cmd.name.strip(), council=council.id)


def transfer(ctx: Ctx, cmd: c.Transfer) -> None:
    me = ctx.me()
    council = ctx.council(cmd.council)
    if not council.base:
        raise DomainError(
            "not_base_council",
            f"{council.name} holds delegates, not members; choose a base council.",
        )
    if council.id == me.council:
        raise conflict("same_council", f"You are already a member of {council.name}.")
    assert me.council is not None
    ctx.end_mandates(_held_for(ctx, me.council), "transferred", leaving=me.council)
    ctx.emit("member_transferred", member=ctx.actor, source=me.council, council=council.id)


def leave(ctx: Ctx, cmd: c.Leave) -> None:
    me = ctx.me()
    assert me.council is not None
    ctx.end_mandates(ctx.state.active_mandates(holder=ctx.actor), "left", leaving=me.council)
    ctx.emit("member_left", member=ctx.actor, council=me.council)


def _held_for(ctx: Ctx, council_id: str) -> list[Mandate]:
    return [m for m in ctx.state.active_mandates(holder=ctx.actor) if m.constituency == council_id]
