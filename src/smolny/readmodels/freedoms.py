"""Rows for tendencies, publications, fair shares, the code of rules and cases.

Registered in ``projections.PROJECTIONS``/``COLLECTIONS`` like every other kind, so they are
rewritten from the state for each entity an event marks dirty and compared by
``replay.differences``.  A tendency's row holds its count, its named supporters and its live
commitments — exactly what the record holds, and nothing more: there is no table of who
supports privately.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from smolny.constitution.state import State

from . import models as m
from .projections import Projector, Row, _t


def tendency_rows(s: State, key: str) -> list[Row]:
    t = s.tendencies[key]
    return [
        {
            "key": t.id,
            "scope": t.scope,
            "name": t.name,
            "platform": t.platform,
            "founders": t.founders,
            "confirmed": t.confirmed,
            "status": t.status,
            "filed_by": t.filed_by,
            "filed_at": _t(t.filed_at),
            "founded_at": _t(t.founded_at),
            "supporters": t.supporters,
            "named": t.named,
            "commitments": t.commitments,
        }
    ]


def publication_rows(s: State, key: str) -> list[Row]:
    p = s.publications[key]
    return [
        {
            "key": p.id,
            "scope": p.scope,
            "publisher": p.publisher,
            "author": p.author,
            "title": p.title,
            "text": p.text,
            "words": p.words,
            "mailing": p.mailing,
            "at": _t(p.at),
            "reach": p.reach,
            "kind": p.kind,
            "corrects": p.corrects,
            "corrections": p.corrections,
            "retracted_by": p.retracted_by,
        }
    ]


def share_rows(s: State, key: str) -> list[Row]:
    r = s.shares[key]
    return [
        {
            "key": r.scope,
            "period": r.period,
            "starts": _t(r.starts),
            "ends": _t(r.ends),
            "at": _t(r.at),
            "supporters": r.supporters,
            "totals": r.totals,
            "shares": r.shares,
            "used": r.used,
        }
    ]


def rule_rows(s: State, key: str) -> list[Row]:
    r = s.code[key]
    return [
        {
            "key": r.id,
            "title": r.title,
            "text": r.text,
            "enacted_at": _t(r.enacted_at),
            "motion": r.motion,
            "repealed_at": _t(r.repealed_at),
        }
    ]


def case_rows(s: State, key: str) -> list[Row]:
    k = s.cases[key]
    sanction = next((x for x in s.sanctions.get(k.respondent, []) if x.case == k.id), None)
    return [
        {
            "key": k.id,
            "council": k.council,
            "respondent": k.respondent,
            "rule": k.rule,
            "acts": k.acts,
            "witnesses": k.witnesses,
            "filed_by": k.filed_by,
            "filed_at": _t(k.filed_at),
            "reply_until": _t(k.reply_until),
            "stage": k.stage,
            "reply": k.reply,
            "replied_at": _t(k.replied_at),
            "hearing": k.hearing,
            "votes": k.votes,
            "decision": k.decision,
            "appeal": k.appeal,
            "sanction_until": _t(sanction.until) if sanction else None,
            "sanction_lifted_at": _t(sanction.lifted_at) if sanction else None,
            "evidence": k.evidence,
        }
    ]


PROJECTIONS: dict[str, list[Projector]] = {
    "tendency": [(m.TendencyRow, tendency_rows)],
    "publication": [(m.PublicationRow, publication_rows)],
    "shares": [(m.ShareRow, share_rows)],
    "rule": [(m.RuleRow, rule_rows)],
    "case": [(m.CaseRow, case_rows)],
}
COLLECTIONS: dict[str, Callable[[State], Iterable[str]]] = {
    "tendency": lambda s: s.tendencies.keys(),
    "publication": lambda s: s.publications.keys(),
    "shares": lambda s: s.shares.keys(),
    "rule": lambda s: s.code.keys(),
    "case": lambda s: s.cases.keys(),
}
