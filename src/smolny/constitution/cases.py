"""Due process: a sanction comes only from a case, and a case only from a member's own acts.

DESIGN: members were expelled "for infraction of discipline", sentences "doubled
automatically", and "one remark led to the expulsion of a man, his siblings, those who had
recommended him, and those who 'failed to unmask' him".  So, rule by rule:

- a charge names exactly one respondent, cites a rule of the federation's code, and states her
  own acts, each with its date, what she did and the evidence.  The command has no field for
  anything else (another person's acts, a relationship, a recommendation, a silence): a ground
  of that kind has nowhere to go, and a charge that tries to add one is refused;
- the respondent is notified when the charge is filed (the notice is part of the filing event)
  and has ``reply_hours`` to reply before any hearing;
- the case is heard by the council's control commission, elected like any office; a
  commissioner who filed the charge, is a witness, or is the respondent is recused;
- the hearing is recorded; the decision is a vote of the commission, with published reasons:
  a majority of the commissioners not recused must agree on the same outcome and end date;
- every sanction ends on a date no later than ``max_sanction_days`` ahead; nothing renews
  itself (a suspension is in force only while ``now`` is before its end date, and nothing
  extends it: a longer sanction needs a new case);
- the respondent may appeal to the parent council (the congress hears appeals from itself),
  whose voters can overturn the decision by a majority of the votes cast;
- a suspension suspends voting and filing (``Ctx.require_rights``); an expulsion ends the
  membership and so every mandate, and refuses re-joining until its end date.

Every step is an event in the public record: the existence, stage and outcome of every case,
its charge, hearing and decision.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from . import commands as c
from . import elections, membership
from .apply import _count, folds
from .context import Ctx, conflict
from .errors import DomainError, NotAllowed, NotFound
from .events import fmt_time, parse_time
from .state import Case, Member, Rule, Sanction, State
from .words import when

OUTCOMES = ("dismiss", "warning", "suspension", "expulsion")
SANCTIONS = ("warning", "suspension", "expulsion")
ACT_KEYS = ("date", "conduct", "evidence")
MAX_ACTS = 20

# Keys someone might try to smuggle into a charge, each refused with its reason.
_NOT_GROUNDS = {
    "relationship": "a relationship",
    "relative": "a relationship",
    "kinship": "a relationship",
    "friend": "a relationship",
    "recommended": "a past recommendation",
    "recommended_by": "a past recommendation",
    "recommendation": "a past recommendation",
    "silence": "a silence",
    "failed_to_report": "a silence",
    "failed_to_unmask": "a silence",
    "by": "another person's acts",
    "actor": "another person's acts",
    "person": "another person's acts",
    "others": "another person's acts",
}


# --- the code of rules -----------------------------------------------------------------------


def enact(ctx: Ctx, cmd: c.EnactRule) -> None:
    from .federation import require_founder

    require_founder(ctx, "seed the code of rules")
    _enacted(ctx, cmd.title, cmd.text, None)


def _enacted(ctx: Ctx, title: str, text: str, motion: str | None) -> None:
    ctx.require_text(title, "rule's title", 300)
    ctx.require_text(text, "rule's text", 20000)
    ctx.emit(
        "rule_enacted", id=ctx.new_id("RU"), title=title.strip(), text=text.strip(), motion=motion
    )


def check_code_effect(ctx: Ctx, council_id: str, effect: dict[str, Any]) -> dict[str, Any]:
    """A congress motion amends the code: enact a rule, or repeal one (by two thirds)."""
    if ctx.state.councils[council_id].parent is not None:
        raise NotAllowed("congress_only", "Only the congress can amend the code of rules.")
    action = effect.get("action", "enact")
    if action == "repeal":
        rule = ctx.state.code.get(str(effect.get("rule")))
        if rule is None or rule.repealed_at is not None:
            raise DomainError("invalid_effect", "Name a rule of the code in force to repeal.")
        return {"kind": "amend_code", "action": "repeal", "rule": rule.id}
    if action != "enact":
        raise DomainError("invalid_effect", "A code amendment enacts or repeals a rule.")
    title, text = effect.get("title"), effect.get("text")
    if (
        not isinstance(title, str)
        or not title.strip()
        or not isinstance(text, str)
        or not text.strip()
    ):
        raise DomainError("invalid_effect", "Write the new rule's title and text.")
    return {"kind": "amend_code", "action": "enact", "title": title.strip(), "text": text.strip()}


def execute_code_effect(ctx: Ctx, motion: Any) -> None:
    effect = motion.effect
    if effect["action"] == "repeal":
        ctx.emit("rule_repealed", rule=effect["rule"], motion=motion.id)
    else:
        _enacted(ctx, effect["title"], effect["text"], motion.id)


# --- look-ups ------------------------------------------------------------------------------


def case_of(ctx: Ctx, case_id: str) -> Case:
    case = ctx.state.cases.get(case_id)
    if case is None:
        raise NotFound("no_such_case", f"There is no case {case_id!r}.")
    return case


def commissioners(state: State, council_id: str) -> list[str]:
    return sorted(
        {
            m.holder
            for m in state.active_mandates(body=council_id)
            if m.kind == "office" and m.office == "control_commission"
        }
    )


def recused(case: Case) -> set[str]:
    """Who may not sit on this case: whoever filed it, its witnesses, and the respondent."""
    return {case.filed_by, case.respondent, *case.witnesses}


def may_read_restricted_evidence(state: State, case_id: str, member: str) -> bool:
    """Restricted evidence is for the parties (respondent and whoever filed the charge) and the
    council's control commission; nobody else, whatever office they hold.  The charge and the
    decision are never restricted (DESIGN: due process in public)."""
    case = state.cases.get(case_id)
    if case is None or not member:
        return False
    return member in (case.respondent, case.filed_by) or member in commissioners(
        state, case.council
    )


def bench(state: State, case: Case) -> list[str]:
    """The commissioners who may hear and decide this case."""
    return [p for p in commissioners(state, case.council) if p not in recused(case)]


def appeal_body(state: State, case: Case) -> str:
    parent = state.councils[case.council].parent
    return parent if parent is not None else case.council


def _day(text: Any, what: str) -> datetime:
    if not isinstance(text, str):
        raise DomainError("invalid_date", f"Give the {what} as a date such as 2026-03-01.")
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise DomainError("invalid_date", f"Give the {what} as a date such as 2026-03-01.") from exc


# --- the charge ----------------------------------------------------------------------------


def _acts(ctx: Ctx, raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, tuple | list) or not raw:
        raise DomainError(
            "no_acts",
            "State at least one act of the respondent's own: its date, what she did, and the "
            "evidence.",
        )
    if len(raw) > MAX_ACTS:
        raise DomainError("too_many_acts", f"A charge states at most {MAX_ACTS} acts.")
    out: list[dict[str, str]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise DomainError("invalid_act", "Each act is a date, what she did, and the evidence.")
        for key in item:
            if key not in ACT_KEYS:
                what = _NOT_GROUNDS.get(str(key).casefold(), f"{key!r}")
                raise DomainError(
                    "grounds_not_personal",
                    f"A charge states only the respondent's own acts (date, what she did, "
                    f"evidence); {what} is not a ground and has no place in it.",
                )
        day = _day(item.get("date"), "date of each act")
        if day > ctx.now:
            raise DomainError("act_in_future", "An act charged must have happened already.")
        for key, label in (("conduct", "what the respondent did"), ("evidence", "evidence")):
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                raise DomainError("missing_text", f"Please write the {label} for each act.")
            ctx.require_text(value, label, 5000)
        out.append(
            {
                "date": day.strftime("%Y-%m-%d"),
                "conduct": str(item["conduct"]).strip(),
                "evidence": str(item["evidence"]).strip(),
            }
        )
    return out


def _one_respondent(ctx: Ctx, respondent: Any) -> Member:
    if not isinstance(respondent, str) or not respondent.strip():
        raise DomainError("one_respondent", "A charge names exactly one respondent.")
    parts = [p for p in respondent.replace(",", " ").replace(";", " ").split() if p]
    if len(parts) != 1 or parts[0] in ("and", "&"):
        raise DomainError(
            "one_respondent",
            "A charge names exactly one respondent; charge each person separately, for her "
            "own acts.",
        )
    return ctx.member(parts[0])


def file_charge(ctx: Ctx, cmd: c.FileCharge) -> None:
    council = ctx.council(cmd.council)
    respondent = _one_respondent(ctx, cmd.respondent)
    require_rights = ctx.require_rights
    ctx.me()
    require_rights("file charges")
    if not ctx.state.in_scope(council.id, ctx.actor):
        raise NotAllowed(
            "not_in_scope", f"Only members within {council.name} can file charges there."
        )
    if not ctx.state.in_scope(council.id, respondent.id):
        raise DomainError(
            "respondent_not_in_scope",
            f"{respondent.name} is not a member within {council.name}; file the charge with "
            "her own council's commission.",
        )
    if respondent.id == ctx.actor:
        raise DomainError("self_charge", "You cannot charge yourself.")
    rule = ctx.state.code.get(cmd.rule) if isinstance(cmd.rule, str) else None
    if rule is None or rule.repealed_at is not None:
        raise DomainError(
            "no_such_rule",
            "A charge must cite a rule of the federation's code in force; disagreement is not "
            "a breach.",
        )
    acts = _acts(ctx, cmd.acts)
    witnesses: list[str] = []
    for person in cmd.witnesses:
        if person and person not in witnesses:
            ctx.member(person)
            witnesses.append(person)
    panel = commissioners(ctx.state, council.id)
    if not panel:
        raise conflict(
            "no_commission",
            f"{council.name} has no elected control commission to hear a case; its voters "
            "must elect one first.",
        )
    ctx.emit(
        "case_opened",
        id=ctx.new_id("K"),
        council=council.id,
        respondent=respondent.id,
        rule=rule.id,
        acts=acts,
        witnesses=witnesses,
        reply_until=ctx.later(ctx.state.params.reply_hours),
        notified=respondent.id,
    )


def reply(ctx: Ctx, cmd: c.ReplyToCharge) -> None:
    case = case_of(ctx, cmd.case)
    ctx.me()
    if ctx.actor != case.respondent:
        raise NotAllowed("not_respondent", "Only the respondent replies to a charge.")
    if case.stage not in ("notified", "replied", "heard"):
        raise conflict("case_decided", "The case has been decided; you may appeal instead.")
    ctx.require_text(cmd.text, "reply", 40000)
    ctx.emit("charge_replied", case=case.id, text=cmd.text.strip())


def _require_bench(ctx: Ctx, case: Case, what: str) -> None:
    ctx.me()
    panel = commissioners(ctx.state, case.council)
    if ctx.actor not in panel:
        council = ctx.state.councils[case.council]
        raise NotAllowed(
            "not_commissioner", f"Only the control commission of {council.name} can {what}."
        )
    if ctx.actor in recused(case):
        role = (
            "filed the charge"
            if ctx.actor == case.filed_by
            else "are the respondent"
            if ctx.actor == case.respondent
            else "are a witness"
        )
        raise NotAllowed(
            "recused", f"You {role} in this case, so the rules recuse you: you cannot {what}."
        )


def hearing(ctx: Ctx, cmd: c.RecordHearing) -> None:
    case = case_of(ctx, cmd.case)
    _require_bench(ctx, case, "hear this case")
    if case.stage not in ("notified", "replied"):
        raise conflict("already_heard", f"This case is past its hearing ({case.stage}).")
    if ctx.now < case.reply_until:
        raise conflict(
            "reply_period",
            f"The respondent has until {when(case.reply_until)} to reply; no hearing before then.",
        )
    ctx.require_text(cmd.minutes, "minutes of the hearing", 40000)
    ctx.emit("case_heard", case=case.id, minutes=cmd.minutes.strip())


def vote(ctx: Ctx, cmd: c.VoteOnCase) -> None:
    case = case_of(ctx, cmd.case)
    _require_bench(ctx, case, "vote on this case")
    if case.stage != "heard":
        if case.stage in ("notified", "replied"):
            raise conflict("not_heard", "The case must be heard, and the hearing recorded, first.")
        raise conflict("case_decided", "This case has been decided.")
    if cmd.outcome not in OUTCOMES:
        raise DomainError("invalid_outcome", f"Vote {', '.join(OUTCOMES)}.")
    ctx.require_text(cmd.reasons, "reasons", 20000)
    until: str | None = None
    if cmd.outcome in SANCTIONS:
        if not cmd.until:
            raise DomainError(
                "sanction_needs_end",
                "Every sanction has an end date; give one (nothing renews itself).",
            )
        end = _day(cmd.until, "sanction's end date")
        limit = ctx.now + timedelta(days=ctx.state.params.max_sanction_days)
        if end <= ctx.now:
            raise DomainError("sanction_ended", "The sanction's end date must be in the future.")
        if end > limit:
            raise DomainError(
                "sanction_too_long",
                f"No sanction may end later than {limit.strftime('%Y-%m-%d')} "
                f"({ctx.state.params.max_sanction_days} days); a longer one needs a new case.",
            )
        until = fmt_time(end)
    elif cmd.until:
        raise DomainError("dismissal_has_no_end", "A dismissal has no end date; leave it empty.")
    ctx.emit(
        "case_vote_cast",
        case=case.id,
        member=ctx.actor,
        outcome=cmd.outcome,
        until=until,
        reasons=cmd.reasons.strip(),
    )
    votes = dict(case.votes)
    votes[ctx.actor] = {"outcome": cmd.outcome, "until": until, "reasons": cmd.reasons.strip()}
    panel = bench(ctx.state, case)
    agreeing = sorted(
        p
        for p, v in votes.items()
        if p in panel and v["outcome"] == cmd.outcome and v["until"] == until
    )
    if 2 * len(agreeing) > len(panel):
        _decide(ctx, case, cmd.outcome, until, agreeing, votes, panel)


def _decide(
    ctx: Ctx,
    case: Case,
    outcome: str,
    until: str | None,
    agreeing: list[str],
    votes: dict[str, dict[str, Any]],
    panel: list[str],
) -> None:
    ctx.emit(
        "case_decided",
        case=case.id,
        outcome=outcome,
        until=until,
        majority=agreeing,
        bench=panel,
        roll={p: votes[p]["outcome"] for p in sorted(votes) if p in panel},
    )
    if outcome == "expulsion":
        member = ctx.state.members[case.respondent]
        if member.active:
            assert member.council is not None
            ctx.end_mandates(
                ctx.state.active_mandates(holder=member.id), "expelled", leaving=member.council
            )
            ctx.emit("member_expelled", member=member.id, council=member.council, case=case.id)


# --- evidence ------------------------------------------------------------------------------


def parties(state: State, case: Case) -> set[str]:
    """Who may add evidence and read what is restricted: the respondent, whoever filed the
    charge, and the council's commissioners."""
    return {case.respondent, case.filed_by, *commissioners(state, case.council)}


