"""The reads return what the record says."""

from __future__ import annotations

from typing import Any

import pytest

from smolny import canonical
from smolny.constitution import commands as c
from smolny.store import clock, service
from smolny.store.models import Entry

from .conftest import (
    DOCKERS,
    TEACHERS,
    ApiClient,
    Federation,
    assert_problem,
    created,
    json_of,
)


def get(api: ApiClient, path: str, **query: Any) -> Any:
    response = api.get(path, **query)
    assert response.status_code == 200, json_of(response)
    return json_of(response)


@pytest.fixture
def busy(federation: Federation) -> Federation:
    """The district votes a motion by roll call (ivan against), the teachers petition to
    recall olga, a document goes to the Dockers, and the Dockers are electing a chair."""
    ids = federation.ids
    ids["motion"] = federation.motion_on_agenda("C2", "rosa", "karl")
    clock.advance(hours=1)
    for voter, choice in (("rosa", "yes"), ("karl", "yes"), ("olga", "yes"), ("ivan", "no")):
        federation.do(c.CastVote(voter, ids["motion"], choice))
    federation.do(c.CloseVote("rosa", ids["motion"]))
    olga = next(
        m.id for m in service.current_state().active_mandates(holder="olga") if m.kind == "delegate"
    )
    ids["olga"] = olga
    ids["recall"] = created(
        federation.do(c.OpenRecall("pavel", olga, "She never reports back.")), "recall_opened"
    )
    ids["document"] = created(
        federation.do(c.FileDocument("karl", "C3", "Report", "The district voted.")),
        "document_filed",
    )
    ids["chair"] = created(
        federation.do(c.CallElection("leo", "C3", "office", "chair")), "election_called"
    )
    federation.do(c.Nominate("leo", ids["chair"], "clara"))
    return federation


def test_the_federation_shows_its_tree_with_seats_and_holders(
    federation: Federation, api: ApiClient
) -> None:
    fed = get(api, "/api/federation")
    assert fed["name"] == "Harbour Federation" and fed["founder"] == "max"
    assert not fed["founding"] and fed["root"] == "C1"
    assert fed["params"]["members_per_delegate"] == 3
    congress = fed["tree"]
    assert congress["id"] == "C1" and congress["members"] == 11
    (district,) = congress["children"]
    assert district["name"] == "Harbour District"
    dockers, teachers = district["children"]
    assert (dockers["name"], dockers["seats"], dockers["members"]) == ("Dockers", 2, 6)
    assert sorted(h["holder"] for h in dockers["delegates"]) == ["karl", "rosa"]
    assert sorted(h["name"] for h in teachers["delegates"]) == ["Ivan", "Olga"]


def test_no_federation_yet_is_404(api: ApiClient) -> None:
    assert_problem(api.get("/api/federation"), 404, "not_founded")


def test_councils_list_and_detail(busy: Federation, api: ApiClient) -> None:
    councils = get(api, "/api/councils")
    assert [k["id"] for k in councils] == ["C1", "C2", "C3", "C4"]
    assert [k["id"] for k in get(api, "/api/councils", parent="C2")] == ["C3", "C4"]
    dockers = get(api, "/api/councils/C3")
    assert [v["id"] for v in dockers["voters"]] == sorted(DOCKERS)
    assert sorted(d["holder"] for d in dockers["delegates"]) == ["karl", "rosa"]
    assert [e["id"] for e in dockers["open_elections"]] == [busy.ids["chair"]]
    assert dockers["open_elections"][0]["candidates"] == ["clara"]
    assert [d["id"] for d in dockers["documents"]] == [busy.ids["document"]]
    district = get(api, "/api/councils/C2")
    assert [v["id"] for v in district["voters"]] == ["ivan", "karl", "olga", "rosa"]
    assert [m["id"] for m in district["motions"]] == [busy.ids["motion"]]
    assert [k["id"] for k in district["children"]] == ["C3", "C4"]
    teachers = get(api, "/api/councils/C4")
    assert [r["id"] for r in teachers["recalls"]] == [busy.ids["recall"]]


