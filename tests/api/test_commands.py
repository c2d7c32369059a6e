"""Every command's endpoint: the right actor can use it, a wrong one is refused with a problem
document carrying the constitution's code, and a refusal changes neither the record nor any
read model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from smolny.constitution import commands as c
from smolny.constitution.commands import COMMANDS
from smolny.store import clock, service
from smolny.store.models import Entry

from .conftest import (
    DEBATE,
    ApiClient,
    Case,
    Federation,
    a_wrong_actor_is_refused,
    assert_problem,
    created,
    dump,
    json_of,
    the_right_actor_can,
)


def mandate_of(holder: str) -> str:
    state = service.current_state()
    return next(m.id for m in state.active_mandates(holder=holder) if m.kind == "delegate")


def chair_election(fed: Federation, *, nominated: str | None = "clara") -> str:
    election = created(fed.do(c.CallElection("rosa", "C3", "office", "chair")), "election_called")
    if nominated:
        fed.do(c.Nominate("rosa", election, nominated))
    return election


def recall_of_rosa(fed: Federation, *, ballot: bool) -> str:
    recall = created(
        fed.do(c.OpenRecall("karl", mandate_of("rosa"), "She stopped reporting back.")),
        "recall_opened",
    )
    if ballot:
        fed.do(c.SignRecall("clara", recall))
    return recall


def found_federation(fed: Federation) -> Case:
    # The refusal is tested against the founded federation; the success on an empty one
    # (test_the_federation_can_be_founded_through_the_api).
    return Case("max", {"name": "Harbour"}, "karl", "already_founded", 409)


def create_council(fed: Federation) -> Case:
    return Case("max", {"parent": "C2", "name": "Nurses", "base": True}, "rosa", "not_founder", 403)


def close_founding(fed: Federation) -> Case:
    return Case("max", {}, "rosa", "not_founder", 403)


def reapportion(fed: Federation) -> Case:
    return Case("max", {"council": "C2"}, "rosa", "no_power", 403)


def join(fed: Federation) -> Case:
    return Case("zoe", {"name": "Zoe", "council": "C3"}, "rosa", "already_member", 409)


def transfer(fed: Federation) -> Case:
    return Case("nadia", {"council": "C4"}, "zoe", "not_a_member", 403)


def leave(fed: Federation) -> Case:
    return Case("nadia", {}, "zoe", "not_a_member", 403)


def call_election(fed: Federation) -> Case:
    return Case(
        "rosa", {"council": "C3", "kind": "office", "office": "chair"}, "ivan", "not_a_voter", 403
    )


def nominate(fed: Federation) -> Case:
    election = chair_election(fed, nominated=None)
    return Case("rosa", {"election": election, "candidate": "clara"}, "ivan", "not_a_voter", 403)


def withdraw_candidacy(fed: Federation) -> Case:
    election = chair_election(fed)
    return Case("clara", {"election": election}, "leo", "not_candidate", 409)


def cast_ballot(fed: Federation) -> Case:
    election = chair_election(fed)
    clock.advance(hours=1)
    return Case("leo", {"election": election, "choices": ["clara"]}, "ivan", "not_a_voter", 403)


def close_election(fed: Federation) -> Case:
    election = chair_election(fed)
    clock.advance(hours=3)
    return Case("rosa", {"election": election}, "zoe", "not_a_member", 403)


def resign(fed: Federation) -> Case:
    return Case("rosa", {"mandate": mandate_of("rosa")}, "karl", "not_holder", 403)


def end_terms(fed: Federation) -> Case:
    clock.advance(days=31)
    return Case("leo", {"council": "C3"}, "zoe", "not_a_member", 403)


def open_recall(fed: Federation) -> Case:
    body = {"mandate": mandate_of("rosa"), "grounds": "She stopped reporting back."}
    return Case("karl", body, "ivan", "not_a_voter", 403)


def sign_recall(fed: Federation) -> Case:
    return Case("clara", {"recall": recall_of_rosa(fed, ballot=False)}, "ivan", "not_a_voter", 403)


def vote_recall(fed: Federation) -> Case:
    recall = recall_of_rosa(fed, ballot=True)
    return Case("leo", {"recall": recall, "choice": "no"}, "ivan", "not_a_voter", 403)


def close_recall(fed: Federation) -> Case:
    recall = recall_of_rosa(fed, ballot=True)
    clock.advance(hours=3)
    return Case("vera", {"recall": recall}, "zoe", "not_a_member", 403)


def file_motion(fed: Federation) -> Case:
    body = {"council": "C3", "title": "Open the books", "text": "The council resolves."}
    return Case("rosa", body, "ivan", "not_a_voter", 403)


def cosponsor(fed: Federation) -> Case:
    motion = created(
        fed.do(c.FileMotion("rosa", "C3", "Open the books", "Resolved.")), "motion_filed"
    )
    return Case("karl", {"motion": motion}, "ivan", "not_a_voter", 403)


def withdraw_motion(fed: Federation) -> Case:
    motion = created(
        fed.do(c.FileMotion("rosa", "C3", "Open the books", "Resolved.")), "motion_filed"
    )
    return Case("rosa", {"motion": motion}, "karl", "not_mover", 403)


def cast_vote(fed: Federation) -> Case:
    motion = fed.motion_on_agenda("C3", "rosa", "karl")
    clock.advance(hours=1)
    return Case("leo", {"motion": motion, "choice": "yes"}, "ivan", "not_a_voter", 403)


def close_vote(fed: Federation) -> Case:
    motion = fed.motion_on_agenda("C3", "rosa", "karl")
    clock.advance(hours=4)
    return Case("rosa", {"motion": motion}, "zoe", "not_a_member", 403)


def file_document(fed: Federation) -> Case:
    body = {"body": "C3", "title": "Report", "text": "What the district decided."}
    return Case("rosa", body, "ivan", "not_addressable", 403)


def perform_act(fed: Federation) -> Case:
    fed.elect("C3", "office", ["karl"], office="chair")
    fed.pass_motion("C3", {"kind": "grant_power", "office": "chair", "power": "issue_statement"})
    body = {
        "council": "C3",
        "office": "chair",
        "power": "issue_statement",
        "title": "Statement",
        "text": "The Dockers support the strike.",
    }
    return Case("karl", body, "rosa", "not_officer", 403)


IN_FOUNDING = {"create_council", "close_founding", "reapportion"}
SCENES: dict[str, Callable[[Federation], Case]] = {
    f.__name__: f
    for f in (
        found_federation,
        create_council,
        close_founding,
        reapportion,
        join,
        transfer,
        leave,
        call_election,
        nominate,
        withdraw_candidacy,
        cast_ballot,
        close_election,
        resign,
        end_terms,
        open_recall,
        sign_recall,
        vote_recall,
        close_recall,
        file_motion,
        cosponsor,
        withdraw_motion,
        cast_vote,
        close_vote,
        file_document,
        perform_act,
    )
}


def scene(name: str, request: pytest.FixtureRequest) -> tuple[Federation, Case]:
    fed = request.getfixturevalue("founding" if name in IN_FOUNDING else "federation")
    return fed, SCENES[name](fed)


# The freedoms' commands (tendencies, the press, cases) need a federation with a code of rules
# and a control commission: their API scenes, can and cannot, are in tests/freedoms/test_api.py.
FREEDOMS = frozenset(
    {
        "propose_tendency",
        "confirm_founding",
        "publish",
        "correct_publication",
        "recompute_shares",
        "enact_rule",
        "file_charge",
        "reply_to_charge",
        "record_hearing",
        "vote_on_case",
        "appeal_case",
        "vote_on_appeal",
        "close_appeal",
    }
)


# Secret ballots' commands need a key ceremony by real trustees: their API scenes, can and
# cannot, are in tests/secret/test_app.py.
SECRET_BALLOTS = frozenset(
    {"register_credential", "publish_manifest", "upload_trustee_document", "cast_secret_ballot"}
)


def test_every_command_has_a_scene() -> None:
    assert set(SCENES) == set(COMMANDS) - FREEDOMS - SECRET_BALLOTS - DEBATE


@pytest.mark.parametrize("name", sorted(set(SCENES) - {"found_federation"}))
def test_the_right_actor_can(name: str, request: pytest.FixtureRequest, api: ApiClient) -> None:
    _fed, case = scene(name, request)
    the_right_actor_can(api, name, case)


@pytest.mark.parametrize("name", sorted(SCENES))
def test_a_wrong_actor_is_refused_and_nothing_changes(
    name: str, request: pytest.FixtureRequest, api: ApiClient
) -> None:
    _fed, case = scene(name, request)
    a_wrong_actor_is_refused(api, name, case)


def test_the_federation_can_be_founded_through_the_api(api: ApiClient) -> None:
    response = api.as_("max").command("found_federation", name="Harbour", params={"term_days": 30})
    assert response.status_code == 201
    assert [e["type"] for e in json_of(response)["entries"]] == [
        "federation_founded",
        "council_created",
    ]
    federation = json_of(api.get("/api/federation"))
    assert federation["founder"] == "max" and federation["params"]["term_days"] == 30


def test_the_actor_is_the_signed_in_member_never_the_body(
    federation: Federation, api: ApiClient
) -> None:
    before = dump()
    body = {"council": "C3", "title": "T", "text": "Resolved.", "actor": "karl"}
    problem = assert_problem(api.as_("rosa").command("file_motion", **body), 422, "invalid_request")
    assert problem["errors"][0]["loc"] == ["body", "actor"]
    assert dump() == before
    api.as_("rosa").command("file_motion", council="C3", title="T", text="Resolved.")
    assert Entry.objects.order_by("-seq").first().actor == "rosa"


def test_a_refusal_from_the_constitution_keeps_its_message(
    federation: Federation, api: ApiClient
) -> None:
    problem = assert_problem(
        api.as_("ivan").command("call_election", council="C3", kind="office", office="chair"),
        403,
        "not_a_voter",
    )
    assert problem["detail"] == "Only the members of Dockers can call its elections."
    assert problem["title"] == "Not a voter"


def test_an_unknown_thing_is_404(federation: Federation, api: ApiClient) -> None:
    assert_problem(api.as_("rosa").command("cosponsor", motion="MO99"), 404, "no_such_motion")


def test_a_conflict_is_409(federation: Federation, api: ApiClient) -> None:
    assert_problem(api.as_("rosa").command("transfer", council="C3"), 409, "same_council")


def test_tuples_are_lists_and_dicts_are_free_objects(
    federation: Federation, api: ApiClient
) -> None:
    effect = {"kind": "create_council", "name": "Nurses", "base": True}
    response = api.as_("ivan").command(
        "file_motion", council="C2", title="Nurses", text="Create it.", effect=effect
    )
    assert response.status_code == 201
    motion = json_of(api.get("/api/motions", council="C2"))[0]
    assert motion["effect"] == effect
