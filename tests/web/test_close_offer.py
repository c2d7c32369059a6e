"""The motion, recall and election pages offer their close only when the rules would close it.

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
from smolny.constitution.elections import may_close as election_may_close
from smolny.constitution.motions import may_close
from smolny.constitution.recall import may_close as recall_may_close
from smolny.store import clock
from smolny.store.service import current_state, execute

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "Close the vote and declare the result"
DELEGATES = ("rosa", "karl", "ivan", "olga")


def offered_on(page: str, button: str, who: str | None) -> bool:
    """Whether ``who`` (None: a visitor) is offered ``button`` on ``page``."""
    client = Client()
    if who is not None:
        assert client.login(username=who, password=harbour.PASSWORD)
    return button in client.get(page).content.decode()


def offered(who: str | None) -> bool:
    return offered_on("/motions/MO1", BUTTON, who)


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


def test_a_recall_ballots_close_is_offered_only_when_the_rules_would_close_it() -> None:
    """GIVEN karl's recall of rosa's delegate mandate, signed by clara (a third of six: the
    ballot opens), THEN no one is offered its close while some Dockers have not voted; once all
    six have, a Docker is (and a visitor), and the close is decided; a stranger never may."""
    harbour.seed()
    recall = harbour.recall_ballot_open()
    page = f"/recalls/{recall}"

    def offered_here(who: str | None) -> bool:
        return offered_on(page, "Close the ballot and count", who)

    assert current_state().recalls[recall].status == "ballot"
    for voter in harbour.DOCKERS[:5]:
        execute(c.VoteRecall(voter, recall, "no"))
    assert not offered_here("karl") and not offered_here(None)  # vera has not voted
    assert not recall_may_close(current_state(), recall, clock.now(), "karl")
    execute(c.VoteRecall("vera", recall, "yes"))
    assert offered_here("karl") and offered_here(None)
    assert not recall_may_close(current_state(), recall, clock.now(), "stranger")
    client = Client()
    assert client.login(username="nadia", password=harbour.PASSWORD)
    assert client.post("/act/close_recall", {"recall": recall}).status_code == 302
    assert current_state().recalls[recall].status == "failed"
    assert not offered_here("karl")


def test_an_elections_close_is_offered_only_when_the_rules_would_count_it() -> None:
    """GIVEN an election of the Dockers' secretary (nominations for an hour, then voting),
    THEN no one is offered its close during nominations, nor while some Dockers have not
    voted (the page says when it can be closed instead); once all six have voted, a Docker is
    (and a visitor), and her close counts it; later, or for a stranger, never."""
    harbour.seed()
    execute(c.CallElection("clara", "C3", "office", "secretary"))
    election = f"E{current_state().counters['E']}"
    execute(c.Nominate("leo", election, "leo"))
    page = f"/elections/{election}"

    def offered_here(who: str | None) -> bool:
        return offered_on(page, "Close and count", who)

    assert not offered_here("clara") and not offered_here(None)  # nominations are open
    clock.advance(hours=1.01)
    for voter in harbour.DOCKERS[:5]:
        execute(c.CastBallot(voter, election, ("leo",)))
    assert not offered_here("clara") and not offered_here(None)  # vera has not voted
    assert (
        "once every voter has voted, or when voting closes" in Client().get(page).content.decode()
    )
    assert not election_may_close(current_state(), election, clock.now(), "clara")
    execute(c.CastBallot("vera", election, ("leo",)))
    assert offered_here("clara") and offered_here("ivan") and offered_here(None)
    assert not election_may_close(current_state(), election, clock.now(), "stranger")
    assert not election_may_close(current_state(), "E99", clock.now(), "clara")
    client = Client()
    assert client.login(username="nadia", password=harbour.PASSWORD)
    assert client.post("/act/close_election", {"election": election}).status_code == 302
    assert not current_state().elections[election].open
    assert not offered_here("clara")  # counted: nothing left to close


def test_an_elections_close_is_offered_once_its_voting_time_is_up() -> None:
    harbour.seed()
    execute(c.CallElection("clara", "C3", "office", "secretary"))
    election = f"E{current_state().counters['E']}"
    execute(c.Nominate("leo", election, "leo"))
    clock.advance(hours=1.01)
    execute(c.CastBallot("rosa", election, ("leo",)))
    state = current_state()
    assert not election_may_close(state, election, clock.now(), "rosa")
    clock.advance(hours=3)
    state = current_state()
    assert election_may_close(state, election, clock.now(), "rosa")
    assert election_may_close(state, election, clock.now())
    assert not election_may_close(state, election, clock.now(), "stranger")
