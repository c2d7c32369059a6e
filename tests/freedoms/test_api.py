"""Every freedoms command through the API: the right actor can, a wrong one is refused with
the constitution's code as a problem document, and the refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from api.conftest import ApiClient, assert_problem, json_of

from smolny.constitution import commands as c
from smolny.constitution.commands import COMMANDS
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import execute

from .seeded import seed, unchanged

pytestmark = pytest.mark.django_db(transaction=True)

ACT = {"date": "2026-01-04", "conduct": "Kept the fund at home.", "evidence": "Minutes of 4 Jan."}


@dataclass
class Scene:
    actor: str
    body: dict[str, Any]
    wrong_actor: str
    code: str
    status: int


def _support(*people: str, tendency: str = "T1") -> None:
    for person in people:
        execute(c.DeclareSupport(person, tendency, "%064x" % (hash(person) & (2**255 - 1))))


def _tendency(press: bool = False) -> None:
    execute(c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)))
    execute(c.ConfirmFounding("clara", "T1"))
    if press:
        _support("leo", "nadia", "vera")


def _case(
    filer: str = "karl", heard: bool = False, decided: bool = False, appealed: bool = False
) -> None:
    execute(c.FileCharge(filer, "C3", "rosa", "RU1", (ACT,)))  # type: ignore[arg-type]
    if heard:
        clock.advance(hours=1)
        execute(c.RecordHearing("leo", "K1", "Heard."))
    if decided:
        until = (clock.now() + timedelta(days=10)).strftime("%Y-%m-%d")
        execute(c.VoteOnCase("leo", "K1", "suspension", "Kept the fund.", until))
        execute(c.VoteOnCase("nadia", "K1", "suspension", "Kept the fund.", until))
    if appealed:
        execute(c.AppealCase("rosa", "K1", "Wrong."))


def _until() -> str:
    return (clock.now() + timedelta(days=10)).strftime("%Y-%m-%d")


def _scenes() -> dict[str, Callable[[], Scene]]:
    def propose() -> Scene:
        seed()
        body = {"scope": "C3", "name": "Left", "platform": "P.", "founders": ["clara"]}
        return Scene("karl", body, "ivan", "not_in_scope", 403)

    def confirm() -> Scene:
        seed()
        execute(c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)))
        return Scene("clara", {"tendency": "T1"}, "leo", "not_a_founder", 403)

    def publish() -> Scene:
        seed()
        _tendency(press=True)
        return Scene(
            "karl",
            {"publisher": "T1", "title": "Fund", "text": "Give."},
            "leo",
            "not_a_founder",
            403,
        )

    def correct() -> Scene:
        seed()
        _tendency(press=True)
        execute(c.Publish("karl", "T1", "Fund", "Give an hour."))
        body = {"publication": "P1", "kind": "retraction", "text": "Wrong figure."}
        return Scene("clara", body, "rosa", "not_publisher", 403)

    def recompute() -> Scene:
        seed()
        return Scene("max", {"scope": "C2"}, "zoe", "not_a_member", 403)

    def enact() -> Scene:
        execute(c.FoundFederation("max", "Harbour", "Congress", {}))
        execute(c.CreateCouncil("max", "C1", "Dockers", True))
        execute(c.Join("rosa", "Rosa", "C2"))
        return Scene("max", {"title": "Dues", "text": "Pay them."}, "rosa", "not_founder", 403)

    def file_charge() -> Scene:
        seed()
        body = {
            "council": "C3",
            "respondent": "rosa",
            "rule": "RU1",
            "acts": [ACT],
            "witnesses": [],
        }
        return Scene("karl", body, "ivan", "not_in_scope", 403)

    def reply() -> Scene:
        seed()
        _case()
        return Scene(
            "rosa", {"case": "K1", "text": "It was in the safe."}, "vera", "not_respondent", 403
        )

    def hearing() -> Scene:
        seed()
        _case()
        clock.advance(hours=1)
        return Scene("leo", {"case": "K1", "minutes": "Heard."}, "karl", "not_commissioner", 403)

    def vote() -> Scene:
        seed()
        _case(filer="clara", heard=True)
        body = {"case": "K1", "outcome": "warning", "reasons": "Keep it safe.", "until": _until()}
        return Scene("leo", body, "clara", "recused", 403)

    def appeal() -> Scene:
        seed()
        _case(heard=True, decided=True)
        return Scene("rosa", {"case": "K1", "grounds": "Wrong."}, "karl", "not_respondent", 403)

    def vote_appeal() -> Scene:
        seed()
        _case(heard=True, decided=True, appealed=True)
        return Scene("karl", {"case": "K1", "choice": "overturn"}, "leo", "not_a_voter", 403)

    def close_appeal() -> Scene:
        seed()
        _case(heard=True, decided=True, appealed=True)
        clock.advance(hours=3)
        return Scene("karl", {"case": "K1"}, "zoe", "not_a_member", 403)

    return {
        "propose_tendency": propose,
        "confirm_founding": confirm,
        "publish": publish,
        "correct_publication": correct,
        "recompute_shares": recompute,
        "enact_rule": enact,
        "file_charge": file_charge,
        "reply_to_charge": reply,
        "record_hearing": hearing,
        "vote_on_case": vote,
        "appeal_case": appeal,
        "vote_on_appeal": vote_appeal,
        "close_appeal": close_appeal,
    }


SCENES = _scenes()
FREEDOMS = sorted(SCENES)


def test_every_freedoms_command_has_an_api_scene() -> None:
    from api.test_commands import FREEDOMS as EXCLUDED

    assert set(SCENES) == set(EXCLUDED) and set(SCENES) <= set(COMMANDS)


@pytest.mark.parametrize("name", FREEDOMS)
def test_the_right_actor_can(name: str) -> None:
    scene = SCENES[name]()
    size = Entry.objects.count()
    response = ApiClient().as_(scene.actor).command(name, **scene.body)
    assert response.status_code == 201, json_of(response)
    assert json_of(response)["entries"] and Entry.objects.count() > size


@pytest.mark.parametrize("name", FREEDOMS)
def test_a_wrong_actor_is_refused_and_nothing_changes(name: str) -> None:
    scene = SCENES[name]()
    with unchanged():
        response = ApiClient().as_(scene.wrong_actor).command(name, **scene.body)
        assert_problem(response, scene.status, scene.code)


def test_the_charge_schema_has_no_place_for_other_grounds() -> None:
    seed()
    api = ApiClient().as_("karl")
    schema = json_of(api.client.get("/api/openapi.json"))["components"]["schemas"]
    assert set(schema["ChargedAct"]["properties"]) == {"date", "conduct", "evidence"}
    assert schema["ChargedAct"]["additionalProperties"] is False
    with unchanged():
        for extra in ({"relationship": "Vera's sister"}, {"recommended_by": "ivan"}):
            body = {"council": "C3", "respondent": "rosa", "rule": "RU1", "acts": [ACT | extra]}
            assert_problem(api.command("file_charge", **body), 422, "invalid_request")
        body = {"council": "C3", "respondent": ["rosa", "vera"], "rule": "RU1", "acts": [ACT]}
        assert_problem(api.command("file_charge", **body), 422, "invalid_request")


def test_support_through_the_api_is_private_and_checkable_by_the_supporter() -> None:
    seed()
    _tendency()
    leo = ApiClient().as_("leo")
    response = leo.post("/api/tendencies/T1/support", {})
    assert response.status_code == 201
    assert Entry.objects.order_by("-seq").first().actor == "T1"  # type: ignore[union-attr]
    mine = json_of(leo.get("/api/tendencies/T1/my-support"))
    assert mine["checkpoint"] and str(mine["size"]) in mine["checkpoint"]
    assert (
        mine["included"] is True
        and mine["commitment"] in json_of(ApiClient().get("/api/tendencies/T1"))["commitments"]
    )
    with unchanged():
        assert_problem(leo.post("/api/tendencies/T1/support", {}), 409, "already_supporting")
        assert_problem(
            ApiClient().as_("zoe").post("/api/tendencies/T1/support", {}), 403, "not_a_member"
        )
    assert leo.post("/api/tendencies/T1/withdraw", {}).status_code == 201
    assert json_of(ApiClient().get("/api/tendencies/T1"))["supporters"] == 0


def test_the_public_reads_and_my_data() -> None:
    seed()
    _tendency(press=True)
    execute(c.Publish("karl", "T1", "Fund", "Give an hour."))
    _case()
    api = ApiClient()
    assert json_of(api.get("/api/publications", scope="C2"))[0]["reach"] == 11
    assert json_of(api.get("/api/shares/C2"))["shares"]["bulletin_words"] == {"T1": 100}
    assert json_of(api.get("/api/code"))[0]["id"] == "RU1"
    assert json_of(api.get("/api/cases/K1"))["acts"] == [ACT]
    assert_problem(api.get("/api/cases/K9"), 404, "no_such_case")
    data = json_of(ApiClient().as_("rosa").get("/api/me/data"))
    assert data["member"]["id"] == "rosa" and data["cases_as_respondent"][0]["id"] == "K1"


def test_evidence_through_the_api_restricted_to_the_parties() -> None:
    seed()
    _case()
    karl = ApiClient().as_("karl")
    body = {"title": "Bank statement", "text": "Account 1234.", "restricted": True}
    assert karl.post("/api/cases/K1/evidence", body).status_code == 201
    public = json_of(ApiClient().get("/api/cases/K1"))["evidence"][0]
    assert public["restricted"] is True and public["text"] is None and len(public["digest"]) == 64
    assert json_of(ApiClient().as_("rosa").get("/api/cases/K1/sealed-evidence")) == {
        "K1-E1": "Account 1234."
    }
    with unchanged():
        assert_problem(
            ApiClient().as_("vera").get("/api/cases/K1/sealed-evidence"), 403, "not_a_party"
        )
        assert_problem(
            ApiClient().as_("vera").post("/api/cases/K1/evidence", body), 403, "not_a_party"
        )
