"""The record's witnesses through the API: proposed with the generic ``file_motion`` command,
read on ``/api/federation``, founded with ``found_federation``; refusals are RFC 9457
problems that change nothing."""

from __future__ import annotations

from smolny.constitution import commands as c
from smolny.record.note import SIG_COSIGNATURE_V1, SIG_ED25519, SignerKey
from smolny.store import clock

from .conftest import ApiClient, Federation, assert_problem, created, dump, json_of

MIRROR = SignerKey("mirror.harbour", SIG_COSIGNATURE_V1, bytes([7]) * 32).verifier().encode()


def with_congress(fed: Federation) -> Federation:
    fed.elect("C2", "delegate", ["rosa", "ivan"])
    return fed


def carry(fed: Federation, effect: dict[str, object]) -> None:
    """The congress's two delegates file (on the agenda at once: one sponsor in two is the
    co-sponsor share), vote yes, and close the vote."""
    filed = created(
        fed.do(c.FileMotion("rosa", "C1", "Witnesses", "Resolved.", effect)), "motion_filed"
    )
    clock.advance(hours=1)
    for delegate in ("rosa", "ivan"):
        fed.do(c.CastVote(delegate, filed, "yes"))
    fed.do(c.CloseVote("rosa", filed))


def motion(effect: dict[str, object], council: str = "C1") -> dict[str, object]:
    return {"council": council, "title": "Witnesses", "text": "Resolved.", "effect": effect}


def test_a_congress_delegate_files_an_admission_and_the_congress_carries_it(
    federation: Federation, api: ApiClient
) -> None:
    with_congress(federation)
    response = api.as_("rosa").command(
        "file_motion", **motion({"kind": "admit_witness", "key": MIRROR})
    )
    assert response.status_code == 201, json_of(response)
    (filed,) = json_of(api.get("/api/motions", council="C1"))
    assert filed["effect"] == {"kind": "admit_witness", "name": "mirror.harbour", "key": MIRROR}
    assert json_of(api.get("/api/federation"))["witnesses"] == []
    carry(federation, {"kind": "admit_witness", "key": MIRROR})
    carry(federation, {"kind": "amend_params", "changes": {"witness_quorum": 1}})
    fed = json_of(api.get("/api/federation"))
    (witness,) = fed["witnesses"]
    assert (witness["name"], witness["key"]) == ("mirror.harbour", MIRROR)
    assert witness["motion"].startswith("MO") and witness["admitted_at"].endswith("Z")
    assert fed["params"]["witness_quorum"] == 1


def test_the_district_cannot_admit_a_witness(federation: Federation, api: ApiClient) -> None:
    with_congress(federation)
    before = dump()
    response = api.as_("rosa").command(
        "file_motion", **motion({"kind": "admit_witness", "key": MIRROR}, "C2")
    )
    assert_problem(response, 403, "congress_only")
    assert dump() == before


def test_a_log_key_or_a_garbled_key_is_refused(federation: Federation, api: ApiClient) -> None:
    with_congress(federation)
    before = dump()
    log_key = SignerKey("harbour", SIG_ED25519, bytes([1]) * 32).verifier().encode()
    for key in (log_key, MIRROR[:-2], 42):
        response = api.as_("rosa").command(
            "file_motion", **motion({"kind": "admit_witness", "key": key})
        )
        assert_problem(response, 422, "invalid_witness_key")
    assert dump() == before


def test_a_quorum_beyond_the_witnesses_is_refused(federation: Federation, api: ApiClient) -> None:
    with_congress(federation)
    before = dump()
    effect = {"kind": "amend_params", "changes": {"witness_quorum": 1}}
    problem = assert_problem(
        api.as_("ivan").command("file_motion", **motion(effect)), 422, "quorum_above_witnesses"
    )
    assert "Admit witnesses first" in problem["detail"]
    assert dump() == before


def test_a_federation_is_founded_with_its_witnesses(api: ApiClient) -> None:
    response = api.as_("max").command(
        "found_federation", name="Harbour", params={"witness_quorum": 1}, witnesses=[MIRROR]
    )
    assert response.status_code == 201, json_of(response)
    fed = json_of(api.get("/api/federation"))
    assert [w["name"] for w in fed["witnesses"]] == ["mirror.harbour"]
    assert fed["witnesses"][0]["motion"] is None and fed["params"]["witness_quorum"] == 1


def test_removing_the_last_witness_the_quorum_needs_is_refused(
    federation: Federation, api: ApiClient
) -> None:
    with_congress(federation)
    carry(federation, {"kind": "admit_witness", "key": MIRROR})
    carry(federation, {"kind": "amend_params", "changes": {"witness_quorum": 1}})
    before = dump()
    effect = {"kind": "remove_witness", "name": "mirror.harbour"}
    assert_problem(
        api.as_("rosa").command("file_motion", **motion(effect)), 422, "quorum_above_witnesses"
    )
    assert_problem(
        api.as_("rosa").command(
            "file_motion", **motion({"kind": "remove_witness", "name": "nobody"})
        ),
        422,
        "no_such_witness",
    )
    assert dump() == before
