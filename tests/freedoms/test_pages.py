"""The freedoms through their real URLs: each command can be done from a page, and each
refusal there changes no entry, no state byte and no read-model row."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from smolny.readmodels.models import CaseRow, PublicationRow, TendencyRow
from smolny.store import clock
from smolny.store.models import Entry

from .seeded import act, client_for, found, seed, support, unchanged

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def federation() -> None:
    seed()


@pytest.mark.parametrize(
    "url",
    [
        "/councils/C2/tendencies",
        "/councils/C2/bulletin",
        "/councils/C2/shares",
        "/councils/C3/cases",
        "/code",
    ],
)
def test_the_freedoms_pages_render_for_everyone(federation: None, url: str) -> None:
    assert Client().get(url).status_code == 200
    assert client_for("clara").get(url).status_code == 200


def test_a_tendency_is_founded_supported_and_the_supporter_checks_her_commitment(
    federation: None,
) -> None:
    key = found()
    assert TendencyRow.objects.get(key=key).status == "active"
    assert support("leo", key).status_code == 302
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.actor == key and b"leo" not in bytes(entry.body)
    page = client_for("leo").get(f"/tendencies/{key}").content.decode()
    assert "Checked: the inclusion proof" in page and f"entry #{entry.seq}" in page
    assert "my-salt" not in client_for("nadia").get(f"/tendencies/{key}").content.decode()
    assert (
        'Supporters: <span id="supporters">1</span>'
        in Client().get(f"/tendencies/{key}").content.decode()
    )
    rights = client_for("leo").get("/rights").content.decode()
    assert "included in the record" in rights
    with unchanged():
        assert support("leo", key).status_code == 409
    assert client_for("leo").post(f"/tendencies/{key}/withdraw").status_code == 302
    assert TendencyRow.objects.get(key=key).supporters == 0


def test_founding_refusals_change_nothing(federation: None) -> None:
    with unchanged():
        act(
            "karl",
            "propose_tendency",
            {"scope": "C2", "name": "Alone", "platform": "P."},
            status=422,
        )
        act(
            "ivan",
            "propose_tendency",
            {"scope": "C3", "name": "Out", "platform": "P.", "founders": ["olga"]},
            status=403,
        )


def _press(key: str) -> None:
    for person in ("leo", "nadia", "vera"):
        assert support(person, key).status_code == 302


def test_publishing_refusals_and_a_retraction_that_keeps_the_original(federation: None) -> None:
    key = found()
    with unchanged():
        act(
            "karl", "publish", {"publisher": key, "title": "Early", "text": "Too soon."}, status=422
        )
    _press(key)
    act("karl", "publish", {"publisher": key, "title": "Strike fund", "text": "Give an hour."})
    publication = PublicationRow.objects.get(title="Strike fund")
    assert publication.reach == 11
    with unchanged():
        response = act(
            "karl",
            "publish",
            {"publisher": key, "title": "Long", "text": "word " * 200},
            status=422,
        )
        assert "words left" in response.content.decode()
        act(
            "rosa",
            "correct_publication",
            {"publication": publication.key, "kind": "retraction", "text": "No."},
            status=403,
        )
    act(
        "clara",
        "correct_publication",
        {"publication": publication.key, "kind": "retraction", "text": "Wrong figure."},
    )
    page = Client().get(f"/publications/{publication.key}").content.decode()
    assert "Retracted" in page and "Give an hour." in page


def test_the_shares_page_shows_sainte_lague_on_a_worked_example(federation: None) -> None:
    """GIVEN three tendencies with 5, 3 and 2 supporters, THEN 100 bulletin words split
    50/30/20, 30 congress minutes 15/9/6, and 2 mailings go to the quotients 5 and 3."""
    a = found(founders=("karl", "clara"), name="A")
    b = found(founders=("ivan", "olga"), name="B")
    c = found(founders=("pavel", "sofia"), name="C")
    for person in ("karl", "clara", "leo", "nadia", "vera"):
        support(person, a)
    for person in ("ivan", "olga", "rosa"):
        support(person, b)
    for person in ("pavel", "sofia"):
        support(person, c)
    act("max", "recompute_shares", {"scope": "C2"})
    page = Client().get("/councils/C2/shares").content.decode()
    from smolny.readmodels.models import ShareRow

    row = ShareRow.objects.get(key="C2")
    assert row.shares["bulletin_words"] == {a: 50, b: 30, c: 20}
    assert row.shares["congress_minutes"] == {a: 15, b: 9, c: 6}
    assert row.shares["mailing_quota"] == {a: 1, b: 1, c: 0}
    assert "supporters ÷ 1 = 5.000" in page and "supporters ÷ 3 = 1.667" in page
    with unchanged():
        act("max", "recompute_shares", {"scope": "C2"}, status=409)


def _charge(who: str, data: dict[str, Any], status: int = 302) -> Any:
    response = client_for(who).post("/councils/C3/charge", data)
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def _soon() -> str:
    return (clock.now() + timedelta(days=10)).strftime("%Y-%m-%d")


ACT = {
    "act-0-date": "2026-01-04",
    "act-0-conduct": "Kept the fund at home.",
    "act-0-evidence": "Minutes.",
}


def test_a_case_through_its_pages_and_its_refusals(federation: None) -> None:
    assert "has no place" in client_for("karl").get("/councils/C3/charge").content.decode()
    with unchanged():
        _charge("karl", {"respondent": "rosa,vera", "rule": "RU1"} | ACT, status=422)
        _charge("karl", {"respondent": "rosa", "rule": ""} | ACT, status=422)
    _charge("clara", {"respondent": "rosa", "rule": "RU1"} | ACT)
    case = CaseRow.objects.get()
    with unchanged():
        act("leo", "record_hearing", {"case": case.key, "minutes": "Heard."}, status=409)
    act("rosa", "reply_to_charge", {"case": case.key, "text": "It was in the safe."})
    clock.advance(hours=1)
    act("leo", "record_hearing", {"case": case.key, "minutes": "Both heard."})
    with unchanged():
        act(
            "leo",
            "vote_on_case",
            {"case": case.key, "outcome": "suspension", "reasons": "R."},
            status=422,
        )
        act(
            "clara",
            "vote_on_case",
            {"case": case.key, "outcome": "warning", "until": _soon(), "reasons": "R."},
            status=403,
        )
    act(
        "leo",
        "vote_on_case",
        {"case": case.key, "outcome": "warning", "until": _soon(), "reasons": "Keep it safe."},
    )
    act(
        "nadia",
        "vote_on_case",
        {"case": case.key, "outcome": "warning", "until": _soon(), "reasons": "Keep it safe."},
    )
    assert CaseRow.objects.get().stage == "decided"
    public = Client().get(f"/cases/{case.key}").content.decode()
    assert "Warning" in public and "Keep it safe." in public and "Kept the fund at home." in public


def test_my_data_downloads_everything_held_about_me(federation: None) -> None:
    key = found()
    support("leo", key)
    response = client_for("leo").get("/my-data")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["member"]["id"] == "leo" and data["supports"][0]["tendency"] == key
    assert any(e["type"] == "ballot_cast" for e in data["record_entries"])
    assert Client().get("/my-data").status_code == 302


def test_restricted_evidence_is_for_the_parties_and_the_commission_only(federation: None) -> None:
    _charge("karl", {"respondent": "rosa", "rule": "RU1"} | ACT)
    case = CaseRow.objects.get().key
    response = client_for("karl").post(
        f"/cases/{case}/evidence",
        {"title": "Bank statement", "text": "Account 1234.", "restricted": "1"},
    )
    assert response.status_code == 302
    assert b"1234" not in bytes(Entry.objects.order_by("-seq").first().body)  # type: ignore[union-attr]
    assert "Account 1234." in client_for("rosa").get(f"/cases/{case}").content.decode()
    assert "Account 1234." in client_for("leo").get(f"/cases/{case}").content.decode()
    assert "Account 1234." not in client_for("vera").get(f"/cases/{case}").content.decode()
    assert "Account 1234." not in Client().get(f"/cases/{case}").content.decode()
    with unchanged():
        assert (
            client_for("vera")
            .post(f"/cases/{case}/evidence", {"title": "T", "text": "X"})
            .status_code
            == 403
        )


def test_my_rights_says_how_far_each_open_threshold_is(federation: None) -> None:
    act("karl", "file_motion", {"council": "C3", "title": "Safety rota", "text": "Two stewards."})
    act(
        "karl",
        "propose_tendency",
        {"scope": "C2", "name": "Left", "platform": "P.", "founders": ["clara"]},
    )
    page = client_for("karl").get("/rights").content.decode()
    assert "Motion “Safety rota” reaches the agenda" in page
    assert "Tendency “Left” is founded" in page
    assert "The press right starts at 3 supporters." in page
    assert client_for("karl").get("/rights").status_code == 200


def test_the_server_prunes_supports_of_members_who_left(federation: None) -> None:
    from smolny.cli import main

    key = found()
    support("leo", key)
    support("nadia", key)
    act("leo", "leave", {})
    assert TendencyRow.objects.get(key=key).supporters == 2
    assert main(["prune-supports"]) == 0
    assert TendencyRow.objects.get(key=key).supporters == 1
    with unchanged():
        assert main(["prune-supports"]) == 0


def test_the_case_page_offers_the_appeal_ballot_only_to_those_who_may_vote(
    federation: None,
) -> None:
    """GIVEN rosa appeals a warning to Harbour District (delegates rosa, karl, ivan, olga),
    THEN the case page shows the appeal's ballot to karl, ivan and olga, not to rosa (the
    respondent), leo (a commissioner, no delegate) or a reader signed out; rosa's vote, sent
    anyway, is refused and changes nothing; and once the vote closes nobody is offered it."""
    ballot = "Vote on the appeal"
    _charge("clara", {"respondent": "rosa", "rule": "RU1"} | ACT)
    case = CaseRow.objects.get().key
    clock.advance(hours=1)
    act("leo", "record_hearing", {"case": case, "minutes": "Heard."})
    warning = {"case": case, "outcome": "warning", "until": _soon(), "reasons": "Keep it safe."}
    act("leo", "vote_on_case", warning)
    act("nadia", "vote_on_case", warning)
    act("rosa", "appeal_case", {"case": case, "grounds": "It was in the safe."})
    for who in ("karl", "ivan", "olga"):
        assert ballot in client_for(who).get(f"/cases/{case}").content.decode(), who
    for who in ("rosa", "leo"):
        assert ballot not in client_for(who).get(f"/cases/{case}").content.decode(), who
    assert ballot not in Client().get(f"/cases/{case}").content.decode()
    with unchanged():
        act("rosa", "vote_on_appeal", {"case": case, "choice": "overturn"}, status=403)
    act("karl", "vote_on_appeal", {"case": case, "choice": "overturn"})
    clock.advance(hours=3)
    assert ballot not in client_for("ivan").get(f"/cases/{case}").content.decode()


def test_the_publication_page_offers_correction_only_to_its_publisher(federation: None) -> None:
    """GIVEN the Left (founders karl and clara) publishes, THEN "Correct or retract" is on its
    page for karl and clara only, not for rosa, a reader signed out or leo (a supporter); once
    retracted, for nobody."""
    form = "Correct or retract"
    key = found()
    _press(key)
    act("karl", "publish", {"publisher": key, "title": "Strike fund", "text": "Give an hour."})
    url = f"/publications/{PublicationRow.objects.get(title='Strike fund').key}"
    for who in ("karl", "clara"):
        assert form in client_for(who).get(url).content.decode(), who
    for who in ("rosa", "leo"):
        assert form not in client_for(who).get(url).content.decode(), who
    assert form not in Client().get(url).content.decode()
    publication = url.rsplit("/", 1)[1]
    with unchanged():
        act(
            "leo",
            "correct_publication",
            {"publication": publication, "kind": "correction", "text": "Two hours."},
            status=403,
        )
    act(
        "clara",
        "correct_publication",
        {"publication": publication, "kind": "retraction", "text": "Wrong figure."},
    )
    for who in ("karl", "clara"):
        assert form not in client_for(who).get(url).content.decode(), who
