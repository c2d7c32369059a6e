"""What a member trips over, walked in Chromium: each scene acts through the pages only, checks
what the member sees and what the record holds, and has its twin in which the wrong person
tries the same thing and is refused with a message she can act on, with nothing changed.

GIVEN the Harbour federation (tests/harbour.py): Dockers (C3) and Teachers (C4) under the
Harbour District (C2), whose delegates are rosa and karl (dockers), ivan and olga (teachers).
"""

from __future__ import annotations

from typing import Any

import harbour
import pytest

from smolny.constitution import commands as c
from smolny.readmodels.models import (
    ActRow,
    BallotRow,
    MandateRow,
    MemberRow,
    MotionRow,
    TendencyRow,
)
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import execute

from .axe import assert_no_serious_axe_violations
from .scene import done, post_form, record, refused, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_amendment_keeps_its_new_text_and_is_listed_on_the_motion_it_amends(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    execute(c.FileMotion("karl", "C2", "Support the harbour strike fund", "A levy of one hour."))

    # Ivan, a delegate in the district, proposes new text from the motion's page.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/motions/MO1")
    page.get_by_text("Propose an amendment").click()
    page.get_by_label("Why").fill("One hour is too much for part-timers.")
    page.get_by_label("The motion's new text").fill("A levy of half an hour's pay a month.")
    page.get_by_role("button", name="File the amendment").click()
    done(page)

    # The record holds the amendment's effect: carried, it would replace the text.
    amendment = MotionRow.objects.get(key="MO2")
    assert amendment.effect == {
        "kind": "amend_text",
        "motion": "MO1",
        "text": "A levy of half an hour's pay a month.",
    }
    # The motion's page, where she acted, lists it with how far it is from the agenda ...
    listed = page.locator("section:has(#h-amendments)").inner_text()
    assert "Amendment to: Support the harbour strike fund" in listed
    assert "1 of the 2 sponsors" in listed
    assert_no_serious_axe_violations(page)
    # ... and the amendment's page says, in words, what it amends and what it would do.
    page.get_by_role("link", name="Amendment to: Support the harbour strike fund").click()
    main = page.locator("main").inner_text()
    assert "An amendment to the motion Support the harbour strike fund" in main
    assert "is replaced by the text below" in main
    assert "A levy of half an hour's pay a month." in main
    assert_no_serious_axe_violations(page)


def test_a_member_of_another_council_cannot_amend_and_nothing_is_recorded(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    execute(c.FileMotion("karl", "C2", "Support the harbour strike fund", "A levy of one hour."))
    # Clara is a docker, not a delegate in the district: the page offers her no amendment ...
    sign_in(page, base, "clara")
    page.goto(f"{base}/motions/MO1")
    assert page.get_by_text("Propose an amendment").count() == 0
    # ... and the form sent anyway is refused, saying why.
    before = record()
    post_form(
        page,
        "/act/file_motion",
        {
            "council": "C2",
            "title": "Amendment",
            "text": "Why",
            "effect.kind": "amend_text",
            "effect.motion": "MO1",
            "effect.text": "Another text.",
        },
    )
    refused(page, "Harbour District")
    assert_no_serious_axe_violations(page)
    assert record() == before


def test_a_visitor_who_presses_a_button_signs_in_and_is_back_where_the_button_is(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    execute(c.FileMotion("karl", "C2", "A motion", "Text."))
    execute(c.CoSponsor("olga", "MO1"))
    clock.advance(days=30)  # the vote's time is up: a member may close it now
    before = record()

    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="Close the vote and declare the result").click()
    page.wait_for_load_state()
    # Sent to sign in, told why, and nothing was done in her name.
    assert "/signin" in page.url
    assert "Sign in first" in page.locator(".messages").inner_text()
    assert record() == before
    assert_no_serious_axe_violations(page)
    page.get_by_label("Member id").fill("ivan")
    page.get_by_label("Password").fill(harbour.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    # Back on the motion, where the button is, not on a bare "405 Method Not Allowed".
    assert page.url == f"{base}/motions/MO1"
    assert page.get_by_role("button", name="Close the vote and declare the result").count() == 1
    assert record() == before
    # An action's address opened as a link does nothing either, and lands somewhere useful.
    response = page.goto(f"{base}/act/close_vote")
    assert response is not None and response.ok and page.url == f"{base}/"
    assert record() == before


def test_leaving_needs_a_confirmation_and_transfer_offers_only_other_councils(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    assert_no_serious_axe_violations(page)
    options = page.get_by_label("Transfer to").locator("option").all_inner_texts()
    assert "Dockers" not in options and "Teachers" in options

    # One press of "Leave" does not end her membership: the page asks her to confirm first.
    page.get_by_text("Leave the federation", exact=True).first.click()
    before = record()
    page.get_by_role("button", name="Leave the federation").click()
    assert page.url == f"{base}/" and record() == before
    assert MemberRow.objects.get(key="clara").active
    page.get_by_label("I want to leave the federation").check()
    page.get_by_role("button", name="Leave the federation").click()
    done(page)
    assert not MemberRow.objects.get(key="clara").active
    assert Entry.objects.filter(type="member_left", actor="clara").count() == 1
    assert "not a member of the federation any more" in page.locator("main").inner_text()


def test_a_transfer_to_her_own_council_is_refused_and_changes_nothing(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    before = record()
    post_form(page, "/act/transfer", {"council": "C3"})
    refused(page, "You are already a member of Dockers.")
    assert record() == before and MemberRow.objects.get(key="clara").council == "C3"


def test_a_delegate_resigns_from_her_home_page_and_no_one_else_can(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    mandate = MandateRow.objects.get(holder="rosa", active=True).key

    # Clara cannot resign Rosa's mandate for her.
    sign_in(page, base, "clara")
    before = record()
    post_form(page, "/act/resign", {"mandate": mandate})
    refused(page, "Only the holder of a mandate can resign it.")
    assert record() == before and MandateRow.objects.get(key=mandate).active

    # Rosa can, from her home page, once she confirms.
    sign_in(page, base, "rosa")
    page.get_by_text("Resign this mandate", exact=True).click()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Resign").click()
    assert MandateRow.objects.get(key=mandate).active  # not confirmed: nothing sent
    page.get_by_label("I resign this mandate").check()
    page.get_by_role("button", name="Resign").click()
    done(page)
    assert not MandateRow.objects.get(key=mandate).active
    assert "Resign this mandate" not in page.locator("main").inner_text()


def test_a_tendency_is_founded_with_co_founders_chosen_by_name(page: Any, live_server: Any) -> None:
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    page.goto(f"{base}/councils/C3/tendencies")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Tendency name").fill("Rank and File")
    page.get_by_label("Platform").fill("The union belongs to the people on the quay.")
    page.get_by_label("Co-founder 1").select_option(label="Leo")
    page.get_by_label("Co-founder 2").select_option(label="Nadia")
    # She is a founder already, and only members of the Dockers are offered.
    offered = page.get_by_label("Co-founder 3").locator("option").all_inner_texts()
    assert "Clara" not in offered and "Ivan" not in offered and "Vera" in offered
    page.get_by_role("button", name="File the founding").click()
    done(page)
    tendency = TendencyRow.objects.get(name="Rank and File")
    assert tendency.founders == ["clara", "leo", "nadia"] and tendency.status == "forming"

    # A teacher is not in the Dockers' scope: no form, and the founding sent anyway is refused.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/councils/C3/tendencies")
    assert page.get_by_role("button", name="File the founding").count() == 0
    before = record()
    post_form(
        page,
        "/act/propose_tendency",
        {"scope": "C3", "name": "Outsiders", "platform": "P", "founders": "pavel"},
    )
    assert "That was not done" in page.locator("main").inner_text()
    assert record() == before


def _a_chair_with_a_power_who_acted() -> None:
    """Clara is elected chair of the Dockers, the council grants the chair the power to issue
    statements, and she issues one (executive act A1)."""
    execute(c.CallElection("clara", "C3", "office", office="chair"))
    execute(c.Nominate("clara", "E3", "clara"))
    clock.advance(hours=1)
    for voter in harbour.DOCKERS:
        execute(c.CastBallot(voter, "E3", ("clara",)))
    execute(c.CloseElection("clara", "E3"))
    execute(
        c.FileMotion(
            "clara",
            "C3",
            "Let the chair speak",
            "Between meetings.",
            {"kind": "grant_power", "office": "chair", "power": "issue_statement"},
        )
    )
    execute(c.CoSponsor("leo", "MO1"))
    clock.advance(hours=1)
    for voter in harbour.DOCKERS:
        execute(c.CastVote(voter, "MO1", "yes"))
    execute(c.CloseVote("clara", "MO1"))
    execute(
        c.PerformAct("clara", "C3", "chair", "issue_statement", "Statement on the lockout", "No.")
    )


def test_a_member_moves_to_reverse_an_executive_act_from_the_council_page(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    _a_chair_with_a_power_who_acted()
    base = live_server.url
    act = ActRow.objects.get()

    sign_in(page, base, "leo")
    page.goto(f"{base}/councils/C3")
    acts = page.locator("section:has(#h-acts)")
    assert "Statement on the lockout" in acts.inner_text() and "Clara" in acts.inner_text()
    acts.get_by_text("Move to reverse this act").click()
    assert_no_serious_axe_violations(page)
    acts.get_by_label("Why it should be reversed").fill("The council never discussed it.")
    acts.get_by_role("button", name="File the motion to reverse it").click()
    done(page)
    motion = MotionRow.objects.get(key="MO2")
    assert motion.effect == {"kind": "reverse_act", "act": act.key}
    assert motion.title == "Reverse the act: Statement on the lockout"
    page.goto(f"{base}/motions/MO2")
    assert (
        "The executive act “Statement on the lockout” is reversed."
        in page.locator("#effect").inner_text()
    )

    # A teacher has no vote in the Dockers: no such form for him, and sent anyway it is refused.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/councils/C3")
    assert page.get_by_text("Move to reverse this act").count() == 0
    before = record()
    post_form(
        page,
        "/act/file_motion",
        {
            "council": "C3",
            "title": "Reverse",
            "text": "Why",
            "effect.kind": "reverse_act",
            "effect.act": act.key,
        },
    )
    refused(page, "Dockers")
    assert record() == before


def test_a_motion_granting_a_power_is_filed_from_choices_and_read_in_words(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    page.goto(f"{base}/councils/C3")
    page.get_by_text("Move to grant or take away a power").click()
    form = page.locator("form:has(#pw-kind)")
    form.get_by_label("What the motion does").select_option(label="grants a power")
    form.get_by_label("Office").select_option(label="Secretary")
    form.get_by_label("Power").select_option(label="Publish the minutes")
    form.get_by_label("Title of the motion").fill("Minutes for everyone")
    form.get_by_label("Why").fill("So that absent members can read them.")
    form.get_by_role("button", name="File the motion").click()
    done(page)
    motion = MotionRow.objects.get(key="MO1")
    assert motion.effect == {
        "kind": "grant_power",
        "office": "secretary",
        "power": "publish_minutes",
    }
    page.goto(f"{base}/motions/MO1")
    assert page.locator("#effect").inner_text() == (
        "The secretary of Dockers gets the power to publish the minutes."
    )
    assert_no_serious_axe_violations(page)


def test_a_signer_sees_her_signature_and_how_many_more_are_needed(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    mandate = MandateRow.objects.get(holder="rosa", active=True).key
    execute(c.OpenRecall("clara", mandate, "She voted against the mandate."))
    sign_in(page, base, "nadia")
    page.goto(f"{base}/recalls/R1")
    assert "1 more signature opens the recall ballot" in page.locator("main").inner_text()
    assert page.locator("#my-signature").count() == 0
    sign_in(page, base, "clara")
    page.goto(f"{base}/recalls/R1")
    assert "You signed this petition" in page.locator("#my-signature").inner_text()
    assert page.get_by_role("button", name="Sign the petition").count() == 0
    assert_no_serious_axe_violations(page)


PHONE_PAGES = (
    "/",
    "/federation",
    "/councils/C3",
    "/councils/C2",
    "/elections/E1",
    "/motions/MO1",
    "/recalls/R1",
    "/members/rosa",
    "/record",
    "/record/entries/3",
    "/health",
    "/rights",
    "/councils/C3/tendencies",
    "/councils/C3/charge",
    "/join",
    "/no-such-page",
)


def test_every_page_a_member_reaches_fits_a_phone_without_sideways_scrolling(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    mandate = MandateRow.objects.get(holder="rosa", active=True).key
    execute(c.OpenRecall("clara", mandate, "She voted against the mandate."))
    execute(c.FileMotion("karl", "C2", "Support the harbour strike fund", "A levy."))
    sign_in(page, base, "clara")
    page.set_viewport_size({"width": 375, "height": 800})
    wide = {}
    for path in PHONE_PAGES:
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[path] = width
    assert wide == {}, f"pages wider than a 375 px phone: {wide}"


def test_an_address_with_nothing_behind_it_says_so_and_offers_a_way_on(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    response = page.goto(f"{base}/motions/MO404")
    assert response is not None and response.status == 404
    assert "There is nothing at this address" in page.locator("h1").inner_text()
    page.get_by_role("link", name="See the federation and its councils").click()
    page.wait_for_url(f"{base}/federation")  # fails after its timeout if the link goes elsewhere
    assert_no_serious_axe_violations(page)


def test_a_ranked_ballot_shows_her_ranking_when_she_comes_back_to_change_it(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    execute(c.CallElection("clara", "C3", "office", office="executive"))
    for candidate in ("leo", "nadia", "vera", "clara"):
        execute(c.Nominate(candidate, "E3", candidate))
    clock.advance(hours=1)

    sign_in(page, base, "clara")
    page.goto(f"{base}/elections/E3")
    page.get_by_label("1st preference").select_option(label="Leo")
    page.get_by_label("2nd preference").select_option(label="Nadia")
    page.get_by_role("button", name="Cast my ballot").click()
    done(page)
    # The form she may change her vote with starts from the ballot she cast, not from blanks.
    assert page.get_by_label("1st preference").input_value() == "leo"
    assert page.get_by_label("2nd preference").input_value() == "nadia"
    assert page.get_by_label("3rd preference").input_value() == ""
    assert_no_serious_axe_violations(page)
    page.get_by_label("1st preference").select_option(label="Nadia")
    page.get_by_label("2nd preference").select_option(label="Leo")
    page.get_by_role("button", name="Cast my ballot").click()
    done(page)
    assert BallotRow.objects.get(owner="E3", member="clara").choices == ["nadia", "leo"]

    # A teacher has no vote in the Dockers' election: no ballot, and one sent anyway is refused.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/elections/E3")
    assert page.get_by_role("button", name="Cast my ballot").count() == 0
    before = record()
    post_form(page, "/act/cast_ballot", {"election": "E3", "choices": "leo"})
    refused(page, "Dockers")
    assert record() == before


def test_the_power_motion_names_the_offices_in_words(page: Any, live_server: Any) -> None:
    """GIVEN the Harbour federation, THEN the Dockers' form moving to grant or take away a power
    names each office as people write it ('Control commission', not 'Control_commission'),
    and a docker's motion filed with it names the office; a teacher is offered no such form
    on the Dockers' page and her motion sent anyway is refused with nothing recorded."""
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "clara")
    page.goto(f"{base}/councils/C3")
    page.get_by_text("Move to grant or take away a power").click()
    offices = page.get_by_label("Office", exact=True).locator("option").all_inner_texts()
    assert offices == ["Chair", "Secretary", "Executive committee", "Control commission"]
    assert_no_serious_axe_violations(page)
    page.get_by_label("Office", exact=True).select_option(label="Control commission")
    page.get_by_label("Title of the motion").fill("Let the commission publish its minutes")
    page.get_by_label("Why").fill("So that every member reads them.")
    page.get_by_role("button", name="File the motion").click()
    done(page)
    assert MotionRow.objects.get(key="MO1").effect["office"] == "control_commission"

    sign_in(page, base, "ivan")
    page.goto(f"{base}/councils/C3")
    assert page.get_by_text("Move to grant or take away a power").count() == 0
    before = record()
    post_form(
        page,
        "/act/file_motion",
        {
            "council": "C3",
            "effect.kind": "grant_power",
            "effect.office": "chair",
            "effect.power": "convene",
            "title": "Let the chair convene",
            "text": "A teacher's motion.",
        },
    )
    refused(page, "Dockers")
    assert record() == before
