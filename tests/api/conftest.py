"""The API tests' scene, built through the store, and an API client that checks every
response against the OpenAPI document.

The federation (ids are deterministic):

- C1 the Congress; C2 Harbour District; C3 the Dockers and C4 the Teachers (base councils).
- Dockers: ``rosa`` and ``karl`` (their delegates to the district, mandates M1 and M2),
  ``clara``, ``leo``, ``nadia``, ``vera``.
- Teachers: ``ivan`` and ``olga`` (delegates), ``pavel``, ``sofia``, and ``max``, the founder,
  a member like any other once the founding closed.
- ``zoe`` has an account but is not a member.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from smolny import canonical
from smolny.constitution import COMMANDS, debate
from smolny.constitution import commands as c
from smolny.constitution.decide import HANDLERS
from smolny.store import clock, service
from smolny.store.models import Entry, Head

from .openapi import OpenAPI, document

DOCKERS = ("rosa", "karl", "clara", "leo", "nadia", "vera")
TEACHERS = ("ivan", "olga", "pavel", "sofia", "max")
PARAMS = {
    "members_per_delegate": 3,
    "nomination_hours": 1,
    "voting_hours": 2,
    "motion_notice_hours": 1,
    "recall_ballot_hours": 2,
    "recall_share": "1/3",
    "cosponsor_share": "1/3",
    "rotation_limit": 2,
    "term_days": 30,
}
PASSWORD = "a long test password"


class ApiClient:
    """Django's test client, speaking JSON, checking each response against the document."""

    def __init__(self, client: Client | None = None) -> None:
        self.client = client or Client()
        self.openapi = OpenAPI(document())
        self.headers: dict[str, str] = {}

    def as_(self, username: str) -> ApiClient:
        """A client signed in (by session) as ``username``."""
        other = ApiClient()
        other.client.force_login(user(username))
        return other

    def bearer(self, token: str) -> ApiClient:
        other = ApiClient()
        other.headers = {"Authorization": f"Bearer {token}"}
        return other

    def _checked(self, method: str, path: str, response: Any) -> Any:
        self.openapi.check(method, path, response)
        return response

    def get(self, path: str, **query: Any) -> Any:
        response = self.client.get(path, query, headers=self.headers)
        return self._checked("GET", path, response)

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        raw: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        data = raw if raw is not None else json.dumps({} if body is None else body)
        response = self.client.post(
            path, data, content_type="application/json", headers=self.headers | (headers or {})
        )
        return self._checked("POST", path, response)

    def delete(self, path: str) -> Any:
        response = self.client.delete(path, headers=self.headers)
        return self._checked("DELETE", path, response)

    def command(self, command: str, /, **body: Any) -> Any:
        return self.post(f"/api/commands/{command}", body)


def user(username: str) -> User:
    found, created = User.objects.get_or_create(username=username)
    if created:
        found.set_password(PASSWORD)
        found.save()
    return found


