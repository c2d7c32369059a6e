"""Compare the live read models with what replaying the record gives.

``smolny replay`` calls ``differences``: any row edited, added or removed behind the app's back
is named, with the field and both values, so an operator (or an auditor) sees exactly what the
tables claim that the record does not.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from smolny.constitution.state import State

from .projections import Row, all_rows


def _norm(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _row_id(model: type[models.Model], row: Row) -> str:
    if "key" in row:
        return str(row["key"])
    return f"{row['owner']}/{row['member']}"


def differences(state: State, using: str = "default") -> list[str]:
    problems: list[str] = []
    for model, expected_rows in all_rows(state).items():
        fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
        live = {
            _row_id(model, row): row
            for row in model.objects.using(using).values(*fields)  # type: ignore[attr-defined]
        }
        expected = {_row_id(model, row): row for row in expected_rows}
        name = model.__name__
        for key in sorted(expected.keys() - live.keys()):
            problems.append(f"{name} {key}: missing from the table, present in the record")
        for key in sorted(live.keys() - expected.keys()):
            problems.append(f"{name} {key}: in the table but not in the record")
        for key in sorted(expected.keys() & live.keys()):
            for field in fields:
                want, have = expected[key].get(field), live[key].get(field)
                if _norm(want) != _norm(have):
                    problems.append(
                        f"{name} {key}: {field} is {have!r} in the table but {want!r} in the record"
                    )
    return problems
