"""The pages people read: home, the federation, a council, an election, a motion, a recall,
a member, and the record.  Each reads the read models and renders; none decides anything."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from smolny.constitution import OFFICES_LIST, Event, Params, State
from smolny.constitution import elections as election_rules
from smolny.constitution import motions as motion_rules
from smolny.constitution import recall as recall_rules
from smolny.constitution import secret as secret_rules
from smolny.constitution.methods import METHODS
from smolny.constitution.params import share_of
from smolny.constitution.ranked import STV_METHODS
from smolny.readmodels import models as rm
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state

from .. import debate_view, effects, entry_names, happenings, lookups, stv_view


def _federation() -> rm.FederationRow | None:
    return rm.FederationRow.objects.filter(key="federation").first()


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"federation": _federation()}
    if request.user.is_authenticated:
        member = rm.MemberRow.objects.filter(key=request.user.get_username()).first()
        context["member"] = member
        if member is not None and member.active:
            context.update(lookups.home_context(member.key))
            context["base_councils"] = rm.CouncilRow.objects.filter(
                base=True, seceded=False
            ).order_by("name")
    return render(request, "pages/home.html", context)


def _tree(
    councils: dict[str, rm.CouncilRow], parent: str | None, holders: dict[str, list[rm.MandateRow]]
) -> list[dict[str, Any]]:
    out = []
    for council in sorted(
        (k for k in councils.values() if k.parent == parent), key=lambda k: k.name
    ):
        out.append(
            {
                "council": council,
                "delegates": holders.get(council.key, []),
                "children": _tree(councils, council.key, holders),
            }
        )
    return out


def federation(request: HttpRequest) -> HttpResponse:
    fed = _federation()
    councils = {k.key: k for k in rm.CouncilRow.objects.filter(seceded=False)}
    holders: dict[str, list[rm.MandateRow]] = {}
    mandates = list(rm.MandateRow.objects.filter(active=True, kind="delegate").order_by("key"))
    for mandate in mandates:
        holders.setdefault(mandate.constituency, []).append(mandate)
    return render(
        request,
        "pages/federation.html",
        {
            "federation": fed,
            "tree": _tree(councils, None, holders),
            "names": lookups.names(m.holder for m in mandates),
            "params": [
                (effects.PARAMETERS.get(key, key.replace("_", " ")), key, value)
                for key, value in (fed.params if fed else {}).items()
            ],
        },
    )


def council(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.CouncilRow, key=key)
    voters = lookups.voters(row)
    delegation = list(rm.MandateRow.objects.filter(constituency=key, kind="delegate", active=True))
    officers = list(
        rm.MandateRow.objects.filter(body=key, kind="office", active=True).order_by("office")
    )
    delegates_here = list(
        rm.MandateRow.objects.filter(body=key, kind="delegate", active=True).order_by(
            "constituency"
        )
    )
    elections = list(rm.ElectionRow.objects.filter(council=key).order_by("-called_at"))
    motions = list(rm.MotionRow.objects.filter(council=key).order_by("-filed_at"))
    recalls = list(rm.RecallRow.objects.filter(constituency=key).order_by("-opened_at"))
    documents = list(rm.DocumentRow.objects.filter(body=key).order_by("-filed_at"))
    acts = list(rm.ActRow.objects.filter(council=key).order_by("-at"))
    entries = list(Entry.objects.filter(scope__contains=f" {key} ").order_by("-seq")[:30])
    # Each entry said in words, as its own page says it (one set of name look-ups for all).
    events = [Event.decode(bytes(e.body)) for e in entries]
    said = entry_names.names_for(*events)
    happened = [
        (e, happenings.sentence(event, said)) for e, event in zip(entries, events, strict=True)
    ]
    people = [
        *voters,
        *(m.holder for m in delegation + officers + delegates_here),
        *(r.holder for r in recalls),
        *(d.author for d in documents),
        *(e.actor for e in entries),
        *(a.actor for a in acts),
    ]
    fed = _federation()
    params = Params.from_dict(fed.params) if fed else Params()
    viewer = request.user.get_username() if request.user.is_authenticated else ""
    # The rules say which elections she could call now: only those are offered.
    calls = (
        election_rules.callable_seats(current_state(), key, clock.now(), viewer)
        if viewer in voters
        else []
    )
    return render(
        request,
        "pages/council.html",
        {
            "council": row,
            "parent": rm.CouncilRow.objects.filter(key=row.parent).first() if row.parent else None,
            "children": rm.CouncilRow.objects.filter(parent=key).order_by("name"),
            "voters": voters,
            "is_voter": viewer in voters,
            "delegation": delegation,
            "officers": officers,
            "delegates_here": delegates_here,
            "elections": elections,
            "motions": motions,
            "recalls": recalls,
            # A mandate with a recall under way is shown with it, not offered a second one
            # (the rules refuse it: ``recall_open``).
            "open_recalls": {r.mandate: r for r in recalls if r.status in ("petition", "ballot")},
            "documents": documents,
            "acts": acts,
            "entries": happened,
            "names": lookups.names(people),
            "council_names": lookups.council_names(),
            "offices": OFFICES_LIST,
            "call_delegates": ("delegate", None) in calls,
            "call_offices": [office for kind, office in calls if kind == "office"],
            "powers": list(effects.POWERS.items()),
            "cosponsors_needed": share_of(params.cosponsor_share, len(voters)),
            "recall_needed": share_of(params.recall_share, len(voters)),
            "methods": METHODS,
        },
    )


def election(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.ElectionRow, key=key)
    council = rm.CouncilRow.objects.get(key=row.council)
    voters = lookups.voters(council)
    ballots = list(rm.BallotRow.objects.filter(owner=key).order_by("member"))
    now = lookups.now_text()
    viewer = request.user.get_username() if request.user.is_authenticated else ""
    mine = next((b for b in ballots if b.member == viewer), None)
    phase = (
        "closed"
        if row.closed_at
        else "nominations"
        if now < row.nominations_close
        else "voting"
        if now < row.voting_close
        else "counting"
    )
    result = row.result or {}
    people = lookups.names([*voters, *row.candidates, row.called_by])
    state = current_state()
    return render(
        request,
        "pages/election.html",
        {
            "election": row,
            "council": council,
            "voters": voters,
            "ballots": ballots,
            "phase": phase,
            "status": _election_status(phase, state.secret.get(key), state),
            # The rules say whether a close would be decided now: only then is it offered.
            "can_close": election_rules.may_close(state, key, clock.now(), viewer or None),
            "is_voter": viewer in voters,
            "my_ballot": mine,
            "method": METHODS.get(row.method),
            "result": result,
            "tallies": sorted((result.get("tallies") or {}).items(), key=lambda kv: -kv[1]),
            "names": people,
            "body": rm.CouncilRow.objects.filter(key=row.body).first(),
            "ranked": row.method in STV_METHODS,
            # Her ballot as she cast it, so that the form she may change it with starts from it.
            "preferences": [
                (
                    f"{n}{ordinal(n)} preference",
                    mine.choices[n - 1] if mine and n <= len(mine.choices) else "",
                )
                for n in range(1, len(row.candidates) + 1)
            ],
            "my_choices": list(mine.choices) if mine else [],
            "stage_table": stv_view.stage_table(result, people) if result.get("stages") else None,
            "chart": stv_view.chart(result, people),
        },
    )


def _election_status(phase: str, sb: secret_rules.SecretBallot | None, state: State) -> str:
    """Where the election stands, in words: for a secret one, where its ballot stands (a key
    ceremony not finished, a tally waiting for its trustees) rather than the clock's phase."""
    if phase == "closed":
        return "closed"
    if phase == "nominations":
        return "nominations open"
    if sb is not None and sb.phase != "voting":
        if sb.phase == "decrypting":
            return "voting closed; waiting for the trustees to decrypt the tally"
        if sb.phase == "ceremony failed":
            return "the trustees' key ceremony failed; any voter can close it as void"
        if secret_rules.ceremony_too_late(state, sb, clock.now()):
            return (
                "the trustees' key ceremony did not finish by the time voting was to close; "
                "any voter can close it as void"
            )
        return "waiting for the trustees' key ceremony; voting opens when it is done"
    if phase == "voting":
        return "voting open"
    return "voting closed; any member can now close and count it"


