"""Who is asking: sessions (with CSRF), bearer tokens, and their revocation."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from smolny.api.models import ApiToken, token_hash
from smolny.store.models import Entry

from .conftest import PASSWORD, ApiClient, Federation, assert_problem, dump, json_of, user


def test_an_anonymous_command_is_401(federation: Federation, api: ApiClient) -> None:
    before = dump()
    response = api.command("file_motion", council="C3", title="T", text="Resolved.")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert dump() == before


def test_my_home_needs_a_sign_in(api: ApiClient) -> None:
    assert_problem(api.get("/api/me"), 401, "not_authenticated")
    assert_problem(api.get("/api/me/documents"), 401, "not_authenticated")


def test_a_token_is_created_with_the_password_and_works(
    federation: Federation, api: ApiClient
) -> None:
    user("rosa")
    response = api.post("/api/tokens", {"username": "rosa", "password": PASSWORD, "name": "phone"})
    assert response.status_code == 201
    created = json_of(response)
    assert created["name"] == "phone"
    # Only the hash is kept.
    row = ApiToken.objects.get(id=created["id"])
    assert row.hash == token_hash(created["token"]) and created["token"] not in row.hash
    as_rosa = api.bearer(created["token"])
    assert json_of(as_rosa.get("/api/me"))["member"]["id"] == "rosa"
    response = as_rosa.command("file_motion", council="C3", title="T", text="Resolved.")
    assert response.status_code == 201
    assert Entry.objects.order_by("-seq").first().actor == "rosa"
    assert [t["name"] for t in json_of(as_rosa.get("/api/tokens"))] == ["phone"]
    assert "token" not in json_of(as_rosa.get("/api/tokens"))[0]


def test_a_wrong_password_gets_no_token(api: ApiClient) -> None:
    user("rosa")
    response = api.post("/api/tokens", {"username": "rosa", "password": "guess"})
    assert_problem(response, 401, "invalid_credentials")
    assert not ApiToken.objects.exists()


def test_a_revoked_token_no_longer_works(federation: Federation, api: ApiClient) -> None:
    user("rosa")
    token = json_of(api.post("/api/tokens", {"username": "rosa", "password": PASSWORD}))
    as_rosa = api.bearer(token["token"])
    assert as_rosa.delete(f"/api/tokens/{token['id']}").status_code == 204
    before = dump()
    response = as_rosa.command("file_motion", council="C3", title="T", text="Resolved.")
    assert_problem(response, 401, "invalid_token")
    assert_problem(as_rosa.get("/api/me"), 401, "invalid_token")
    assert dump() == before


def test_only_its_owner_can_revoke_a_token(federation: Federation, api: ApiClient) -> None:
    user("rosa")
    token = json_of(api.post("/api/tokens", {"username": "rosa", "password": PASSWORD}))
    assert_problem(api.as_("karl").delete(f"/api/tokens/{token['id']}"), 404, "no_such_token")
    assert_problem(api.delete(f"/api/tokens/{token['id']}"), 401, "not_authenticated")
    assert ApiToken.objects.filter(id=token["id"]).exists()
    assert json_of(api.bearer(token["token"]).get("/api/me"))["member"]["id"] == "rosa"


def test_a_made_up_token_is_refused_even_with_a_session(api: ApiClient) -> None:
    signed_in = api.as_("rosa")
    signed_in.headers = {"Authorization": "Bearer smolny_not-a-token"}
    assert_problem(signed_in.get("/api/me"), 401, "invalid_token")


def test_a_session_post_needs_the_csrf_token(federation: Federation) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("rosa"))
    api = ApiClient(client)
    before = dump()
    response = api.command("file_motion", council="C3", title="T", text="Resolved.")
    assert_problem(response, 403, "csrf_failed")
    assert dump() == before
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = api.post(
        "/api/commands/file_motion",
        {"council": "C3", "title": "T", "text": "Resolved."},
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201, json_of(response)


def test_a_token_needs_no_csrf_token(federation: Federation) -> None:
    user("rosa")
    plain = ApiClient()
    token = json_of(plain.post("/api/tokens", {"username": "rosa", "password": PASSWORD}))["token"]
    api = ApiClient(Client(enforce_csrf_checks=True))
    api.headers = {"Authorization": f"Bearer {token}"}
    assert api.command("file_motion", council="C3", title="T", text="Go.").status_code == 201


def test_a_session_get_needs_no_csrf_token(federation: Federation) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("rosa"))
    assert ApiClient(client).get("/api/me").status_code == 200


def test_a_deactivated_members_token_no_longer_works(
    federation: Federation, api: ApiClient
) -> None:
    user("rosa")
    token = json_of(api.post("/api/tokens", {"username": "rosa", "password": PASSWORD}))
    as_rosa = api.bearer(token["token"])
    assert json_of(as_rosa.get("/api/me"))["member"]["id"] == "rosa"
    User.objects.filter(username="rosa").update(is_active=False)
    before = dump()
    response = as_rosa.command("file_motion", council="C3", title="T", text="Resolved.")
    assert_problem(response, 401, "invalid_token")
    assert dump() == before
