"""How each kind of entity in the state becomes rows.

The constitution marks every entity an event touches (``state.dirty``); after a command the
store rewrites exactly those rows here, in the same transaction as the entries.  Replay uses the
same functions over a state rebuilt from the record, so the live rows and the replayed rows
cannot drift apart by construction, only by someone editing a table behind the app's back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from smolny.constitution.events import fmt_time
from smolny.constitution.state import State

from . import models as m

Row = dict[str, Any]


def _t(value: Any) -> str | None:
    return fmt_time(value) if value is not None else None


def federation_rows(s: State, key: str) -> list[Row]:
    if s.federation is None:
        return []
    return [
        {
            "key": "federation",
            "name": s.name,
            "founder": s.founder or "",
            "founding": s.founding,
            "root": s.root,
            "params": s.params.to_dict(),
            "amendments": s.amendments,
            "witnesses": [
                {
                    "name": w.name,
                    "key": w.key,
                    "admitted_at": _t(w.admitted_at),
                    "motion": w.motion,
                }
                for w in sorted(s.witnesses.values(), key=lambda w: w.name)
            ],
        }
    ]


def council_rows(s: State, key: str) -> list[Row]:
    c = s.councils[key]
    return [
        {
            "key": c.id,
            "name": c.name,
            "parent": c.parent,
            "base": c.base,
            "seats": c.seats,
            "members": s.members_represented(c.id),
            "powers": c.powers,
            "seceded": c.seceded,
            "founded_at": _t(c.founded_at),
        }
    ]


def member_rows(s: State, key: str) -> list[Row]:
    p = s.members[key]
    return [
        {
            "key": p.id,
            "name": p.name,
            "council": p.council,
            "active": p.active,
            "joined_at": _t(p.joined_at),
            "left_at": _t(p.left_at),
        }
    ]


def mandate_rows(s: State, key: str) -> list[Row]:
    d = s.mandates[key]
    return [
        {
            "key": d.id,
            "holder": d.holder,
            "kind": d.kind,
            "body": d.body,
            "constituency": d.constituency,
            "office": d.office,
            "election": d.election,
            "start": _t(d.start),
            "term_end": _t(d.term_end),
            "ended_at": _t(d.ended_at),
            "end_reason": d.end_reason,
            "active": d.active,
        }
    ]


def election_rows(s: State, key: str) -> list[Row]:
    e = s.elections[key]
    return [
        {
            "key": e.id,
            "council": e.council,
            "kind": e.kind,
            "office": e.office,
            "body": e.body,
            "seats": e.seats,
            "method": e.method,
            "ballot_mode": e.ballot_mode,
            "by_election": e.by_election,
            "called_by": e.called_by,
            "called_at": _t(e.called_at),
            "nominations_close": _t(e.nominations_close),
            "voting_close": _t(e.voting_close),
            "candidates": e.candidates,
            "ballots_cast": len(e.ballots),
            "closed_at": _t(e.closed_at),
            "result": e.result,
        }
    ]


def ballot_rows(s: State, key: str) -> list[Row]:
    """One voter's open ballot; ``key`` is ``"ELECTION VOTER"`` (see :func:`pair`)."""
    election, voter = pair(key)
    e = s.elections[election]
    if e.ballot_mode != "open" or voter not in e.ballots:
        return []
    return [{"owner": e.id, "member": voter, "choices": e.ballots[voter]}]


def recall_rows(s: State, key: str) -> list[Row]:
    r = s.recalls[key]
    mandate = s.mandates[r.mandate]
    return [
        {
            "key": r.id,
            "mandate": r.mandate,
            "holder": mandate.holder,
            "constituency": mandate.constituency,
            "opened_by": r.opened_by,
            "opened_at": _t(r.opened_at),
            "grounds": r.grounds,
            "status": r.status,
            "signatures": r.signatures,
            "ballot_close": _t(r.ballot_close),
            "votes": r.votes,
            "outcome": r.outcome,
        }
    ]


def motion_rows(s: State, key: str) -> list[Row]:
    o = s.motions[key]
    return [
        {
            "key": o.id,
            "council": o.council,
            "title": o.title,
            "text": o.text,
            "effect": o.effect,
            "ballot_mode": o.ballot_mode,
            "filed_by": o.filed_by,
            "filed_at": _t(o.filed_at),
            "sponsors": o.sponsors,
            "status": o.status,
            "on_agenda_at": _t(o.on_agenda_at),
            "vote_opens": _t(o.vote_opens),
            "vote_closes": _t(o.vote_closes),
            "result": o.result,
            "amended_by": o.amended_by,
        }
    ]


def vote_rows(s: State, key: str) -> list[Row]:
    """One member's roll-call vote; ``key`` is ``"MOTION MEMBER"`` (see :func:`pair`)."""
    motion, member = pair(key)
    o = s.motions[motion]
    if o.ballot_mode != "open" or member not in o.votes:
        return []
    return [{"owner": o.id, "member": member, "choice": o.votes[member]}]


