"""A recall walked in Chromium, as the delegate's constituents and the delegate see it.

GIVEN the Harbour federation (tests/harbour.py): the Dockers (C3: rosa, karl, clara, leo, nadia,
vera) send rosa and karl to the Harbour District; a third of the Dockers signing opens the
recall ballot (``recall_share`` 1/3), a majority voting yes carries it at once.
"""

from __future__ import annotations

from typing import Any

import harbour
import pytest

from smolny.readmodels.models import MandateRow, RecallRow

from .axe import assert_no_serious_axe_violations
from .scene import done, post_form, record, refused, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def rosas_mandate() -> str:
    return MandateRow.objects.get(holder="rosa", kind="delegate", active=True).key


def test_a_mandate_under_recall_links_to_its_petition_instead_of_offering_a_second_one(
    page: Any, live_server: Any
) -> None:
    """WHEN karl opens a recall of rosa from the Dockers' page, THEN the page shows, beside
    Rosa, the petition under way (a link to it), and no longer offers to open another one;
    Karl's own mandate still can be.  A second petition sent anyway (a stale page) is refused
    in words, naming no id; ivan, a teacher, cannot open one; nothing is recorded either time."""
    harbour.seed()
    base = live_server.url
    sign_in(page, base, "karl")
    page.goto(f"{base}/councils/C3")
    rosa = page.locator("#h-delegation + ul > li").filter(has_text="Rosa")
    rosa.get_by_text("Open a recall petition").click()
    page.get_by_label("Grounds for recalling Rosa").fill("She voted against our mandate.")
    rosa.get_by_role("button", name="Open the petition").click()
    page.wait_for_url(f"{base}/councils/C3")
    done(page)
    recall = RecallRow.objects.get(mandate=rosas_mandate())
    rosa = page.locator("#h-delegation + ul > li").filter(has_text="Rosa")
    assert rosa.get_by_text("Open a recall petition").count() == 0
    assert rosa.get_by_role("link", name="Recall petition open (1 signed)").count() == 1
    karl = page.locator("#h-delegation + ul > li").filter(has_text="Karl")
    assert karl.get_by_text("Open a recall petition").count() == 1
    assert_no_serious_axe_violations(page)
    rosa.get_by_role("link", name="Recall petition open (1 signed)").click()
    page.wait_for_url(f"{base}/recalls/{recall.key}")

    sign_in(page, base, "clara")
    page.goto(f"{base}/councils/C3")
    before = record()
    post_form(page, "/act/open_recall", {"mandate": rosas_mandate(), "grounds": "Again."})
    refused(page, "A recall of Rosa from this mandate is already open: sign its petition")
    assert recall.key not in page.locator("[role=alert]").inner_text()
    assert record() == before

    sign_in(page, base, "ivan")
    page.goto(f"{base}/councils/C3")
    assert page.get_by_text("Open a recall petition").count() == 0
    post_form(page, "/act/open_recall", {"mandate": rosas_mandate(), "grounds": "Again."})
    refused(page, "Dockers")
    assert record() == before


def test_a_carried_recall_leads_to_its_by_election_and_the_delegate_sees_it_in_words(
    page: Any, live_server: Any
) -> None:
    """WHEN karl opens a recall of rosa and clara signs (the ballot opens), THEN rosa's home
    names the mandate under recall in words (not its id); WHEN four dockers vote yes, THEN
    the recall carries at once and its page links to the by-election it called, which every
    docker's home lists by what it is for; ivan, a teacher, may not vote on it, and the vote
    he sends anyway is refused with nothing recorded."""
    harbour.seed()
    base = live_server.url
    mandate = rosas_mandate()
    sign_in(page, base, "karl")
    page.goto(f"{base}/councils/C3")
    page.get_by_text("Open a recall petition").first.click()
    page.get_by_label("Grounds for recalling Rosa").fill("She voted against our mandate.")
    page.get_by_role("button", name="Open the petition").first.click()
    page.wait_for_url(f"{base}/councils/C3")
    recall = RecallRow.objects.get(mandate=mandate).key
    sign_in(page, base, "clara")
    page.goto(f"{base}/recalls/{recall}")
    page.get_by_role("button", name="Sign the petition").click()
    page.get_by_role("heading", name="Recall ballot").wait_for()

    sign_in(page, base, "rosa")
    assert mandate not in page.locator("#h-recalls-of-me + ul").inner_text()
    assert page.get_by_role(
        "link", name="Recall of your mandate as delegate of Dockers to Harbour District"
    ).is_visible()
    assert_no_serious_axe_violations(page)

    sign_in(page, base, "ivan")
    page.goto(f"{base}/recalls/{recall}")
    assert page.get_by_role("button", name="Cast my vote").count() == 0
    before = record()
    post_form(page, "/act/vote_recall", {"recall": recall, "choice": "yes"})
    refused(page, "Dockers")
    assert record() == before

    for voter in ("karl", "clara", "leo", "nadia"):
        sign_in(page, base, voter)
        page.goto(f"{base}/recalls/{recall}")
        page.get_by_label("Yes, recall").check()
        page.get_by_role("button", name="Cast my vote").click()
        page.wait_for_url(f"{base}/recalls/{recall}")
        done(page)
    assert page.get_by_role("heading", name="Outcome: carried").is_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="A by-election was called").click()
    page.wait_for_url(f"{base}/elections/*")
    by_election = page.url.rsplit("/", 1)[1]
    assert page.get_by_role("heading").first.inner_text() == (
        f"Election {by_election}: delegates of Dockers to Harbour District"
    )
    page.goto(f"{base}/")
    assert page.get_by_role(
        "link", name=f"Election {by_election}: delegates of Dockers"
    ).is_visible()
    assert "(a by-election)" in page.locator("main").inner_text()
