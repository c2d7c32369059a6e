"""Projecting a whole group commit's changes in a few statements per table.

``smolny.readmodels.projections.project`` rewrites each touched entity with the ORM, a few
queries per entity (``update_or_create`` is a SELECT, a savepoint and a write).  A group
commit touches hundreds of entities at once, and that cost, not the disk, bounded acknowledged
throughput (about 150 actions a second on SQLite with 64 writers).  Here the same rows
(``PROJECTIONS``, the same row functions) are written per *table*: one ``INSERT ... ON CONFLICT
(key) DO UPDATE`` for keyed tables, and one DELETE plus one INSERT for tables of rows owned by
an entity (ballots, votes, deliveries).  An entity touched by many commands of a group (a
motion voted on by 64 delegates) is rewritten once.  The statements are built here rather than
by ``bulk_create`` because Django's SQL compiler costs more per row than the database does;
values still go through each field's ``get_db_prep_save``, so they are stored exactly as the
ORM stores them.  ``readmodels.replay.differences`` and the store tests check the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connections, models

from smolny.constitution import State
from smolny.readmodels.projections import PROJECTIONS, _ancestor_councils, _owned

from .sql import insert_rows

_CHUNK = 500


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]


def _write(
    model: type[models.Model], rows: Sequence[dict[str, Any]], using: str, upsert: bool
) -> None:
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = _columns(model)
    suffix = ""
    if upsert:
        key = model._meta.pk
        assert key is not None
        updates = ", ".join(
            f"{quote(f.column)} = excluded.{quote(f.column)}" for f in fields if not f.primary_key
        )
        suffix = f" ON CONFLICT ({quote(key.column)}) DO UPDATE SET {updates}"
    params = [
        [
            f.get_db_prep_save(row[f.name] if f.name in row else f.get_default(), connection)
            for f in fields
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        insert_rows(
            cursor,
            quote(model._meta.db_table),
            [quote(f.column) for f in fields],
            params,
            suffix,
        )


def project_group(s: State, touched: set[tuple[str, str]], using: str = "default") -> None:
    """Rewrite the rows of every touched entity from the state, table by table."""
    touched = touched | _ancestor_councils(s, touched)
    keyed: dict[type[models.Model], dict[str, dict[str, Any]]] = defaultdict(dict)
    owned: dict[type[models.Model], tuple[list[str], list[dict[str, Any]]]] = {}
    for kind, key in sorted(touched):
        for model, rows_of in PROJECTIONS[kind]:
            rows = rows_of(s, key)
            if _owned(model):
                owners, bucket = owned.setdefault(model, ([], []))
                owners.append(key)
                bucket.extend(rows)
            else:
                for row in rows:
                    keyed[model][row["key"]] = row
    for model, by_key in keyed.items():
        _write(model, list(by_key.values()), using, upsert=True)
    for model, (owners, rows) in owned.items():
        manager = model.objects.using(using)  # type: ignore[attr-defined]
        for start in range(0, len(owners), _CHUNK):
            manager.filter(owner__in=owners[start : start + _CHUNK]).delete()
        _write(model, rows, using, upsert=False)
