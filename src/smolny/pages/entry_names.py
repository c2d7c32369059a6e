"""The names an entry's sentence needs, looked up in the read models.

``happenings`` is pure: it words an entry from the entry and the names it is given.  This is
where the entry page finds those names: every id the entry mentions (``happenings.mentioned``)
is looked up once per kind of thing, and the few ids that name further ids (a recall's mandate,
a mandate's holder, a case's respondent) are followed one step.  An id found nowhere is left
out, and its sentence shows the id.

``author`` names who an entry is by for the page's header.  An event's actor is not always a
member: the constitution also records a private support under its tendency's id
(``tendencies._emit_as``), the lapse of a named support under whoever ran the server's
pruning (``supportkeys.prune``: "server"), the genesis of a seceded council's record under
that council (``exit.secession_record``), and the founding under a founder who need not have
joined.  Member ids are chosen by members, so a member may be called "T1" or "server": the
kinds that are not members are told apart by the entry itself, not by which table holds the id.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from smolny.constitution import Event
from smolny.readmodels import models as rm
from smolny.store.models import Entry

from . import effects, happenings, lookups

PSEUDONYMOUS = ("support_declared", "support_withdrawn")
"""The events a private support is recorded by: the actor is the tendency, never who."""


@dataclass(frozen=True)
class Author:
    """Who an entry is by, as its header says it: ``before`` the name, the name (a link to
    ``url`` when there is a page for it), and ``after`` it."""

    name: str
    url: str | None = None
    before: str = ""
    after: str = ""


def _continued_by() -> str | None:
    """The council whose secession began this record, if it is such a record."""
    first = Entry.objects.filter(seq=0, type="record_continued").values_list("actor", flat=True)
    actor = first.first()
    return None if actor is None else str(actor)


def author(event: Event, names: happenings.Names) -> Author:
    """Who ``event`` is by, named and linked if she, or it, has a page here."""
    actor, data = event.actor, event.data
    if event.type in PSEUDONYMOUS and "commitment" in data and data.get("tendency") == actor:
        name = names.tendencies.get(actor)
        return Author(
            name or actor,
            reverse("tendency", args=[actor]) if name is not None else None,
            before="the tendency ",
            after=" (a private support is recorded under its tendency, not its supporter)",
        )
    if event.type == "support_withdrawn" and data.get("lapsed") and "member" in data:
        return Author("the server", after=" (its withdrawal of supports that have lapsed)")
    if actor in names.councils and actor == _continued_by():
        return Author(
            names.councils[actor].name,
            reverse("council", args=[actor]),
            before="the council ",
            after=" (whose secession began this record)",
        )
    if actor in names.members:
        return Author(names.members[actor], reverse("member", args=[actor]))
    founder = rm.FederationRow.objects.filter(key="federation").values_list("founder", flat=True)
    if actor == founder.first():
        return Author(actor, after=" (who founded the federation and is not a member)")
    return Author(actor, after=" (not a member of the federation)")


def names_for(*events: Event) -> happenings.Names:
    """Everything ``events`` mention, named: one set of queries for all of them (a council
    page says its last thirty entries in words)."""
    ids: set[str] = set().union(*(happenings.mentioned(event) for event in events))
    recalls = dict(rm.RecallRow.objects.filter(key__in=ids).values_list("key", "mandate"))
    mandates = {
        m.key: happenings.Mandate(m.holder, m.kind, m.office, m.body, m.constituency)
        for m in rm.MandateRow.objects.filter(key__in=ids | set(recalls.values())).only(
            "key", "holder", "kind", "office", "body", "constituency"
        )
    }
    cases = {
        key: happenings.Case(respondent, council)
        for key, respondent, council in rm.CaseRow.objects.filter(key__in=ids).values_list(
            "key", "respondent", "council"
        )
    }
    people = ids | {m.holder for m in mandates.values()} | {k.respondent for k in cases.values()}
    return happenings.Names(
        members=lookups.names(people),
        councils={
            key: happenings.Council(name, base)
            for key, name, base in rm.CouncilRow.objects.values_list("key", "name", "base")
        },
        motions={
            key: happenings.Motion(title, council)
            for key, title, council in rm.MotionRow.objects.filter(key__in=ids).values_list(
                "key", "title", "council"
            )
        },
        elections={
            key: happenings.Election(council, kind, office, body, method)
            for key, council, kind, office, body, method in rm.ElectionRow.objects.filter(
                key__in=ids
            ).values_list("key", "council", "kind", "office", "body", "method")
        },
        mandates=mandates,
        recalls=recalls,
        cases=cases,
        acts=dict(rm.ActRow.objects.filter(key__in=ids).values_list("key", "title")),
        tendencies=dict(rm.TendencyRow.objects.filter(key__in=ids).values_list("key", "name")),
        rules=dict(rm.RuleRow.objects.filter(key__in=ids).values_list("key", "title")),
        publications=dict(
            rm.PublicationRow.objects.filter(key__in=ids).values_list("key", "title")
        ),
        effect_words=effects.describe,
    )