def evidence_digest(case_id: str, text: str) -> str:
    return hashlib.sha256(
        b"smolny/evidence/v1\x00" + case_id.encode() + b"\x00" + text.encode()
    ).hexdigest()


def add_evidence(ctx: Ctx, cmd: c.AddEvidence) -> None:
    case = case_of(ctx, cmd.case)
    ctx.me()
    if ctx.actor not in parties(ctx.state, case):
        raise NotAllowed(
            "not_a_party",
            "Only the respondent, whoever filed the charge and the commissioners add evidence.",
        )
    if case.stage not in ("notified", "replied", "heard"):
        raise conflict(
            "case_decided", "The case has been decided; evidence can no longer be added."
        )
    ctx.require_text(cmd.title, "evidence's title", 300)
    ctx.require_text(cmd.text, "evidence", 40000)
    text = cmd.text.strip()
    ctx.emit(
        "evidence_added",
        case=case.id,
        id=f"{case.id}-E{len(case.evidence) + 1}",
        title=cmd.title.strip(),
        restricted=bool(cmd.restricted),
        digest=evidence_digest(case.id, text),
        text=None if cmd.restricted else text,
    )


# --- appeal --------------------------------------------------------------------------------


def appeal(ctx: Ctx, cmd: c.AppealCase) -> None:
    case = case_of(ctx, cmd.case)
    if ctx.actor != case.respondent:
        raise NotAllowed("not_respondent", "Only the respondent can appeal a decision.")
    if case.stage != "decided" or case.decision is None:
        raise conflict("not_decided", "Only a decided case can be appealed.")
    if case.decision["outcome"] == "dismiss":
        raise conflict("nothing_to_appeal", "The case was dismissed; there is nothing to appeal.")
    ctx.require_text(cmd.grounds, "grounds of the appeal", 20000)
    body = appeal_body(ctx.state, case)
    ctx.emit(
        "case_appealed",
        case=case.id,
        body=body,
        grounds=cmd.grounds.strip(),
        closes=ctx.later(ctx.state.params.appeal_hours),
    )


