"""Pages of the freedoms: tendencies, the bulletin, fair shares, cases, my rights, my data.

Reading views render the read models.  Three forms need more than the generic action view
(``actions.act``): support and its withdrawal (the server derives the member's support key,
which no form field may carry), and the charge (its acts are a list of structured records:
date, what the respondent did, evidence).  Each of them builds its command and calls
``execute`` once; every rule stays in the constitution.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smolny.constitution import DomainError, Params
from smolny.constitution import commands as c
from smolny.constitution.apportionment import sainte_lague
from smolny.constitution.params import share_of
from smolny.constitution.press import may_correct
from smolny.constitution.tendencies import my_commitment, support_salt
from smolny.readmodels import models as rm
from smolny.record.merkle import hash_leaf, verify_inclusion
from smolny.record.proofs import inclusion_proof, tree_root
from smolny.store import clock
from smolny.store.models import Checkpoint, Entry
from smolny.store.service import current_state, execute
from smolny.store.tree import DatabaseHashStore

from .. import lookups
from ..supportkeys import support_key

QUANTITY_LABELS = {
    "bulletin_words": "Bulletin words",
    "mailing_quota": "Mailings to every member",
    "congress_minutes": "Speaking minutes at congress",
}
MAX_ACT_ROWS = 5


def _params() -> Params:
    fed = rm.FederationRow.objects.filter(key="federation").first()
    return Params.from_dict(fed.params) if fed else Params()


def _viewer(request: HttpRequest) -> str:
    return request.user.get_username() if request.user.is_authenticated else ""


def _scope_chain(council: str | None) -> list[str]:
    """A base council and every council above it: the scopes whose bulletins reach her."""
    out: list[str] = []
    names = dict(rm.CouncilRow.objects.values_list("key", "parent"))
    while council:
        out.append(council)
        council = names.get(council)
    return out


def _done(request: HttpRequest, entries: list[Entry]) -> None:
    first, last = entries[0].seq, entries[-1].seq
    span = f"entry #{first}" if first == last else f"entries #{first}–#{last}"
    messages.success(
        request, f"Done. It is in the record as {span}.", extra_tags=f"receipt:{first}"
    )


def _refused(request: HttpRequest, error: DomainError, back: str) -> HttpResponse:
    return render(
        request, "pages/refused.html", {"error": error, "back": back}, status=error.status
    )


# --- tendencies ----------------------------------------------------------------------------


def tendencies(request: HttpRequest, key: str) -> HttpResponse:
    council = get_object_or_404(rm.CouncilRow, key=key)
    rows = list(rm.TendencyRow.objects.filter(scope=key).order_by("filed_at"))
    viewer = _viewer(request)
    in_scope = _members_in(key)
    params = _params()
    return render(
        request,
        "pages/tendencies.html",
        {
            "council": council,
            "tendencies": rows,
            "params": params,
            "can_found": viewer and viewer in in_scope,
            # Co-founders are chosen by name among the members of the scope, not typed as ids.
            "cofounders": rm.MemberRow.objects.filter(key__in=in_scope - {viewer})
            .order_by("name")
            .values_list("key", "name")
            if viewer in in_scope
            else [],
            # The co-founders the rules need, and two more places for a larger group.
            "founder_slots": range(1, max(1, params.tendency_founders - 1) + 3),
            "names": lookups.names([f for t in rows for f in t.founders]),
        },
    )


def _members_in(scope: str) -> set[str]:
    councils = {scope}
    frontier = [scope]
    while frontier:
        children = list(
            rm.CouncilRow.objects.filter(parent__in=frontier, seceded=False).values_list(
                "key", flat=True
            )
        )
        councils.update(children)
        frontier = children
    return set(
        rm.MemberRow.objects.filter(council__in=councils, active=True).values_list("key", flat=True)
    )


def _my_support(member: str, row: rm.TendencyRow) -> dict[str, Any] | None:
    """Her own support of this tendency, with everything she needs to check it herself."""
    if member in row.named:
        return {"named": True}
    key = support_key(member)
    mine = my_commitment(member, row.key, key)
    if mine not in row.commitments:
        return None
    entry = (
        Entry.objects.filter(type="support_declared", actor=row.key)
        .order_by("-seq")
        .only("seq", "body")
    )
    found = next((e for e in entry if mine.encode() in bytes(e.body)), None)
    out: dict[str, Any] = {
        "named": False,
        "salt": support_salt(key, row.key).hex(),
        "commitment": mine,
        "entry": found.seq if found else None,
    }
    if found is not None:
        out.update(_inclusion(found.seq))
    return out


def _inclusion(seq: int) -> dict[str, Any]:
    """An RFC 9162 inclusion proof of entry ``seq`` against the latest signed checkpoint (or the
    whole record if none covers it yet), from the stored tree, checked here and given in full
    so the member can check it anywhere, and compare the root with what mirrors cosigned."""
    body = Entry.objects.filter(seq=seq).values_list("body", flat=True).first()
    signed = Checkpoint.objects.order_by("-size").first()
    size = signed.size if signed is not None and signed.size > seq else Entry.objects.count()
    store = DatabaseHashStore()
    leaf = hash_leaf(bytes(body)) if body is not None else b""
    root = tree_root(store, size)
    path = inclusion_proof(store, seq, size)
    try:
        verify_inclusion(leaf, seq, size, path, root)
        ok = True
    except Exception:  # the check failing is what the page must say, whatever the reason
        ok = False
    return {
        "leaf": leaf.hex(),
        "size": size,
        "root": root.hex(),
        "path": [h.hex() for h in path],
        "included": ok,
        "checkpoint": signed.note if signed is not None and signed.size == size else None,
    }


def tendency(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.TendencyRow, key=key)
    council = rm.CouncilRow.objects.get(key=row.scope)
    viewer = _viewer(request)
    params = _params()
    shares = rm.ShareRow.objects.filter(key=row.scope).first()
    share = None
    if shares is not None:
        share = [
            {
                "label": QUANTITY_LABELS[q],
                "share": shares.shares.get(q, {}).get(key, 0),
                "used": shares.used.get(q, {}).get(key, 0),
            }
            for q in QUANTITY_LABELS
        ]
    publications = list(rm.PublicationRow.objects.filter(publisher=key).order_by("-at"))
    return render(
        request,
        "pages/tendency.html",
        {
            "tendency": row,
            "council": council,
            "params": params,
            "missing": max(0, params.press_threshold - row.supporters),
            "has_press": row.supporters >= params.press_threshold,
            "publications": publications,
            "shares": shares,
            "share": share,
            "in_scope": viewer in _members_in(row.scope) if viewer else False,
            "is_founder": viewer in row.founders,
            "mine": _my_support(viewer, row) if viewer else None,
            "names": lookups.names([*row.founders, *row.named]),
        },
    )


def _support_command(request: HttpRequest, key: str, withdraw: bool) -> HttpResponse:
    back = reverse("tendency", args=[key])
    member = request.user.get_username()
    command: c.Command
    if withdraw:
        command = c.WithdrawSupport(member, key, support_key(member))
    else:
        named = request.POST.get("named") in ("1", "on", "yes", "true")
        command = c.DeclareSupport(member, key, support_key(member), named)
    try:
        entries = execute(command)
    except DomainError as error:
        return _refused(request, error, back)
    _done(request, entries)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def support(request: HttpRequest, key: str) -> HttpResponse:
    return _support_command(request, key, withdraw=False)


@login_required
@require_POST
def withdraw_support(request: HttpRequest, key: str) -> HttpResponse:
    return _support_command(request, key, withdraw=True)


# --- the bulletin, publications, shares ------------------------------------------------------


def bulletin(request: HttpRequest, key: str) -> HttpResponse:
    council = get_object_or_404(rm.CouncilRow, key=key)
    viewer = _viewer(request)
    publications = list(rm.PublicationRow.objects.filter(scope=key).order_by("-at"))
    active = rm.TendencyRow.objects.filter(scope=key, status="active")
    mine = [t for t in active if viewer and viewer in t.founders]
    return render(
        request,
        "pages/bulletin.html",
        {
            "council": council,
            "publications": publications,
            "publishers": _publisher_names(publications),
            "my_tendencies": mine,
            "names": lookups.names(p.author for p in publications),
        },
    )


def _publisher_names(publications: list[rm.PublicationRow]) -> dict[str, str]:
    keys = {p.publisher for p in publications}
    out = dict(rm.TendencyRow.objects.filter(key__in=keys).values_list("key", "name"))
    out.update(rm.CouncilRow.objects.filter(key__in=keys).values_list("key", "name"))
    return out


def publication(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.PublicationRow, key=key)
    related = list(rm.PublicationRow.objects.filter(corrects=key).order_by("at"))
    original = rm.PublicationRow.objects.filter(key=row.corrects).first() if row.corrects else None
    viewer = _viewer(request)
    tendency_row = rm.TendencyRow.objects.filter(key=row.publisher).first()
    return render(
        request,
        "pages/publication.html",
        {
            "publication": row,
            "related": related,
            "original": original,
            "scope": rm.CouncilRow.objects.get(key=row.scope),
            "publisher_name": _publisher_names([row]).get(row.publisher, row.publisher),
            "tendency": tendency_row,
            # Only its publisher may, on an original not retracted: the constitution's rule.
            "can_correct": may_correct(current_state(), row.key, viewer, clock.now()),
            "names": lookups.names([row.author, *(r.author for r in related)]),
        },
    )


def shares(request: HttpRequest, key: str) -> HttpResponse:
    council = get_object_or_404(rm.CouncilRow, key=key)
    row = rm.ShareRow.objects.filter(key=key).first()
    tendency_names = dict(rm.TendencyRow.objects.filter(scope=key).values_list("key", "name"))
    tables = []
    if row is not None:
        counted = {k: v for k, v in row.supporters.items() if v > 0}
        for quantity, label in QUANTITY_LABELS.items():
            total = row.totals.get(quantity, 0)
            tables.append(
                {
                    "label": label,
                    "total": total,
                    "rows": [
                        {
                            "tendency": t,
                            "supporters": row.supporters[t],
                            "share": row.shares.get(quantity, {}).get(t, 0),
                            "used": row.used.get(quantity, {}).get(t, 0),
                        }
                        for t in sorted(row.supporters)
                    ],
                    "steps": _steps(counted, total),
                }
            )
    return render(
        request,
        "pages/shares.html",
        {"council": council, "round": row, "tables": tables, "tendency_names": tendency_names},
    )


def _steps(votes: dict[str, int], total: int, shown: int = 12) -> dict[str, Any]:
    """The first awards of Sainte-Laguë, each with the quotient that won it, so a reader can
    redo the division by hand (supporters / 1, 3, 5, ...)."""
    won = dict.fromkeys(votes, 0)
    steps = []
    for number in range(min(total, shown)):
        award = sainte_lague(votes, number + 1)
        who = next(k for k in votes if award[k] > won[k])
        divisor = 2 * won[who] + 1
        steps.append(
            {
                "n": number + 1,
                "tendency": who,
                "divisor": divisor,
                "quotient": f"{votes[who] / divisor:.3f}",
            }
        )
        won = award
    return {"steps": steps, "more": max(0, total - shown)}


# --- the code and cases ----------------------------------------------------------------------


def code(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/code.html", {"rules": rm.RuleRow.objects.order_by("enacted_at")})


def cases(request: HttpRequest, key: str) -> HttpResponse:
    council = get_object_or_404(rm.CouncilRow, key=key)
    rows = list(rm.CaseRow.objects.filter(council=key).order_by("-filed_at"))
    commission = list(
        rm.MandateRow.objects.filter(
            body=key, kind="office", office="control_commission", active=True
        )
    )
    return render(
        request,
        "pages/cases.html",
        {
            "council": council,
            "cases": rows,
            "rules": dict(rm.RuleRow.objects.values_list("key", "title")),
            "commission": commission,
            "names": lookups.names(
                [*(k.respondent for k in rows), *(m.holder for m in commission)]
            ),
        },
    )


def _acts_from(post: Any) -> tuple[c.ChargedAct, ...]:
    acts: list[c.ChargedAct] = []
    for i in range(MAX_ACT_ROWS):
        date, conduct, evidence = (
            post.get(f"act-{i}-{f}", "").strip() for f in ("date", "conduct", "evidence")
        )
        if date or conduct or evidence:
            acts.append({"date": date, "conduct": conduct, "evidence": evidence})
    return tuple(acts)


def charge(request: HttpRequest, key: str) -> HttpResponse:
    council = get_object_or_404(rm.CouncilRow, key=key)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("signin"))
        back = reverse("charge", args=[key])
        witnesses = tuple(w for w in request.POST.getlist("witnesses") if w)
        command = c.FileCharge(
            request.user.get_username(),
            key,
            request.POST.get("respondent", ""),
            request.POST.get("rule", ""),
            _acts_from(request.POST),
            witnesses,
        )
        try:
            entries = execute(command)
        except DomainError as error:
            return _refused(request, error, back)
        _done(request, entries)
        case_id = json.loads(bytes(entries[-1].body))["data"]["id"]
        return HttpResponseRedirect(reverse("case", args=[case_id]))
    members = _members_in(key)
    return render(
        request,
        "pages/charge.html",
        {
            "council": council,
            "rules": rm.RuleRow.objects.filter(repealed_at__isnull=True).order_by("enacted_at"),
            "members": rm.MemberRow.objects.filter(key__in=members).order_by("name"),
            "rows": range(MAX_ACT_ROWS),
        },
    )


def case(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.CaseRow, key=key)
    council = rm.CouncilRow.objects.get(key=row.council)
    viewer = _viewer(request)
    # Who sits, who is recused and who votes on the appeal are rules of the constitution
    # (cases.recused, cases.bench, cases.may_vote_on_appeal), asked here on the state rather
    # than restated.
    from smolny.constitution import cases as rules

    state = current_state()
    folded = state.cases[key]
    commission = rules.commissioners(state, row.council)
    recused = rules.recused(folded)
    bench = rules.bench(state, folded)
    now = lookups.now_text()
    appeal_body = None
    if row.appeal:
        appeal_body = rm.CouncilRow.objects.get(key=row.appeal["body"])
    return render(
        request,
        "pages/case.html",
        {
            "case": row,
            "council": council,
            "rule": rm.RuleRow.objects.filter(key=row.rule).first(),
            "commission": commission,
            "bench": bench,
            "recused": sorted(recused & set(commission)),
            "is_respondent": viewer == row.respondent,
            "is_party": viewer in rules.parties(state, folded),
            "on_bench": viewer in bench,
            "my_vote": row.votes.get(viewer) if viewer in bench else None,
            "reply_open": now < row.reply_until,
            "appeal_body": appeal_body,
            "can_vote_appeal": rules.may_vote_on_appeal(state, key, viewer, clock.now()),
            "sealed": dict(rm.SealedEvidence.objects.filter(case=key).values_list("key", "text"))
            if may_read_sealed(viewer, row)
            else {},
            "names": lookups.names(
                [row.respondent, row.filed_by, *row.witnesses, *commission, *row.votes]
            ),
        },
    )


def file_evidence(
    member: str, case_id: str, title: str, text: str, restricted: bool
) -> list[Entry]:
    """Execute ``AddEvidence`` and keep a restricted text apart from the record (its digest is
    in the record, so anyone holding the text can prove it is the one filed)."""
    entries = execute(c.AddEvidence(member, case_id, title, text, restricted))
    data = json.loads(bytes(entries[-1].body))["data"]
    if data["restricted"]:
        rm.SealedEvidence.objects.update_or_create(
            key=data["id"],
            defaults={"case": case_id, "digest": data["digest"], "text": text.strip()},
        )
    return entries


def may_read_sealed(member: str, row: rm.CaseRow) -> bool:
    """Who reads restricted evidence is the constitution's rule, decided on the state."""
    from smolny.constitution.cases import may_read_restricted_evidence

    return may_read_restricted_evidence(current_state(), row.key, member)


