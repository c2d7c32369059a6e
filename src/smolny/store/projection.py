"""Projecting a whole group commit's changes in a few statements per table.

Rewriting each touched entity with the ORM costs a few queries per entity
(``update_or_create`` is a SELECT, a savepoint and a write).  A group
commit touches hundreds of entities at once, and that cost, not the disk, bounded acknowledged
throughput (about 150 actions a second on SQLite with 64 writers).  Here the same rows
(``PROJECTIONS``, the same row functions) are written per *table*: one ``INSERT ... ON CONFLICT
(key) DO UPDATE`` for keyed tables, and one DELETE plus one INSERT for tables of rows owned by
an entity (ballots, votes, deliveries).  An entity touched by many commands of a group (a
motion voted on by 64 delegates) is rewritten once.  The statements are built here rather than
by ``bulk_create`` because Django's SQL compiler costs more per row than the database does;
values still go through each field's ``get_db_prep_save`` (except where that returns them
unchanged, ``_VERBATIM``), so they are stored exactly as the ORM stores them.
``readmodels.replay.differences`` and the store tests check the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import signals

from smolny.constitution import State
from smolny.readmodels.projections import PAIRED, PROJECTIONS, _ancestor_councils, _owned, pair

from .sql import Writes

_CHUNK = 500

_VERBATIM: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str, type(None)),
    models.TextField: (str, type(None)),
    models.BooleanField: (bool,),
}
"""Field classes (exactly these, not subclasses) whose ``get_db_prep_save`` returns a value of
these types unchanged on every backend: the value is then passed as it is, which spares the
call chain (prep, to_python, Promise check) for most cells of a group commit."""


@dataclass(frozen=True)
class _Table:
    """What ``_write`` needs of a model on one backend, worked out once."""

    fields: list[models.Field[Any, Any]]
    verbatim: list[tuple[type, ...]]
    table: str
    columns: list[str]
    key: int | None
    """With ``upsert``: the position of the primary key among ``columns``."""


_tables: dict[tuple[type[models.Model], str, bool], _Table] = {}


def _table(model: type[models.Model], connection: Any, upsert: bool) -> _Table:
    cache_key = (model, connection.vendor, upsert)
    found = _tables.get(cache_key)
    if found is not None:
        return found
    quote = connection.ops.quote_name
    fields = _columns(model)
    key = None
    if upsert:
        key = next(i for i, f in enumerate(fields) if f.primary_key)
    found = _Table(
        fields=fields,
        verbatim=[_VERBATIM.get(type(f), ()) for f in fields],
        table=quote(model._meta.db_table),
        columns=[quote(f.column) for f in fields],
        key=key,
    )
    _tables[cache_key] = found
    return found


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]


def _write(
    model: type[models.Model], rows: Sequence[dict[str, Any]], writes: Writes, upsert: bool
) -> None:
    if not rows:
        return
    connection = writes.connection
    table = _table(model, connection, upsert)
    columns = list(zip(table.fields, table.verbatim, strict=True))
    params = []
    for row in rows:
        values = []
        for f, verbatim in columns:
            value = row[f.name] if f.name in row else f.get_default()
            if type(value) not in verbatim:
                value = f.get_db_prep_save(value, connection)
            values.append(value)
        params.append(values)
    if table.key is None:
        writes.insert(table.table, table.columns, params)
    else:
        writes.upsert(table.table, table.columns, params, table.key)


def _delete_owned(
    model: type[models.Model],
    owners: list[str],
    pairs: list[tuple[str, str]],
    writes: Writes,
) -> None:
    """``model.objects.filter(owner__in=owners).delete()`` and the same for each ``(owner,
    member)`` pair, as the single DELETE each comes to.

    The ORM's delete of these tables is a "fast delete" (no relations point at them), so it is
    exactly this statement; with a delete signal connected the ORM is used, as it must then
    load the rows to send them (and does so at once, before the writes held in ``writes``).
    """
    if (
        model._meta.related_objects
        or signals.pre_delete.has_listeners(model)
        or signals.post_delete.has_listeners(model)
        or not all(type(owner) is str for owner in owners)
    ):
        manager = model._default_manager.using(writes.connection.alias)
        for start in range(0, len(owners), _CHUNK):
            manager.filter(owner__in=owners[start : start + _CHUNK]).delete()
        for owner, member in pairs:
            manager.filter(owner=owner, member=member).delete()
        return
    quote = writes.connection.ops.quote_name
    table = quote(model._meta.db_table)
    writes.delete_in(table, quote("owner"), owners)
    writes.delete_pairs(table, quote("owner"), quote("member"), pairs)


def project_group(
    s: State, touched: set[tuple[str, str]], using: str = "default", writes: Writes | None = None
) -> None:
    """Rewrite the rows of every touched entity from the state, table by table.

    With ``writes``, the rows join that commit's writes (the caller flushes them); without,
    they are written before this returns.
    """
    own = writes is None
    writes = writes or Writes(connections[using])
    touched = touched | _ancestor_councils(s, touched)
    keyed: dict[type[models.Model], dict[str, dict[str, Any]]] = defaultdict(dict)
    owned: dict[
        type[models.Model], tuple[list[str], list[tuple[str, str]], list[dict[str, Any]]]
    ] = {}
    for kind, key in sorted(touched):
        for model, rows_of in PROJECTIONS[kind]:
            rows = rows_of(s, key)
            if _is_owned(model):
                owners, pairs, bucket = owned.setdefault(model, ([], [], []))
                if kind in PAIRED:
                    pairs.append(pair(key))
                else:
                    owners.append(key)
                bucket.extend(rows)
            else:
                for row in rows:
                    keyed[model][row["key"]] = row
    for model, by_key in keyed.items():
        _write(model, list(by_key.values()), writes, upsert=True)
    for model, (owners, pairs, rows) in owned.items():
        _delete_owned(model, owners, pairs, writes)
        _write(model, rows, writes, upsert=False)
    if own:
        writes.flush()


_owned_models: dict[type[models.Model], bool] = {}


def _is_owned(model: type[models.Model]) -> bool:
    found = _owned_models.get(model)
    if found is None:
        found = _owned_models[model] = _owned(model)
    return found