def _open_appeal(ctx: Ctx, case: Case) -> dict[str, Any]:
    if case.stage != "appealed" or case.appeal is None:
        raise conflict("no_appeal", "This case has no appeal open.")
    return case.appeal


def appeal_voters(state: State, case: Case) -> set[str]:
    """Who votes on a case's appeal: the voters of the council that hears it, except the
    respondent, who cannot judge her own appeal.  The same set is the electorate the appeal is
    counted against (``close_appeal``)."""
    if case.appeal is None:
        return set()
    return set(state.voters(case.appeal["body"])) - {case.respondent}


def _require_appeal_voter(ctx: Ctx, case: Case) -> None:
    """Everything about the voter and the moment that lets her vote on the appeal (not her
    choice, which is the form's): the decision refuses with the first that fails, and
    ``may_vote_on_appeal`` asks the same questions for the page."""
    pending = _open_appeal(ctx, case)
    ctx.require_voter(pending["body"], "vote on appeals it hears")
    if ctx.actor not in appeal_voters(ctx.state, case):
        raise NotAllowed("recused", "You are the respondent; you cannot vote on your own appeal.")
    if ctx.now >= parse_time(pending["closes"]):
        raise conflict("appeal_closed", "The appeal's vote has closed; it can now be counted.")


def may_vote_on_appeal(state: State, case_id: str, member: str, now: datetime) -> bool:
    """Whether ``member`` may vote on the appeal of ``case_id`` at ``now``: exactly when
    ``VoteOnAppeal`` with a valid choice would not be refused.  The case page offers the
    ballot on this, so the page and the decision cannot disagree."""
    case = state.cases.get(case_id)
    if case is None or not member:
        return False
    try:
        _require_appeal_voter(Ctx(state, member, now), case)
    except DomainError:
        return False
    return True


