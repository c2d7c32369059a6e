"""The names an entry's sentence needs, looked up in the read models.

``happenings`` is pure: it words an entry from the entry and the names it is given.  This is
where the entry page finds those names: every id the entry mentions (``happenings.mentioned``)
is looked up once per kind of thing, and the few ids that name further ids (a recall's mandate,
a mandate's holder, a case's respondent) are followed one step.  An id found nowhere is left
out, and its sentence shows the id.
"""

from __future__ import annotations

from smolny.constitution import Event
from smolny.readmodels import models as rm

from . import effects, happenings, lookups


def names_for(event: Event) -> happenings.Names:
    ids = happenings.mentioned(event)
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
