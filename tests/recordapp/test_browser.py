"""The entry page's "Check this entry": the browser recomputes the entry's place in the record.

GIVEN the Harbour federation served by the live server, WHEN a visitor opens an entry and
presses "Check this entry", THEN the page's script hashes the bytes shown, walks the inclusion
proof and finds the signed checkpoint's root (and says so in a live region); and it reports a
failure when the proof is altered in transit or the bytes shown are not the entry's.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from smolny.store.models import Checkpoint
from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.usefixtures("harbour")


def check(page: Any) -> str:
    page.get_by_role("button", name="Check this entry").click()
    result = page.locator("#check-result")
    result.and_(page.locator("[data-result=ok], [data-result=failed]")).wait_for()
    return str(result.get_attribute("data-result")) + ": " + result.inner_text()


def test_an_entry_checks_against_the_latest_checkpoint(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/record/entries/10")
    outcome = check(page)
    assert outcome.startswith("ok: Verified: entry #10 is in the record"), outcome
    assert "checkpoint signature valid" in outcome or "not checked" in outcome
    assert page.locator("#check-result").get_attribute("aria-live") == "polite"
    assert_no_serious_axe_violations(page)


def test_an_entry_checks_against_an_older_checkpoint(page: Any, live_server: Any) -> None:
    older = Checkpoint.objects.order_by("size")[12].size
    page.goto(live_server.url + "/record/entries/3")
    page.get_by_label("Checkpoint size").fill(str(older))
    outcome = check(page)
    assert outcome.startswith("ok:") and f"of {older} entries" in outcome, outcome


def test_an_altered_proof_fails(page: Any, live_server: Any) -> None:
    def alter(route: Any) -> None:
        response = route.fetch()
        data = json.loads(response.text())
        first = bytearray(base64.b64decode(data["proof"][0]))
        first[0] ^= 1
        data["proof"][0] = base64.b64encode(bytes(first)).decode()
        route.fulfill(response=response, body=json.dumps(data))

    page.route("**/record/proof/inclusion*", alter)
    page.goto(live_server.url + "/record/entries/10")
    outcome = check(page)
    assert outcome.startswith("failed: Check failed: the proof does not lead"), outcome


def test_bytes_that_are_not_the_entry_fail(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/record/entries/10")
    page.evaluate(
        """() => { const pre = document.getElementById('entry-bytes');
                   pre.textContent = pre.textContent.replace('"at":"2', '"at":"3'); }"""
    )
    outcome = check(page)
    assert outcome.startswith("failed:"), outcome


def test_a_checkpoint_with_a_forged_signature_fails(page: Any, live_server: Any) -> None:
    def forge(route: Any) -> None:
        response = route.fetch()
        data = json.loads(response.text())
        text, signature = data["checkpoint"].rstrip("\n").rsplit(" ", 1)
        raw = bytearray(base64.b64decode(signature))
        raw[20] ^= 1
        data["checkpoint"] = text + " " + base64.b64encode(bytes(raw)).decode() + "\n"
        route.fulfill(response=response, body=json.dumps(data))

    page.route("**/record/proof/inclusion*", forge)
    page.goto(live_server.url + "/record/entries/10")
    outcome = check(page)
    if "no Ed25519" in page.content():
        pytest.fail("this Chromium has no WebCrypto Ed25519")
    assert outcome.startswith("failed: Check failed: the checkpoint's signature"), outcome


def test_a_checkpoint_size_that_was_never_signed_says_what_to_do(
    page: Any, live_server: Any
) -> None:
    page.goto(live_server.url + "/record/entries/3")
    page.get_by_label("Checkpoint size").fill("999999")
    outcome = check(page)
    assert outcome.startswith(
        "failed: Check failed: There is no signed checkpoint of size 999999; leave the size "
        "out to check against the latest checkpoint."
    ), outcome
    assert ".." not in outcome
