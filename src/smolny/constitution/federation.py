"""The founding assembly, the council tree, and apportionment.

A federation is founded by one command; during the founding assembly its founder lays out the
council tree, and then closes the assembly.  From that moment the founder is a member like any
other: new councils are created, and seats reapportioned, only by a vote of the council above
(a motion with that effect) or by an officer that council has given that power to.
"""

from __future__ import annotations

from . import commands as c
from . import witnesses
from .apportionment import apportion
from .context import Ctx, conflict
from .errors import DomainError, NotAllowed
from .params import Params


def found(ctx: Ctx, cmd: c.FoundFederation) -> None:
    if ctx.state.federation is not None:
        raise conflict("already_founded", "This federation has already been founded.")
    ctx.require_text(cmd.name, "federation's name", 200)
    ctx.require_text(cmd.congress_name, "congress's name", 200)
    params = Params.from_dict(dict(cmd.params))
    founded: dict[str, object] = {
        "name": cmd.name.strip(),
        "founder": ctx.actor,
        "params": params.to_dict(),
    }
    admitted = witnesses.at_founding(cmd.witnesses, params.witness_quorum)
    if admitted:  # a federation founded without witnesses records what it always did
        founded["witnesses"] = admitted
    ctx.emit("federation_founded", **founded)
    ctx.emit(
        "council_created",
        id=ctx.new_id("C"),
        name=cmd.congress_name.strip(),
        parent=None,
        base=False,
    )


def require_founder(ctx: Ctx, what: str) -> None:
    if not ctx.state.founding:
        raise NotAllowed(
            "founding_closed",
            f"The founding assembly is closed; to {what}, the council above must "
            "vote a motion for it.",
        )
    if ctx.actor != ctx.state.founder:
        raise NotAllowed("not_founder", f"Only the founder can {what} during the founding.")


def create_council(ctx: Ctx, cmd: c.CreateCouncil) -> None:
    require_founder(ctx, "create councils")
    council_created(ctx, cmd.parent, cmd.name, cmd.base)


def council_created(ctx: Ctx, parent_id: str, name: str, base: bool) -> None:
    parent = ctx.council(parent_id)
    if parent.base:
        raise DomainError(
            "parent_is_base", f"{parent.name} is a base council; it holds members, not councils."
        )
    ctx.require_text(name, "council's name", 200)
    taken = {k.name.casefold() for k in ctx.state.councils.values() if not k.seceded}
    if name.strip().casefold() in taken:
        raise conflict("name_taken", f"There is already a council called {name.strip()!r}.")
    ctx.emit(
        "council_created", id=ctx.new_id("C"), name=name.strip(), parent=parent_id, base=bool(base)
    )


def close_founding(ctx: Ctx, cmd: c.CloseFounding) -> None:
    require_founder(ctx, "close the founding assembly")
    ctx.emit("founding_closed")


def reapportion(ctx: Ctx, cmd: c.Reapportion) -> None:
    council = ctx.council(cmd.council)
    if not ctx.state.founding or ctx.actor != ctx.state.founder:
        offices = ctx.state.offices_of(ctx.actor, council.id)
        if not any("reapportion" in council.powers.get(o, []) for o in offices):
            raise NotAllowed(
                "no_power",
                f"Only an officer of {council.name} given the power to reapportion "
                "can do this; otherwise the council decides it by motion.",
            )
    seats_apportioned(ctx, council.id)


def seats_apportioned(ctx: Ctx, council_id: str) -> None:
    council = ctx.council(council_id)
    if council.base:
        raise DomainError(
            "base_has_no_children",
            f"{council.name} is a base council; it has no delegations to divide.",
        )
    children = [k for k in council.children if not ctx.state.councils[k].seceded]
    members = {k: ctx.state.members_represented(k) for k in children}
    seats = apportion(ctx.state.params, members)
    ctx.emit(
        "seats_apportioned",
        council=council_id,
        rule=ctx.state.params.seat_rule,
        members=members,
        seats=seats,
    )