def vote_appeal(ctx: Ctx, cmd: c.VoteOnAppeal) -> None:
    case = case_of(ctx, cmd.case)
    _require_appeal_voter(ctx, case)
    if cmd.choice not in ("uphold", "overturn"):
        raise DomainError("invalid_choice", "Vote uphold or overturn.")
    ctx.emit("appeal_voted", case=case.id, member=ctx.actor, choice=cmd.choice)


def close_appeal(ctx: Ctx, cmd: c.CloseAppeal) -> None:
    case = case_of(ctx, cmd.case)
    ctx.me()
    pending = _open_appeal(ctx, case)
    voters = appeal_voters(ctx.state, case)
    votes = {v: ch for v, ch in pending["votes"].items() if v in voters}
    if ctx.now < parse_time(pending["closes"]) and not (voters and voters <= set(votes)):
        raise conflict(
            "appeal_still_open",
            f"The appeal's vote is open until {when(pending['closes'])}, unless every voter has "
            "voted before then.",
        )
    overturn = sum(1 for ch in votes.values() if ch == "overturn")
    uphold = sum(1 for ch in votes.values() if ch == "uphold")
    overturned = overturn > uphold
    ctx.emit(
        "appeal_decided",
        case=case.id,
        overturned=overturned,
        overturn=overturn,
        uphold=uphold,
        electorate=len(voters),
        roll=dict(sorted(votes.items())),
    )
    assert case.decision is not None
    if overturned and case.decision["outcome"] == "expulsion":
        member = ctx.state.members[case.respondent]
        council = ctx.state.councils.get(case.decision.get("council") or "")
        home = council.id if council is not None and not council.seceded else None
        if not member.active and home is not None:
            ctx.emit("member_reinstated", member=member.id, council=home, case=case.id)