def motion(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.MotionRow, key=key)
    council = rm.CouncilRow.objects.get(key=row.council)
    voters = lookups.voters(council)
    roll = list(rm.VoteRow.objects.filter(owner=key).order_by("member"))
    now = lookups.now_text()
    viewer = request.user.get_username() if request.user.is_authenticated else ""
    fed = _federation()
    params = Params.from_dict(fed.params) if fed else Params()
    voting_open = row.status == "agenda" and (row.vote_opens or "") <= now < (row.vote_closes or "")
    return render(
        request,
        "pages/motion.html",
        {
            "motion": row,
            "council": council,
            "voters": voters,
            "roll": roll,
            "voting_open": voting_open,
            # The rules say whether a close would be decided now: only then is it offered.
            "can_close": motion_rules.may_close(current_state(), key, clock.now(), viewer or None),
            "is_voter": viewer in voters,
            "my_vote": next((v.choice for v in roll if v.member == viewer), None),
            "needed": share_of(params.cosponsor_share, len(voters)),
            "effect": json.dumps(row.effect, indent=1) if row.effect else "",
            "effect_text": effects.describe(row.effect, council.name),
            "majority": effects.majority((row.result or {}).get("majority")),
            "amends": rm.MotionRow.objects.filter(key=row.effect.get("motion")).first()
            if row.effect and row.effect.get("kind") == "amend_text"
            else None,
            "names": lookups.names([*voters, *row.sponsors, row.filed_by]),
            "amendments": list(
                rm.MotionRow.objects.filter(effect__kind="amend_text")
                .filter(effect__motion=key)
                .order_by("filed_at")
            ),
            # The debate: speaker list, floor, time used, rulings (pages/debate_view.py).
            **debate_view.context(row, council, viewer),
        },
    )