def test_an_unknown_council_is_404(api: ApiClient) -> None:
    assert_problem(api.get("/api/councils/C99"), 404, "no_such_council")


def test_members_are_listed_a_page_at_a_time(federation: Federation, api: ApiClient) -> None:
    everyone = sorted(DOCKERS + TEACHERS)
    first = get(api, "/api/members", limit=4)
    assert first["total"] == len(everyone)
    assert [m["id"] for m in first["items"]] == everyone[:4]
    second = get(api, "/api/members", start=4, limit=4)
    assert [m["id"] for m in second["items"]] == everyone[4:8]
    teachers = get(api, "/api/members", council="C4")
    assert sorted(m["id"] for m in teachers["items"]) == sorted(TEACHERS)
    assert "email" not in first["items"][0]


def test_a_member_shows_her_council_and_mandates(federation: Federation, api: ApiClient) -> None:
    rosa = get(api, "/api/members/rosa")
    assert (rosa["name"], rosa["council"], rosa["council_name"]) == ("Rosa", "C3", "Dockers")
    (mandate,) = rosa["mandates"]
    assert (mandate["kind"], mandate["body"], mandate["constituency"]) == ("delegate", "C2", "C3")
    assert_problem(api.get("/api/members/nobody"), 404, "no_such_member")


def test_mandates_can_be_filtered(busy: Federation, api: ApiClient) -> None:
    assert len(get(api, "/api/mandates")) == 4
    district = get(api, "/api/mandates", body="C2", active="true")
    assert sorted(m["holder"] for m in district) == ["ivan", "karl", "olga", "rosa"]
    olga = get(api, f"/api/mandates/{busy.ids['olga']}")
    assert olga["holder"] == "olga" and olga["active"]
    assert_problem(api.get("/api/mandates/M99"), 404, "no_such_mandate")


def test_an_election_shows_its_result_and_open_ballots(
    federation: Federation, api: ApiClient
) -> None:
    election = get(api, f"/api/elections/{federation.ids['dockers_election']}")
    assert sorted(election["result"]["elected"]) == ["karl", "rosa"]
    assert election["closed_at"] is not None
    assert [b["member"] for b in election["ballots"]] == sorted(DOCKERS)
    assert all(sorted(b["choices"]) == ["karl", "rosa"] for b in election["ballots"])
    assert len(get(api, "/api/elections")) == 2
    assert get(api, "/api/elections", open="true") == []
    assert_problem(api.get("/api/elections/E99"), 404, "no_such_election")


def test_a_motion_shows_its_roll_call(busy: Federation, api: ApiClient) -> None:
    motion = get(api, f"/api/motions/{busy.ids['motion']}")
    assert motion["status"] == "carried"
    assert {v["member"]: v["choice"] for v in motion["roll_call"]} == {
        "ivan": "no",
        "karl": "yes",
        "olga": "yes",
        "rosa": "yes",
    }
    assert (motion["result"]["yes"], motion["result"]["no"]) == (3, 1)
    assert [m["id"] for m in get(api, "/api/motions", status="carried")] == [busy.ids["motion"]]
    assert_problem(api.get("/api/motions/MO99"), 404, "no_such_motion")


def test_a_recall_shows_its_petition(busy: Federation, api: ApiClient) -> None:
    recall = get(api, f"/api/recalls/{busy.ids['recall']}")
    assert (recall["holder"], recall["status"], recall["signatures"]) == (
        "olga",
        "petition",
        ["pavel"],
    )
    assert [r["id"] for r in get(api, "/api/recalls", constituency="C4")] == [busy.ids["recall"]]
    assert_problem(api.get("/api/recalls/R99"), 404, "no_such_recall")


