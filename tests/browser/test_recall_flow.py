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