# --- joining while expelled ------------------------------------------------------------------


def join(ctx: Ctx, cmd: c.Join) -> None:
    """Joining, except while an expulsion is in force (its end date is in the record)."""
    expulsion = ctx.state.sanction_in_force(ctx.actor, "expulsion", ctx.now)
    if expulsion is not None:
        raise NotAllowed(
            "expelled",
            f"You were expelled by the decision in case {expulsion.case} until "
            f"{when(expulsion.until)}; you may join again from then.",
        )
    membership.join(ctx, cmd)


def nominate(ctx: Ctx, cmd: c.Nominate) -> None:
    """Nominating, except a candidate whose rights are suspended (until the end date)."""
    suspension = ctx.state.sanction_in_force(cmd.candidate, "suspension", ctx.now)
    if suspension is not None:
        raise DomainError(
            "candidate_suspended",
            f"{cmd.candidate}'s rights are suspended until {when(suspension.until)} by the "
            f"decision in case {suspension.case}; she can stand again from then.",
        )
    elections.nominate(ctx, cmd)


# --- folds ---------------------------------------------------------------------------------


@folds("rule_enacted")
def _rule(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.code[d["id"]] = Rule(
        id=d["id"], title=d["title"], text=d["text"], enacted_at=at, motion=d["motion"]
    )
    _count(s, "RU", d["id"])
    s.dirty.add(("rule", d["id"]))


@folds("rule_repealed")
def _repealed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.code[d["rule"]].repealed_at = at
    s.dirty.add(("rule", d["rule"]))


@folds("case_opened")
def _opened(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = Case(
        id=d["id"],
        council=d["council"],
        respondent=d["respondent"],
        rule=d["rule"],
        acts=[dict(a) for a in d["acts"]],
        witnesses=list(d["witnesses"]),
        filed_by=actor,
        filed_at=at,
        reply_until=parse_time(d["reply_until"]),
    )
    s.cases[case.id] = case
    _count(s, "K", case.id)
    s.dirty.add(("case", case.id))


@folds("charge_replied")
def _replied(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    case.reply, case.replied_at = d["text"], at
    if case.stage == "notified":
        case.stage = "replied"
    s.dirty.add(("case", case.id))


@folds("case_heard")
def _heard(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    case.hearing = {"minutes": d["minutes"], "by": actor, "at": fmt_time(at)}
    case.stage = "heard"
    s.dirty.add(("case", case.id))


@folds("evidence_added")
def _evidence(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    case.evidence.append(
        {k: v for k, v in d.items() if k != "case"} | {"by": actor, "at": fmt_time(at)}
    )
    s.dirty.add(("case", case.id))


@folds("case_vote_cast")
def _case_vote(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    case.votes[d["member"]] = {
        "outcome": d["outcome"],
        "until": d["until"],
        "reasons": d["reasons"],
    }
    s.dirty.add(("case", case.id))


@folds("case_decided")
def _decided(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    member = s.members[case.respondent]
    case.stage = "decided"
    # The reasons are the majority's own, published with their votes (case_vote_cast); the
    # decision refers to them rather than repeating them, so it always fits one entry.
    case.decision = {k: v for k, v in d.items() if k != "case"} | {
        "at": fmt_time(at),
        "council": member.council,
        "reasons": [case.votes[p]["reasons"] for p in d["majority"]],
    }
    if d["outcome"] in SANCTIONS:
        s.sanctions.setdefault(case.respondent, []).append(
            Sanction(
                case=case.id,
                member=case.respondent,
                kind=d["outcome"],
                starts=at,
                until=parse_time(d["until"]),
            )
        )
        s.dirty.add(("member", case.respondent))
    s.dirty.add(("case", case.id))


@folds("member_expelled")
def _expelled(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    member = s.members[d["member"]]
    s.councils[d["council"]].members.discard(member.id)
    member.council = None
    member.left_at = at
    member.history.append(("expelled", d["council"], at))
    s.dirty.update({("member", member.id), ("council", d["council"])})


@folds("case_appealed")
def _appealed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    case.stage = "appealed"
    case.appeal = {
        "body": d["body"],
        "grounds": d["grounds"],
        "at": fmt_time(at),
        "closes": d["closes"],
        "votes": {},
        "outcome": None,
    }
    s.dirty.add(("case", case.id))


@folds("appeal_voted")
def _appeal_voted(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    assert case.appeal is not None
    case.appeal["votes"][d["member"]] = d["choice"]
    s.dirty.add(("case", case.id))


@folds("appeal_decided")
def _appeal_decided(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    case = s.cases[d["case"]]
    assert case.appeal is not None
    case.appeal["outcome"] = {k: v for k, v in d.items() if k != "case"} | {"at": fmt_time(at)}
    case.stage = "overturned" if d["overturned"] else "upheld"
    if d["overturned"]:
        for sanction in s.sanctions.get(case.respondent, []):
            if sanction.case == case.id and sanction.lifted_at is None:
                sanction.lifted_at = at
        s.dirty.add(("member", case.respondent))
    s.dirty.add(("case", case.id))


@folds("member_reinstated")
def _reinstated(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    member = s.members[d["member"]]
    member.council, member.left_at = d["council"], None
    member.history.append(("reinstated", d["council"], at))
    s.councils[d["council"]].members.add(member.id)
    s.dirty.update({("member", member.id), ("council", d["council"])})
