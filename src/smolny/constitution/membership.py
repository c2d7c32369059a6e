"""Joining, transferring and leaving: rights that need no one's approval.

DESIGN: "Leaving and transferring are rights: a member can leave or move to another council at
any time."  Leaving or transferring ends the mandates held for the council left (and any seat
higher up that depended on them), and opens by-elections for them.
"""

from __future__ import annotations

import re

from . import commands as c
from .context import Ctx, conflict
from .errors import DomainError
from .state import Mandate

MAX_ID = 64
GENERATED_ID = re.compile(r"[A-Z]+[0-9]+")
"""The shape of the ids the constitution gives councils, tendencies, motions and the rest
(``Ctx.new_id``); some of them stand as the actor of an entry (a private support is recorded
under its tendency, a seceded council's first entries under the council)."""
RESERVED_IDS = frozenset({"server"})
"""Actors that are not members: the server's pruning of lapsed supports."""


def join(ctx: Ctx, cmd: c.Join) -> None:
    if (
        not ctx.actor
        or len(ctx.actor) > MAX_ID
        or not ctx.actor.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise DomainError(
            "invalid_member_id", "A member id is 1-64 letters, digits, dots, dashes or underscores."
        )
    if GENERATED_ID.fullmatch(ctx.actor) or ctx.actor in RESERVED_IDS:
        # The record's actor must say who acted: a member called "T1" or "server" would read
        # as the tendency T1 or the server in every entry she makes.
        raise DomainError(
            "reserved_member_id",
            f"{ctx.actor!r} is the kind of id the record gives councils, tendencies and "
            "motions (capital letters then digits), or the server's: choose another, "
            "for example in lower case.",
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
