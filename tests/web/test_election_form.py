"""Calling an election from the council page, and the prompt to register a voting credential,
through their real URLs (Django's test client, real database).

GIVEN the Harbour federation (tests/harbour.py): clara, leo, nadia and vera are dockers (C3),
karl their second delegate, ivan a teacher (C4), a member of another council.
"""

from __future__ import annotations

import html
from typing import Any

import harbour
import pytest
from harbour import client_for

from smolny.constitution import commands as c
from smolny.constitution.methods import BALLOT_MODES, METHODS
from smolny.constitution.words import when
from smolny.pages.election_form import HOW_IT_COUNTS, MODES
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, execute
from tests.secret import rite

pytestmark = pytest.mark.django_db(transaction=True)


def call(who: str, **fields: Any) -> Any:
    form = {"council": "C3", "kind": "office", "office": "secretary", "next": "/councils/C3"}
    return client_for(who).post("/act/call_election", form | fields)


def latest_election() -> Any:
    state = current_state()
    return state.elections[f"E{state.counters['E']}"]


# --- Task A: the form offers what the constitution allows ----------------------------------


def test_every_counting_method_and_ballot_mode_has_words() -> None:
    assert set(METHODS) <= set(HOW_IT_COUNTS)
    assert set(BALLOT_MODES) <= set(MODES)


def test_the_form_offers_every_method_mode_and_the_trustees_in_words(federation: None) -> None:
    page = html.unescape(client_for("clara").get("/councils/C3").content.decode())
    form = page.split('action="/act/call_election"', 1)[1].split("</form>", 1)[0]
    for key, method in METHODS.items():
        assert f'name="method" value="{key}"' in form, key
        assert f">{method.label}</label>" in form, key
        assert HOW_IT_COUNTS[key] in form, key
    assert "Single transferable vote (Scottish rules)" in form
    assert ">scottish-stv<" not in form and ">approval<" not in form
    # The defaults: the constitution's choice of method, an open ballot, threshold 2.
    assert 'name="method" value="" aria-describedby="el-method-1-why" checked' in form
    assert 'name="ballot_mode" value="open" aria-describedby="el-mode-open-why" checked' in form
    assert 'name="ballot_mode" value="secret"' in form and "Secret ballot</label>" in form
    assert 'name="threshold" value="2"' in form
    for who in harbour.DOCKERS:
        assert f'name="trustees" value="{who}"' in form
    assert "<code>smolny trustee init</code>" in form and "docs/ballots.md" in form
    assert "register a voting credential" in form
    assert ">Control commission</option>" in form


def test_a_member_of_another_council_is_offered_no_form(federation: None) -> None:
    page = client_for("ivan").get("/councils/C3").content.decode()
    assert 'action="/act/call_election"' not in page


def test_a_member_calls_a_secret_approval_election_with_her_trustees(federation: None) -> None:
    response = call(
        "clara",
        method="approval",
        ballot_mode="secret",
        trustees=["karl", "leo"],
        threshold="2",
    )
    assert response.status_code == 302 and response["Location"] == "/councils/C3"
    election = latest_election()
    assert (election.office, election.method, election.ballot_mode) == (
        "secretary",
        "approval",
        "secret",
    )
    sb = current_state().secret[election.id]
    assert (sb.trustees, sb.threshold) == (["karl", "leo"], 2)
    page = client_for("clara").get("/councils/C3").content.decode()
    assert "Approval (mark every candidate you accept)" in page and "secret ballot</span>" in page


def test_an_open_election_is_called_with_the_default_method_and_no_threshold(
    federation: None,
) -> None:
    response = call("clara", method="", ballot_mode="open", threshold="")
    assert response.status_code == 302
    election = latest_election()
    assert (election.method, election.ballot_mode) == ("plurality", "open")
    assert election.id not in current_state().secret


@pytest.mark.parametrize(
    ("fields", "status", "code", "words"),
    [
        (
            {"office": "executive", "ballot_mode": "secret", "trustees": ["karl", "leo"]},
            422,
            "secret_ranked_unavailable",
            "Choose approval or plurality for a secret ballot",
        ),
        (
            {"method": "approval", "ballot_mode": "secret", "threshold": "2"},
            422,
            "no_trustees",
            "A secret ballot needs trustees",
        ),
        (
            {"method": "approval", "ballot_mode": "secret", "trustees": ["karl"], "threshold": "2"},
            422,
            "bad_threshold",
            "a whole number from 1 to 1",
        ),
        (
            {"method": "approval", "ballot_mode": "secret", "trustees": ["karl"], "threshold": ""},
            422,
            "bad_threshold",
            "a whole number from 1 to 1",
        ),
        (
            {"office": "executive", "method": "plurality"},
            422,
            "method_single_seat",
            "Plurality (one mark) elects one person",
        ),
        ({"office": ""}, 422, "unknown_office", "Name the office"),
        ({"threshold": "two"}, 400, "bad_number", "threshold must be a whole number"),
    ],
)
def test_a_refused_election_says_why_on_the_page_and_changes_nothing(
    federation: None, fields: dict[str, Any], status: int, code: str, words: str
) -> None:
    before = Entry.objects.count()
    response = call("clara", **fields)
    page = html.unescape(response.content.decode())
    assert response.status_code == status, page
    assert "That was not done" in page and words in page and f"<code>{code}</code>" in page
    assert 'href="/councils/C3">Go back' in page
    assert Entry.objects.count() == before


