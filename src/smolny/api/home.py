"""The signed-in member's own view: her councils, her delegates and their roll-call votes, the
petitions she can sign, the ballots she can cast and the documents addressed to her.

This is a convenience over the public reads (everything in it is public except which
documents reached her, and even that is in the record); the constitution still decides, when
she acts, whether she may.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from smolny.constitution.events import fmt_time
from smolny.readmodels import models as rm
from smolny.store import clock

from . import problems
from . import schemas as s
from .auth import MEMBER
from .reads import member_detail, names, row

router = Router(tags=["me"], auth=MEMBER)

AUTH = problems.responses(401, 403)


def _councils_of(person: rm.MemberRow | None) -> list[str]:
    """Where she votes: her base council, and every council she sits in as a delegate."""
    if person is None or not person.active or person.council is None:
        return []
    seats = rm.MandateRow.objects.filter(holder=person.key, kind="delegate", active=True)
    return [person.council, *sorted({m.body for m in seats} - {person.council})]


def _documents(member_id: str) -> list[dict[str, Any]]:
    owners = rm.DeliveryRow.objects.filter(member=member_id).values_list("owner", flat=True)
    return [
        row(d) for d in rm.DocumentRow.objects.filter(key__in=list(owners)).order_by("filed_at")
    ]


@router.get("/me/documents", response=list[s.Document], openapi_extra=AUTH)
def my_documents(request: HttpRequest) -> list[dict[str, Any]]:
    """Documents addressed to a body she was a voter of when they were filed."""
    return _documents(request.auth.get_username())


@router.get("/me", response=s.Home, openapi_extra=AUTH)
def home(request: HttpRequest) -> dict[str, Any]:
    me = request.auth.get_username()
    person = rm.MemberRow.objects.filter(key=me).first()
    mine = _councils_of(person)
    now = fmt_time(clock.now())
    council_names = dict(rm.CouncilRow.objects.filter(key__in=mine).values_list("key", "name"))

    delegates = list(
        rm.MandateRow.objects.filter(constituency__in=mine, kind="delegate", active=True).order_by(
            "start", "key"
        )
    )
    known = names(d.holder for d in delegates)
    delegate_votes = []
    for d in delegates:
        motions = {m.key: m for m in rm.MotionRow.objects.filter(council=d.body)}
        votes = rm.VoteRow.objects.filter(member=d.holder, owner__in=list(motions)).order_by(
            "owner"
        )
        delegate_votes.append(
            {
                "mandate": d.key,
                "holder": d.holder,
                "name": known.get(d.holder, d.holder),
                "body": d.body,
                "constituency": d.constituency,
                "votes": [
                    {
                        "motion": v.owner,
                        "title": motions[v.owner].title,
                        "status": motions[v.owner].status,
                        "choice": v.choice,
                    }
                    for v in votes
                ],
            }
        )

    petitions = [
        {
            "recall": r.key,
            "mandate": r.mandate,
            "holder": r.holder,
            "status": r.status,
            "signatures": len(r.signatures),
        }
        for r in rm.RecallRow.objects.filter(
            constituency__in=mine, status__in=["petition", "ballot"]
        ).order_by("opened_at")
        if me not in r.signatures
    ]

    ballots: list[dict[str, Any]] = []
    voted = set(rm.BallotRow.objects.filter(member=me).values_list("owner", flat=True))
    for e in rm.ElectionRow.objects.filter(council__in=mine, closed_at=None).order_by("called_at"):
        if e.key in voted or e.voting_close <= now:
            continue
        what = "delegates" if e.kind == "delegate" else e.office or "office"
        ballots.append(
            {
                "kind": "election",
                "id": e.key,
                "council": e.council,
                "title": f"Election of the {what} of {council_names.get(e.council, e.council)}",
                "opens": e.nominations_close,
                "closes": e.voting_close,
                "open_now": e.nominations_close <= now < e.voting_close,
            }
        )
    for r in rm.RecallRow.objects.filter(constituency__in=mine, status="ballot").order_by(
        "opened_at"
    ):
        if me in r.votes or (r.ballot_close is not None and r.ballot_close <= now):
            continue
        ballots.append(
            {
                "kind": "recall",
                "id": r.key,
                "council": r.constituency,
                "title": f"Recall of {r.holder} ({r.mandate})",
                "opens": None,
                "closes": r.ballot_close,
                "open_now": True,
            }
        )
    voted_motions = set(rm.VoteRow.objects.filter(member=me).values_list("owner", flat=True))
    for m in rm.MotionRow.objects.filter(council__in=mine, status="agenda").order_by("filed_at"):
        if m.key in voted_motions or (m.vote_closes is not None and m.vote_closes <= now):
            continue
        ballots.append(
            {
                "kind": "motion",
                "id": m.key,
                "council": m.council,
                "title": m.title,
                "opens": m.vote_opens,
                "closes": m.vote_closes,
                "open_now": m.vote_opens is not None and m.vote_opens <= now,
            }
        )

    return {
        "member": member_detail(person) if person is not None else None,
        "councils": [{"id": k, "name": council_names.get(k, k)} for k in mine],
        "delegates": delegate_votes,
        "petitions": petitions,
        "ballots": ballots,
        "documents": _documents(me),
    }
