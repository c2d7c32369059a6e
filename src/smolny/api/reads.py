"""The public reads: the federation, its councils, members, mandates, elections, recalls,
motions, documents, the record itself and the health figures.

Everything here reads the read-model tables (never the in-memory state), and is public: the
record is public, and members are public within the federation (names and councils, nothing
else is stored).  A missing id is refused with the constitution's own ``no_such_*`` code, so a
client sees the same code whether it asked to read a thing or to act on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from smolny import canonical
from smolny.constitution.errors import NotFound
from smolny.constitution.health import health as health_report
from smolny.readmodels import models as rm
from smolny.store.models import Entry, Head
from smolny.store.service import current_state
from smolny.verify.published import FIELDS

from . import problems
from . import schemas as s

router = Router(tags=["reads"])

NOT_FOUND = problems.responses(404)
BAD_QUERY = problems.responses(422)


# --- rows to dicts -----------------------------------------------------------------------


def row(obj: Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A read-model row as a dict, its ``key`` renamed ``id``."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude or f.name == "id":  # the surrogate key of owned rows
            continue
        out["id" if f.name == "key" else f.name] = getattr(obj, f.attname)
    return out


def names(keys: Iterable[str]) -> dict[str, str]:
    keys = set(keys)
    return dict(rm.MemberRow.objects.filter(key__in=keys).values_list("key", "name"))


def holders(mandates: list[rm.MandateRow]) -> list[dict[str, Any]]:
    known = names(m.holder for m in mandates)
    return [
        {
            "mandate": m.key,
            "holder": m.holder,
            "name": known.get(m.holder, m.holder),
            "kind": m.kind,
            "office": m.office,
            "term_end": m.term_end,
        }
        for m in mandates
    ]


def council_or_404(key: str) -> rm.CouncilRow:
    council = get_row(rm.CouncilRow, key, "no_such_council", "council")
    return council


def voters(council: rm.CouncilRow) -> list[dict[str, Any]]:
    if council.base:
        people = rm.MemberRow.objects.filter(council=council.key, active=True).order_by("key")
        return [{"id": p.key, "name": p.name} for p in people]
    seated = sorted(
        set(
            rm.MandateRow.objects.filter(
                body=council.key, kind="delegate", active=True
            ).values_list("holder", flat=True)
        )
    )
    known = names(seated)
    return [{"id": k, "name": known.get(k, k)} for k in seated]


def share(count: int, of: int) -> dict[str, Any]:
    return {"count": count, "of": of, "share": str(Fraction(count, of)) if of else None}


def get_row(model: Any, key: str, code: str, what: str) -> Any:
    """The read-model row ``key``, or a 404 problem naming what was not found."""
    row = model.objects.filter(key=key).first()
    if row is None:
        raise NotFound(code, f"There is no {what} {key!r}.")
    return row


# --- the federation and its councils ---------------------------------------------------------


@router.get("/federation", response=s.Federation, openapi_extra=NOT_FOUND)
def federation(request: HttpRequest) -> dict[str, Any]:
    """The federation: its name, parameters, the record's witnesses, and the council tree with
    seats and holders."""
    fed = rm.FederationRow.objects.filter(key="federation").first()
    if fed is None:
        raise NotFound("not_founded", "The federation has not been founded yet.")
    councils = {c.key: c for c in rm.CouncilRow.objects.filter(seceded=False)}
    children: dict[str | None, list[str]] = defaultdict(list)
    for c in sorted(councils.values(), key=lambda c: (c.founded_at, c.key)):
        children[c.parent].append(c.key)
    mandates = list(rm.MandateRow.objects.filter(active=True).order_by("start", "key"))
    held = {h["mandate"]: h for h in holders(mandates)}
    sent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    officers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mandates:
        if m.kind == "delegate":
            sent[m.constituency].append(held[m.key])
        else:
            officers[m.body].append(held[m.key])

    def node(key: str) -> dict[str, Any]:
        c = councils[key]
        return {
            "id": c.key,
            "name": c.name,
            "base": c.base,
            "seats": c.seats,
            "members": c.members,
            "delegates": sent[key],
            "officers": officers[key],
            "children": [node(k) for k in children[key]],
        }

    return {
        "name": fed.name,
        "founder": fed.founder,
        "founding": fed.founding,
        "root": fed.root,
        "params": fed.params,
        "amendments": fed.amendments,
        "witnesses": fed.witnesses,
        "tree": node(fed.root) if fed.root in councils else None,
    }


@router.get("/councils", response=list[s.Council])
def councils(request: HttpRequest, parent: str | None = None) -> list[dict[str, Any]]:
    """Every council, oldest first (``parent`` to list one council's children)."""
    rows = rm.CouncilRow.objects.order_by("founded_at", "key")
    if parent is not None:
        rows = rows.filter(parent=parent)
    return [row(c, exclude=["powers"]) for c in rows]


@router.get("/councils/{council_id}", response=s.CouncilDetail, openapi_extra=NOT_FOUND)
def council(request: HttpRequest, council_id: str) -> dict[str, Any]:
    """One council: voters, delegates, officers, open elections, motions, recalls, documents."""
    c = council_or_404(council_id)
    active = rm.MandateRow.objects.filter(active=True).order_by("start", "key")
    return {
        **row(c),
        "children": [
            {"id": k.key, "name": k.name}
            for k in rm.CouncilRow.objects.filter(parent=c.key).order_by("founded_at", "key")
        ],
        "voters": voters(c),
        "delegates": holders(list(active.filter(constituency=c.key, kind="delegate"))),
        "officers": holders(list(active.filter(body=c.key, kind="office"))),
        "open_elections": [
            row(e)
            for e in rm.ElectionRow.objects.filter(council=c.key, closed_at=None).order_by("key")
        ],
        "motions": [
            row(m) for m in rm.MotionRow.objects.filter(council=c.key).order_by("filed_at")
        ],
        "recalls": [
            row(r) for r in rm.RecallRow.objects.filter(constituency=c.key).order_by("opened_at")
        ],
        "documents": [
            row(d) for d in rm.DocumentRow.objects.filter(body=c.key).order_by("filed_at")
        ],
        "acts": [row(a) for a in rm.ActRow.objects.filter(council=c.key).order_by("at")],
    }


# --- members and mandates ------------------------------------------------------------------


class MemberQuery(Schema):
    council: str | None = Field(None, description="Only the members of this base council.")
    start: int = Field(0, ge=0, description="How many members to skip (by id order).")
    limit: int = Field(100, ge=1, le=1000)


@router.get("/members", response=s.MemberPage, openapi_extra=BAD_QUERY)
def members(request: HttpRequest, q: Query[MemberQuery]) -> dict[str, Any]:
    """Members (id, name, council), by id, a page at a time; members who left are included."""
    rows = rm.MemberRow.objects.order_by("key")
    if q.council is not None:
        rows = rows.filter(council=q.council)
    page = rows[q.start : q.start + q.limit]
    return {
        "total": rows.count(),
        "start": q.start,
        "limit": q.limit,
        "items": [
            {"id": p.key, "name": p.name, "council": p.council, "active": p.active} for p in page
        ],
    }


def member_detail(person: rm.MemberRow) -> dict[str, Any]:
    council = rm.CouncilRow.objects.filter(key=person.council).first() if person.council else None
    return {
        **row(person),
        "council_name": council.name if council else None,
        "mandates": [
            row(m) for m in rm.MandateRow.objects.filter(holder=person.key).order_by("start", "key")
        ],
    }


@router.get("/members/{member_id}", response=s.MemberDetail, openapi_extra=NOT_FOUND)
def member(request: HttpRequest, member_id: str) -> dict[str, Any]:
    """One member: her council and every mandate she has held."""
    person = rm.MemberRow.objects.filter(key=member_id).first()
    if person is None:
        raise NotFound("no_such_member", f"{member_id!r} is not a member of the federation.")
    return member_detail(person)


@router.get("/mandates", response=list[s.Mandate])
def mandates(
    request: HttpRequest,
    holder: str | None = None,
    body: str | None = None,
    constituency: str | None = None,
    active: bool | None = None,
) -> list[dict[str, Any]]:
    """Mandates, oldest first, filtered by holder, body, constituency or whether active."""
    rows = rm.MandateRow.objects.order_by("start", "key")
    for name, value in (
        ("holder", holder),
        ("body", body),
        ("constituency", constituency),
        ("active", active),
    ):
        if value is not None:
            rows = rows.filter(**{name: value})
    return [row(m) for m in rows]


@router.get("/mandates/{mandate_id}", response=s.Mandate, openapi_extra=NOT_FOUND)
def mandate(request: HttpRequest, mandate_id: str) -> dict[str, Any]:
    m = get_row(rm.MandateRow, mandate_id, "no_such_mandate", "mandate")
    return row(m)


# --- elections, recalls, motions, documents --------------------------------------------------


@router.get("/elections", response=list[s.Election])
def elections(
    request: HttpRequest, council: str | None = None, open: bool | None = None
) -> list[dict[str, Any]]:
    """Elections, newest last; ``open=true`` for those not yet closed."""
    rows = rm.ElectionRow.objects.order_by("called_at", "key")
    if council is not None:
        rows = rows.filter(council=council)
    if open is not None:
        rows = rows.filter(closed_at__isnull=open)
    return [row(e) for e in rows]


@router.get("/elections/{election_id}", response=s.ElectionDetail, openapi_extra=NOT_FOUND)
def election(request: HttpRequest, election_id: str) -> dict[str, Any]:
    """One election, with its result once closed and every open ballot cast."""
    e = get_row(rm.ElectionRow, election_id, "no_such_election", "election")
    ballots = rm.BallotRow.objects.filter(owner=e.key).order_by("member")
    return {**row(e), "ballots": [{"member": b.member, "choices": b.choices} for b in ballots]}


@router.get("/recalls", response=list[s.Recall])
def recalls(
    request: HttpRequest, constituency: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    rows = rm.RecallRow.objects.order_by("opened_at", "key")
    if constituency is not None:
        rows = rows.filter(constituency=constituency)
    if status is not None:
        rows = rows.filter(status=status)
    return [row(r) for r in rows]


@router.get("/recalls/{recall_id}", response=s.Recall, openapi_extra=NOT_FOUND)
def recall(request: HttpRequest, recall_id: str) -> dict[str, Any]:
    r = get_row(rm.RecallRow, recall_id, "no_such_recall", "recall petition")
    return row(r)


@router.get("/motions", response=list[s.Motion])
def motions(
    request: HttpRequest, council: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    rows = rm.MotionRow.objects.order_by("filed_at", "key")
    if council is not None:
        rows = rows.filter(council=council)
    if status is not None:
        rows = rows.filter(status=status)
    return [row(m) for m in rows]


@router.get("/motions/{motion_id}", response=s.MotionDetail, openapi_extra=NOT_FOUND)
def motion(request: HttpRequest, motion_id: str) -> dict[str, Any]:
    """One motion, with its roll call (each voter's vote, as cast)."""
    m = get_row(rm.MotionRow, motion_id, "no_such_motion", "motion")
    roll = rm.VoteRow.objects.filter(owner=m.key).order_by("member")
    return {**row(m), "roll_call": [{"member": v.member, "choice": v.choice} for v in roll]}


@router.get("/documents/{document_id}", response=s.Document, openapi_extra=NOT_FOUND)
def document(request: HttpRequest, document_id: str) -> dict[str, Any]:
    d = get_row(rm.DocumentRow, document_id, "no_such_document", "document")
    return row(d)


# --- the record and the health figures -----------------------------------------------------


class RecordQuery(Schema):
    start: int = Field(0, ge=0, description="The seq of the first entry to return.")
    limit: int = Field(100, ge=1, le=1000, description="At most this many entries.")
    council: str | None = Field(None, description="Only the entries that concern this council.")


@router.get("/record/entries", response=s.RecordPage, openapi_extra=BAD_QUERY)
def record_entries(request: HttpRequest, q: Query[RecordQuery]) -> dict[str, Any]:
    """The record's entries from seq ``start`` on, in order; follow ``next`` for the rest."""
    head = Head.objects.filter(id=1).first()
    rows = Entry.objects.filter(seq__gte=q.start).order_by("seq")
    if q.council is not None:
        rows = rows.filter(scope__contains=f" {q.council} ")
    page = list(rows[: q.limit + 1])
    entries = [
        {
            "seq": e.seq,
            "type": e.type,
            "actor": e.actor,
            "at": e.at,
            "event": canonical.decode(bytes(e.body)),
        }
        for e in page[: q.limit]
    ]
    return {
        "size": head.size if head else 0,
        "start": q.start,
        "limit": q.limit,
        "next": page[q.limit].seq if len(page) > q.limit else None,
        "entries": entries,
    }


@router.get("/health", response=s.Health)
def health(request: HttpRequest) -> dict[str, Any]:
    """DESIGN: "the health report shows the share of unanimous votes, of uncontested
    elections, of recalls used" (computed by the constitution's health report)."""
    figures = health_report(current_state())
    return {
        "unanimous_votes": share(figures["unanimous"], figures["motions_decided"]),
        "uncontested_elections": share(figures["uncontested"], figures["elections_closed"]),
        "recalls_carried": share(figures["recalls_carried"], figures["recalls_opened"]),
        "recalls_opened": figures["recalls_opened"],
        "mandates_recalled": figures["mandates_recalled"],
        "mandates": rm.MandateRow.objects.count(),
    }


RESULT_ROWS: dict[str, type[Model]] = {
    "elections": rm.ElectionRow,
    "motions": rm.MotionRow,
    "recalls": rm.RecallRow,
    "mandates": rm.MandateRow,
}


@router.get("/results", response=s.Results)
def results(request: HttpRequest) -> dict[str, Any]:
    """Every decision the pages show, for ``smolny verify URL`` to compare with the record
    (``smolny.verify.published``).  Read in one snapshot with the record's size, so that a
    verifier replays the record to exactly the entries these rows reflect."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # On SQLite (WAL) a transaction reads one snapshot from its first read to its end.
        head = Head.objects.first()
        shown: dict[str, Any] = {"size": head.size if head else 0}
        for kind, model in RESULT_ROWS.items():
            fields = FIELDS[kind]
            shown[kind] = {
                key: dict(zip(fields, values, strict=True))
                for key, *values in model.objects.order_by("key").values_list("key", *fields)
            }
    return shown
