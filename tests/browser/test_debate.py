"""A debate on a motion, walked in Chromium by the members of a council and its chair: asking
to speak for a tendency or for oneself, the floor given in the rules' order, a call to order
challenged and overturned by the floor, the speaker back at the head of the list; and its twin,
in which the wrong people try the chair's and the members' actions and are refused with
nothing recorded.

GIVEN the Harbour federation (tests/harbour.py) with tests/web/test_debate_pages.seed_debate:
karl chairs the Dockers (C3), clara supports "Rank and File" by name, clara's motion MO1 is on
the Dockers' agenda; ivan is a teacher.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from smolny.constitution import commands as c
from smolny.readmodels.models import RulingRow, SpeakerRow
from smolny.store import clock
from smolny.store.service import execute
from tests.web.test_debate_pages import seed_debate

from .axe import assert_no_serious_axe_violations
from .scene import done, post_form, record, refused, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def ask(page: Any, base: str, who: str, side: str, on_behalf: str = "Myself") -> None:
    sign_in(page, base, who)
    page.goto(f"{base}/motions/MO1")
    page.get_by_label(f"{side} the motion").check()
    page.get_by_label("Speak on behalf of").select_option(label=on_behalf)
    page.get_by_role("button", name="Ask to speak").click()
    done(page)


def floor(page: Any) -> str:
    return str(page.locator("#floor").inner_text())


def test_a_debate_in_which_the_floor_overturns_the_chair(page: Any, live_server: Any) -> None:
    seed_debate()
    base = live_server.url

    ask(page, base, "clara", "For", on_behalf="Rank and File")
    assert_no_serious_axe_violations(page)
    ask(page, base, "rosa", "Against")
    ask(page, base, "leo", "For")
    listed = page.locator("#speaker-list").inner_text()
    assert listed.index("Clara") < listed.index("Rosa") < listed.index("Leo")

    # The chair gives the floor to whoever the rules designate: she is offered no one else.
    sign_in(page, base, "karl")
    page.goto(f"{base}/motions/MO1")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Give the floor to Clara, the next speaker").click()
    done(page)
    assert "Clara has the floor, speaking for the motion on behalf of Rank and File" in floor(page)

    sign_in(page, base, "clara")
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="End my speech").click()
    done(page)
    assert "Rank and File" in page.locator("#time-used").inner_text()
    assert "Clara" in page.locator("#speeches").inner_text()

    # Against comes next (Rosa), though Leo is for and asked later: the sides alternate.
    sign_in(page, base, "karl")
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="Give the floor to Rosa, the next speaker").click()
    done(page)
    page.get_by_text("Make a ruling as chair").click()
    page.get_by_label("Ruling", exact=True).select_option("call_to_order")
    page.get_by_label("Reason (recorded with the ruling)").fill("Off the motion.")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Rule", exact=True).click()
    done(page)
    assert "No one has the floor." in floor(page)
    rulings = page.locator("#rulings").inner_text()
    assert "Called the speaker to order (Rosa)" in rulings
    assert "Reason: “Off the motion.” The ruling stands: no one has challenged it." in rulings

    # Vera challenges the ruling; the floor votes, in the open.
    sign_in(page, base, "vera")
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="Challenge ruling CR1").click()
    done(page)
    page.get_by_label("Overturn the ruling").check()
    page.get_by_role("button", name="Vote on ruling CR1").click()
    done(page)
    assert "You voted to overturn it" in page.locator("#rulings").inner_text()
    assert_no_serious_axe_violations(page)
    sign_in(page, base, "rosa")
    page.goto(f"{base}/motions/MO1")
    page.get_by_label("Overturn the ruling").check()
    page.get_by_role("button", name="Vote on ruling CR1").click()
    done(page)
    for voter in ("leo", "nadia"):
        execute(c.VoteOnChallenge(voter, "CR1", "overturn"))
    execute(c.VoteOnChallenge("karl", "CR1", "uphold"))

    clock.advance(hours=11 / 60)
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="Count the votes on ruling CR1").click()
    done(page)
    rulings = page.locator("#rulings").inner_text()
    assert (
        "Challenged by Vera; the ruling was overturned by the floor: 4 to overturn, 1 to uphold,"
        " of 6 voters." in rulings
    )
    listed = page.locator("#speaker-list").inner_text()
    assert listed.startswith("Rosa — against, for herself (her speech restored by the floor")
    assert RulingRow.objects.get(key="CR1").status == "overturned"
    assert_no_serious_axe_violations(page)

    # Rosa is given the floor back first, with the rest of her time.
    sign_in(page, base, "karl")
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name="Give the floor to Rosa, the next speaker").click()
    done(page)
    assert "Rosa has the floor" in floor(page)
    restored = SpeakerRow.objects.get(member="rosa", status="speaking")
    called = SpeakerRow.objects.get(member="rosa", status="called_to_order")
    assert restored.restored_by == "CR1" and called.held is not None
    assert restored.granted == 300 - called.held  # the rest of her five minutes


def test_the_wrong_people_are_refused_and_nothing_is_recorded(page: Any, live_server: Any) -> None:
    seed_debate()
    base = live_server.url
    execute(c.AskToSpeak("rosa", "MO1", "against"))

    # Ivan teaches: the page offers him nothing of the Dockers' debate, and a form sent anyway
    # is refused.
    sign_in(page, base, "ivan")
    page.goto(f"{base}/motions/MO1")
    main = page.locator("main").inner_text()
    assert "Ask to speak" not in main and "Give the floor" not in main
    before = record()
    post_form(page, "/act/ask_to_speak", {"motion": "MO1", "side": "for", "tendency": ""})
    refused(page, "Only the members of Dockers can ask to speak in its debates.")
    assert_no_serious_axe_violations(page)
    assert record() == before

    # Rosa is a voter but not the chair: she cannot give the floor nor rule.
    sign_in(page, base, "rosa")
    page.goto(f"{base}/motions/MO1")
    assert page.get_by_text("Make a ruling as chair").count() == 0
    post_form(page, "/act/give_floor", {"motion": "MO1"})
    refused(page, "Only the chair of Dockers (Karl) can give the floor.")
    page.goto(f"{base}/motions/MO1")
    post_form(page, "/act/make_ruling", {"motion": "MO1", "kind": "close_list", "reason": "No."})
    refused(page, "Only the chair of Dockers (Karl) can rule in its debates.")
    assert record() == before

    # Leo cannot take Rosa's name off the list.
    sign_in(page, base, "leo")
    page.goto(f"{base}/motions/MO1")
    post_form(page, "/act/withdraw_request_to_speak", {"motion": "MO1"})
    refused(page, "only a speaker can take her own name off it")
    assert record() == before
    assert SpeakerRow.objects.get(member="rosa").status == "waiting"


def test_the_count_of_a_challenge_is_offered_only_once_the_floor_has_voted(
    page: Any, live_server: Any
) -> None:
    """GIVEN karl's ruling closing the list, challenged by vera, THEN while the floor is voting
    and some have not voted nobody is offered "Count the votes" (the page says when they can be
    counted) and a count sent anyway is refused with nothing recorded; once the time is up a
    member is offered it, and her count decides the challenge."""
    seed_debate()
    base = live_server.url
    execute(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    execute(c.ChallengeRuling("vera", "CR1"))
    execute(c.VoteOnChallenge("vera", "CR1", "overturn"))

    count = "Count the votes on ruling CR1"
    for who in ("karl", "rosa", "ivan"):
        sign_in(page, base, who)
        page.goto(f"{base}/motions/MO1")
        assert page.get_by_role("button", name=count).count() == 0, who
    rulings = page.locator("#rulings").inner_text()
    assert "the votes can be counted then, or as soon as every voter has voted" in rulings
    assert_no_serious_axe_violations(page)
    before = record()
    post_form(page, "/act/close_challenge", {"ruling": "CR1"})
    refused(page, "unless every voter has voted before then")
    assert record() == before
    assert RulingRow.objects.get(key="CR1").status == "challenged"

    clock.advance(hours=11 / 60)
    sign_in(page, base, "rosa")
    page.goto(f"{base}/motions/MO1")
    page.get_by_role("button", name=count).click()
    done(page)
    assert "overturned by the floor" in page.locator("#rulings").inner_text()
    assert RulingRow.objects.get(key="CR1").status == "overturned"
    assert page.get_by_role("button", name=count).count() == 0


def test_a_debate_with_its_speeches_and_rulings_fits_a_phone(page: Any, live_server: Any) -> None:
    """GIVEN a debate in which three have spoken, one on behalf of a tendency, and a ruling was
    challenged, THEN the motion page and the council page (its elections, of several seats by
    STV) need no sideways scrolling on a 375 px phone."""
    seed_debate()
    base = live_server.url
    execute(c.AskToSpeak("clara", "MO1", "for", "T1"))
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    execute(c.AskToSpeak("leo", "MO1", "for"))
    for speaker in ("clara", "rosa", "leo"):
        execute(c.GiveFloor("karl", "MO1"))
        clock.advance(hours=4 / 60)
        execute(c.EndSpeech(speaker, "MO1"))
    execute(c.MakeRuling("karl", "MO1", "point_of_order", "Time held counts as held."))
    execute(c.ChallengeRuling("vera", "CR1"))
    execute(c.CallElection("vera", "C3", "office", "executive"))
    secret = c.CallElection("vera", "C3", "office", "control_commission", "approval", "secret")
    execute(dataclasses.replace(secret, trustees=("karl", "leo", "nadia"), threshold=2))
    sign_in(page, base, "vera")
    page.set_viewport_size({"width": 375, "height": 800})
    wide = {}
    for path in ("/motions/MO1", "/councils/C3"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[path] = width
    assert wide == {}, f"pages wider than a 375 px phone: {wide}"
