"""The freedoms in the API: tendencies, publications, fair shares, the code, cases, and a
member's own support and data.

Reads are public, as the record is: a tendency shows its count, its named supporters and its
commitments, never a list of private supporters.  Support and its withdrawal are the two
commands not generated from ``COMMANDS``: the server derives the member's support key from its
secret (``smolny.pages.supportkeys``), so no request body can carry one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from smolny.constitution import commands as c
from smolny.constitution.errors import NotAllowed
from smolny.pages.supportkeys import support_key
from smolny.pages.views.freedoms import _my_support, file_evidence, may_read_sealed, member_data
from smolny.readmodels import models as rm
from smolny.store.service import execute

from . import problems
from .auth import MEMBER
from .commands import Receipt, receipt
from .reads import get_row, row

router = Router(tags=["freedoms"])
NOT_FOUND = problems.responses(404)
REFUSALS = problems.responses(401, 403, 404, 409, 422)


class Tendency(Schema):
    id: str
    scope: str = Field(description="The council whose subtree it addresses.")
    name: str
    platform: str
    founders: list[str]
    confirmed: list[str]
    status: str = Field(description="forming or active")
    filed_by: str
    filed_at: str
    founded_at: str | None
    supporters: int = Field(description="Named supporters plus live private commitments.")
    named: list[str] = Field(description="Supporters who chose to be named.")
    commitments: list[str] = Field(description="Hex SHA-256 commitments of private supports.")


class Publication(Schema):
    id: str
    scope: str
    publisher: str = Field(description="A tendency id or a council id.")
    author: str
    title: str
    text: str
    words: int
    mailing: bool
    at: str
    reach: int = Field(description="Members of the scope it was delivered to.")
    kind: str = Field(description="publication, correction or retraction")
    corrects: str | None
    corrections: list[str]
    retracted_by: str | None


class Shares(Schema):
    id: str = Field(description="The scope.")
    period: int
    starts: str
    ends: str
    at: str
    supporters: dict[str, int]
    totals: dict[str, int]
    shares: dict[str, dict[str, int]] = Field(description="quantity -> tendency -> share")
    used: dict[str, dict[str, int]]


class Rule(Schema):
    id: str
    title: str
    text: str
    enacted_at: str
    motion: str | None
    repealed_at: str | None


class Case(Schema):
    id: str
    council: str
    respondent: str
    rule: str
    acts: list[dict[str, str]] = Field(description="Her own acts: date, conduct, evidence.")
    witnesses: list[str]
    filed_by: str
    filed_at: str
    reply_until: str
    stage: str
    reply: str | None
    replied_at: str | None
    hearing: dict[str, Any] | None
    votes: dict[str, Any]
    decision: dict[str, Any] | None
    appeal: dict[str, Any] | None
    sanction_until: str | None
    sanction_lifted_at: str | None
    evidence: list[dict[str, Any]] = Field(
        description="id, title, by, at, restricted, digest; the text only if not restricted."
    )


class SupportBody(Schema):
    named: bool = Field(default=False, description="Show my name as a supporter.")


class MySupport(Schema):
    named: bool
    salt: str | None = None
    commitment: str | None = None
    entry: int | None = None
    leaf: str | None = None
    size: int | None = None
    root: str | None = None
    path: list[str] | None = None
    included: bool | None = None
    checkpoint: str | None = Field(
        default=None, description="The signed checkpoint (C2SP note) the proof leads to."
    )


@router.get("/tendencies", response=list[Tendency])
def tendencies(request: HttpRequest, scope: str | None = None) -> list[dict[str, Any]]:
    """Every tendency (``scope`` for one council's), oldest first."""
    rows = rm.TendencyRow.objects.order_by("filed_at", "key")
    if scope is not None:
        rows = rows.filter(scope=scope)
    return [row(t) for t in rows]


@router.get("/tendencies/{key}", response=Tendency, openapi_extra=NOT_FOUND)
def tendency(request: HttpRequest, key: str) -> dict[str, Any]:
    return row(get_row(rm.TendencyRow, key, "no_such_tendency", "tendency"))


def _support(request: HttpRequest, key: str, named: bool | None) -> Status[Any]:
    me = request.auth.get_username()
    command: c.Command
    if named is None:
        command = c.WithdrawSupport(me, key, support_key(me))
    else:
        command = c.DeclareSupport(me, key, support_key(me), named)
    return Status(201, receipt(execute(command)))


@router.post(
    "/tendencies/{key}/support", response={201: Receipt}, auth=MEMBER, openapi_extra=REFUSALS
)
def support(request: HttpRequest, key: str, payload: SupportBody) -> Status[Any]:
    """Support a tendency: privately (a commitment in the record) unless ``named``."""
    return _support(request, key, payload.named)


@router.post(
    "/tendencies/{key}/withdraw", response={201: Receipt}, auth=MEMBER, openapi_extra=REFUSALS
)
def withdraw(request: HttpRequest, key: str) -> Status[Any]:
    return _support(request, key, None)


@router.get(
    "/tendencies/{key}/my-support",
    response=MySupport | None,
    auth=MEMBER,
    openapi_extra=problems.responses(401, 404),
)
def my_support(request: HttpRequest, key: str) -> dict[str, Any] | None:
    """Her own support: salt, commitment, the entry that holds it, and its inclusion proof."""
    found = get_row(rm.TendencyRow, key, "no_such_tendency", "tendency")
    return _my_support(request.auth.get_username(), found)


@router.get("/publications", response=list[Publication])
def publications(request: HttpRequest, scope: str | None = None) -> list[dict[str, Any]]:
    rows = rm.PublicationRow.objects.order_by("at", "key")
    if scope is not None:
        rows = rows.filter(scope=scope)
    return [row(p) for p in rows]


@router.get("/publications/{key}", response=Publication, openapi_extra=NOT_FOUND)
def publication(request: HttpRequest, key: str) -> dict[str, Any]:
    return row(get_row(rm.PublicationRow, key, "no_such_publication", "publication"))


@router.get("/shares/{scope}", response=Shares, openapi_extra=NOT_FOUND)
def shares(request: HttpRequest, scope: str) -> dict[str, Any]:
    """The scope's latest fair shares: supporters, totals, each tendency's share and use."""
    return row(get_row(rm.ShareRow, scope, "no_shares", "round of shares for"))


@router.get("/code", response=list[Rule])
def code(request: HttpRequest) -> list[dict[str, Any]]:
    return [row(r) for r in rm.RuleRow.objects.order_by("enacted_at", "key")]


@router.get("/cases", response=list[Case])
def cases(request: HttpRequest, council: str | None = None) -> list[dict[str, Any]]:
    """Every case's existence, stage and outcome are public."""
    rows = rm.CaseRow.objects.order_by("filed_at", "key")
    if council is not None:
        rows = rows.filter(council=council)
    return [row(k) for k in rows]


@router.get("/cases/{key}", response=Case, openapi_extra=NOT_FOUND)
def case(request: HttpRequest, key: str) -> dict[str, Any]:
    return row(get_row(rm.CaseRow, key, "no_such_case", "case"))


class EvidenceBody(Schema):
    title: str
    text: str
    restricted: bool = Field(
        default=False, description="Only its digest enters the record; the text is kept apart."
    )


@router.post("/cases/{key}/evidence", response={201: Receipt}, auth=MEMBER, openapi_extra=REFUSALS)
def evidence(request: HttpRequest, key: str, payload: EvidenceBody) -> Status[Any]:
    """Evidence from a party or a commissioner (restricted: the parties and commission only)."""
    entries = file_evidence(
        request.auth.get_username(), key, payload.title, payload.text, payload.restricted
    )
    return Status(201, receipt(entries))


@router.get(
    "/cases/{key}/sealed-evidence",
    response=dict[str, str],
    auth=MEMBER,
    openapi_extra=problems.responses(401, 403, 404),
)
def sealed_evidence(request: HttpRequest, key: str) -> dict[str, str]:
    """Restricted evidence texts by id: for the parties and the commission only."""
    found = get_row(rm.CaseRow, key, "no_such_case", "case")
    if not may_read_sealed(request.auth.get_username(), found):
        raise NotAllowed(
            "not_a_party", "Only the parties and the commission read restricted evidence."
        )
    return dict(rm.SealedEvidence.objects.filter(case=key).values_list("key", "text"))


@router.get("/me/data", response=dict[str, Any], auth=MEMBER, openapi_extra=problems.responses(401))
def my_data(request: HttpRequest) -> dict[str, Any]:
    """Everything the federation holds about her, as JSON (also on the page /my-data)."""
    return member_data(request.auth.get_username())
