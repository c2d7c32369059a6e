"""Pages and the action view through their real URLs (Django's test client, real database).

Personas as in tests/browser/harbour.py: rosa is the dockers' delegate, clara her constituent,
ivan a teacher (another council), max the founder with no powers left.
"""

from __future__ import annotations

from typing import Any

import harbour
import pytest
from django.test import Client
from harbour import client_for

from smolny.readmodels.models import MotionRow, RecallRow
from smolny.store.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/federation",
        "/councils/C1",
        "/councils/C2",
        "/councils/C3",
        "/elections/E1",
        "/members/rosa",
        "/record",
        "/record/entries/0",
        "/signin",
        "/join",
    ],
)
def test_every_page_renders_for_the_public_and_for_a_member(federation: None, url: str) -> None:
    assert Client().get(url).status_code == 200
    assert client_for("clara").get(url).status_code == 200


def test_unknown_things_are_404(federation: None) -> None:
    for url in (
        "/councils/C99",
        "/elections/E99",
        "/motions/MO9",
        "/recalls/R9",
        "/members/nobody",
        "/record/entries/9999",
    ):
        assert Client().get(url).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_recorded(federation: None) -> None:
    before = Entry.objects.count()
    response = Client().post("/act/file_motion", {"council": "C3", "title": "T", "text": "X"})
    assert response.status_code == 302 and response["Location"].startswith("/signin")
    assert Entry.objects.count() == before


def test_a_member_files_a_motion_and_gets_a_receipt(federation: None) -> None:
    client = client_for("clara")
    response = client.post(
        "/act/file_motion",
        {
            "council": "C3",
            "title": "Safety rota",
            "text": "Two stewards per shift.",
            "next": "/councils/C3",
        },
        follow=True,
    )
    assert response.status_code == 200
    motion = MotionRow.objects.get(title="Safety rota")
    assert motion.filed_by == "clara" and motion.council == "C3"
    seq = Entry.objects.get(type="motion_filed").seq
    assert f"It is in the record as entry #{seq}" in response.content.decode()


def test_a_teacher_cannot_open_a_recall_of_the_dockers_delegate(federation: None) -> None:
    before = list(Entry.objects.values_list("seq", flat=True))
    response = client_for("ivan").post("/act/open_recall", {"mandate": "M1", "grounds": "No."})
    assert response.status_code == 403
    assert (
        "Only the members of Dockers can recall those Dockers elected" in response.content.decode()
    )
    assert list(Entry.objects.values_list("seq", flat=True)) == before
    assert not RecallRow.objects.exists()


def test_the_actor_is_the_signed_in_member_not_a_form_field(federation: None) -> None:
    client_for("clara").post(
        "/act/file_motion", {"council": "C3", "title": "T", "text": "X", "actor": "rosa"}
    )
    assert MotionRow.objects.get().filed_by == "clara"


def test_bad_forms_are_refused_with_a_reason(federation: None) -> None:
    client = client_for("clara")
    response = client.post("/act/seize_power", {})
    assert response.status_code == 400 and "There is no action called" in response.content.decode()
    response = client.post("/act/file_motion", {"council": "C3", "title": "T"})
    assert response.status_code == 400 and "missing text" in response.content.decode()


def test_actions_need_the_csrf_token(federation: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.login(username="clara", password="pw-clara")
    assert client.post("/act/leave").status_code == 403
    assert Entry.objects.filter(type="member_left").count() == 0


def test_next_never_leads_off_the_site(federation: None) -> None:
    response = client_for("clara").post(
        "/act/file_motion",
        {"council": "C3", "title": "T", "text": "X", "next": "https://elsewhere.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_joining_creates_the_account_and_the_membership(federation: None) -> None:
    response = Client().post(
        "/join",
        {
            "username": "anna.k",
            "name": "Anna K",
            "council": "C4",
            "password": "a long enough phrase 42",
        },
    )
    assert response.status_code == 302
    assert Entry.objects.filter(type="member_joined", actor="anna.k").exists()
    assert client_for_password("anna.k", "a long enough phrase 42")


def test_joining_with_a_taken_id_changes_nothing(federation: None) -> None:
    before = Entry.objects.count()
    response = Client().post(
        "/join",
        {
            "username": "rosa",
            "name": "Other Rosa",
            "council": "C4",
            "password": "a long enough phrase 42",
        },
    )
    assert response.status_code == 400 and "taken" in response.content.decode()
    assert Entry.objects.count() == before


def client_for_password(who: str, password: str) -> Any:
    return Client().login(username=who, password=password)


def test_the_admin_shows_the_record_and_changes_nothing(federation: None) -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser("operator", password=harbour.PASSWORD)
    client = client_for("operator")
    assert client.get("/admin/store/entry/").status_code == 200
    assert client.get("/admin/store/entry/add/").status_code == 403
    assert client.post("/admin/store/entry/0/delete/", {"post": "yes"}).status_code == 403
    assert Entry.objects.filter(seq=0).exists()
    assert client.get("/admin/readmodels/memberrow/rosa/change/").status_code == 200
    response = client.post("/admin/readmodels/memberrow/rosa/change/", {"name": "X"})
    assert response.status_code == 403


def test_the_health_page_shows_the_figures_of_the_record(federation: None) -> None:
    text = Client().get("/health").content.decode()
    # harbour.seed() closed two delegate elections, neither contested.
    assert "2 of 2 (1)" in text
    assert "Mandates held without an election that elected their holder</td><td>none" in text


def test_home_lists_a_petition_to_recall_her_apart_from_those_she_might_sign(
    federation: None,
) -> None:
    """GIVEN karl opens a petition to recall rosa, THEN rosa's home shows it under "A petition
    to recall you", not among the petitions she might sign (she may sign it: the rules let
    her, tests/constitution/test_recall.py), while clara finds it among hers."""
    response = client_for("karl").post(
        "/act/open_recall", {"mandate": "M1", "grounds": "She voted against our mandate."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recall = RecallRow.objects.get().key
    link = f'href="/recalls/{recall}"'
    page = client_for("rosa").get("/").content.decode()
    section = page.split('id="h-petitions"', 1)[1].split("</section>", 1)[0]
    others, mine = section.split('id="h-recalls-of-me"', 1)
    assert "A petition to recall you" in mine and link in mine
    assert link not in others and "None open." in others
    page = client_for("clara").get("/").content.decode()
    section = page.split('id="h-petitions"', 1)[1].split("</section>", 1)[0]
    assert link in section and "Recall of Rosa" in section
    assert "A petition to recall you" not in page
