"""A secret ballot's close, walked in Chromium: the button is there when pressing it works,
and nowhere else.

GIVEN the Harbour federation (tests/harbour.py: voting lasts 2 hours, a recall ballot 2 hours)
and a secret motion of the Dockers (C3) whose trustees karl (1), ivan (2) and olga (3,
teachers) never run the key ceremony (tests/secret/rite.py), THEN while the ceremony may still
finish nobody is offered "Close the vote" (pressing it was refused: voting has not opened);
once voting was to close, a docker is offered it and her close makes the ballot void, while a
teacher is offered nothing and the close she sends anyway is refused with nothing recorded.
"""

from __future__ import annotations

from typing import Any

import harbour
import pytest

from smolny.store import clock
from smolny.store.service import current_state, execute
from tests.secret import rite

from .axe import assert_no_serious_axe_violations
from .scene import done, post_form, record, refused, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CLOSE = "Close the vote and declare the result"


def test_a_stalled_secret_motions_close_is_offered_to_a_docker_only_once_it_can_be_void(
    page: Any, live_server: Any
) -> None:
    harbour.seed()
    base = live_server.url
    motion = rite.secret_motion(execute, current_state)
    url = f"{base}/motions/{motion}"

    sign_in(page, base, "rosa")
    page.goto(url)
    assert page.get_by_text("Stage: ceremony").count() == 1
    assert page.get_by_role("button", name=CLOSE).count() == 0  # the ceremony may finish

    clock.advance(hours=2)  # voting was to close; the ballot never opened
    sign_in(page, base, "ivan")  # a teacher: not a voter of the Dockers
    page.goto(url)
    assert page.get_by_role("button", name=CLOSE).count() == 0
    before = record()
    post_form(page, "/act/close_vote", {"motion": motion})
    refused(page, "Only the members of Dockers can close this ballot as void")
    assert record() == before

    sign_in(page, base, "rosa")
    page.goto(url)
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name=CLOSE).click()
    page.get_by_text("Stage: void").wait_for()
    done(page)
    assert current_state().motions[motion].status == "void"
    assert page.get_by_role("button", name=CLOSE).count() == 0
