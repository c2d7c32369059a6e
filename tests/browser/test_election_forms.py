"""Calling an election from the council page, and registering a voting credential before a
secret ballot's roll freezes, walked in Chromium; each scene has its wrong-person twin, and
every page visited passes axe.

GIVEN the Harbour federation (tests/harbour.py): clara, leo, nadia and vera are dockers (C3),
karl their second delegate, ivan a teacher (C4), a member of another council.
"""

from __future__ import annotations

from typing import Any

import harbour
import pytest

from smolny.constitution import commands as c
from smolny.constitution.words import when
from smolny.store.service import current_state, execute

from .axe import assert_no_serious_axe_violations
from .scene import done, post_form, record, refused, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def open_the_form(page: Any, base: str) -> None:
    page.goto(f"{base}/councils/C3")
    page.get_by_text("Call an election for vacant seats").click()


def test_a_member_calls_a_secret_election_choosing_the_method_and_trustees(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    open_the_form(page, base)
    # The form says, beside each choice, what it means; the trustees' command-line work too.
    form = page.locator("form[action='/act/call_election']")
    assert "Single transferable vote (Scottish rules)" in form.inner_text()
    assert "smolny trustee init" in form.inner_text()
    assert page.get_by_label("Let the constitution choose").is_checked()
    assert page.get_by_label("Open ballot (a roll call)").is_checked()
    assert_no_serious_axe_violations(page)

    page.get_by_label("For", exact=True).select_option("office")
    page.get_by_label("Office (if an office)").select_option("secretary")
    page.get_by_label("Approval (mark every candidate you accept)").check()
    page.get_by_label("Secret ballot", exact=True).check()
    page.get_by_label("Karl", exact=True).check()
    page.get_by_label("Leo", exact=True).check()
    page.get_by_label("Nadia", exact=True).check()
    page.get_by_label("How many trustees must take part to decrypt the result").fill("2")
    page.get_by_role("button", name="Call the election").click()
    done(page)

    state = current_state()
    election = state.elections[f"E{state.counters['E']}"]
    assert (election.office, election.method, election.ballot_mode) == (
        "secretary",
        "approval",
        "secret",
    )
    sb = state.secret[election.id]
    assert (sb.trustees, sb.threshold) == (["karl", "leo", "nadia"], 2)
    # Back on the council page, the election is listed with its method in words.
    row = page.locator("tr", has_text=election.id).inner_text()
    assert "Approval (mark every candidate you accept)" in row and "secret ballot" in row
    assert_no_serious_axe_violations(page)


def test_a_choice_the_constitution_refuses_comes_back_in_words_and_nothing_changes(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    open_the_form(page, base)
    before = record()
    # A secret ballot for the executive committee, leaving the method to the constitution:
    # several seats, so ranked (STV), which cannot be secret.
    page.get_by_label("For", exact=True).select_option("office")
    page.get_by_label("Office (if an office)").select_option("executive")
    page.get_by_label("Secret ballot", exact=True).check()
    page.get_by_label("Karl", exact=True).check()
    page.get_by_label("Leo", exact=True).check()
    page.get_by_role("button", name="Call the election").click()
    refused(page, "Choose approval or plurality for a secret ballot")
    assert_no_serious_axe_violations(page)
    assert record() == before


def test_a_member_of_another_council_is_offered_no_form_and_is_refused(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "ivan")
    page.goto(f"{base}/councils/C3")
    assert page.get_by_text("Call an election for vacant seats").count() == 0
    before = record()
    post_form(
        page,
        "/act/call_election",
        {
            "council": "C3",
            "kind": "office",
            "office": "secretary",
            "method": "approval",
            "ballot_mode": "secret",
            "trustees": "ivan",
            "threshold": "1",
        },
    )
    refused(page, "Only the members of Dockers can call its elections")
    assert_no_serious_axe_violations(page)
    assert record() == before


def secret_election() -> str:
    execute(
        c.CallElection(
            "clara", "C3", "office", "secretary", "approval", "secret", ("karl", "ivan"), 2
        )
    )
    state = current_state()
    return f"E{state.counters['E']}"


def test_home_tells_her_to_register_a_credential_and_the_booth_lets_her(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    subject = secret_election()
    closes = when(current_state().elections[subject].nominations_close)
    sign_in(page, base, "leo")
    notice = page.locator("#credential-due")
    assert f"Election {subject}: secretary of Dockers" in notice.inner_text()
    assert f"register before {closes}: nominations close then" in notice.inner_text()
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Register my voting credential in the voting booth").click()
    page.get_by_text("The booth is ready.").wait_for()
    assert (
        f"Register your voting credential before {closes}"
        in page.locator("#credential-status").inner_text()
    )
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Make my credential").click()
    page.get_by_text("is registered").wait_for()
    assert "leo" in current_state().credentials

    page.goto(f"{base}/")
    assert page.locator("#credential-due").count() == 0
    assert_no_serious_axe_violations(page)


def test_a_member_of_another_council_is_not_told_to_register(page: Any, live_server: Any) -> None:
    harbour.seed()
    base = live_server.url
    subject = secret_election()
    sign_in(page, base, "olga")
    assert page.locator("#credential-due").count() == 0
    page.goto(f"{base}/booth/{subject}")
    page.get_by_text("The booth is ready.").wait_for()
    assert "Register your voting credential" not in page.locator("main").inner_text()
    assert page.locator("#not-a-voter").count() == 1
    assert_no_serious_axe_violations(page)
    assert "olga" not in current_state().credentials


def test_only_the_elections_the_rules_would_call_are_offered(page: Any, live_server: Any) -> None:
    """GIVEN the Dockers' delegation elected (rosa and karl) and no office filled, THEN clara
    is offered the offices, not the delegation; with the chair up for election, not the chair;
    with every office up for election, no form at all but a sentence saying why and when she
    can call one; a call sent anyway is refused with nothing recorded; ivan, a teacher, is
    offered nothing on the Dockers' page."""
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    open_the_form(page, base)
    kinds = page.get_by_label("For", exact=True).locator("option").all_inner_texts()
    assert kinds == ["An office"]
    offices = page.get_by_label("Office (if an office)").locator("option").all_inner_texts()
    assert offices == ["—", "Chair", "Secretary", "Executive committee", "Control commission"]

    execute(c.CallElection("leo", "C3", "office", "chair"))
    open_the_form(page, base)
    offices = page.get_by_label("Office (if an office)").locator("option").all_inner_texts()
    assert "Chair" not in offices and "Secretary" in offices

    for office in ("secretary", "executive", "control_commission"):
        execute(c.CallElection("leo", "C3", "office", office))
    page.goto(f"{base}/councils/C3")
    assert page.get_by_text("Call an election for vacant seats").count() == 0
    said = page.locator("#no-vacancy").inner_text()
    assert "is held or already up for election, so there is no election to call" in said
    assert "by term, resignation or recall; any member can then call one here" in said
    assert_no_serious_axe_violations(page)
    before = record()
    post_form(page, "/act/call_election", {"council": "C3", "kind": "delegate", "office": ""})
    refused(page, "A held seat falls vacant by term, resignation or recall.")
    assert record() == before

    sign_in(page, base, "ivan")
    page.goto(f"{base}/councils/C3")
    assert page.get_by_text("Call an election for vacant seats").count() == 0
    assert page.locator("#no-vacancy").count() == 0
