"""What a server shows as decided, in one shape that the server and a verifier compute apart.

A record that verifies proves what was decided; members read the decisions on the server's
pages, drawn from its read models.  An operator could leave the record honest and show
something else: a motion "carried" that the record has lost, a delegate still seated whom
her constituency recalled.  So a Smolny server publishes, at ``/api/results``, every
decision its pages draw on — each election's close and result, each motion's status and
result, each recall's status and outcome, each mandate's holder and whether and why it ended
— read from its read models in one consistent snapshot, with the number of entries that
snapshot reflects.  ``smolny verify URL`` replays the record to that number of entries and
compares, naming the first thing that differs.

:data:`FIELDS` is the one list of what is compared.  The server selects those columns from its
rows; :func:`of_state` takes the same attributes from the replayed state.  The two paths are
kept apart on purpose (the read models are what is being checked), and the fields have the
same names on both sides, as ``readmodels/projections.py`` writes them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from smolny.constitution.events import fmt_time
from smolny.constitution.state import State

FIELDS: dict[str, tuple[str, ...]] = {
    "elections": ("closed_at", "result"),
    "motions": ("status", "result"),
    "recalls": ("status", "outcome"),
    "mandates": ("holder", "active", "ended_at", "end_reason"),
}
"""Each kind of decision shown, and the fields of it that are compared."""

WHAT = {"elections": "election", "motions": "motion", "recalls": "recall", "mandates": "mandate"}

Shown = dict[str, dict[str, dict[str, Any]]]
"""``{kind: {key: {field: value}}}``: the decisions, by kind and by key."""


def of_state(state: State) -> Shown:
    """The decisions as the replayed state holds them, in the shape the server publishes."""
    held: dict[str, Mapping[str, Any]] = {
        "elections": state.elections,
        "motions": state.motions,
        "recalls": state.recalls,
        "mandates": state.mandates,
    }
    return {
        kind: {
            key: {field: _plain(getattr(entity, field)) for field in FIELDS[kind]}
            for key, entity in held[kind].items()
        }
        for kind in FIELDS
    }


def _plain(value: Any) -> Any:
    """As the read models store it: times in the record's format, JSON values as JSON."""
    if isinstance(value, datetime):
        return fmt_time(value)
    return json.loads(json.dumps(value)) if isinstance(value, (dict, list, tuple)) else value


def first_difference(shown: Mapping[str, Any], replayed: Shown) -> str | None:
    """Where what the server shows first differs from the replay, in words; None if nowhere."""
    for kind in FIELDS:
        served = shown.get(kind)
        if not isinstance(served, Mapping):
            return f"it shows no {kind}"
        recorded = replayed[kind]
        for key in sorted(recorded.keys() - served.keys()):
            return f"it does not show {WHAT[kind]} {key}, which the record holds"
        for key in sorted(served.keys() - recorded.keys()):
            return f"it shows {WHAT[kind]} {key}, which the record does not hold"
        for key in sorted(recorded):
            row = served[key]
            for field in FIELDS[kind]:
                said = _plain(row.get(field)) if isinstance(row, Mapping) else None
                if said != recorded[key][field]:
                    return (
                        f"{WHAT[kind]} {key}: it shows {field} {_words(said)}, "
                        f"but the record gives {_words(recorded[key][field])}"
                    )
    return None


def _words(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def count(shown: Shown) -> int:
    """How many decisions were compared."""
    return sum(len(shown[kind]) for kind in FIELDS)
