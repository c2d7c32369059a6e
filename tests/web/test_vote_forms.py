"""A voter who has voted is offered to change her vote; an election says where it stands.

GIVEN Harbour District's motion on the agenda with its vote open (voters: the delegates rosa,
karl, ivan and olga), and karl's recall of rosa's mandate with its ballot open (voters: the six
Dockers), WHEN karl has voted, THEN his page says how he voted, marks that choice and offers
"Change my vote"; one who has not voted is offered "Cast my vote" with nothing marked; his
change is recorded and shown; a teacher is offered no recall ballot at all.
"""

from __future__ import annotations

import html
import re

import harbour
import pytest

from smolny.constitution import commands as c
from smolny.store import clock
from smolny.store.service import current_state, execute
from tests.secret import rite

pytestmark = pytest.mark.django_db(transaction=True)


def marked(page: str) -> list[str]:
    """The values of the radio buttons checked on the page."""
    return re.findall(
        r'<input type="radio" id="[^"]+" name="choice" value="(\w+)"[^>]*checked', page
    )


def test_a_roll_call_voter_changes_her_vote_from_the_page() -> None:
    harbour.seed()
    execute(c.FileMotion("karl", "C2", "Strike fund", "One fund for the district."))
    execute(c.CoSponsor("olga", "MO1"))
    opens = current_state().motions["MO1"].vote_opens
    assert opens is not None
    clock.advance(hours=(opens - clock.now()).total_seconds() / 3600 + 0.01)
    execute(c.CastVote("karl", "MO1", "yes"))
    karl = harbour.client_for("karl")
    page = karl.get("/motions/MO1").content.decode()
    assert "You voted <strong>yes</strong>" in page and "Change my vote" in page
    assert marked(page) == ["yes"]
    ivan = harbour.client_for("ivan").get("/motions/MO1").content.decode()
    assert "Cast my vote" in ivan and "Change my vote" not in ivan and marked(ivan) == []
    assert karl.post("/act/cast_vote", {"motion": "MO1", "choice": "no"}).status_code == 302
    assert current_state().motions["MO1"].votes["karl"] == "no"
    assert marked(karl.get("/motions/MO1").content.decode()) == ["no"]
    # Clara, whom karl represents, reads how he voted and where the motion stands, in words.
    home = harbour.client_for("clara").get("/").content.decode()
    assert "<td>on the agenda, not yet decided</td>" in home and "<td>agenda</td>" not in home


def test_a_recall_voter_changes_her_vote_and_a_teacher_has_no_ballot() -> None:
    harbour.seed()
    recall = harbour.recall_ballot_open()
    execute(c.VoteRecall("karl", recall, "no"))
    karl = harbour.client_for("karl")
    page = karl.get(f"/recalls/{recall}").content.decode()
    assert "You voted <strong>no</strong>; you may change it until the ballot closes." in page
    assert "Change my vote" in page and marked(page) == ["no"]
    assert karl.post("/act/vote_recall", {"recall": recall, "choice": "yes"}).status_code == 302
    assert current_state().recalls[recall].votes["karl"] == "yes"
    assert marked(karl.get(f"/recalls/{recall}").content.decode()) == ["yes"]
    leo = harbour.client_for("leo").get(f"/recalls/{recall}").content.decode()
    assert "Cast my vote" in leo and marked(leo) == []
    ivan = harbour.client_for("ivan").get(f"/recalls/{recall}").content.decode()
    assert "Cast my vote" not in ivan and "Change my vote" not in ivan


def status_of(election: str) -> str:
    page = harbour.client_for("clara").get(f"/elections/{election}").content.decode()
    found = re.search(r"<strong>Status:</strong> ([^<]+)</p>", page)
    assert found is not None, page
    return html.unescape(found.group(1))


def test_an_elections_status_says_where_it_stands() -> None:
    """Open: nominations, voting, then waiting to be counted, then closed.  Secret: waiting
    for the key ceremony, and once voting was to close without it, closable as void (it read
    'counting', which a stalled ballot never reaches)."""
    harbour.seed()
    execute(c.CallElection("clara", "C3", "office", "secretary"))
    election = f"E{current_state().counters['E']}"
    execute(c.Nominate("leo", election, "leo"))
    assert status_of(election) == "nominations open"
    clock.advance(hours=1.01)
    assert status_of(election) == "voting open"
    clock.advance(hours=2)
    assert status_of(election) == "voting closed; any member can now close and count it"
    execute(c.CloseElection("clara", election))
    assert status_of(election) == "closed"

    stalled = rite.stalled_election(execute, current_state, "chair", "plurality")
    assert status_of(stalled) == (
        "the trustees' key ceremony did not finish by the time voting was to close; any voter "
        "can close it as void"
    )


def test_a_secret_election_waits_for_its_key_ceremony() -> None:
    harbour.seed()
    execute(
        c.CallElection("clara", "C3", "office", "chair", "plurality", "secret", rite.TRUSTEES, 2)
    )
    election = f"E{current_state().counters['E']}"
    execute(c.Nominate("clara", election, "clara"))
    clock.advance(hours=1.01)
    assert status_of(election) == (
        "waiting for the trustees' key ceremony; voting opens when it is done"
    )