PAIRED = frozenset(("vote", "ballot", "challenge_vote"))
"""Kinds whose key is ``"OWNER MEMBER"``: their owned rows are those of that owner and member."""


def pair(key: str) -> tuple[str, str]:
    """``"OWNER MEMBER"`` -> its two ids.

    Votes and open ballots are entities of their own, one per voter, rather than rows of their
    motion or election: a vote then rewrites one row, where rewriting the whole roll at every
    vote made a congress's vote quadratic (2,000 votes, 2,000 rows rewritten per commit).
    Neither kind of id contains a space.
    """
    owner, _, member = key.partition(" ")
    return owner, member


def document_rows(s: State, key: str) -> list[Row]:
    d = s.documents[key]
    return [
        {
            "key": d.id,
            "body": d.body,
            "author": d.author,
            "title": d.title,
            "text": d.text,
            "filed_at": _t(d.filed_at),
        }
    ]


def delivery_rows(s: State, key: str) -> list[Row]:
    d = s.documents[key]
    return [{"owner": d.id, "member": member} for member in sorted(d.recipients)]


def act_rows(s: State, key: str) -> list[Row]:
    a = s.acts[key]
    return [
        {
            "key": a.id,
            "council": a.council,
            "office": a.office,
            "actor": a.actor,
            "power": a.power,
            "title": a.title,
            "text": a.text,
            "at": _t(a.at),
            "reversed_by": a.reversed_by,
        }
    ]


Projector = tuple[type[models.Model], Callable[[State, str], list[Row]]]

PROJECTIONS: dict[str, list[Projector]] = {
    "federation": [(m.FederationRow, federation_rows)],
    "council": [(m.CouncilRow, council_rows)],
    "member": [(m.MemberRow, member_rows)],
    "mandate": [(m.MandateRow, mandate_rows)],
    "election": [(m.ElectionRow, election_rows)],
    "ballot": [(m.BallotRow, ballot_rows)],
    "recall": [(m.RecallRow, recall_rows)],
    "motion": [(m.MotionRow, motion_rows)],
    "vote": [(m.VoteRow, vote_rows)],
    "document": [(m.DocumentRow, document_rows), (m.DeliveryRow, delivery_rows)],
    "act": [(m.ActRow, act_rows)],
}
"""Kind -> the tables it projects to.  A table keyed by ``owner`` holds several rows per entity;
for the kinds whose key is a pair (``vote``, ``ballot``), the rows of that owner and member."""

COLLECTIONS: dict[str, Callable[[State], Iterable[str]]] = {
    "federation": lambda s: ["federation"] if s.federation else [],
    "council": lambda s: s.councils.keys(),
    "member": lambda s: s.members.keys(),
    "mandate": lambda s: s.mandates.keys(),
    "election": lambda s: s.elections.keys(),
    "ballot": lambda s: [f"{e.id} {v}" for e in s.elections.values() for v in e.ballots],
    "vote": lambda s: [f"{o.id} {v}" for o in s.motions.values() for v in o.votes],
    "recall": lambda s: s.recalls.keys(),
    "motion": lambda s: s.motions.keys(),
    "document": lambda s: s.documents.keys(),
    "act": lambda s: s.acts.keys(),
}


def _owned(model: type[models.Model]) -> bool:
    return any(f.name == "owner" for f in model._meta.get_fields())


def _ancestor_councils(s: State, touched: set[tuple[str, str]]) -> set[tuple[str, str]]:
    # A council row shows the members its subtree represents, so a change of membership
    # touches every council above.
    more: set[tuple[str, str]] = set()
    for kind, key in touched:
        if kind == "council" and key in s.councils:
            more.update(("council", a) for a in s.ancestors(key))
    return more


def all_rows(s: State) -> dict[type[models.Model], list[Row]]:
    out: dict[type[models.Model], list[Row]] = {}
    for kind, projectors in PROJECTIONS.items():
        keys = sorted(COLLECTIONS[kind](s))
        for model, rows_of in projectors:
            bucket = out.setdefault(model, [])
            for key in keys:
                bucket.extend(rows_of(s, key))
    return out


def rebuild(s: State, using: str = "default") -> None:
    """Drop every read model and write it again from the state."""
    for model, rows in all_rows(s).items():
        manager = model.objects.using(using)  # type: ignore[attr-defined]
        manager.all().delete()
        manager.bulk_create([model(**row) for row in rows], batch_size=1000)


# Freedoms (tendencies, publications, shares, the code, cases) project from their own module.
from . import freedoms as _freedoms  # noqa: E402

PROJECTIONS.update(_freedoms.PROJECTIONS)
COLLECTIONS.update(_freedoms.COLLECTIONS)

# Debates (speaker lists, rulings of the chair) project from their own module too.
from . import debate as _debate  # noqa: E402

PROJECTIONS.update(_debate.PROJECTIONS)
COLLECTIONS.update(_debate.COLLECTIONS)
