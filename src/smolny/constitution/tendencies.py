"""Tendencies: any group of members organizes, with a platform, and is counted without a list.

DESIGN: "Any group of members can form a tendency, publish its platform to everyone it
concerns."  Serge's record is of oppositionists whose names on a list became the list of the
next purge, so a supporter's name is private by default:

- The record holds, for each private support, only a salted commitment
  ``SHA-256(TAG || 0 || member || 0 || tendency || 0 || salt)`` with a 32-byte salt, and the
  entry's ``actor`` is the tendency's id, not the member's: nothing in the public record names
  the supporter.  The count is the number of live commitments (plus named supporters), which
  anyone can recompute from the record; each supporter can find her own commitment there.
- The salt is ``HMAC-SHA256(support_key, "salt" || 0 || tendency)``, and the support key is
  derived by the web layer from a server-side secret and the member's id (pages and API give
  it to nobody but the member).  With the key, ``decide`` can recompute the member's
  commitment for every tendency of a scope, which is how it enforces "one tendency per scope"
  and lets her withdraw, without the state ever holding who supports what.

What this costs, stated in docs/freedoms.md ("Threat model"): the server's operator, who holds
the secret, can recompute every member's commitments and so knows who supports what; and a
replay of the record cannot re-check that each private support came from a distinct eligible
member (``decide`` checked it when the command came in; the record keeps only the outcome).

Founding is public: the filer names her co-founders and each confirms; founders' names are in
the record.  Founders are not supporters by virtue of founding: each declares support as
anyone does, privately or named.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from . import commands as c
from .apply import _count, folds
from .context import Ctx, conflict
from .errors import DomainError, NotAllowed, NotFound
from .events import Event
from .state import State, Tendency

TAG = b"smolny/support/v1"
KEY_HEX = 64


def support_salt(support_key: str, tendency: str) -> bytes:
    """The 32-byte salt of one member's support of one tendency."""
    return hmac.new(
        bytes.fromhex(support_key), b"salt\x00" + tendency.encode(), hashlib.sha256
    ).digest()


def commitment(member: str, tendency: str, salt: bytes) -> str:
    """The hex commitment the record holds for a private support."""
    data = TAG + b"\x00" + member.encode() + b"\x00" + tendency.encode() + b"\x00" + salt
    return hashlib.sha256(data).hexdigest()


def my_commitment(member: str, tendency: str, support_key: str) -> str:
    return commitment(member, tendency, support_salt(support_key, tendency))


def tendency(ctx: Ctx, tendency_id: str) -> Tendency:
    found = ctx.state.tendencies.get(tendency_id)
    if found is None:
        raise NotFound("no_such_tendency", f"There is no tendency {tendency_id!r}.")
    return found


def require_in_scope(ctx: Ctx, scope: str, what: str) -> None:
    ctx.me()
    council = ctx.council(scope)
    if not ctx.state.in_scope(scope, ctx.actor):
        raise NotAllowed("not_in_scope", f"Only members within {council.name} can {what}.")
    ctx.require_rights(what)


# --- founding ------------------------------------------------------------------------------


def propose(ctx: Ctx, cmd: c.ProposeTendency) -> None:
    require_in_scope(ctx, cmd.scope, "found a tendency there")
    ctx.require_text(cmd.name, "tendency's name", 200)
    ctx.require_text(cmd.platform, "tendency's platform", 20000)
    name = cmd.name.strip()
    for other in ctx.state.tendencies.values():
        if other.scope == cmd.scope and other.name.casefold() == name.casefold():
            raise conflict("name_taken", f"There is already a tendency called {name!r} here.")
    founders = [ctx.actor]
    for person in cmd.founders:
        person = person.strip()
        if not person or person in founders:
            continue
        ctx.member(person)
        if not ctx.state.in_scope(cmd.scope, person):
            raise DomainError(
                "founder_not_in_scope",
                f"{person} is not a member within {ctx.state.councils[cmd.scope].name}; "
                "founders must belong to the tendency's scope.",
            )
        founders.append(person)
    needed = ctx.state.params.tendency_founders
    if len(founders) < needed:
        raise DomainError(
            "too_few_founders",
            f"A tendency needs at least {needed} founders; you named {len(founders)} "
            "(yourself included).",
        )
    tendency_id = ctx.new_id("T")
    ctx.emit(
        "tendency_proposed",
        id=tendency_id,
        scope=cmd.scope,
        name=name,
        platform=cmd.platform.strip(),
        founders=founders,
    )
    if len(founders) == 1:
        ctx.emit("tendency_founded", tendency=tendency_id, founders=founders)


def confirm(ctx: Ctx, cmd: c.ConfirmFounding) -> None:
    found = tendency(ctx, cmd.tendency)
    require_in_scope(ctx, found.scope, "found a tendency there")
    if ctx.actor not in found.founders:
        raise NotAllowed(
            "not_a_founder", f"You are not one of the founders named for {found.name}."
        )
    if found.status != "forming":
        raise conflict("already_founded", f"{found.name} has already been founded.")
    if ctx.actor in found.confirmed:
        raise conflict("already_confirmed", "You have already confirmed this founding.")
    ctx.emit("tendency_founding_confirmed", tendency=found.id, member=ctx.actor)
    if set(found.confirmed) | {ctx.actor} >= set(found.founders):
        ctx.emit("tendency_founded", tendency=found.id, founders=found.founders)


# --- support -------------------------------------------------------------------------------


def _key(support_key: str) -> str:
    key = support_key.lower() if isinstance(support_key, str) else ""
    if len(key) != KEY_HEX or any(ch not in "0123456789abcdef" for ch in key):
        raise DomainError(
            "invalid_support_key",
            "The support key is missing or malformed; support from your own page.",
        )
    return key