@login_required
@require_POST
def evidence(request: HttpRequest, key: str) -> HttpResponse:
    back = reverse("case", args=[key])
    try:
        entries = file_evidence(
            request.user.get_username(),
            key,
            request.POST.get("title", ""),
            request.POST.get("text", ""),
            request.POST.get("restricted") in ("1", "on", "yes", "true"),
        )
    except DomainError as error:
        return _refused(request, error, back)
    _done(request, entries)
    return HttpResponseRedirect(back)


# --- my rights and my data -------------------------------------------------------------------


@login_required
def rights(request: HttpRequest) -> HttpResponse:
    me = request.user.get_username()
    member = rm.MemberRow.objects.filter(key=me).first()
    params = _params()
    context: dict[str, Any] = {"member": member, "params": params}
    if member is None or not member.active:
        return render(request, "pages/rights.html", context)
    scopes = _scope_chain(member.council)
    councils = {k.key: k for k in rm.CouncilRow.objects.filter(key__in=scopes)}
    voting = lookups.councils_of(me)
    sanctions = [
        k
        for k in rm.CaseRow.objects.filter(
            respondent=me, stage__in=["decided", "appealed", "upheld"]
        )
        if k.decision
        and k.decision.get("outcome") in ("suspension", "warning")
        and (k.sanction_until or "") > lookups.now_text()
        and not k.sanction_lifted_at
    ]
    suspended = next(
        (k for k in sanctions if k.decision and k.decision["outcome"] == "suspension"), None
    )
    tendency_rows = list(rm.TendencyRow.objects.filter(scope__in=scopes).order_by("scope", "name"))
    mine = []
    for t in tendency_rows:
        support = _my_support(me, t)
        mine.append(
            {
                "tendency": t,
                "support": support,
                "missing": max(0, params.press_threshold - t.supporters),
                "is_founder": me in t.founders,
            }
        )
    motions_needed = []
    pending: list[dict[str, Any]] = []
    for key in voting:
        council = rm.CouncilRow.objects.get(key=key)
        voters = lookups.voters(council)
        cosponsors = share_of(params.cosponsor_share, len(voters))
        recall = share_of(params.recall_share, len(voters))
        motions_needed.append(
            {"council": council, "voters": len(voters), "cosponsors": cosponsors, "recall": recall}
        )
        # How far each open petition is from its threshold: what she can bring about now.
        for motion in rm.MotionRow.objects.filter(council=key, status="filed"):
            have = len(set(motion.sponsors) & set(voters))
            pending.append(
                {
                    "what": f"Motion “{motion.title}” reaches the agenda",
                    "url": reverse("motion", args=[motion.key]),
                    "have": have,
                    "needed": cosponsors,
                    "missing": max(0, cosponsors - have),
                    "mine": me in motion.sponsors,
                }
            )
        for petition in rm.RecallRow.objects.filter(constituency=key, status="petition"):
            have = len(set(petition.signatures) & set(voters))
            pending.append(
                {
                    "what": "Recall petition opens its ballot",
                    "url": reverse("recall", args=[petition.key]),
                    "have": have,
                    "needed": recall,
                    "missing": max(0, recall - have),
                    "mine": me in petition.signatures,
                }
            )
    for t in tendency_rows:
        if t.status == "forming" and me in t.founders:
            pending.append(
                {
                    "what": f"Tendency “{t.name}” is founded",
                    "url": reverse("tendency", args=[t.key]),
                    "have": len(t.confirmed),
                    "needed": len(t.founders),
                    "missing": len(t.founders) - len(t.confirmed),
                    "mine": me in t.confirmed,
                }
            )
    context.update(
        {
            "scopes": [councils[k] for k in scopes if k in councils],
            "voting": voting,
            "suspended": suspended,
            "sanctions": sanctions,
            "tendencies": mine,
            "thresholds": motions_needed,
            "pending": pending,
            "council_names": lookups.council_names(),
            "my_cases": rm.CaseRow.objects.filter(respondent=me).order_by("-filed_at"),
        }
    )
    return render(request, "pages/rights.html", context)