def test_a_member_of_another_council_cannot_call_its_election(federation: None) -> None:
    before = Entry.objects.count()
    response = call("ivan", method="approval", ballot_mode="secret", trustees=["ivan"])
    assert response.status_code == 403
    assert "Only the members of Dockers can call its elections." in response.content.decode()
    assert Entry.objects.count() == before


# --- Task B: a member is told to register a credential before the roll freezes -------------


@pytest.fixture
def secret_election(federation: None) -> str:
    execute(
        c.CallElection("clara", "C3", "office", "executive", "approval", "secret", rite.TRUSTEES, 2)
    )
    election = latest_election()
    execute(c.Nominate("clara", election.id, "clara"))
    return str(election.id)


def notice(who: str, url: str = "/") -> str:
    page = html.unescape(client_for(who).get(url).content.decode())
    if 'id="credential-due"' not in page:
        return ""
    return page.split('id="credential-due"', 1)[1].split("</section>", 1)[0]


def test_home_tells_a_voter_without_a_credential_when_to_register(secret_election: str) -> None:
    closes = current_state().elections[secret_election].nominations_close
    found = notice("leo")
    assert f"Election {secret_election}: executive committee of Dockers" in found
    assert f"register before {when(closes)}: nominations close then" in found
    assert f'href="/booth/{secret_election}#h-credential">Register my voting credential' in found


def test_home_tells_a_member_of_another_council_nothing(secret_election: str) -> None:
    assert notice("ivan") == ""


def test_home_stops_telling_her_once_she_has_registered(secret_election: str) -> None:
    assert notice("leo")
    execute(c.RegisterCredential("leo", bytes(rite.credential(2).verify_key).hex()))
    assert notice("leo") == ""
    assert notice("nadia")


def test_the_booth_tells_her_the_deadline_beside_the_button(secret_election: str) -> None:
    closes = current_state().elections[secret_election].nominations_close
    page = html.unescape(client_for("vera").get(f"/booth/{secret_election}").content.decode())
    assert f"Register your voting credential before {when(closes)}" in page
    assert 'id="make-credential"' in page
    other = client_for("ivan").get(f"/booth/{secret_election}").content.decode()
    assert "Register your voting credential" not in other and 'id="not-a-voter"' in other


def test_once_the_roll_is_frozen_nobody_is_told_to_register(secret_election: str) -> None:
    """GIVEN karl, ivan and olga finish the key ceremony while nadia has no credential, THEN
    neither her home nor the booth tells her to register: it is too late for this ballot."""
    for who, seed in (("clara", 3), ("leo", 2)):
        execute(c.RegisterCredential(who, bytes(rite.credential(seed).verify_key).hex()))
    clock.advance(hours=1)
    assert "at any moment" in notice("nadia")
    execute(c.PublishManifest("vera", secret_election))
    rite.ceremony(current_state, execute, secret_election)
    assert current_state().secret[secret_election].phase == "voting"
    assert notice("nadia") == ""
    page = client_for("nadia").get(f"/booth/{secret_election}").content.decode()
    assert "Register your voting credential" not in page


def test_home_lists_every_secret_ballot_she_must_register_for_in_words(
    secret_election: str,
) -> None:
    """GIVEN a secret election, a secret motion filed and a secret recall petition open in
    the Dockers, THEN nadia's home lists all three, each with its own deadline."""
    execute(c.FileMotion("clara", "C3", "Strike fund", "Dues.", None, "secret", rite.TRUSTEES, 2))
    mandate = next(m for m in current_state().active_mandates(holder="rosa"))
    execute(c.OpenRecall("clara", mandate.id, "Broke the mandate.", "secret", rite.TRUSTEES, 2))
    found = notice("nadia")
    assert found.count("<li>") == 3
    assert "Motion: Strike fund</a>: register before the motion's vote opens: 1 hour" in found
    assert "Recall ballot: Rosa</a>: register now: the recall ballot opens as soon as" in found
    assert f"Election {secret_election}: executive committee of Dockers</a>" in found
    assert "Secret ballots you may vote in need a voting credential" in found
