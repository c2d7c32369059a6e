"""Auditing a ballot in the voting booth on a phone, in Chromium with the real cryptography.

GIVEN the Harbour federation (tests/harbour.py) and a secret approval election of the Dockers'
executive whose trustees (karl, ivan, olga) ran the key ceremony (tests/secret/rite.py), every
docker with a credential on the frozen roll, WHEN clara, on a 375 px wide phone, loads her
credential file, marks Nadia, encrypts and audits the ballot, THEN the booth says it encrypted
"Nadia" (the name the ballot showed her, not the member id ``nadia``), the page is no wider
than the phone, and nothing was cast; ivan, a teacher, is offered no ballot and the ballot
he sends anyway is refused with nothing recorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import harbour
import pytest

from smolny.constitution import commands as c
from smolny.store import clock
from smolny.store.service import current_state, execute
from tests.secret import rite

from .axe import assert_no_serious_axe_violations
from .scene import record, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = {who: rite.credential(n) for n, who in enumerate(harbour.DOCKERS, start=1)}


def credential_file(tmp_path: Path, who: str) -> Path:
    """The file the booth's "Download my credential" writes (``smolny voter init`` too)."""
    key = VOTERS[who]
    doc = {
        "public_key": bytes(key.verify_key).hex(),
        "seed": bytes(key).hex(),
        "type": "smolny-voter-credential",
    }
    path = tmp_path / f"{who}.json"
    path.write_text(json.dumps(doc))
    return path


def voting_opened(candidates: tuple[str, ...]) -> str:
    """Harbour, the Dockers' credentials registered, and a secret approval election of their
    executive committee with ``candidates``, its key ceremony done: voting is open."""
    harbour.seed()
    rite.register(execute, VOTERS)
    execute(
        c.CallElection("clara", "C3", "office", "executive", "approval", "secret", rite.TRUSTEES, 2)
    )
    election = f"E{current_state().counters['E']}"
    for who in candidates:
        execute(c.Nominate(who, election, who))
    clock.advance(hours=1)
    execute(c.PublishManifest("vera", election))
    rite.ceremony(current_state, execute, election)
    return election


def test_an_audited_ballot_names_the_candidate_and_fits_a_phone(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    base = live_server.url
    election = voting_opened(("clara", "leo", "nadia"))
    assert current_state().secret[election].phase == "voting"

    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, base, "clara")
    page.goto(f"{base}/booth/{election}")
    page.get_by_text("The booth is ready.").wait_for()
    page.get_by_label("Or use a credential file").set_input_files(
        str(credential_file(tmp_path, "clara"))
    )
    page.get_by_text("This browser now holds your registered credential.").wait_for()
    page.get_by_label("Nadia", exact=True).check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    tracker = page.locator("#tracker").inner_text()
    page.get_by_role("button", name="Audit it instead (spoil it)").click()
    audit = page.locator("#audit-result")
    audit.wait_for()
    assert audit.inner_text() == (
        f"Audited ballot {tracker}: this device encrypted Nadia. Its randomness is revealed, "
        "so it can never be cast; encrypt your ballot again to vote."
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_no_serious_axe_violations(page)
    assert current_state().secret[election].ballots == []  # an audited ballot is never cast

    # The wrong person: ivan, a teacher, has no ballot here, and one sent anyway is refused.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/booth/{election}")
    page.get_by_text("The booth is ready.").wait_for()
    assert page.get_by_role("button", name="Encrypt my ballot").count() == 0
    before = record()
    ballot = rite.ballot(current_state(), election, rite.credential(99), ["nadia"])
    answer = page.evaluate(
        """async ([url, subject, ballot]) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/);
            const r = await fetch(url, {method: 'POST', headers: {'Content-Type':
              'application/json', 'X-CSRFToken': token ? token[1] : ''},
              body: JSON.stringify({subject, ballot})});
            return [r.status, await r.text()];
        }""",
        [f"{base}/booth/{election}/cast", election, ballot],
    )
    assert answer[0] == 403 and json.loads(answer[1])["code"] == "not_a_voter", answer
    assert record() == before


def test_the_ballot_box_says_which_ballots_count_in_words_no_vote_could_be_read_from(
    page: Any, live_server: Any
) -> None:
    """GIVEN clara and leo have voted in the secret election, leo twice, THEN the ballot box
    says of each ballot that it will be counted or was superseded: its column read "Counts:
    yes" beside every ballot of a secret ballot, which a member reads as a yes vote."""
    base = live_server.url
    election = voting_opened(("nadia",))
    for who, seq in (("clara", 1), ("leo", 1), ("leo", 2)):
        ballot = rite.ballot(current_state(), election, VOTERS[who], ["nadia"], seq)
        execute(c.CastSecretBallot(who, election, ballot))
    page.goto(f"{base}/secret/{election}/ballots")
    statuses = page.locator("tbody tr td:last-child").all_inner_texts()
    assert statuses == ["will be counted", "superseded", "will be counted"]
    assert page.get_by_role("columnheader", name="Status").is_visible()
    assert_no_serious_axe_violations(page)
