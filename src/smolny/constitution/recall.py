"""Recall: the constituency can end any mandate at any time.

DESIGN, first row: "A recall petition signed by a set share of [the constituency] opens a
recall ballot; a majority signing ends the mandate at once.  No term protects a delegate from
recall."  The constituency is counted as it is now (those who vote in the council that
elected the mandate), so a member who joins can sign and a member who leaves no longer counts.
The ballot carries at once when a majority of the whole constituency has voted yes; otherwise
at its close, by a majority of the votes cast.
"""

from __future__ import annotations

from datetime import datetime

from . import commands as c
from . import secret
from .context import Ctx, acting_member, conflict, would_decide
from .errors import DomainError
from .params import share_of
from .state import Recall, State
from .words import when

CHOICES = ("yes", "no")


def _constituency(ctx: Ctx, recall: Recall) -> set[str]:
    mandate = ctx.state.mandates[recall.mandate]
    return set(ctx.state.voters(mandate.constituency))


def open_(ctx: Ctx, cmd: c.OpenRecall) -> None:
    mandate = ctx.mandate(cmd.mandate)
    council = ctx.state.councils[mandate.constituency]
    ctx.require_voter(council.id, f"recall those {council.name} elected")
    if not mandate.active:
        raise conflict("mandate_ended", "This mandate has already ended.")
    ctx.require_text(cmd.grounds, "grounds for the recall", 5000)
    for recall in ctx.state.recalls.values():
        if recall.mandate == mandate.id and recall.status in ("petition", "ballot"):
            raise conflict(
                "recall_open",
                f"A recall of {ctx.state.members[mandate.holder].name} from this mandate is "
                "already open: sign its petition instead (it is listed under Recalls on the "
                f"page of {council.name}).",
            )
    if cmd.ballot_mode not in ("open", "secret"):
        raise DomainError("ballot_mode_unavailable", "A recall ballot is open or secret.")
    recall_id = ctx.new_id("R")
    ctx.emit("recall_opened", id=recall_id, mandate=mandate.id, grounds=cmd.grounds.strip())
    if cmd.ballot_mode == "secret":
        secret.configure(ctx, recall_id, "recall", council.id, cmd.trustees, cmd.threshold)
    _signed(ctx, recall_id, mandate.constituency, signatures={ctx.actor}, status="petition")


def sign(ctx: Ctx, cmd: c.SignRecall) -> None:
    recall = ctx.recall(cmd.recall)
    mandate = ctx.state.mandates[recall.mandate]
    council = ctx.state.councils[mandate.constituency]
    ctx.require_voter(council.id, f"sign recalls of those {council.name} elected")
    if recall.status not in ("petition", "ballot"):
        raise conflict("recall_decided", f"This recall is over ({recall.status}).")
    if ctx.actor in recall.signatures:
        raise conflict("already_signed", "You have already signed this petition.")
    ctx.emit("recall_signed", recall=recall.id, member=ctx.actor)
    _signed(
        ctx,
        recall.id,
        council.id,
        signatures=set(recall.signatures) | {ctx.actor},
        status=recall.status,
    )


def _signed(
    ctx: Ctx, recall_id: str, council_id: str, *, signatures: set[str], status: str
) -> None:
    constituency = set(ctx.state.voters(council_id))
    valid = len(signatures & constituency)
    if 2 * valid > len(constituency):
        _carry(ctx, recall_id, how="signatures", yes=valid, no=0, size=len(constituency))
        return
    needed = share_of(ctx.state.params.recall_share, len(constituency))
    if status == "petition" and valid >= needed:
        ctx.emit(
            "recall_ballot_opened",
            recall=recall_id,
            signatures=valid,
            needed=needed,
            closes=ctx.later(ctx.state.params.recall_ballot_hours),
        )


def _carry(ctx: Ctx, recall_id: str, *, how: str, yes: int, no: int, size: int) -> None:
    mandate = ctx.state.mandates[_recall_mandate(ctx, recall_id)]
    ctx.settled.add(recall_id)
    ctx.emit("recall_carried", recall=recall_id, how=how, yes=yes, no=no, constituency=size)
    ctx.end_mandates([mandate], "recalled")


