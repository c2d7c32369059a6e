"""Harbour seeded through the real store, with what the freedoms need: the code's first rule,
the freedoms' parameters, and a control commission (clara, leo, nadia) in the Dockers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import harbour
from django.contrib.auth.models import User
from harbour import client_for

from smolny.constitution import commands as c
from smolny.constitution.snapshot import digest_bytes
from smolny.readmodels.models import TendencyRow
from smolny.readmodels.projections import all_rows
from smolny.readmodels.replay import differences
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, execute

from .scene import FREEDOM_PARAMS

COMMISSION = ("clara", "leo", "nadia")


def _data(entry: Entry) -> dict[str, Any]:
    return dict(json.loads(bytes(entry.body))["data"])


def elect(
    council: str, kind: str, winners: list[str], voters: tuple[str, ...], office: str | None = None
) -> None:
    entries = execute(c.CallElection(winners[0], council, kind, office))
    election = _data(next(e for e in entries if e.type == "election_called"))["id"]
    for person in winners:
        execute(c.Nominate(person, election, person))
    clock.advance(hours=1)
    for voter in voters:
        execute(c.CastBallot(voter, election, tuple(winners)))
    execute(c.CloseElection(winners[0], election))


def seed(commission: bool = True) -> None:
    execute(
        c.FoundFederation(
            "max",
            "Harbour Federation",
            "Congress",
            harbour.PARAMS | FREEDOM_PARAMS | {"reply_hours": 1},
        )
    )
    execute(c.CreateCouncil("max", "C1", "Harbour District", False))
    execute(c.CreateCouncil("max", "C2", "Dockers", True))
    execute(c.CreateCouncil("max", "C2", "Teachers", True))
    execute(c.EnactRule("max", "Dues", "Every member pays her dues each month."))
    for name in harbour.DOCKERS:
        execute(c.Join(name, name.title(), "C3"))
    for name in harbour.TEACHERS:
        execute(c.Join(name, name.title(), "C4"))
    execute(c.Reapportion("max", "C2"))
    execute(c.Reapportion("max", "C1"))
    execute(c.CloseFounding("max"))
    elect("C3", "delegate", ["rosa", "karl"], harbour.DOCKERS)
    elect("C4", "delegate", ["ivan", "olga"], harbour.TEACHERS)
    if commission:
        elect("C3", "office", list(COMMISSION), harbour.DOCKERS, office="control_commission")
    User.objects.bulk_create(
        [User(username=n, password=harbour._hash()) for n in harbour.DOCKERS + harbour.TEACHERS]
    )


def picture() -> tuple[int, bytes, dict[str, list[dict[str, Any]]]]:
    """Entries, the state's canonical bytes, and every read-model row."""
    state = current_state()
    rows = {model.__name__: rows for model, rows in all_rows(state).items()}
    live = {}
    for model in all_rows(state):
        fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
        live[model.__name__] = sorted(
            json.dumps(r, sort_keys=True, default=str) for r in model.objects.values(*fields)
        )
    assert not differences(state)
    return Entry.objects.count(), digest_bytes(state), {"rows": rows, "live": live}  # type: ignore[dict-item]


@contextmanager
def unchanged() -> Iterator[None]:
    """Assert that what runs inside changes no entry, no state byte and no read-model row."""
    before = picture()
    yield
    assert picture() == before, "a refused command changed something"


# --- acting through the pages ---------------------------------------------------------


def act(who: str, name: str, data: dict[str, Any], status: int = 302) -> Any:
    response = client_for(who).post(f"/act/{name}", data)
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def found(
    scope: str = "C2", founders: tuple[str, ...] = ("karl", "clara"), name: str = "Left"
) -> str:
    act(
        founders[0],
        "propose_tendency",
        {"scope": scope, "name": name, "platform": "Strike funds.", "founders": list(founders[1:])},
    )
    key = TendencyRow.objects.order_by("-filed_at").first().key  # type: ignore[union-attr]
    for person in founders[1:]:
        act(person, "confirm_founding", {"tendency": key})
    return key


def support(who: str, key: str, named: bool = False) -> Any:
    return client_for(who).post(f"/tendencies/{key}/support", {"named": "1"} if named else {})
