"""A secret ballot that cannot be decided is closed as void; no trustee can hold a vote back.

GIVEN the scene federation (tests/constitution/scene.py: voting lasts 2 hours, a recall ballot
2 hours) and trustees karl (1, a docker), ivan (2) and olga (3, teachers), threshold 2, WHEN a
secret ballot of the Dockers cannot be decided (its key ceremony failed; a trustee never
finished it by the time voting was to close; fewer than 2 trustees decrypted the tally within
``decryption_hours``), THEN any docker may close it as void: the record names why and who was
missing, the subject closes with no result (nobody elected, the motion void, the recall failed
with the mandate standing), and a new election or recall can follow at once.  Before the
deadline, and by anyone who is not a docker, the close is refused and nothing changes.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest

from smolny.ballot import (
    TrusteeKey,
    parse_manifest,
    trustee_commit,
    trustee_finish,
    trustee_init,
    trustee_share,
)
from smolny.constitution import DomainError
from smolny.constitution import commands as c
from smolny.constitution.events import fmt_time
from smolny.constitution.health import health
from smolny.constitution.params import Params
from smolny.constitution.secret import void_words
from smolny.constitution.snapshot import digest_bytes
from smolny.constitution.words import when
from smolny.verify import Progress, replay_and_recount
from tests.constitution.scene import DOCKERS, Scene, federation

from . import rite

VOTERS = {who: rite.credential(n) for n, who in enumerate(DOCKERS, start=1)}
NAMES = {"karl": "Karl", "ivan": "Ivan", "olga": "Olga"}


def secret_election(s: Scene, office: str = "secretary") -> str:
    s.do(c.CallElection("clara", "C3", "office", office, "plurality", "secret", rite.TRUSTEES, 2))
    election = s.latest("E")
    s.do(c.Nominate("clara", election, "clara"))
    s.do(c.Nominate("leo", election, "leo"))
    s.tick(hours=1)  # nominations close
    return election


def upload(s: Scene, subject: str, index: int, document: dict[str, Any]) -> None:
    s.do(c.UploadTrusteeDocument(rite.TRUSTEES[index - 1], subject, document))


def failed_ceremony(s: Scene, subject: str) -> None:
    """Every trustee uploads every document, but ivan deals shares that do not match his
    commitments: the others complain in their finish, and the ceremony fails."""
    manifest = parse_manifest(s.state.secret[subject].manifest)
    keys: dict[int, TrusteeKey] = {}
    for i in (1, 2, 3):
        keys[i], identity = trustee_init(manifest, i)
        upload(s, subject, i, identity)
    for i in (1, 2, 3):
        upload(s, subject, i, trustee_commit(manifest, keys[i]))
    for i in (1, 2, 3):
        docs = s.state.secret[subject].documents
        reveal, shares = trustee_share(manifest, keys[i], docs)
        if i == 2:
            spoilt = dataclasses.replace(keys[i], coefficients=keys[i].coefficients[::-1])
            shares = trustee_share(manifest, spoilt, docs)[1]
        upload(s, subject, i, reveal)
        upload(s, subject, i, shares)
    for i in (1, 2, 3):
        upload(s, subject, i, trustee_finish(manifest, keys[i], s.state.secret[subject].documents))


def words(s: Scene, subject: str) -> str:
    void = s.state.secret[subject].void
    assert void is not None
    return void_words(void, lambda member: s.state.members[member].name)


def assert_replays(s: Scene) -> None:
    """Replaying the record gives the live state, and ``smolny verify``'s recount re-decides
    every result in it, the void ones included."""
    assert digest_bytes(s.replayed()) == s.digest()
    state, recounted, _ = replay_and_recount(
        enumerate(s.log_bytes(), start=1), len(s.log), Progress(every=3600, stream=None)
    )
    assert digest_bytes(state) == s.digest()
    assert recounted >= sum(1 for e in s.log if e.type == "secret_ballot_void") > 0


def test_a_failed_ceremony_makes_the_ballot_void_at_once_and_a_new_election_can_fill_the_seat() -> (
    None
):
    s = federation()
    election = secret_election(s)
    s.do(c.PublishManifest("vera", election))
    failed_ceremony(s, election)
    sb = s.state.secret[election]
    assert sb.phase == "ceremony failed" and sb.failures
    # Not a docker: ivan (a teacher, a trustee), and nobody at all.
    error = s.refused(c.CloseElection("ivan", election), "not_a_voter")
    assert "Dockers" in error.message and "void" in error.message
    s.refused(c.CloseElection("nobody", election), "not_a_member")
    # No need to wait for the deadline: a failed ceremony never opens voting.
    assert s.now < s.state.elections[election].voting_close
    events = s.do(c.CloseElection("rosa", election))
    assert [e.type for e in events] == ["secret_ballot_void"]
    data = events[0].data
    assert (data["subject"], data["kind"], data["reason"]) == (
        election,
        "election",
        "ceremony_failed",
    )
    assert data["failures"] == sb.failures and data["missing"] == [] and data["deadline"] is None
    assert "key ceremony failed" in words(s, election) and "trustee 2" in words(s, election)
    closed = s.state.elections[election]
    assert not closed.open and closed.result == {"void": "ceremony_failed", "elected": []}
    assert s.state.secret[election].phase == "void"
    assert not [m for m in s.state.active_mandates(constituency="C3") if m.office == "secretary"]
    # Nothing more reaches a void ballot.
    s.refused(c.CloseElection("rosa", election), "election_closed")
    s.refused(c.CastBallot("rosa", election, ("clara",)), "election_closed")
    report = health(s.state)
    assert report["secret_ballots_void"] == 1
    assert report["elections_closed"] == 2  # the two delegations, not the void one
    assert_replays(s)
    # The seat is vacant again: a new election is called and fills it.
    events = s.do(c.CallElection("clara", "C3", "office", "secretary", "plurality"))
    again = s.latest("E")
    assert again != election
    s.run_election(again, ["leo"])
    assert s.state.elections[again].result["elected"] == ["leo"]
    assert any(m.holder == "leo" for m in s.state.active_mandates(constituency="C3"))


def test_a_trustee_who_never_finishes_voids_the_ballot_only_once_voting_was_to_close() -> None:
    s = federation()
    rite.register(s.do, VOTERS)
    election = secret_election(s)
    s.do(c.PublishManifest("vera", election))
    manifest = parse_manifest(s.state.secret[election].manifest)
    keys: dict[int, TrusteeKey] = {}
    for i in (1, 2, 3):
        keys[i], identity = trustee_init(manifest, i)
        upload(s, election, i, identity)
    upload(s, election, 1, trustee_commit(manifest, keys[1]))
    upload(s, election, 3, trustee_commit(manifest, keys[3]))
    closes = s.state.elections[election].voting_close
    # Before the deadline the close is refused, saying who holds it up and until when.
    error = s.refused(c.CloseElection("rosa", election), "voting_not_open")
    assert "trustee 2 (Ivan)" in error.message and "commitment" in error.message
    assert when(closes) in error.message
    s.now = closes - timedelta(minutes=1)
    s.refused(c.CloseElection("rosa", election), "voting_not_open")
    s.now = closes
    # Too late for the ceremony: voting can no longer open in time for anyone to vote.
    s.refused(
        c.UploadTrusteeDocument("ivan", election, trustee_commit(manifest, keys[2])),
        "ceremony_too_late",
    )
    s.refused(c.CloseElection("ivan", election), "not_a_voter")
    events = s.do(c.CloseElection("rosa", election))
    assert [e.type for e in events] == ["secret_ballot_void"]
    data = events[0].data
    assert data["reason"] == "ceremony_unfinished" and data["deadline"] == fmt_time(closes)
    # Only ivan held the ceremony up; karl and olga were waiting for him.
    assert data["missing"] == [{"trustee": 2, "member": "ivan", "steps": ["commit"]}]
    said = words(s, election)
    assert "Ivan (trustee 2), who had not uploaded the commitment document" in said
    assert "Karl" not in said and "Olga" not in said and when(closes) in said
    assert s.state.credentials and not s.state.elections[election].open
    assert_replays(s)


def test_a_ballot_whose_manifest_nobody_published_is_void_after_its_deadline() -> None:
    s = federation()
    election = secret_election(s)
    s.refused(c.CloseElection("rosa", election), "voting_not_open")
    s.tick(hours=2)
    s.refused(c.CloseElection("olga", election), "not_a_voter")
    (event,) = s.do(c.CloseElection("karl", election))
    assert event.data["reason"] == "no_manifest" and event.data["missing"] == []
    assert "manifest had not been published" in words(s, election)
    s.refused(c.PublishManifest("vera", election), "ballot_void")
    assert_replays(s)


def decrypting(s: Scene) -> tuple[str, dict[int, TrusteeKey]]:
    """A secret election whose ballots are cast and whose tally is published."""
    rite.register(s.do, VOTERS)
    election = secret_election(s)
    s.do(c.PublishManifest("vera", election))
    keys = rite.ceremony(lambda: s.state, s.do, election)
    for who in ("clara", "leo", "nadia"):
        s.do(
            c.CastSecretBallot(who, election, rite.ballot(s.state, election, VOTERS[who], ["leo"]))
        )
    s.tick(hours=2)
    s.do(c.CloseElection("rosa", election))
    return election, keys


def test_too_few_decryptions_void_the_ballot_only_after_decryption_hours() -> None:
    s = federation()
    election, keys = decrypting(s)
    sb = s.state.secret[election]
    assert sb.phase == "decrypting" and sb.tallied_at is not None
    due = sb.tallied_at + timedelta(hours=72)  # the default decryption_hours
    s.do(c.UploadTrusteeDocument("karl", election, rite.decryption(s.state, election, keys[1])))
    error = s.refused(c.CloseElection("rosa", election), "awaiting_trustees")
    assert "1 of the 2 trustees" in error.message and when(due) in error.message
    s.now = due - timedelta(minutes=1)
    s.refused(c.CloseElection("rosa", election), "awaiting_trustees")
    s.now = due
    s.refused(c.CloseElection("olga", election), "not_a_voter")
    events = s.do(c.CloseElection("vera", election))
    assert [e.type for e in events] == ["secret_ballot_void"]
    data = events[0].data
    assert (data["reason"], data["decrypted"], data["needed"]) == ("decryption_short", 1, 2)
    assert data["deadline"] == fmt_time(due)
    assert data["missing"] == [
        {"trustee": 2, "member": "ivan", "steps": ["decryption"]},
        {"trustee": 3, "member": "olga", "steps": ["decryption"]},
    ]
    said = words(s, election)
    assert (
        "only 1 of the 2 trustees needed" in said
        and "Ivan (trustee 2) and Olga (trustee 3)" in said
    )
    assert s.state.elections[election].result == {"void": "decryption_short", "elected": []}
    # A decryption that comes after the void changes nothing.
    late = rite.decryption(s.state, election, keys[2])
    s.refused(c.UploadTrusteeDocument("ivan", election, late), "ballot_void")
    assert_replays(s)


def test_decryptions_in_time_decide_the_ballot_even_after_the_deadline_if_nobody_voided_it() -> (
    None
):
    """The void is a right of the voters, not an automatic lapse: the k-th decryption still
    decides the ballot as long as nobody has closed it as void."""
    s = federation()
    election, keys = decrypting(s)
    s.tick(hours=100)
    for i, who in ((1, "karl"), (3, "olga")):
        s.do(c.UploadTrusteeDocument(who, election, rite.decryption(s.state, election, keys[i])))
    result = s.state.elections[election].result
    assert result is not None and result["elected"] == ["leo"] and "void" not in result


def test_decryption_hours_is_a_parameter_with_bounds() -> None:
    assert Params().decryption_hours == 72
    assert Params.from_dict({"decryption_hours": 24}).decryption_hours == 24
    for bad in (0, 8_785):
        with pytest.raises(DomainError) as info:
            Params.from_dict({"decryption_hours": bad})
        assert info.value.code == "invalid_parameter" and "decryption_hours" in info.value.message
    s = federation(decryption_hours=1)
    election, _ = decrypting(s)
    s.tick(hours=1)
    (event,) = s.do(c.CloseElection("rosa", election))
    assert event.data["reason"] == "decryption_short" and event.data["decrypted"] == 0


def test_a_void_recall_fails_the_mandate_stands_and_a_new_recall_opens_at_once() -> None:
    s = federation()
    rite.register(s.do, VOTERS)
    mandate = s.mandate_of("rosa")
    s.do(c.OpenRecall("clara", mandate, "She broke the mandate.", "secret", rite.TRUSTEES, 2))
    recall = s.latest("R")
    s.do(c.SignRecall("leo", recall))
    assert s.state.recalls[recall].status == "ballot"
    s.do(c.PublishManifest("vera", recall))
    s.refused(c.CloseRecall("clara", recall), "voting_not_open")
    s.tick(hours=2)
    s.refused(c.CloseRecall("ivan", recall), "not_a_voter")
    (event,) = s.do(c.CloseRecall("clara", recall))
    assert event.type == "secret_ballot_void" and event.data["kind"] == "recall"
    assert event.data["reason"] == "ceremony_unfinished"
    assert [m["member"] for m in event.data["missing"]] == ["karl", "ivan", "olga"]
    assert {tuple(m["steps"]) for m in event.data["missing"]} == {("identity",)}
    decided = s.state.recalls[recall]
    assert decided.status == "failed" and decided.outcome == {"void": "ceremony_unfinished"}
    assert s.state.mandates[mandate].active
    assert health(s.state)["recalls_carried"] == 0
    s.refused(c.SignRecall("nadia", recall), "recall_decided")
    # The void counts against nobody: the same petitioners open a new recall at once.
    events = s.do(c.OpenRecall("clara", mandate, "She still broke the mandate."))
    again = s.latest("R")
    assert again != recall and events[0].type == "recall_opened"
    assert s.state.recalls[again].status == "petition"
    s.do(c.SignRecall("leo", again))
    assert s.state.recalls[again].status == "ballot"
    assert_replays(s)


def test_a_void_secret_motion_is_neither_carried_nor_lost_and_executes_nothing() -> None:
    s = federation()
    rite.register(s.do, VOTERS)
    effect = {"kind": "grant_power", "office": "chair", "power": "convene"}
    s.do(
        c.FileMotion(
            "clara", "C3", "Chair convenes", "So be it.", effect, "secret", rite.TRUSTEES, 2
        )
    )
    motion = s.latest("MO")
    s.do(c.CoSponsor("leo", motion))
    s.tick(hours=1)
    s.do(c.PublishManifest("vera", motion))
    s.refused(c.CloseVote("vera", motion), "voting_not_open")
    s.tick(hours=2)
    s.refused(c.CloseVote("max", motion), "not_a_voter")
    (event,) = s.do(c.CloseVote("vera", motion))
    assert event.type == "secret_ballot_void" and event.data["kind"] == "motion"
    decided = s.state.motions[motion]
    assert decided.status == "void" and decided.result == {"void": "ceremony_unfinished"}
    assert "convene" not in s.state.councils["C3"].powers.get("chair", [])
    s.refused(c.CloseVote("vera", motion), "motion_decided")
    report = health(s.state)
    assert report["motions_decided"] == 0 and report["secret_ballots_void"] == 1
    assert_replays(s)