def _recall_mandate(ctx: Ctx, recall_id: str) -> str:
    recall = ctx.state.recalls.get(recall_id)
    if recall is not None:
        return recall.mandate
    for event in ctx.events:
        if event.type == "recall_opened" and event.data["id"] == recall_id:
            return str(event.data["mandate"])
    raise KeyError(recall_id)


def vote(ctx: Ctx, cmd: c.VoteRecall) -> None:
    recall = ctx.recall(cmd.recall)
    mandate = ctx.state.mandates[recall.mandate]
    council = ctx.state.councils[mandate.constituency]
    ctx.require_voter(council.id, f"vote on recalls of those {council.name} elected")
    if recall.status != "ballot":
        if recall.status == "petition":
            raise conflict(
                "ballot_not_open", "The recall ballot opens once enough of the constituency signs."
            )
        raise conflict("recall_decided", f"This recall is over ({recall.status}).")
    assert recall.ballot_close is not None
    if ctx.now >= recall.ballot_close:
        raise conflict("ballot_closed", "The recall ballot has closed; it can now be counted.")
    if recall.id in ctx.state.secret:
        raise secret.refuse_open_vote(recall.id)
    if cmd.choice not in CHOICES:
        raise DomainError("invalid_choice", "Vote yes (recall) or no (keep).")
    ctx.emit("recall_voted", recall=recall.id, member=ctx.actor, choice=cmd.choice)
    votes = dict(recall.votes)
    votes[ctx.actor] = cmd.choice
    constituency = _constituency(ctx, recall)
    yes = sum(1 for v, ch in votes.items() if ch == "yes" and v in constituency)
    no = sum(1 for v, ch in votes.items() if ch == "no" and v in constituency)
    if 2 * yes > len(constituency):
        _carry(ctx, recall.id, how="ballot", yes=yes, no=no, size=len(constituency))


def close(ctx: Ctx, cmd: c.CloseRecall) -> None:
    recall = ctx.recall(cmd.recall)
    ctx.me()
    if recall.status != "ballot":
        raise conflict("ballot_not_open", "Only an open recall ballot can be closed.")
    if recall.id in ctx.state.secret:
        secret.close(ctx, recall.id)
        return
    constituency = _constituency(ctx, recall)
    assert recall.ballot_close is not None
    if ctx.now < recall.ballot_close and not constituency <= set(recall.votes):
        raise conflict(
            "ballot_still_open",
            f"The recall ballot is open until {when(recall.ballot_close)}, "
            "unless the whole constituency has voted before then.",
        )
    yes = sum(1 for v, ch in recall.votes.items() if ch == "yes" and v in constituency)
    no = sum(1 for v, ch in recall.votes.items() if ch == "no" and v in constituency)
    if yes > no:
        _carry(ctx, recall.id, how="ballot", yes=yes, no=no, size=len(constituency))
    else:
        ctx.emit("recall_failed", recall=recall.id, yes=yes, no=no, constituency=len(constituency))


def may_close(state: State, recall_id: str, now: datetime, member: str | None = None) -> bool:
    """Whether ``member`` may close the recall ballot ``recall_id`` at ``now`` (``None``:
    whether a member could, for a visitor who would sign in first): the recall page offers the
    button only then.  An open ballot asks :func:`close` itself; a secret one asks
    :func:`.secret.may_close` (publishing the tally, declaring the result, or closing a ballot
    nobody can decide as void)."""
    actor = acting_member(state, member)
    recall = state.recalls.get(recall_id)
    if actor is None or recall is None or recall.status != "ballot":
        return False
    if recall.id in state.secret:
        return secret.may_close(state, recall_id, now, member)
    return would_decide(state, close, c.CloseRecall(actor, recall_id), now)


def decide_counts(ctx: Ctx, recall: Recall, yes: int, no: int) -> None:
    """Decide a secret recall ballot from its decrypted counts: a majority of the votes cast."""
    size = len(_constituency(ctx, recall))
    if yes > no:
        _carry(ctx, recall.id, how="ballot", yes=yes, no=no, size=size)
    else:
        ctx.emit("recall_failed", recall=recall.id, yes=yes, no=no, constituency=size)
