"""Secession: a council leaves the federation with its whole subtree, and with a record.

DESIGN: "a council can leave the federation with its record."  A council's own voters carry a
motion with the effect ``secede``; when it carries, the federation's record says so: the
councils of the subtree are marked seceded, the mandates their members held end (seats of
councils that stay are refilled by by-elections, as when anyone leaves), and the members
leave the federation's state.

The departing council's own record (``secession_record``) begins with a genesis entry that
references the federation's record at that moment (its size and root hash, and its signed
checkpoint when there is one at that size), then re-founds the subtree as events: the
federation founded under the council's name with the parameters and the record's witnesses in
force, its councils, its members.  Anyone holding both records can check that the new one continues the old: the
genesis's root is the root of the federation's first ``size`` entries, and its last entries
are the secession.  Mandates, tendencies and cases are not carried over; the new federation
elects its offices and delegates afresh (docs/freedoms.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .apply import folds
from .context import Ctx
from .errors import DomainError
from .events import Event, fmt_time
from .state import State


def subtree(state: State, council_id: str) -> list[str]:
    out = [council_id]
    for child in state.councils[council_id].children:
        if not state.councils[child].seceded:
            out.extend(subtree(state, child))
    return out


def check_effect(ctx: Ctx, council_id: str, effect: dict[str, Any]) -> dict[str, Any]:
    council = ctx.state.councils[council_id]
    if council.parent is None:
        raise DomainError(
            "congress_cannot_secede",
            "The congress is the federation; it can dissolve nothing by seceding.",
        )
    return {"kind": "secede"}


def execute_effect(ctx: Ctx, motion: Any) -> None:
    council_id = motion.council
    councils = subtree(ctx.state, council_id)
    inside = set(councils)
    bases = {k for k in councils if ctx.state.councils[k].base}
    members = seceding_members(ctx.state, councils)
    # The overlay: every base council of the subtree is being left at once.
    ctx._leaving_base = set(bases)
    held = [m for p in members for m in ctx.state.active_mandates(holder=p)]
    # Seats the seceding councils elected go with them (no by-election); seats the departing
    # members held for councils that stay are refilled, as when anyone leaves.
    ctx.end_mandates([m for m in held if m.constituency in inside], "seceded", by_election=False)
    ctx.end_mandates([m for m in held if m.constituency not in inside], "seceded")
    # The members are not listed: they are those of the subtree's base councils, and a list
    # could outgrow what one record entry may hold (tlog-tiles frames entries in 64 KiB).
    ctx.emit("council_seceded", council=council_id, councils=councils, motion=motion.id)


@folds("council_seceded")
def fold_seceded(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    for key in d["councils"]:
        s.councils[key].seceded = True
        s.dirty.add(("council", key))
    for person in seceding_members(s, d["councils"]):
        member = s.members[person]
        if member.council is not None:
            s.councils[member.council].members.discard(person)
        member.history.append(("seceded", member.council or d["council"], at))
        member.council = None
        member.left_at = at
        s.dirty.add(("member", person))


def seceding_members(s: State, councils: list[str]) -> list[str]:
    return sorted(m for k in councils if s.councils[k].base for m in s.councils[k].members)


@folds("record_continued")
def fold_genesis(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.lineage = dict(d)
    s.dirty.add(("federation", "federation"))


def secession_record(before: State, seceded: Event, parent: dict[str, Any]) -> list[Event]:
    """The new record's events, from the federation's state just before ``council_seceded``.

    ``parent`` names the federation's record at that moment: ``{"origin", "size", "root"}``
    and optionally the signed ``checkpoint`` note.
    """
    council_id = seceded.data["council"]
    actor, at = council_id, seceded.at
    council = before.councils[council_id]
    out = [
        Event(
            "record_continued",
            actor,
            at,
            {
                "federation": before.name,
                "council": council_id,
                "motion": seceded.data["motion"],
                "parent": parent,
            },
        ),
        Event(
            "federation_founded",
            actor,
            at,
            {"name": council.name, "founder": actor, "params": before.params.to_dict()}
            | _witnesses(before),
        ),
    ]
    for key in seceded.data["councils"]:
        k = before.councils[key]
        out.append(
            Event(
                "council_created",
                actor,
                at,
                {
                    "id": key,
                    "name": k.name,
                    "parent": None if key == council_id else k.parent,
                    "base": k.base,
                },
            )
        )
    for person in seceding_members(before, seceded.data["councils"]):
        member = before.members[person]
        assert member.council is not None
        out.append(
            Event(
                "member_joined",
                actor,
                at,
                {"member": person, "name": member.name, "council": member.council},
            )
        )
    out.append(Event("founding_closed", actor, at, {}))
    return out


def _witnesses(before: State) -> dict[str, Any]:
    """The witnesses in force go with the parameters in force (their quorum is one of them):
    a split does not lower the bar for calling the new record's history final; its own
    congress may change both."""
    if not before.witnesses:
        return {}
    named = before.witnesses
    return {"witnesses": [{"name": n, "key": named[n].key} for n in sorted(named)]}


def seceded_at(event: Event) -> str:
    return fmt_time(event.time)
