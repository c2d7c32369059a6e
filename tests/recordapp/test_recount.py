"""Every result decided by counting a vote is recounted by ``smolny verify``.

GIVEN Harbour, where the Dockers voted on a recall of one of their delegates (it failed), or
carried one by the vote or the signature that made the majority (no one closed it), or, in a
debate, challenged a call to order of their chair (the floor overturned it), WHEN an
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
from smolny.store.service import execute

from .conftest import rewrite_history, smolny

pytestmark = pytest.mark.usefixtures("harbour")


def data(entry: Entry) -> dict[str, object]:
    found: dict[str, object] = json.loads(bytes(entry.body))["data"]
    return found


def open_a_recall(holder: str = "rosa", opener: str = "karl") -> str:
    """``opener`` opens a recall of ``holder``'s delegate mandate (rosa and karl are the
    Dockers' delegates): one signature of the six."""
    mandate = harbour.district_seat(holder)
    (opened,) = execute(c.OpenRecall(opener, mandate, "Voted against our mandate."))
    return str(data(opened)["id"])


def vote_on_a_recall() -> Entry:
    """karl opens a recall of rosa's delegate mandate; two of the six sign (a third: the ballot
    opens); the ballot fails, 2 to 4."""
    recall = open_a_recall()
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


def carry_a_recall_by_vote() -> Entry:
    """clara signs (two of six: the ballot opens); karl, clara, leo and nadia vote yes, and
    nadia's vote, the fourth of six, carries the recall at once: no one closes it."""
    recall = open_a_recall()
    execute(c.SignRecall("clara", recall))
    for voter in ("karl", "clara", "leo", "nadia"):
        execute(c.VoteRecall(voter, recall, "yes"))
    carried = Entry.objects.get(type="recall_carried")
    assert Entry.objects.get(seq=carried.seq - 1).type == "recall_voted"
    return carried


def carry_a_recall_by_signatures() -> Entry:
    """clara opens a recall of karl's mandate; leo, nadia and vera sign, and vera's
    signature, the fourth of six, carries it."""
    recall = open_a_recall("karl", "clara")
    for signer in ("leo", "nadia", "vera"):
        execute(c.SignRecall(signer, recall))
    carried = Entry.objects.filter(type="recall_carried").order_by("seq").last()
    assert carried is not None and data(carried)["recall"] == recall
    assert Entry.objects.get(seq=carried.seq - 1).type == "recall_signed"
    return carried


def test_recalls_carried_by_the_act_that_made_the_majority_are_done_again() -> None:
    by_vote = carry_a_recall_by_vote()
    assert (data(by_vote)["how"], data(by_vote)["yes"]) == ("ballot", 4)
    by_signatures = carry_a_recall_by_signatures()
    assert (data(by_signatures)["how"], data(by_signatures)["yes"]) == ("signatures", 4)
    code, out = smolny("verify")
    assert code == 0, out
    # Harbour's two delegate elections (by close) and the two recalls (by the act itself);
    # none is left unchecked.
    assert "4 published result(s) recounted" in out and "verify-election" not in out, out


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
        (carry_a_recall_by_vote, {"yes": 6, "no": 0}, "yes"),
        (carry_a_recall_by_signatures, {"how": "ballot"}, "how"),
    ],
    ids=["recall ballot", "challenge of the chair", "recall carried by a vote", "by signatures"],
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


def test_a_result_passed_off_as_part_of_a_vote_is_named() -> None:
    """The operator rewrites the challenge's result as if karl's vote had decided it (his
    name and time): no rule decides a challenge when a vote is cast, so verify names it rather
    than leave it unchecked."""
    decided = challenge_the_chair()
    vote = Entry.objects.get(seq=decided.seq - 1)
    before = json.loads(bytes(vote.body))
    assert before["type"] == "challenge_voted"
    event = json.loads(bytes(decided.body))
    event.update(actor=before["actor"], at=before["at"])
    rewrite_history(decided.seq, event)
    code, out = smolny("verify")
    assert code != 0
    assert f"FAILED at entry {decided.seq}: challenge_decided" in out, out
    assert "after challenge_voted" in out, out
