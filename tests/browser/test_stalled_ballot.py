"""A secret ballot whose key ceremony ran past its deadline, walked in Chromium.

GIVEN the Harbour federation (tests/harbour.py: voting lasts 2 hours) and a secret election
of the Dockers' executive (tests/secret/rite.py ``stalled_election``): karl and olga uploaded
their identities, ivan nothing, and the time voting was to close has passed, THEN the booth no
longer tells ivan that his identity "can be uploaded now" nor a docker to "register now: the
roll may freeze at any moment" (it never will): it says the ballot can no longer open and any
docker may close it as void, and rosa's home page lists no credential to register for it.
The upload ivan sends anyway is refused (``ceremony_too_late``) with nothing recorded.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import harbour
import pytest
from django.contrib.auth.models import User

from smolny.api.models import ApiToken, new_token, token_hash
from smolny.ballot import parse_manifest, trustee_init
from smolny.store.service import current_state, execute
from tests.secret import rite

from .axe import assert_no_serious_axe_violations
from .scene import record, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_ballot_past_its_deadline_asks_nobody_to_upload_or_register(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    election = rite.stalled_election(execute, current_state, "executive", "approval")

    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, base, "rosa")  # a docker with no credential
    home = page.locator("main").inner_text()
    assert "Register your voting credential" not in home
    assert "may happen at any moment" not in home
    page.goto(f"{base}/booth/{election}")
    page.get_by_text("The booth is ready.").wait_for()
    assert_no_serious_axe_violations(page)
    booth = page.locator("main").inner_text()
    assert "can be uploaded now" not in booth and "can follow once" not in booth
    assert (
        "so this ballot can no longer open and takes no more ceremony documents. Any voter of "
        "Dockers may now close it as void, from the election page." in booth
    )
    assert page.locator("#trustee-2").inner_text() == (
        "Ivan: 0 of 5 ceremony documents uploaded by the time voting was to close; no more "
        "can be uploaded."
    )
    assert page.get_by_role("button", name="Make my credential").count() == 0
    assert "may happen at any moment" not in booth

    # The wrong moment for ivan: his identity, uploaded now, is refused and nothing recorded.
    token = new_token()
    ApiToken.objects.create(
        user=User.objects.get(username="ivan"), name="ceremony", hash=token_hash(token)
    )
    _, identity = trustee_init(parse_manifest(current_state().secret[election].manifest), 2)
    before = record()
    request = urllib.request.Request(
        f"{base}/api/commands/upload_trustee_document",
        data=json.dumps({"subject": election, "document": identity}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert json.loads(refused.value.read())["code"] == "ceremony_too_late"
    assert record() == before
