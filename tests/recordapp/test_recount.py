"""Every result decided by counting a vote is recounted by ``smolny verify``.

GIVEN Harbour, where the Dockers voted on a recall of one of their delegates (it failed) and,
in a debate, challenged a call to order of their chair (the floor overturned it), WHEN an
operator holding the federation's key rewrites either result and re-signs the whole history
(every hash and signature then checks), THEN ``smolny verify`` recounts the vote from the record,
names the entry and the field that differ; untouched, the record verifies and reports both
results among those recounted.
"""

from __future__ import annotations

import json

import harbour
import pytest

from smolny.constitution import commands as c
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, execute

from .conftest import rewrite_history, smolny

pytestmark = pytest.mark.usefixtures("harbour")


def data(entry: Entry) -> dict[str, object]:
    found: dict[str, object] = json.loads(bytes(entry.body))["data"]
    return found


def vote_on_a_recall() -> Entry:
    """karl opens a recall of rosa's delegate mandate; two of the six sign (a third: the ballot
    opens); the ballot fails, 2 to 4."""
    state = current_state()
    (mandate,) = [
        m.id for m in state.mandates.values() if m.holder == "rosa" and m.active and m.body == "C2"
    ]
    (opened,) = execute(c.OpenRecall("karl", mandate, "She voted against our mandate."))
    recall = str(data(opened)["id"])
    execute(c.SignRecall("clara", recall))
    for voter in harbour.DOCKERS:
        execute(c.VoteRecall(voter, recall, "yes" if voter in ("karl", "clara") else "no"))
    execute(c.CloseRecall("karl", recall))
    return Entry.objects.get(type="recall_failed")


def challenge_the_chair() -> Entry:
    """karl, elected chair, calls rosa to order in a debate; vera challenges; the floor
    overturns the ruling, 4 to 1."""
    called = execute(c.CallElection("karl", "C3", "office", "chair"))
    election = str(data(called[0])["id"])
    execute(c.Nominate("karl", election, "karl"))
    clock.advance(hours=1)
    for voter in harbour.DOCKERS:
        execute(c.CastBallot(voter, election, ("karl",)))
    execute(c.CloseElection("karl", election))
    (filed,) = execute(c.FileMotion("clara", "C3", "Safety rota", "Two stewards per shift."))
    motion = str(data(filed)["id"])
    execute(c.CoSponsor("leo", motion))
    execute(c.AskToSpeak("rosa", motion, "against"))
    execute(c.GiveFloor("karl", motion))
    ruled = execute(c.MakeRuling("karl", motion, "call_to_order", "Off the motion."))
    ruling = str(data(ruled[0])["ruling"])
    execute(c.ChallengeRuling("vera", ruling))
    for voter in ("vera", "rosa", "leo", "nadia"):
        execute(c.VoteOnChallenge(voter, ruling, "overturn"))
    execute(c.VoteOnChallenge("karl", ruling, "uphold"))
    clock.advance(hours=1)
    execute(c.CloseChallenge("clara", ruling))
    return Entry.objects.get(type="challenge_decided")


def test_recall_and_challenge_results_are_recounted_and_verify() -> None:
    failed = vote_on_a_recall()
    assert (data(failed)["yes"], data(failed)["no"]) == (2, 4)
    decided = challenge_the_chair()
    assert data(decided)["overturned"] is True
    code, out = smolny("verify")
    assert code == 0, out
    # Harbour's two delegate elections, the chair's election, the recall and the challenge.
    assert "5 published result(s) recounted" in out, out


@pytest.mark.parametrize(
    ("scene", "forge", "field"),
    [
        (vote_on_a_recall, {"yes": 4, "no": 2}, "no"),
        (challenge_the_chair, {"overturned": False, "overturn": 1, "uphold": 4}, "overturn"),
    ],
    ids=["recall ballot", "challenge of the chair"],
)
def test_a_forged_result_is_named_by_its_recount(
    scene: object, forge: dict[str, object], field: str
) -> None:
    entry = scene()  # type: ignore[operator]
    event = json.loads(bytes(entry.body))
    event["data"].update(forge)
    rewrite_history(entry.seq, event)
    code, out = smolny("verify")
    assert code != 0
    assert f"entry {entry.seq}" in out and event["type"] in out and field in out, out
