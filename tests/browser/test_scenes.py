"""The central scenes of the council democracy, played in Chromium against a live server.

GIVEN the Harbour federation (see harbour.py), WHEN members act only through the pages,
THEN the rules act by themselves (recall ballot opening, agenda placement, by-election) and
every step is in the public record.
"""

from __future__ import annotations

from typing import Any

import harbour
import pytest

from smolny.constitution import commands as c
from smolny.readmodels.models import MandateRow
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import execute

from .axe import assert_no_serious_axe_violations
from .scene import done, post_form, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_recall_carries_and_a_by_election_seats_a_new_delegate(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    rosa_mandate = MandateRow.objects.get(holder="rosa", active=True).key

    # Clara opens a recall petition against her base council's delegate.
    sign_in(page, base, "clara")
    page.goto(f"{base}/councils/C3")
    assert_no_serious_axe_violations(page)
    page.locator(f"details:has(#grounds-{rosa_mandate}) summary").click()
    page.get_by_label("Grounds for recalling Rosa").fill(
        "She voted against the strike mandate we gave her."
    )
    page.get_by_role("button", name="Open the petition").click()
    done(page)
    recall_url = f"{base}/recalls/R1"

    # Leo signs: two of six is the recall share (1/3), so the ballot opens by the rules alone.
    sign_in(page, base, "leo")
    page.goto(recall_url)
    page.get_by_role("button", name="Sign the petition").click()
    done(page)
    page.goto(recall_url)
    assert "Recall ballot" in page.content()

    # Four of six vote yes: a majority of the constituency, so it carries at once.
    for voter in ("clara", "leo", "nadia", "vera"):
        sign_in(page, base, voter)
        page.goto(recall_url)
        page.get_by_label("Yes, recall").check()
        page.get_by_role("button", name="Cast my vote").click()
        done(page)
    page.goto(recall_url)
    assert "Outcome: carried" in page.content()
    assert not MandateRow.objects.get(key=rosa_mandate).active

    # The by-election: Nadia stands; the dockers vote; it is counted.
    page.goto(f"{base}/councils/C3")
    page.get_by_role("link", name="E3").click()
    page.wait_for_url("**/elections/E3")  # the click returns once the navigation has begun
    assert "by-election" in page.content()
    page.get_by_label("Nominate (yourself or another voter)").select_option("nadia")
    page.get_by_role("button", name="Nominate").click()
    done(page)
    clock.advance(hours=1)
    for voter in ("nadia", "clara", "leo", "vera"):
        sign_in(page, base, voter)
        page.goto(f"{base}/elections/E3")
        page.get_by_label("Nadia").check()
        page.get_by_role("button", name="Cast my ballot").click()
        done(page)
    assert_no_serious_axe_violations(page)
    clock.advance(hours=2)
    page.goto(f"{base}/elections/E3")
    page.get_by_role("button", name="Close and count").click()
    done(page)
    page.goto(f"{base}/elections/E3")
    assert "Elected:" in page.content() and "Nadia" in page.locator("#h-result + p").inner_text()
    assert_no_serious_axe_violations(page)

    # The federation page shows the change in the district council.
    page.goto(f"{base}/federation")
    assert_no_serious_axe_violations(page)
    dockers = page.locator("li", has=page.get_by_role("link", name="Dockers", exact=True)).last
    text = dockers.inner_text()
    assert "Nadia" in text and "Rosa" not in text

    # The record lists every step.
    page.goto(f"{base}/record")
    listed = page.locator("table").inner_text()
    for step in (
        "recall_opened",
        "recall_signed",
        "recall_ballot_opened",
        "recall_voted",
        "recall_carried",
        "mandate_ended",
        "election_called",
        "candidate_nominated",
        "ballot_cast",
        "election_closed",
        "mandate_started",
    ):
        assert step in listed, step
    assert Entry.objects.filter(type="mandate_started").count() == 5


def test_a_motion_reaches_the_agenda_by_itself_and_the_roll_call_reaches_constituents(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url

    # Karl, a delegate in the district, files a motion; Olga co-sponsors; at the share (1/3 of
    # four delegates rounds up to two) it goes on the agenda with no officer acting.
    sign_in(page, base, "karl")
    page.goto(f"{base}/councils/C2")
    page.locator("details:has(#mo-title) summary").click()
    page.get_by_label("Motion title").fill("Support the harbour strike fund")
    page.get_by_label("Motion text").fill("The district pledges a levy of one hour's pay a month.")
    page.get_by_role("button", name="File the motion").click()
    done(page)
    sign_in(page, base, "olga")
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="Co-sponsor").click()
    done(page)
    page.goto(f"{base}/motions/MO1")
    assert "status: on the agenda, not yet decided" in page.locator("main").inner_text()
    assert not Entry.objects.filter(type="motion_on_agenda").exclude(actor="olga").exists()

    # After the notice period the delegates vote by roll call.
    clock.advance(hours=1)
    page.goto(f"{base}/motions/MO1")
    assert_no_serious_axe_violations(page)
    for voter, choice in (("rosa", "Yes"), ("karl", "Yes"), ("ivan", "No"), ("olga", "Yes")):
        sign_in(page, base, voter)
        page.goto(f"{base}/motions/MO1")
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="Cast my vote").click()
        done(page)
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="Close the vote and declare the result").click()
    done(page)
    page.goto(f"{base}/motions/MO1")
    assert "Result: carried" in page.content()

    # Rosa's vote appears on the home page of Clara, one of the dockers who elected her.
    sign_in(page, base, "clara")
    assert_no_serious_axe_violations(page)
    votes = page.locator("section:has(#h-votes) table").inner_text()
    assert "Rosa" in votes and "Support the harbour strike fund" in votes and "yes" in votes
    # ... and not Ivan's, whom the teachers elected.
    assert "Ivan" not in votes


def test_a_refused_action_says_why_and_changes_nothing(page: Any, live_server: Any) -> None:
    harbour.seed()
    base = live_server.url
    execute(c.FileMotion("karl", "C2", "A motion", "Text."))
    execute(c.CoSponsor("olga", "MO1"))
    clock.advance(hours=1)
    before = list(Entry.objects.values_list("seq", "body"))
    # Ivan tries to close the vote before anyone has voted and before its deadline: the page
    # does not offer it (the rules would refuse), so he sends the request by hand.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/motions/MO1")
    assert page.get_by_role("button", name="Close the vote and declare the result").count() == 0
    post_form(page, "/act/close_vote", {"motion": "MO1"})
    assert "That was not done" in page.locator("main").inner_text()
    assert "unless every voter has voted" in page.locator("[role=alert]").inner_text()
    assert_no_serious_axe_violations(page)
    assert list(Entry.objects.values_list("seq", "body")) == before