def recall(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.RecallRow, key=key)
    mandate = rm.MandateRow.objects.get(key=row.mandate)
    council = rm.CouncilRow.objects.get(key=row.constituency)
    voters = lookups.voters(council)
    fed = _federation()
    params = Params.from_dict(fed.params) if fed else Params()
    viewer = request.user.get_username() if request.user.is_authenticated else ""
    valid = [s for s in row.signatures if s in voters]
    yes = sum(1 for v, ch in row.votes.items() if ch == "yes" and v in voters)
    no = sum(1 for v, ch in row.votes.items() if ch == "no" and v in voters)
    # The by-election the recall's end of the mandate called (in the same act): the next step.
    by_election = (
        rm.ElectionRow.objects.filter(
            council=mandate.constituency,
            kind=mandate.kind,
            office=mandate.office,
            by_election=True,
            called_at=mandate.ended_at,
        ).first()
        if mandate.ended_at
        else None
    )
    return render(
        request,
        "pages/recall.html",
        {
            "recall": row,
            "mandate": mandate,
            "council": council,
            "voters": voters,
            "is_voter": viewer in voters,
            "signed": viewer in row.signatures,
            "my_vote": row.votes.get(viewer),
            "valid": len(valid),
            "needed": share_of(params.recall_share, len(voters)),
            "still_needed": max(0, share_of(params.recall_share, len(voters)) - len(valid)),
            "majority": len(voters) // 2 + 1,
            "yes": yes,
            "no": no,
            "ballot_open": row.status == "ballot" and (row.ballot_close or "") > lookups.now_text(),
            # The rules say whether a close would be decided now: only then is it offered.
            "can_close": recall_rules.may_close(current_state(), key, clock.now(), viewer or None),
            "body": rm.CouncilRow.objects.filter(key=mandate.body).first(),
            "by_election": by_election,
            "names": lookups.names([*voters, *row.signatures, row.holder, row.opened_by]),
        },
    )


def member(request: HttpRequest, key: str) -> HttpResponse:
    row = get_object_or_404(rm.MemberRow, key=key)
    mandates = list(rm.MandateRow.objects.filter(holder=key).order_by("-start"))
    votes = list(rm.VoteRow.objects.filter(member=key))
    motions = {m.key: m for m in rm.MotionRow.objects.filter(key__in=[v.owner for v in votes])}
    return render(
        request,
        "pages/member.html",
        {
            "member": row,
            "mandates": mandates,
            "votes": [(motions[v.owner], v.choice) for v in votes],
            "council_names": lookups.council_names(),
        },
    )


def record(request: HttpRequest) -> HttpResponse:
    page = Paginator(Entry.objects.order_by("-seq"), 50).get_page(request.GET.get("page"))
    # Each entry said in words, as its own page says it (one set of name look-ups for all).
    events = [Event.decode(bytes(e.body)) for e in page]
    said = entry_names.names_for(*events)
    return render(
        request,
        "pages/record.html",
        {
            "page": page,
            "rows": [
                (e, happenings.sentence(event, said)) for e, event in zip(page, events, strict=True)
            ],
            "council_names": lookups.council_names(),
        },
    )


def entry(request: HttpRequest, seq: int) -> HttpResponse:
    row = Entry.objects.filter(seq=seq).first()
    if row is None:
        raise Http404("No such entry")
    body = bytes(row.body)
    event = json.loads(body)
    decoded = Event.from_json(event)
    names = entry_names.names_for(decoded)
    return render(
        request,
        "pages/entry.html",
        {
            "entry": row,
            "event": event,
            "canonical": body.decode("utf-8"),
            "happened": happenings.sentence(decoded, names),
            "pretty": json.dumps(event["data"], indent=2, ensure_ascii=False),
            "author": entry_names.author(decoded, names),
            "councils": [k for k in row.scope.split() if k],
            "council_names": {key: council.name for key, council in names.councils.items()},
            "previous": seq - 1 if seq > 0 else None,
            "following": seq + 1 if Entry.objects.filter(seq=seq + 1).exists() else None,
        },
    )


def problem(request: HttpRequest, code: str) -> HttpResponse:
    """The page an RFC 9457 problem document's ``type`` points to."""
    if not code.replace("_", "").isalnum():
        raise Http404("No such problem")
    return render(request, "pages/problem.html", {"code": code, "words": code.replace("_", " ")})


def health(request: HttpRequest) -> HttpResponse:
    """The health report (DESIGN): what would show a democracy being hollowed out."""
    from smolny.constitution.health import health as report
    from smolny.store.service import current_state

    return render(request, "pages/health.html", {"h": report(current_state())})


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
