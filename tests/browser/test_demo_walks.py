"""The demo, walked in Chromium as its personas: the secret strike ballot in the booth, the
case waiting for its hearing before the Dockers' control commission, and the Dockers' debate
in which only the chair gives the floor.

GIVEN the demo federation (``smolny demo``), WHEN a persona acts only through the pages, THEN
what she sees is what the README's tour says and the record holds her act; and in each twin
the wrong person tries the same thing and is refused with a message she can act on, with
nothing recorded.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings

from smolny.demo import PASSWORD, seed_demo
from smolny.demo import cast as k
from smolny.demo.debate import TITLE as DEBATED
from smolny.demo.secret import VOTER_DIR
from smolny.readmodels.models import CaseRow, DebateRow, MotionRow, SpeakerRow
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, forget

from .axe import assert_no_serious_axe_violations
from .scene import done, post_form, record, refused
from .scene import sign_in as sign_in_with


def sign_in(page: Any, base: str, who: str) -> None:
    sign_in_with(page, base, who, PASSWORD)  # the demo's password, not the test personas'


pytestmark = pytest.mark.django_db(transaction=True)

STRIKE_BALLOT = "Refuse overtime on understaffed night shifts"


@pytest.fixture
def demo(live_server: Any) -> str:
    forget()
    seed_demo(fresh=True)
    return str(live_server.url)


def strike_ballot() -> str:
    return next(sb.subject for sb in current_state().secret.values() if sb.kind == "motion")


def open_case() -> str:
    return str(CaseRow.objects.get(decision__isnull=True).key)


# --- the booth ------------------------------------------------------------------------------------


def test_amara_encrypts_audits_and_casts_in_the_strike_ballot_and_finds_her_tracker(
    page: Any, demo: str
) -> None:
    sign_in(page, demo, k.CONSTITUENT)
    # Her home lists the ballot she can cast; the motion's page says it is secret and why
    # its trustees are on the server.
    page.get_by_role("link", name=f"Motion: {STRIKE_BALLOT}").click()
    main = page.locator("main").inner_text()
    assert "This is a secret ballot" in main and "roll-call vote" not in main
    assert "trustees are simulated on the server, because this is a demo" in main
    page.get_by_role("link", name="Open the voting booth").click()
    page.wait_for_selector("#booth-ready", state="visible")
    # Her credential was registered before voting opened; this browser does not hold it, and
    # the page says so (and, in the demo, where its file is) before she marks anything.
    assert (
        "This browser does not hold its secret" in page.locator("#credential-status").inner_text()
    )
    assert "demo-voters" in page.locator("#demo-credential").inner_text()
    assert_no_serious_axe_violations(page)
    page.set_input_files(
        "#import-credential", str(settings.DATA_DIR / VOTER_DIR / f"{k.CONSTITUENT}.json")
    )
    page.wait_for_function(
        "document.getElementById('credential-status').textContent.includes('now holds')"
    )

    # Benaloh: she audits one ballot (it shows what this browser encrypted, and is spoiled) ...
    page.get_by_label("yes", exact=True).check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.wait_for_selector("#sealed", state="visible")
    audited = page.locator("#tracker").inner_text()
    page.get_by_role("button", name="Audit it instead (spoil it)").click()
    assert "this device encrypted yes" in page.locator("#audit-result").inner_text()
    # ... then encrypts again and casts.
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.wait_for_selector("#sealed", state="visible")
    tracker = page.locator("#tracker").inner_text()
    assert tracker != audited
    page.get_by_role("button", name="Cast this ballot").click()
    page.wait_for_selector("#receipt", state="visible")
    assert tracker in page.locator("#receipt").inner_text()

    # The record holds her ballot under that tracker, and never the audited one.
    subject = strike_ballot()
    mine = [b for b in current_state().secret[subject].ballots if b["member"] == k.CONSTITUENT]
    assert [b["tracker"] for b in mine] == [tracker]
    assert audited not in {b["tracker"] for b in current_state().secret[subject].ballots}
    # The ballot box finds it.
    page.get_by_role("link", name="Find it in the ballot box").click()
    status = page.locator("[role=status]").inner_text()
    assert tracker in status and "cast by Amara Nwosu" in status and "it will be counted" in status
    assert_no_serious_axe_violations(page)


def test_a_member_of_another_council_cannot_vote_in_the_strike_ballot_and_nothing_is_recorded(
    page: Any, demo: str
) -> None:
    subject = strike_ballot()
    sign_in(page, demo, k.OTHER_MEMBER)
    page.goto(f"{demo}/booth/{subject}")
    page.wait_for_selector("#booth-ready", state="visible")
    # The booth tells her why there is nothing to cast, and offers no ballot.
    assert "Only the voters of Harbour Nurses vote in this ballot" in (
        page.locator("#not-a-voter").inner_text()
    )
    assert page.locator("#ballot-form").count() == 0
    assert_no_serious_axe_violations(page)
    # A ballot sent anyway (a hand-made request) is refused, saying why; nothing is recorded.
    before = record()
    ballot = current_state().secret[subject].ballots[0]["ballot"]
    answer = page.evaluate(
        """async ([url, ballot]) => {
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(url, {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
                body: JSON.stringify({ballot})});
            return [r.status, await r.json()];
        }""",
        [f"/booth/{subject}/cast", ballot],
    )
    status, problem = answer
    assert status == 403 and problem["code"] == "not_a_voter"
    assert "Only the members of Harbour Nurses can vote on it" in problem["detail"]
    assert record() == before


# --- a case -------------------------------------------------------------------------------------


def test_a_commissioner_records_the_hearing_and_votes_on_the_open_case(
    page: Any, demo: str
) -> None:
    case = open_case()
    sign_in(page, demo, k.COMMISSIONER)
    page.goto(f"{demo}/federation")
    page.get_by_role("link", name=k.DOCKERS).first.click()
    page.get_by_role("link", name="Cases").click()
    listed = page.locator("main").inner_text()
    assert "Oksana Bilyk" in listed and "Dismiss" in listed and "Warning until" in listed
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name=case).click()
    main = page.locator("main").inner_text()
    assert "Her time to reply before any hearing ended" in main
    assert "Not decided yet" in main
    page.get_by_label("Minutes of the hearing").fill(
        "Heard with the respondent and the member who filed the charge. The envelope was "
        "opened in front of both: £145, as charged."
    )
    page.get_by_role("button", name="Record the hearing").click()
    done(page)
    assert page.locator("#stage").inner_text() == "heard"
    until = (clock.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    page.get_by_label("Warning").check()
    page.get_by_label("End date of the sanction (every sanction has one)").fill(until)
    page.get_by_label("Reasons (published)").fill("Kept safe and signed for, but not paid in.")
    page.get_by_role("button", name="Cast my vote").click()
    done(page)
    assert "Oksana Bilyk: warning until" in page.locator("main").inner_text()
    assert "you may change it until the case is decided" in page.locator("main").inner_text()
    assert_no_serious_axe_violations(page)
    heard = Entry.objects.get(type="case_heard", actor=k.COMMISSIONER)
    assert json.loads(bytes(heard.body))["data"]["case"] == case
    assert CaseRow.objects.get(key=case).votes[k.COMMISSIONER]["outcome"] == "warning"


def test_a_member_who_is_not_a_commissioner_cannot_hear_the_case_and_nothing_is_recorded(
    page: Any, demo: str
) -> None:
    case = open_case()
    sign_in(page, demo, k.CONSTITUENT)
    page.goto(f"{demo}/cases/{case}")
    # The page offers her no hearing form ...
    assert page.get_by_label("Minutes of the hearing").count() == 0
    # ... and the form sent anyway is refused, saying who can hear it.
    before = record()
    post_form(page, "/act/record_hearing", {"case": case, "minutes": "Heard."})
    refused(page, "Only the control commission of Harbour Dockers can hear this case")
    assert_no_serious_axe_violations(page)
    assert record() == before
    assert CaseRow.objects.get(key=case).stage == "replied"


# --- the debate ---------------------------------------------------------------------------------


def debated() -> str:
    return str(MotionRow.objects.get(title=DEBATED).key)


def test_the_chair_gives_the_floor_to_the_speaker_the_rules_designate(page: Any, demo: str) -> None:
    motion = debated()
    sign_in(page, demo, k.CHAIR)
    page.goto(f"{demo}/motions/{motion}")
    assert "overturned by the floor" in page.locator("#rulings").inner_text()
    assert "Sven Laine" in page.locator("#speaker-list").inner_text()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Give the floor to Sven Laine, the next speaker").click()
    done(page)
    assert "Sven Laine has the floor, speaking against the motion on behalf of Mandate First" in (
        page.locator("#floor").inner_text()
    )
    row = DebateRow.objects.get(key=motion)
    assert row.speaking is not None
    assert SpeakerRow.objects.get(key=row.speaking).member == "sven.laine"


def test_a_docker_who_is_not_the_chair_cannot_give_the_floor_and_nothing_is_recorded(
    page: Any, demo: str
) -> None:
    motion = debated()
    sign_in(page, demo, k.COMMISSIONER)
    page.goto(f"{demo}/motions/{motion}")
    # She may ask to speak; no floor is hers to give.
    assert page.get_by_role("button", name="Ask to speak").count() == 1
    assert (
        page.get_by_role("button", name="Give the floor to Sven Laine, the next speaker").count()
        == 0
    )
    before = record()
    post_form(page, "/act/give_floor", {"motion": motion})
    refused(page, "Only the chair of Harbour Dockers (Tomás Reyes) can give the floor")
    assert record() == before
    assert DebateRow.objects.get(key=motion).speaking is None