def test_documents(busy: Federation, api: ApiClient) -> None:
    document = get(api, f"/api/documents/{busy.ids['document']}")
    assert (document["author"], document["body"], document["title"]) == ("karl", "C3", "Report")
    assert [d["id"] for d in get(api.as_("leo"), "/api/me/documents")] == [busy.ids["document"]]
    assert get(api.as_("ivan"), "/api/me/documents") == []
    assert_problem(api.get("/api/documents/D99"), 404, "no_such_document")


def test_my_home(busy: Federation, api: ApiClient) -> None:
    clock.advance(hours=1)  # the chair election's voting opens
    home = get(api.as_("pavel"), "/api/me")
    assert home["member"]["id"] == "pavel" and home["member"]["council"] == "C4"
    assert [k["id"] for k in home["councils"]] == ["C4"]
    delegates = {d["holder"]: d for d in home["delegates"]}
    assert sorted(delegates) == ["ivan", "olga"]
    assert [(v["motion"], v["choice"]) for v in delegates["ivan"]["votes"]] == [
        (busy.ids["motion"], "no")
    ]
    assert home["petitions"] == []  # pavel opened it, so has signed it
    sofia = get(api.as_("sofia"), "/api/me")
    assert [p["recall"] for p in sofia["petitions"]] == [busy.ids["recall"]]
    leo = get(api.as_("leo"), "/api/me")
    (ballot,) = leo["ballots"]
    assert (ballot["kind"], ballot["id"], ballot["open_now"]) == (
        "election",
        busy.ids["chair"],
        True,
    )
    assert [d["id"] for d in leo["documents"]] == [busy.ids["document"]]
    rosa = get(api.as_("rosa"), "/api/me")
    assert [k["id"] for k in rosa["councils"]] == ["C3", "C2"]


def test_a_user_who_is_not_a_member_has_an_empty_home(
    federation: Federation, api: ApiClient
) -> None:
    home = get(api.as_("zoe"), "/api/me")
    assert home["member"] is None and home["councils"] == [] and home["ballots"] == []


def test_the_record_is_paginated_and_says_what_the_entries_say(
    federation: Federation, api: ApiClient
) -> None:
    size = Entry.objects.count()
    first = get(api, "/api/record/entries", limit=10)
    assert first["size"] == size and first["next"] == 10
    assert [e["seq"] for e in first["entries"]] == list(range(10))
    entries, start = [], 0
    while start is not None:
        page = get(api, "/api/record/entries", start=start, limit=7)
        entries.extend(page["entries"])
        start = page["next"]
    assert len(entries) == size
    for got, row in zip(entries, Entry.objects.order_by("seq"), strict=True):
        assert (got["seq"], got["type"], got["actor"], got["at"]) == (
            row.seq,
            row.type,
            row.actor,
            row.at,
        )
        assert canonical.encode(got["event"]) == bytes(row.body)
    assert entries[0]["event"]["type"] == "federation_founded"
    beyond = get(api, "/api/record/entries", start=size + 5)
    assert beyond["entries"] == [] and beyond["next"] is None


def test_health_figures(busy: Federation, api: ApiClient) -> None:
    health = get(api, "/api/health")
    # Two uncontested delegations, one split vote, one recall petition open.
    assert health["uncontested_elections"] == {"count": 2, "of": 2, "share": "1"}
    assert health["unanimous_votes"] == {"count": 0, "of": 1, "share": "0"}
    assert health["recalls_carried"] == {"count": 0, "of": 1, "share": "0"}
    assert health["recalls_opened"] == 1 and health["mandates"] == 4


def test_the_record_can_be_read_for_one_council(busy: Federation, api: ApiClient) -> None:
    expected = [e.seq for e in Entry.objects.order_by("seq") if " C3 " in e.scope]
    assert expected
    seqs, start = [], 0
    while start is not None:
        page = get(api, "/api/record/entries", council="C3", start=start, limit=3)
        seqs.extend(e["seq"] for e in page["entries"])
        start = page["next"]
    assert seqs == expected
