"""The Harbour federation, seeded through the real store for browser scenes.

Congress (C1) ─ Harbour District (C2) ─┬─ Dockers (C3): rosa (their delegate), karl (delegate),
                                       │   clara, leo, nadia, vera
                                       └─ Teachers (C4): ivan, olga (delegates), pavel, sofia
max founded it and is a teacher with no powers left.  Every password is ``PASSWORD``.

``with_congress`` adds the top: the district sends rosa and ivan to the congress, so that
``carry`` can pass the congress's motions (witnesses, parameters) as the record's scenes need.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client

from smolny.constitution import commands as c
from smolny.store import clock
from smolny.store.service import execute

PASSWORD = "harbour-solidarity"
DOCKERS = ("rosa", "karl", "clara", "leo", "nadia", "vera")
TEACHERS = ("ivan", "olga", "pavel", "sofia", "max")
PARAMS = {
    "members_per_delegate": 3,
    "nomination_hours": 1,
    "voting_hours": 2,
    "motion_notice_hours": 1,
    "recall_ballot_hours": 2,
    "recall_share": "1/3",
    "cosponsor_share": "1/3",
}


def elect(council: str, winners: list[str], voters: tuple[str, ...]) -> str:
    entries = execute(c.CallElection(winners[0], council, "delegate"))
    election = next(e for e in entries if e.type == "election_called")
    election_id = json.loads(bytes(election.body))["data"]["id"]
    for person in winners:
        execute(c.Nominate(person, election_id, person))
    clock.advance(hours=1)
    for voter in voters:
        execute(c.CastBallot(voter, election_id, tuple(winners)))
    execute(c.CloseElection(winners[0], election_id))
    return str(election_id)


def seed() -> None:
    execute(c.FoundFederation("max", "Harbour Federation", "Congress", PARAMS))
    execute(c.CreateCouncil("max", "C1", "Harbour District", False))
    execute(c.CreateCouncil("max", "C2", "Dockers", True))
    execute(c.CreateCouncil("max", "C2", "Teachers", True))
    for name in DOCKERS:
        execute(c.Join(name, name.title(), "C3"))
    for name in TEACHERS:
        execute(c.Join(name, name.title(), "C4"))
    execute(c.Reapportion("max", "C2"))
    execute(c.Reapportion("max", "C1"))
    execute(c.CloseFounding("max"))
    elect("C3", ["rosa", "karl"], DOCKERS)
    elect("C4", ["ivan", "olga"], TEACHERS)
    User.objects.bulk_create([User(username=n, password=_hash()) for n in DOCKERS + TEACHERS])


def with_congress() -> None:
    """The district elects rosa and ivan to the congress: its only voters."""
    elect("C2", ["rosa", "ivan"], ("rosa", "karl", "ivan", "olga"))


def carry(effect: dict[str, Any]) -> str:
    """The congress (after ``with_congress``) files a motion with ``effect`` and carries it
    unanimously; returns the motion's id."""
    entries = execute(c.FileMotion("rosa", "C1", "Resolution", "The congress resolves.", effect))
    motion = str(json.loads(bytes(entries[0].body))["data"]["id"])
    clock.advance(hours=1)
    for delegate in ("rosa", "ivan"):
        execute(c.CastVote(delegate, motion, "yes"))
    closed = [json.loads(bytes(e.body)) for e in execute(c.CloseVote("rosa", motion))]
    assert closed[0]["data"]["carried"] and len(closed) > 1, closed  # carried, effect executed
    assert closed[1]["type"] != "effect_lapsed", closed
    return motion


@cache
def _hash() -> str:
    # One Argon2 hash shared by the test personas: hashing eleven passwords per test would
    # cost seconds each time.  Each sign-in still verifies Argon2 as in production.
    return make_password(PASSWORD)


def client_for(who: str) -> Client:
    """A test client signed in as the Harbour persona ``who``."""
    client = Client()
    assert client.login(username=who, password=PASSWORD)
    return client


def district_seat(holder: str) -> str:
    """The mandate ``holder`` holds in Harbour District (rosa and karl for the Dockers)."""
    from smolny.store.service import current_state

    (mandate,) = [
        m.id
        for m in current_state().mandates.values()
        if m.holder == holder and m.active and m.body == "C2"
    ]
    return mandate


def recall_ballot_open() -> str:
    """karl's recall of rosa's district seat, signed by clara (a third of the six Dockers:
    the recall share), so its ballot is open; returns the recall's id."""
    from smolny.store.service import current_state

    execute(c.OpenRecall("karl", district_seat("rosa"), "She voted against our mandate."))
    recall = f"R{current_state().counters['R']}"
    execute(c.SignRecall("clara", recall))
    assert current_state().recalls[recall].status == "ballot"
    return recall
