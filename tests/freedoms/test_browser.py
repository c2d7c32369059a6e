"""The freedoms played in Chromium against a live server, through the pages only.

GIVEN Harbour with a code of rules and a control commission (seeded.py), WHEN members act
only through the pages, THEN a tendency gets the press right from its supporters alone and
publishes to the whole district with no officer acting, an officer cannot retract it, its own
retraction leaves it visible and marked; and a case runs its whole course to an appeal that
overturns it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from browser.axe import assert_no_serious_axe_violations
from browser.scene import done, sign_in

from smolny.readmodels.models import CaseRow, PublicationRow, TendencyRow
from smolny.store import clock
from smolny.store.models import Entry

from .seeded import elect, seed

pytestmark = pytest.mark.django_db(transaction=True)


def refused(page: Any, words: str) -> None:
    assert "That was not done" in page.content(), page.content()
    assert words in page.locator(".error").inner_text()


def test_a_tendency_reaches_the_press_right_and_publishes_to_the_district(
    page: Any, live_server: Any
) -> None:
    seed()
    elect("C2", "office", ["rosa"], ("rosa", "karl", "ivan", "olga"), office="chair")
    base = live_server.url

    # Karl files the founding with Clara as co-founder; she confirms on its page.
    sign_in(page, base, "karl")
    page.goto(f"{base}/councils/C2")
    page.get_by_role("link", name="Tendencies").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Tendency name").fill("Harbour Left")
    page.get_by_label("Platform").fill("A strike fund in every workplace.")
    page.get_by_label("Co-founder 1").select_option("clara")
    page.get_by_role("button", name="File the founding").click()
    done(page)
    tendency = TendencyRow.objects.get().key
    sign_in(page, base, "clara")
    page.goto(f"{base}/tendencies/{tendency}")
    page.get_by_role("button", name="Confirm I am a founder").click()
    done(page)

    # Three members support it privately: the press right (threshold 3) by the rules alone.
    for who in ("leo", "nadia", "ivan"):
        sign_in(page, base, who)
        page.goto(f"{base}/tendencies/{tendency}")
        page.get_by_role("button", name="Support this tendency").click()
        done(page)
    assert_no_serious_axe_violations(page)
    # Ivan checks his commitment is in the record, from his own page.
    card = page.locator("#my-support").inner_text()
    assert "Checked: the inclusion proof" in card
    page.goto(f"{base}/rights")
    assert "included in the record" in page.content()
    assert_no_serious_axe_violations(page)
    supports = Entry.objects.filter(type="support_declared")
    assert {e.actor for e in supports} == {tendency}
    assert all(b"ivan" not in bytes(e.body) for e in supports)

    # Karl publishes to every member of the district; nobody approves anything.
    sign_in(page, base, "karl")
    page.goto(f"{base}/tendencies/{tendency}")
    assert "It has the press right" in page.content()
    start = Entry.objects.count()
    page.locator("details:has(#p-title) summary").click()
    page.get_by_label("Title", exact=True).fill("A strike fund now")
    page.get_by_label("Text", exact=True).fill("Every docker and teacher gives an hour's pay.")
    page.get_by_role("button", name="Publish").click()
    done(page)
    published = PublicationRow.objects.get()
    assert published.reach == 11 and published.scope == "C2"
    assert {e.actor for e in Entry.objects.filter(seq__gte=start)} == {"karl"}

    # Sofia, a teacher, reads it in the district's bulletin.
    sign_in(page, base, "sofia")
    page.goto(f"{base}/councils/C2/bulletin")
    assert "A strike fund now" in page.content()
    assert_no_serious_axe_violations(page)

    # Rosa, the district's chair, is not offered to retract it: only its publisher may
    # (press.may_correct; her retraction sent anyway is refused, tests/freedoms/test_pages.py).
    sign_in(page, base, "rosa")
    page.goto(f"{base}/publications/{published.key}")
    assert "A strike fund now" in page.content()
    assert page.locator("#corr-text").count() == 0
    assert "Correct or retract" not in page.content()

    # Clara retracts it: a new entry; the original stays, marked.
    sign_in(page, base, "clara")
    page.goto(f"{base}/publications/{published.key}")
    page.locator("details:has(#corr-text) summary").click()
    page.get_by_label("Retraction", exact=True).check()
    page.get_by_label("Text of the correction or retraction").fill("The figure was wrong.")
    page.get_by_role("button", name="File it").click()
    done(page)
    page.goto(f"{base}/publications/{published.key}")
    assert "Retracted" in page.locator("#retracted").inner_text()
    assert "Every docker and teacher gives an hour's pay." in page.content()
    assert_no_serious_axe_violations(page)
    page.goto(f"{base}/councils/C2/shares")
    assert_no_serious_axe_violations(page)


def test_a_case_runs_its_whole_course_and_the_appeal_overturns_it(
    page: Any, live_server: Any
) -> None:
    seed()
    base = live_server.url

    # Karl charges Rosa before the Dockers' commission: one respondent, one rule, her act.
    sign_in(page, base, "karl")
    page.goto(f"{base}/councils/C3")
    page.get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="File a charge").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Respondent (one member)").select_option("rosa")
    page.get_by_label("Rule of the code").select_option("RU1")
    page.get_by_label("Date of act 1").fill("2026-01-02")
    page.get_by_label("What she did (act 1)").fill("Did not pay her January dues.")
    page.get_by_label("Evidence (act 1)").fill("The treasurer's ledger, page 3.")
    page.get_by_role("button", name="File the charge").click()
    done(page)
    case = CaseRow.objects.get()
    assert case.stage == "notified"

    # Rosa is notified (her rights page lists the case) and replies.
    sign_in(page, base, "rosa")
    page.goto(f"{base}/rights")
    page.get_by_role("link", name=f"Case {case.key}").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Your reply").fill("I paid in cash at the meeting; ask the chair.")
    page.get_by_role("button", name="Send my reply").click()
    done(page)

    # Leo, a commissioner, tries to hear it before the reply period ends: refused.
    sign_in(page, base, "leo")
    page.goto(f"{base}/cases/{case.key}")
    page.get_by_label("Minutes of the hearing").fill("Heard.")
    page.get_by_role("button", name="Record the hearing").click()
    refused(page, "no hearing before then")
    clock.advance(hours=1)
    page.goto(f"{base}/cases/{case.key}")
    page.get_by_label("Minutes of the hearing").fill("Rosa and Karl spoke; the ledger was read.")
    page.get_by_role("button", name="Record the hearing").click()
    done(page)

    # Leo and Nadia vote a suspension with an end date: decided, with published reasons.
    until = (clock.now() + timedelta(days=20)).strftime("%Y-%m-%d")
    for who in ("leo", "nadia"):
        sign_in(page, base, who)
        page.goto(f"{base}/cases/{case.key}")
        page.get_by_label("Suspension of rights").check()
        page.get_by_label("End date of the sanction (every sanction has one)").fill(until)
        page.get_by_label("Reasons (published)").fill("The ledger shows no payment.")
        page.get_by_role("button", name="Cast my vote").click()
        done(page)
    assert CaseRow.objects.get().stage == "decided"
    page.goto(f"{base}/cases/{case.key}")
    assert "Suspension" in page.locator("#decision").inner_text()
    assert_no_serious_axe_violations(page)

    # Suspended, Rosa cannot file a motion; she appeals to the district.
    sign_in(page, base, "rosa")
    page.goto(f"{base}/councils/C3")
    page.locator("details:has(#mo-title) summary").click()
    page.get_by_label("Motion title").fill("Dues by transfer")
    page.get_by_label("Motion text").fill("Dues are paid by bank transfer.")
    page.get_by_role("button", name="File the motion").click()
    refused(page, "suspended until")
    page.goto(f"{base}/cases/{case.key}")
    page.get_by_label("Grounds of your appeal").fill("The chair saw me pay.")
    page.get_by_role("button", name="Appeal to the council above").click()
    done(page)

    # The district's delegates vote; the appeal overturns the decision.
    for who, choice in (
        ("karl", "Uphold the decision"),
        ("ivan", "Overturn the decision"),
        ("olga", "Overturn the decision"),
    ):
        sign_in(page, base, who)
        page.goto(f"{base}/cases/{case.key}")
        page.get_by_label(choice).check()
        page.get_by_role("button", name="Vote on the appeal").click()
        done(page)
    page.goto(f"{base}/cases/{case.key}")
    page.get_by_role("button", name="Close the appeal vote and count").click()
    done(page)
    page.goto(f"{base}/cases/{case.key}")
    assert "Overturned" in page.locator("#appeal-outcome").inner_text()
    assert "lifted on appeal" in page.locator("#decision").inner_text()
    assert_no_serious_axe_violations(page)

    # Her rights are back; the whole course is in the public record.
    sign_in(page, base, "rosa")
    page.goto(f"{base}/councils/C3")
    page.locator("details:has(#mo-title) summary").click()
    page.get_by_label("Motion title").fill("Dues by transfer")
    page.get_by_label("Motion text").fill("Dues are paid by bank transfer.")
    page.get_by_role("button", name="File the motion").click()
    done(page)
    types = [json.loads(bytes(e.body))["type"] for e in Entry.objects.order_by("seq")]
    for step in (
        "case_opened",
        "charge_replied",
        "case_heard",
        "case_vote_cast",
        "case_decided",
        "case_appealed",
        "appeal_voted",
        "appeal_decided",
    ):
        assert step in types, step
