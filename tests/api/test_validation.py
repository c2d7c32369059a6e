"""Requests the API cannot read are refused as problem documents, before any command exists."""

from __future__ import annotations

from .conftest import ApiClient, Federation, assert_problem, dump, json_of


def test_bad_json_is_a_422_problem(federation: Federation, api: ApiClient) -> None:
    before = dump()
    response = api.as_("rosa").post("/api/commands/file_motion", raw="{not json")
    assert_problem(response, 422, "invalid_json")
    assert dump() == before


def test_a_missing_field_is_a_422_problem(federation: Federation, api: ApiClient) -> None:
    before = dump()
    response = api.as_("rosa").command("file_motion", council="C3", title="T")
    problem = assert_problem(response, 422, "invalid_request")
    assert [e["loc"] for e in problem["errors"]] == [["body", "text"]]
    assert "text" in problem["detail"]
    assert dump() == before


def test_a_wrong_type_is_a_422_problem(federation: Federation, api: ApiClient) -> None:
    response = api.as_("rosa").command("cast_ballot", election="E1", choices="rosa")
    problem = assert_problem(response, 422, "invalid_request")
    assert problem["errors"][0]["loc"] == ["body", "choices"]


def test_a_number_is_not_a_string(federation: Federation, api: ApiClient) -> None:
    response = api.as_("rosa").command("join", name="Rosa", council=3)
    assert_problem(response, 422, "invalid_request")


def test_a_body_that_is_not_an_object_is_a_422_problem(
    federation: Federation, api: ApiClient
) -> None:
    response = api.as_("rosa").post("/api/commands/leave", raw="[1, 2]")
    assert_problem(response, 422, "invalid_request")


def test_a_command_without_arguments_takes_an_empty_object(
    federation: Federation, api: ApiClient
) -> None:
    response = api.as_("nadia").post("/api/commands/leave", {})
    assert response.status_code == 201, json_of(response)


def test_a_bad_query_is_a_422_problem(api: ApiClient) -> None:
    assert_problem(api.get("/api/record/entries", limit=0), 422, "invalid_request")
    assert_problem(api.get("/api/record/entries", start="x"), 422, "invalid_request")


def test_an_unknown_api_address_is_a_404_problem(api: ApiClient) -> None:
    # Not in the document, so not through api.get: the client's own check would refuse it.
    response = api.client.get("/api/no/such/thing")
    assert_problem(response, 404, "not_found")
    assert_problem(api.client.post("/api/commands/no_such_command"), 404, "not_found")


def test_what_the_record_cannot_hold_is_refused_before_the_rules_see_it(api: ApiClient) -> None:
    # A float or an integer beyond 2**53 has no canonical encoding (DESIGN: "no floats").
    founder = api.as_("max")
    for params in ({"recall_share": 0.25}, {"term_days": 10**17}):
        response = founder.command("found_federation", name="Harbour", params=params)
        problem = assert_problem(response, 422, "invalid_request")
        assert problem["errors"][0]["loc"] == ["body", "params"]
    assert (
        founder.command(
            "found_federation", name="Harbour", params={"recall_share": "1/4"}
        ).status_code
        == 201
    )
