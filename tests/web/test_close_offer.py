"""The motion page offers "Close the vote" only when the rules would close it.

GIVEN a motion of Harbour District (voters: its delegates rosa, karl, ivan, olga) put on the
agenda, THEN nobody is offered the close while the vote has not opened, nor while it is open
and some have not voted; once every voter has voted, or the time is up, a member is offered it
(and a visitor too, who is sent to sign in first), and her close is decided.  The rule is the
constitution's (``motions.may_close``): a non-member may never close.
"""

from __future__ import annotations

import harbour
import pytest
from django.test import Client

from smolny.constitution import commands as c
from smolny.constitution.motions import may_close
from smolny.store import clock
from smolny.store.service import current_state, execute

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "Close the vote and declare the result"
DELEGATES = ("rosa", "karl", "ivan", "olga")


def offered(who: str | None) -> bool:
    client = Client()
    if who is not None:
        assert client.login(username=who, password=harbour.PASSWORD)
    page = client.get("/motions/MO1").content.decode()
    return BUTTON in page


def motion_on_the_agenda() -> None:
    harbour.seed()
    execute(c.FileMotion("karl", "C2", "Strike fund", "One fund for the district."))
    execute(c.CoSponsor("olga", "MO1"))


def test_the_close_is_offered_only_once_every_voter_has_voted() -> None:
    motion_on_the_agenda()
    assert not offered("karl") and not offered(None)  # the vote has not opened
    opens = current_state().motions["MO1"].vote_opens
    assert opens is not None
    clock.advance(hours=(opens - clock.now()).total_seconds() / 3600 + 0.01)
    for delegate in DELEGATES[:3]:
        execute(c.CastVote(delegate, "MO1", "yes"))
    assert not offered("karl") and not offered("clara")  # open, and olga has not voted
    execute(c.CastVote("olga", "MO1", "no"))
    assert offered("karl") and offered("clara") and offered(None)
    response = Client()
    assert response.login(username="clara", password=harbour.PASSWORD)
    assert response.post("/act/close_vote", {"motion": "MO1"}).status_code == 302
    assert current_state().motions["MO1"].status == "carried"
    assert not offered("karl")  # decided: nothing left to close


def test_the_close_is_offered_once_the_time_is_up() -> None:
    motion_on_the_agenda()
    clock.advance(days=30)
    assert offered("ivan")
    state = current_state()
    now = clock.now()
    assert may_close(state, "MO1", now, "ivan") and may_close(state, "MO1", now)
    # The wrong person: someone who is not a member may not close it.
    assert not may_close(state, "MO1", now, "stranger")
    assert not may_close(state, "MO9", now, "ivan")