def json_of(response: Any) -> Any:
    return json.loads(response.content)


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    body = json_of(response)
    assert response.status_code == status, body
    assert response["Content-Type"].startswith("application/problem+json")
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["type"] == f"http://testserver/problems/{code}"
    assert body["detail"].rstrip()[-1] in ".?", body["detail"]
    return body


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of the record and of every read model."""
    out: dict[str, list[dict[str, Any]]] = {}
    models = [Entry, Head, *apps.get_app_config("readmodels").get_models()]
    for model in models:
        rows = []
        for values in model.objects.order_by("pk").values():
            rows.append(
                {k: bytes(v) if isinstance(v, memoryview) else v for k, v in values.items()}
            )
        out[model.__name__] = rows
    return out


def events(entries: list[Entry]) -> list[dict[str, Any]]:
    return [canonical.decode(bytes(e.body)) for e in entries]


def created(entries: list[Entry], type_: str) -> str:
    """The id of the entity the first ``type_`` event among ``entries`` made."""
    for event in events(entries):
        if event["type"] == type_:
            return str(event["data"]["id"])
    raise LookupError(type_)


@dataclass
class Federation:
    """The scene, driven through the store as the API drives it."""

    ids: dict[str, str] = field(default_factory=dict)

    def do(self, command: c.Command) -> list[Entry]:
        return service.execute(command)

    def elect(self, council: str, kind: str, winners: list[str], office: str | None = None) -> str:
        election = created(
            self.do(c.CallElection(winners[0], council, kind, office)), "election_called"
        )
        for person in winners:
            self.do(c.Nominate(person, election, person))
        clock.advance(hours=1)
        for voter in service.current_state().voters(council):
            self.do(c.CastBallot(voter, election, tuple(winners)))
        self.do(c.CloseElection(winners[0], election))
        return election

    def motion_on_agenda(
        self, council: str, mover: str, sponsor: str, effect: dict[str, Any] | None = None
    ) -> str:
        motion = created(
            self.do(
                c.FileMotion(mover, council, "Open the books", "The council resolves.", effect)
            ),
            "motion_filed",
        )
        self.do(c.CoSponsor(sponsor, motion))
        return motion

    def pass_motion(self, council: str, effect: dict[str, Any] | None = None) -> str:
        voters = service.current_state().voters(council)
        motion = self.motion_on_agenda(council, voters[0], voters[1], effect)
        clock.advance(hours=1)
        for voter in voters:
            self.do(c.CastVote(voter, motion, "yes"))
        self.do(c.CloseVote(voters[0], motion))
        return motion


def found(fed: Federation) -> Federation:
    fed.do(c.FoundFederation("max", "Harbour Federation", "Congress", PARAMS))
    return fed


def lay_out(fed: Federation) -> Federation:
    fed.do(c.CreateCouncil("max", "C1", "Harbour District", False))
    fed.do(c.CreateCouncil("max", "C2", "Dockers", True))
    fed.do(c.CreateCouncil("max", "C2", "Teachers", True))
    for name in DOCKERS:
        fed.do(c.Join(name, name.title(), "C3"))
    for name in TEACHERS:
        fed.do(c.Join(name, name.title(), "C4"))
    fed.do(c.Reapportion("max", "C2"))
    fed.do(c.Reapportion("max", "C1"))
    return fed


@pytest.fixture(autouse=True)
def _fresh_store(db: None, settings: Any) -> Iterator[None]:
    # The store caches the state per database; each test's database starts empty.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    service.forget()
    yield
    service.forget()


@pytest.fixture
def api() -> ApiClient:
    """An anonymous client; ``api.as_("rosa")`` signs in."""
    return ApiClient()


@pytest.fixture
def founding() -> Federation:
    """Founded, councils laid out and joined, the founding assembly still open."""
    return lay_out(found(Federation()))


@pytest.fixture
def federation(founding: Federation) -> Federation:
    """The founding closed, and each base council has elected its two delegates."""
    founding.do(c.CloseFounding("max"))
    founding.ids["dockers_election"] = founding.elect("C3", "delegate", ["rosa", "karl"])
    founding.ids["teachers_election"] = founding.elect("C4", "delegate", ["ivan", "olga"])
    return founding


# Debate commands need a chair and a motion on the agenda: their API scenes, can and cannot,
# are in tests/api/test_debate_api.py.
DEBATE = frozenset(
    name for name, kind in COMMANDS.items() if HANDLERS[kind].__module__ == debate.__name__
)


# --- one command's two sides: the right actor can, the wrong one is refused -----------------


@dataclass
class Case:
    """One command in a scene: who can, with what body, and who cannot, and why not."""

    actor: str
    body: dict[str, Any]
    wrong_actor: str
    code: str
    status: int
    wrong_body: dict[str, Any] | None = None


def the_right_actor_can(api: ApiClient, name: str, case: Case) -> None:
    """``case.actor`` sends ``name``: 201, and the receipt is exactly the entries appended,
    each by her."""
    size = Entry.objects.count()
    response = api.as_(case.actor).command(name, **case.body)
    assert response.status_code == 201, json_of(response)
    receipt = json_of(response)["entries"]
    appended = list(Entry.objects.filter(seq__gte=size).order_by("seq"))
    assert receipt == [{"seq": e.seq, "type": e.type, "at": e.at} for e in appended]
    assert receipt and all(e.actor == case.actor for e in appended)


def a_wrong_actor_is_refused(api: ApiClient, name: str, case: Case) -> None:
    """``case.wrong_actor`` sends ``name``: the problem document says why, and nothing in the
    database changed."""
    before = dump()
    response = api.as_(case.wrong_actor).command(name, **(case.wrong_body or case.body))
    problem = assert_problem(response, case.status, case.code)
    assert problem["instance"] == f"/api/commands/{name}"
    assert dump() == before
