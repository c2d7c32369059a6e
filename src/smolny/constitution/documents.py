"""Documents addressed to a body, and executive acts.

DESIGN: "A document addressed to a body reaches all its members when it is filed; no officer
can hold it back."  Delivery is part of the filing event itself: folding it delivers the
document to every voter of the body at that moment (a fact of the state, which every replay
recomputes identically), so there is no step at which anyone could withhold it.  The list is
not written into the event, so that a body of thousands does not make an entry too large to
record.

Executive acts: officers act only within powers their council granted to their office, every
act is published as it is made, and the council can reverse it by motion.
"""

from __future__ import annotations

from . import commands as c
from .context import Ctx
from .errors import NotAllowed


def file(ctx: Ctx, cmd: c.FileDocument) -> None:
    me = ctx.me()
    body = ctx.council(cmd.body)
    assert me.council is not None
    reachable = {me.council, *ctx.state.ancestors(me.council)}
    if body.id not in reachable and not ctx.state.is_voter(body.id, ctx.actor):
        raise NotAllowed(
            "not_addressable",
            f"You can address documents to your own council and the councils above "
            f"it; {body.name} is not one of them.",
        )
    ctx.require_text(cmd.title, "document's title", 300)
    ctx.require_text(cmd.text, "document's text", 12000)
    ctx.emit(
        "document_filed",
        id=ctx.new_id("D"),
        body=body.id,
        title=cmd.title.strip(),
        text=cmd.text.strip(),
    )


def act(ctx: Ctx, cmd: c.PerformAct) -> None:
    council = ctx.council(cmd.council)
    ctx.me()
    if cmd.office not in ctx.state.offices_of(ctx.actor, council.id):
        raise NotAllowed(
            "not_officer", f"You do not hold the office of {cmd.office} in {council.name}."
        )
    if cmd.power not in council.powers.get(cmd.office, []):
        raise NotAllowed(
            "no_power",
            f"{council.name} has not granted the {cmd.office} the power "
            f"{cmd.power!r}; officers act only within powers their council grants.",
        )
    ctx.require_text(cmd.title, "act's title", 300)
    ctx.require_text(cmd.text, "act's text")
    ctx.emit(
        "act_performed",
        id=ctx.new_id("A"),
        council=council.id,
        office=cmd.office,
        power=cmd.power,
        title=cmd.title.strip(),
        text=cmd.text.strip(),
    )