def member_data(member: str) -> dict[str, Any]:
    """Everything the federation holds about one member, from the read models and the record."""
    from smolny.api.reads import row as as_dict

    person = rm.MemberRow.objects.filter(key=member).first()
    entries = Entry.objects.filter(actor=member).order_by("seq")
    tendency_rows = list(rm.TendencyRow.objects.all())
    supports = []
    for t in tendency_rows:
        mine = _my_support(member, t) if person else None
        if mine is not None:
            supports.append(
                {"tendency": t.key, "name": t.name} | {k: v for k, v in mine.items() if k != "path"}
            )
    return {
        "member": as_dict(person) if person else None,
        "mandates": [
            as_dict(m) for m in rm.MandateRow.objects.filter(holder=member).order_by("start")
        ],
        "votes": [as_dict(v) for v in rm.VoteRow.objects.filter(member=member)],
        "ballots": [as_dict(b) for b in rm.BallotRow.objects.filter(member=member)],
        "documents_received": list(
            rm.DeliveryRow.objects.filter(member=member).values_list("owner", flat=True)
        ),
        "tendencies_founded": [t.key for t in tendency_rows if member in t.founders],
        "supports": supports,
        "cases_as_respondent": [as_dict(k) for k in rm.CaseRow.objects.filter(respondent=member)],
        "cases_filed": [as_dict(k) for k in rm.CaseRow.objects.filter(filed_by=member)],
        "record_entries": [json.loads(bytes(e.body)) | {"seq": e.seq} for e in entries],
        "support_key": support_key(member),
    }


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    me = request.user.get_username()
    response = JsonResponse(member_data(me), json_dumps_params={"indent": 1, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="smolny-{me}.json"'
    return response
