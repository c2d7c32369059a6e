"""Whether the close of a secret election, motion or recall is offered: exactly when the rules
take it.

GIVEN the scene federation (voting lasts 2 hours, a recall ballot 2 hours) and secret ballots
of the Dockers whose trustees are karl (1, a docker), ivan (2) and olga (3, teachers), threshold
2 (tests/secret/rite.py), THEN ``motions.may_close`` and ``recall.may_close`` answer what
``CloseVote`` / ``CloseRecall`` would do: no while voting is open and some on the roll have not
voted, nor while the key ceremony may still finish; yes once every voter on the roll has voted,
or once the ballot can be closed as void, and then only for a docker (a teacher's close is
refused, and nothing is recorded).
"""

from __future__ import annotations

from smolny.constitution import commands as c
from smolny.constitution.elections import may_close as election_may_close
from smolny.constitution.motions import may_close as motion_may_close
from smolny.constitution.recall import may_close as recall_may_close
from tests.constitution.scene import DOCKERS, Scene, federation
from tests.secret import rite

VOTERS = {who: rite.credential(n) for n, who in enumerate(DOCKERS, start=1)}


def secret_motion(s: Scene) -> str:
    s.do(
        c.FileMotion(
            "clara", "C3", "Strike fund", "We raise dues.", None, "secret", rite.TRUSTEES, 2
        )
    )
    motion = s.latest("MO")
    s.do(c.CoSponsor("leo", motion))
    s.tick(hours=1)  # the vote opens
    s.do(c.PublishManifest("vera", motion))
    return motion


def test_a_stalled_secret_motion_is_offered_to_close_as_void_only_after_its_deadline() -> None:
    s = federation()
    motion = secret_motion(s)
    assert not motion_may_close(s.state, motion, s.now, "rosa")  # the ceremony may finish
    s.refused(c.CloseVote("rosa", motion), "voting_not_open")
    s.tick(hours=2)  # voting was to close: the ballot can be closed as void
    assert motion_may_close(s.state, motion, s.now, "rosa")
    assert motion_may_close(s.state, motion, s.now)  # a visitor, who would sign in first
    # The wrong person: ivan, a teacher (and a trustee), may not; nor a stranger.
    assert not motion_may_close(s.state, motion, s.now, "ivan")
    assert not motion_may_close(s.state, motion, s.now, "stranger")
    s.refused(c.CloseVote("ivan", motion), "not_a_voter")
    (event,) = s.do(c.CloseVote("rosa", motion))
    assert event.type == "secret_ballot_void"
    assert not motion_may_close(s.state, motion, s.now, "rosa")  # void: nothing left to close


def test_an_open_secret_motion_is_offered_to_close_once_every_voter_on_the_roll_has_voted() -> None:
    s = federation()
    rite.register(s.do, VOTERS)
    motion = secret_motion(s)
    rite.ceremony(lambda: s.state, s.do, motion)
    assert s.state.secret[motion].phase == "voting"
    for who in DOCKERS[:5]:
        s.do(c.CastSecretBallot(who, motion, rite.ballot(s.state, motion, VOTERS[who], ["yes"])))
    assert not motion_may_close(s.state, motion, s.now, "rosa")  # vera has not voted
    s.refused(c.CloseVote("rosa", motion), "voting_still_open")
    s.do(c.CastSecretBallot("vera", motion, rite.ballot(s.state, motion, VOTERS["vera"], ["no"])))
    assert motion_may_close(s.state, motion, s.now, "rosa")
    assert motion_may_close(s.state, motion, s.now, "ivan")  # the tally: any member
    assert not motion_may_close(s.state, motion, s.now, "stranger")
    events = s.do(c.CloseVote("ivan", motion))
    assert [e.type for e in events] == ["secret_tally_published"]
    # The tally is out; until 2 trustees decrypt it, or decryption_hours pass, nobody may.
    assert not motion_may_close(s.state, motion, s.now, "rosa")
    s.refused(c.CloseVote("rosa", motion), "awaiting_trustees")


def test_a_stalled_secret_recall_is_offered_to_close_as_void_only_to_a_docker() -> None:
    s = federation()
    mandate = s.mandate_of("rosa")
    s.do(c.OpenRecall("karl", mandate, "Broke the mandate.", "secret", rite.TRUSTEES, 2))
    recall = s.latest("R")
    s.do(c.SignRecall("clara", recall))
    s.do(c.PublishManifest("vera", recall))
    assert not recall_may_close(s.state, recall, s.now, "karl")
    s.refused(c.CloseRecall("karl", recall), "voting_not_open")
    s.tick(hours=2)
    assert recall_may_close(s.state, recall, s.now, "karl")
    assert recall_may_close(s.state, recall, s.now)
    assert not recall_may_close(s.state, recall, s.now, "olga")
    s.refused(c.CloseRecall("olga", recall), "not_a_voter")
    (event,) = s.do(c.CloseRecall("karl", recall))
    assert event.type == "secret_ballot_void"
    assert not recall_may_close(s.state, recall, s.now, "karl")


def test_a_stalled_secret_election_is_offered_to_close_as_void_only_after_its_deadline() -> None:
    s = federation()
    s.do(c.CallElection("clara", "C3", "office", "secretary", None, "secret", rite.TRUSTEES, 2))
    election = s.latest("E")
    s.do(c.Nominate("clara", election, "clara"))
    s.tick(hours=1)  # nominations close
    s.do(c.PublishManifest("vera", election))
    # Voting was to open, but the trustees have not made the key: the close would be refused.
    assert not election_may_close(s.state, election, s.now, "rosa")
    s.refused(c.CloseElection("rosa", election), "voting_not_open")
    s.tick(hours=2)  # voting was to close: the ballot can be closed as void
    assert election_may_close(s.state, election, s.now, "rosa")
    assert election_may_close(s.state, election, s.now)
    assert not election_may_close(s.state, election, s.now, "ivan")  # a teacher
    assert not election_may_close(s.state, election, s.now, "stranger")
    s.refused(c.CloseElection("ivan", election), "not_a_voter")
    (event, *_) = s.do(c.CloseElection("rosa", election))
    assert event.type == "secret_ballot_void"
    assert not election_may_close(s.state, election, s.now, "rosa")