def current_support(ctx: Ctx, scope: str, key: str) -> Tendency | None:
    """The tendency of ``scope`` the actor supports now (named or private), if any."""
    for other in ctx.state.tendencies.values():
        if other.scope != scope:
            continue
        if ctx.actor in other.named:
            return other
        if my_commitment(ctx.actor, other.id, key) in other.commitments:
            return other
    return None


def _emit_as(ctx: Ctx, actor: str, type_: str, **data: Any) -> None:
    """An event whose public ``actor`` is a pseudonym (the tendency), not the member."""
    ctx.events.append(Event(type_, actor, ctx.at, data))


def support(ctx: Ctx, cmd: c.DeclareSupport) -> None:
    found = tendency(ctx, cmd.tendency)
    require_in_scope(ctx, found.scope, "support its tendencies")
    key = _key(cmd.support_key)
    if found.status != "active":
        raise conflict(
            "not_founded",
            f"{found.name} is still being founded: {len(found.confirmed)} of "
            f"{len(found.founders)} founders have confirmed.",
        )
    already = current_support(ctx, found.scope, key)
    if already is not None:
        if already.id == found.id:
            raise conflict("already_supporting", f"You already support {found.name}.")
        raise conflict(
            "one_per_scope",
            f"You support {already.name} in this scope; a member supports one tendency per "
            "scope. Withdraw that support first.",
        )
    if cmd.named:
        ctx.emit("support_declared", tendency=found.id, member=ctx.actor, named=True)
    else:
        _emit_as(
            ctx,
            found.id,
            "support_declared",
            tendency=found.id,
            commitment=my_commitment(ctx.actor, found.id, key),
            named=False,
        )


def withdraw(ctx: Ctx, cmd: c.WithdrawSupport) -> None:
    found = tendency(ctx, cmd.tendency)
    ctx.me()
    key = _key(cmd.support_key)
    if ctx.actor in found.named:
        ctx.emit("support_withdrawn", tendency=found.id, member=ctx.actor)
        return
    mine = my_commitment(ctx.actor, found.id, key)
    if mine not in found.commitments:
        raise conflict("not_supporting", f"You do not support {found.name}.")
    _emit_as(ctx, found.id, "support_withdrawn", tendency=found.id, commitment=mine)


def prune(ctx: Ctx, cmd: c.PruneSupports) -> None:
    """Withdraw the supports of members no longer within their tendency's scope.

    Each removal is checked here: the commitment must open, with the member's key, to a member
    who is not within the scope now; so whoever runs it can remove nothing but stale supports.
    The withdrawals are emitted sorted by tendency and commitment, so their order says nothing
    about whose they were; the record shows only that some supports lapsed at that moment."""
    stale: list[tuple[str, str, str | None]] = []
    for member, support_key in cmd.openings:
        key = _key(support_key)
        for found in ctx.state.tendencies.values():
            if ctx.state.in_scope(found.scope, member):
                continue
            if member in found.named:
                stale.append((found.id, "", member))
            mine = my_commitment(member, found.id, key)
            if mine in found.commitments:
                stale.append((found.id, mine, None))
    if not stale:
        raise conflict("nothing_to_prune", "No support of a member outside its scope was found.")
    for tendency_id, commitment_hex, named in sorted(
        set(stale), key=lambda x: (x[0], x[1], x[2] or "")
    ):
        if named is not None:
            ctx.emit("support_withdrawn", tendency=tendency_id, member=named, lapsed=True)
        else:
            _emit_as(
                ctx,
                tendency_id,
                "support_withdrawn",
                tendency=tendency_id,
                commitment=commitment_hex,
                lapsed=True,
            )


# --- folds ---------------------------------------------------------------------------------


@folds("tendency_proposed")
def _proposed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.tendencies[d["id"]] = Tendency(
        id=d["id"],
        scope=d["scope"],
        name=d["name"],
        platform=d["platform"],
        founders=list(d["founders"]),
        filed_by=actor,
        filed_at=at,
        confirmed=[actor],
    )
    _count(s, "T", d["id"])
    s.dirty.add(("tendency", d["id"]))


@folds("tendency_founding_confirmed")
def _confirmed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.tendencies[d["tendency"]].confirmed.append(d["member"])
    s.dirty.add(("tendency", d["tendency"]))


@folds("tendency_founded")
def _founded(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    found = s.tendencies[d["tendency"]]
    found.status = "active"
    found.founded_at = at
    s.dirty.add(("tendency", found.id))


@folds("support_declared")
def _declared(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    found = s.tendencies[d["tendency"]]
    if d.get("named"):
        found.named.append(d["member"])
    else:
        found.commitments.append(d["commitment"])
    s.dirty.add(("tendency", found.id))


@folds("support_withdrawn")
def _withdrawn(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    found = s.tendencies[d["tendency"]]
    if "member" in d:
        found.named.remove(d["member"])
    else:
        found.commitments.remove(d["commitment"])
    s.dirty.add(("tendency", found.id))


def count_from_record(events: list[Event], tendency_id: str) -> int:
    """The supporters of a tendency, recomputed from the record alone, without any name."""
    live: dict[str, int] = {}
    for event in events:
        if event.data.get("tendency") != tendency_id:
            continue
        token = str(event.data.get("commitment") or "named:" + str(event.data.get("member")))
        if event.type == "support_declared":
            live[token] = live.get(token, 0) + 1
        elif event.type == "support_withdrawn":
            live[token] -= 1
    return sum(live.values())
