"""Secret ballots in the constitution: every new command can and cannot, with the real crypto.

GIVEN the scene federation (tests/constitution/scene.py) and trustees karl, ivan and olga
(threshold 2), WHEN an election, a motion or a recall is held by secret ballot, THEN ballots are
verified once, when cast, the record holds them with their proofs, and the result comes from
the trustees' decryption of the homomorphic tally; every refusal leaves state and record as
they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.ballot import verify_election
from smolny.ballot.tally import tally_hash
from smolny.constitution import commands as c
from smolny.constitution.secret import election_files
from tests.constitution.scene import DOCKERS, Scene, federation

from . import rite

VOTERS = {who: rite.credential(n) for n, who in enumerate(DOCKERS, start=1)}


def secret_election(s: Scene, method: str = "plurality") -> str:
    s.do(c.CallElection("clara", "C3", "office", "secretary", method, "secret", rite.TRUSTEES, 2))
    election = s.latest("E")
    s.do(c.Nominate("clara", election, "clara"))
    s.do(c.Nominate("leo", election, "leo"))
    rite.register(s.do, VOTERS)
    s.tick(hours=1)
    return election


def opened(method: str = "plurality") -> tuple[Scene, str, dict[int, Any]]:
    s = federation()
    election = secret_election(s, method)
    s.do(c.PublishManifest("vera", election))
    keys = rite.ceremony(lambda: s.state, s.do, election)
    return s, election, keys


def test_a_secret_election_is_counted_from_the_trustees_decryption(tmp_path: Any) -> None:
    s, election, keys = opened()
    sb = s.state.secret[election]
    assert sb.phase == "voting" and len(sb.roll) == len(DOCKERS)
    opening = next(e for e in s.log if e.type == "secret_voting_opened")
    assert (
        opening.data["voters"] == len(DOCKERS) and "roll" not in opening.data
    )  # a fact of the state
    for who in ("clara", "leo", "nadia", "vera"):
        choice = "leo" if who == "leo" else "clara"
        events = s.do(
            c.CastSecretBallot(who, election, rite.ballot(s.state, election, VOTERS[who], [choice]))
        )
        assert [e.type for e in events] == ["secret_ballot_cast"]
    # Nadia changes her mind: her second ballot replaces her first.
    s.do(
        c.CastSecretBallot(
            "nadia", election, rite.ballot(s.state, election, VOTERS["nadia"], ["leo"], 2)
        )
    )
    s.tick(hours=2)
    events = s.do(c.CloseElection("rosa", election))
    assert [e.type for e in events] == ["secret_tally_published"]
    assert events[0].data["counted"] == 4
    tally = s.state.secret[election].tally
    assert tally is not None and len(tally["counted"]) == 4
    assert tally_hash(tally).hex() == events[0].data["tally_hash"]  # rebuilt by the fold
    s.refused(c.CloseElection("rosa", election), "awaiting_trustees")
    events = s.do(
        c.UploadTrusteeDocument("olga", election, rite.decryption(s.state, election, keys[3]))
    )
    assert [e.type for e in events] == ["trustee_document_uploaded"]
    events = s.do(
        c.UploadTrusteeDocument("karl", election, rite.decryption(s.state, election, keys[1]))
    )
    types = [e.type for e in events]
    assert types[:2] == ["trustee_document_uploaded", "election_closed"]
    assert types[-1] == "secret_result_published"
    result = s.state.elections[election].result
    assert result is not None
    assert result["tallies"] == {"clara": 2, "leo": 2} or result["tallies"]["clara"] == 2
    assert result["ballots_counted"] == 4 and "breakdown" not in result
    assert s.state.secret[election].result["trustees"] == [1, 3]
    # The record replays, and its election directory verifies standalone.
    assert s.replayed().secret[election].result == s.state.secret[election].result
    from smolny.ballot import store

    for name, doc in election_files(s.state, election).items():
        store.write(tmp_path / name, doc)
    report = verify_election(tmp_path, workers=1)
    assert report.ok, report.failures
    assert report.counts == {"candidates": [2, 2]}


def test_a_ranked_election_cannot_be_secret() -> None:
    s = federation()
    error = s.refused(
        c.CallElection("clara", "C3", "office", "executive", None, "secret", rite.TRUSTEES, 2),
        "secret_ranked_unavailable",
    )
    assert "mixnet" in error.message
    s.refused(
        c.CallElection(
            "clara", "C3", "office", "executive", "scottish-stv", "secret", rite.TRUSTEES, 2
        ),
        "secret_ranked_unavailable",
    )


def test_a_secret_ballot_needs_trustees_and_a_threshold_they_can_meet() -> None:
    s = federation()
    s.refused(
        c.CallElection("clara", "C3", "office", "secretary", None, "secret", (), 0), "no_trustees"
    )
    s.refused(
        c.CallElection("clara", "C3", "office", "secretary", None, "secret", rite.TRUSTEES, 4),
        "bad_threshold",
    )
    s.refused(
        c.CallElection("clara", "C3", "office", "secretary", None, "secret", ("karl", "nobody"), 1),
        "no_such_member",
    )
    s.refused(
        c.CallElection("clara", "C3", "office", "secretary", None, "sealed", rite.TRUSTEES, 2),
        "ballot_mode_unavailable",
    )


def test_a_member_registers_a_credential_and_cannot_register_a_bad_or_taken_one() -> None:
    s = federation()
    key = bytes(VOTERS["clara"].verify_key).hex()
    events = s.do(c.RegisterCredential("clara", key))
    assert events[0].data == {"member": "clara", "public_key": key}
    s.refused(c.RegisterCredential("leo", key), "credential_taken")
    s.refused(c.RegisterCredential("leo", "zz" * 32), "bad_credential")
    s.refused(c.RegisterCredential("leo", "ab" * 31), "bad_credential")
    s.refused(c.RegisterCredential("stranger", "ab" * 32), "not_a_member")


def test_the_manifest_waits_for_the_candidates_and_is_published_once() -> None:
    s = federation()
    s.do(c.CallElection("clara", "C3", "office", "secretary", None, "secret", rite.TRUSTEES, 2))
    election = s.latest("E")
    s.do(c.Nominate("clara", election, "clara"))
    s.refused(c.PublishManifest("vera", election), "nominations_open")
    s.tick(hours=1)
    events = s.do(c.PublishManifest("vera", election))
    manifest = events[0].data["manifest"]
    assert manifest["contests"] == [{"id": "candidates", "kind": "plurality", "options": ["clara"]}]
    s.refused(c.PublishManifest("vera", election), "manifest_published")
    s.refused(c.PublishManifest("stranger", election), "not_a_member")
    s.refused(c.PublishManifest("vera", "E99"), "no_secret_ballot")


def test_only_the_named_trustee_uploads_and_only_in_order() -> None:
    s = federation()
    election = secret_election(s)
    s.do(c.PublishManifest("vera", election))
    from smolny.ballot import parse_manifest, trustee_commit, trustee_init

    manifest = parse_manifest(s.state.secret[election].manifest)
    key1, identity1 = trustee_init(manifest, 1)
    s.refused(c.UploadTrusteeDocument("ivan", election, identity1), "not_trustee")
    events = s.do(c.UploadTrusteeDocument("karl", election, identity1))
    assert events[0].data["step"] == "identity"
    s.refused(c.UploadTrusteeDocument("karl", election, identity1), "already_uploaded")
    s.refused(
        c.UploadTrusteeDocument("karl", election, trustee_commit(manifest, key1)),
        "ceremony_out_of_order",
    )
    forged = dict(trustee_init(manifest, 2)[1])
    forged["box_key"] = "00" * 32
    s.refused(c.UploadTrusteeDocument("ivan", election, forged), "bad_signature")
    s.refused(c.UploadTrusteeDocument("ivan", election, {"type": "nonsense"}), "bad_document")


class TestCasting:
    """The negative ballots, each refused naming what failed, nothing changed."""

    @pytest.fixture(autouse=True)
    def _scene(self) -> None:
        self.s, self.election, self.keys = opened()
        self.good = rite.ballot(self.s.state, self.election, VOTERS["clara"], ["clara"])

    def test_a_voter_casts_and_revotes(self) -> None:
        events = self.s.do(c.CastSecretBallot("clara", self.election, self.good))
        assert events[0].data["tracker"] and events[0].data["member"] == "clara"
        again = rite.ballot(self.s.state, self.election, VOTERS["clara"], ["leo"], 2)
        events = self.s.do(c.CastSecretBallot("clara", self.election, again))
        assert len(self.s.state.secret[self.election].counted()) == 1

    def test_a_duplicate_is_refused(self) -> None:
        self.s.do(c.CastSecretBallot("clara", self.election, self.good))
        self.s.refused(c.CastSecretBallot("clara", self.election, self.good), "duplicate_ballot")
        same_seq = rite.ballot(self.s.state, self.election, VOTERS["clara"], ["leo"], 1)
        self.s.refused(c.CastSecretBallot("clara", self.election, same_seq), "duplicate_ballot")

    def test_an_unsigned_ballot_is_refused(self) -> None:
        unsigned = {k: v for k, v in self.good.items() if k != "signature"}
        error = self.s.refused(c.CastSecretBallot("clara", self.election, unsigned), "unsigned")
        assert "unsigned" in error.message

    def test_a_credential_not_on_the_roll_is_refused(self) -> None:
        stranger = rite.credential(99)
        ballot = rite.ballot(self.s.state, self.election, stranger, ["clara"])
        error = self.s.refused(c.CastSecretBallot("clara", self.election, ballot), "not_on_roll")
        assert "roll" in error.message

    def test_someone_elses_credential_is_refused(self) -> None:
        self.s.refused(c.CastSecretBallot("leo", self.election, self.good), "not_your_credential")

    def test_a_tampered_proof_is_refused(self) -> None:
        from smolny.ballot.election import sign_document

        tampered: dict[str, Any] = {**self.good}
        contest = dict(tampered["contests"][0])
        proof = dict(contest["proofs"][1])
        proof["z"] = [proof["z"][1], proof["z"][0]]
        contest["proofs"] = [contest["proofs"][0], proof]
        tampered["contests"] = [contest]
        tampered = sign_document(VOTERS["clara"], tampered)  # still properly signed
        error = self.s.refused(c.CastSecretBallot("clara", self.election, tampered), "bad_proof")
        assert "option 1" in error.message

    def test_an_over_vote_is_refused(self) -> None:
        over = rite.ballot(
            self.s.state, self.election, VOTERS["clara"], ["clara", "leo"], check=False
        )
        error = self.s.refused(c.CastSecretBallot("clara", self.election, over), "bad_proof")
        assert "selection count" in error.message

    def test_an_open_ballot_cannot_be_cast_in_a_secret_election(self) -> None:
        self.s.refused(c.CastBallot("clara", self.election, ("clara",)), "secret_ballot")

    def test_a_non_voter_cannot_cast(self) -> None:
        self.s.refused(c.CastSecretBallot("ivan", self.election, self.good), "not_a_voter")

    def test_nothing_is_cast_after_the_close(self) -> None:
        self.s.tick(hours=2)
        self.s.refused(c.CastSecretBallot("clara", self.election, self.good), "voting_closed")


def test_a_secret_motion_is_decided_by_its_decrypted_counts() -> None:
    s = federation()
    rite.register(s.do, VOTERS)
    s.do(
        c.FileMotion(
            "clara", "C3", "Strike fund", "We raise dues.", None, "secret", rite.TRUSTEES, 2
        )
    )
    motion = s.latest("MO")
    s.do(c.CoSponsor("leo", motion))
    s.refused(c.PublishManifest("vera", motion), "vote_not_open")
    s.tick(hours=1)
    s.do(c.PublishManifest("vera", motion))
    keys = rite.ceremony(lambda: s.state, s.do, motion)
    s.refused(c.CastVote("clara", motion, "yes"), "secret_ballot")
    for who, choice in zip(DOCKERS, ["yes", "yes", "yes", "no", "abstain", "yes"], strict=True):
        s.do(c.CastSecretBallot(who, motion, rite.ballot(s.state, motion, VOTERS[who], [choice])))
    events = s.do(c.CloseVote("rosa", motion))  # everyone on the roll has voted
    assert [e.type for e in events] == ["secret_tally_published"]
    s.do(c.UploadTrusteeDocument("ivan", motion, rite.decryption(s.state, motion, keys[2])))
    events = s.do(
        c.UploadTrusteeDocument("karl", motion, rite.decryption(s.state, motion, keys[1]))
    )
    decided = next(e for e in events if e.type == "motion_decided")
    assert (decided.data["yes"], decided.data["no"], decided.data["abstain"]) == (4, 1, 1)
    assert decided.data["carried"] and "roll" not in decided.data


def test_a_secret_recall_is_decided_at_its_close() -> None:
    s = federation()
    rite.register(s.do, VOTERS)
    mandate = s.mandate_of("rosa")
    s.do(c.OpenRecall("clara", mandate, "She broke the mandate.", "secret", rite.TRUSTEES, 2))
    recall = s.latest("R")
    s.refused(c.PublishManifest("vera", recall), "ballot_not_open")
    s.do(c.SignRecall("leo", recall))
    s.do(c.PublishManifest("vera", recall))
    keys = rite.ceremony(lambda: s.state, s.do, recall)
    s.refused(c.VoteRecall("clara", recall, "yes"), "secret_ballot")
    for who, choice in [("clara", "yes"), ("leo", "yes"), ("nadia", "no"), ("vera", "yes")]:
        s.do(c.CastSecretBallot(who, recall, rite.ballot(s.state, recall, VOTERS[who], [choice])))
    assert s.state.recalls[recall].status == "ballot"  # no early carry: nobody knows the votes
    s.refused(c.CloseRecall("rosa", recall), "voting_still_open")
    s.tick(hours=2)
    s.do(c.CloseRecall("rosa", recall))
    s.do(c.UploadTrusteeDocument("olga", recall, rite.decryption(s.state, recall, keys[3])))
    events = s.do(
        c.UploadTrusteeDocument("ivan", recall, rite.decryption(s.state, recall, keys[2]))
    )
    assert "recall_carried" in [e.type for e in events]
    assert not s.state.mandates[mandate].active


def test_a_wrong_decryption_is_refused_naming_the_trustee() -> None:
    s, election, keys = opened()
    s.do(
        c.CastSecretBallot(
            "clara", election, rite.ballot(s.state, election, VOTERS["clara"], ["clara"])
        )
    )
    s.tick(hours=2)
    s.do(c.CloseElection("rosa", election))
    doc = rite.decryption(s.state, election, keys[1])
    doc["contests"][0]["shares"][0]["d"], doc["contests"][0]["shares"][1]["d"] = (
        doc["contests"][0]["shares"][1]["d"],
        doc["contests"][0]["shares"][0]["d"],
    )
    from smolny.ballot.election import sign_document

    forged = sign_document(keys[1].signing_key, doc)
    error = s.refused(c.UploadTrusteeDocument("karl", election, forged), "bad_proof")
    assert "trustee 1" in error.message


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(DOCKERS), st.sets(st.sampled_from(["clara", "leo"]))),
        max_size=10,
    )
)
def test_the_decrypted_counts_are_the_last_ballot_of_each_voter(
    casts: list[tuple[str, set[str]]],
) -> None:
    """Whatever the order of votes and re-votes, the trustees' decryption counts exactly each
    voter's last ballot (approval: any subset of the candidates)."""
    s, election, keys = opened("approval")
    last: dict[str, set[str]] = {}
    seqs: dict[str, int] = {}
    for who, chosen in casts:
        seqs[who] = seqs.get(who, 0) + 1
        ballot = rite.ballot(s.state, election, VOTERS[who], sorted(chosen), seqs[who])
        s.do(c.CastSecretBallot(who, election, ballot))
        last[who] = chosen
    s.tick(hours=2)
    s.do(c.CloseElection("rosa", election))
    for index, who in ((1, "karl"), (2, "ivan")):
        s.do(
            c.UploadTrusteeDocument(who, election, rite.decryption(s.state, election, keys[index]))
        )
    result = s.state.elections[election].result
    assert result is not None
    expected = {cand: sum(cand in chosen for chosen in last.values()) for cand in ("clara", "leo")}
    assert result["tallies"] == expected and result["ballots_counted"] == len(last)
    assert s.replayed().secret[election].result == s.state.secret[election].result


def test_the_manifest_names_the_office_and_the_recalled_member_in_words() -> None:
    """GIVEN a secret election of the Dockers' control commission and a secret recall of
    rosa, THEN their manifests' titles say "control commission" and "Rosa", as the pages do,
    not the record's keys ``control_commission`` and ``rosa``."""
    s = federation()
    s.do(
        c.CallElection(
            "clara", "C3", "office", "control_commission", "approval", "secret", rite.TRUSTEES, 2
        )
    )
    election = s.latest("E")
    s.do(c.Nominate("leo", election, "leo"))
    s.tick(hours=1)
    manifest = s.do(c.PublishManifest("vera", election))[0].data["manifest"]
    assert manifest["title"] == f"Election {election}: control commission of Dockers"
    mandate = s.mandate_of("rosa")
    s.do(c.OpenRecall("clara", mandate, "Broke the mandate.", "secret", rite.TRUSTEES, 2))
    recall = s.latest("R")
    s.do(c.SignRecall("leo", recall))
    manifest = s.do(c.PublishManifest("vera", recall))[0].data["manifest"]
    assert manifest["title"] == f"Recall {recall} of Rosa (Dockers)"


def test_an_election_whose_manifest_kept_the_old_title_still_replays_and_verifies(
    tmp_path: Any,
) -> None:
    """GIVEN a record written before manifests named offices in words (its manifest's title
    says ``control_commission``), WHEN it is replayed, recounted and its election directory
    verified, THEN everything holds: the manifest hashed into the fingerprint is always the
    one in the record, never one re-derived from today's code."""
    from smolny.ballot import store
    from smolny.constitution import apply, decide
    from smolny.verify import Progress, replay_and_recount

    s = federation()
    s.do(
        c.CallElection(
            "clara", "C3", "office", "control_commission", "approval", "secret", rite.TRUSTEES, 2
        )
    )
    election = s.latest("E")
    s.do(c.Nominate("leo", election, "leo"))
    s.do(c.Nominate("nadia", election, "nadia"))
    rite.register(s.do, VOTERS)
    s.tick(hours=1)
    (event,) = decide(s.state, c.PublishManifest("vera", election), s.now)
    old = dict(event.data["manifest"], title=f"Election {election}: control_commission of Dockers")
    event = type(event)(event.type, event.actor, event.at, dict(event.data, manifest=old))
    apply(s.state, event)
    s.log.append(event)
    keys = rite.ceremony(lambda: s.state, s.do, election)
    for who in ("clara", "leo", "vera"):
        ballot = rite.ballot(s.state, election, VOTERS[who], ["leo"])
        s.do(c.CastSecretBallot(who, election, ballot))
    s.tick(hours=2)
    s.do(c.CloseElection("rosa", election))
    for i, who in ((1, "karl"), (2, "ivan")):
        s.do(c.UploadTrusteeDocument(who, election, rite.decryption(s.state, election, keys[i])))
    assert s.state.elections[election].result is not None
    state, _, _ = replay_and_recount(
        enumerate(s.log_bytes()), len(s.log), Progress(every=3600, stream=None)
    )
    assert state.secret[election].manifest["title"].endswith("control_commission of Dockers")
    assert state.secret[election].result == s.state.secret[election].result
    for name, doc in election_files(state, election).items():
        store.write(tmp_path / name, doc)
    report = verify_election(tmp_path, workers=1)
    assert report.ok, report.failures


def test_a_voter_on_the_roll_may_cast_and_change_her_ballot_until_the_close() -> None:
    """``may_cast`` is the rule the home page asks: yes to a docker on the roll while voting is
    open, before and after she has cast (her last ballot counts); no to a teacher, before the
    ceremony ends and after the close, each "no" being the decision's refusal."""
    from smolny.constitution.secret import has_cast, may_cast

    s = federation()
    election = secret_election(s)
    assert not may_cast(s.state, election, "clara", s.now)  # no manifest, no key yet
    s.do(c.PublishManifest("vera", election))
    keys = rite.ceremony(lambda: s.state, s.do, election)
    assert keys and may_cast(s.state, election, "clara", s.now)
    for who in ("olga", "max", "", "nobody"):
        assert not may_cast(s.state, election, who, s.now), who
    assert not may_cast(s.state, "E99", "clara", s.now)
    assert not has_cast(s.state, election, "clara")
    s.do(
        c.CastSecretBallot(
            "clara", election, rite.ballot(s.state, election, VOTERS["clara"], ["leo"])
        )
    )
    assert has_cast(s.state, election, "clara") and not has_cast(s.state, election, "leo")
    assert may_cast(s.state, election, "clara", s.now)  # she may change it
    s.do(
        c.CastSecretBallot(
            "clara", election, rite.ballot(s.state, election, VOTERS["clara"], ["clara"], 2)
        )
    )
    s.tick(hours=2)
    assert not may_cast(s.state, election, "clara", s.now)
    late = rite.ballot(s.state, election, VOTERS["clara"], ["leo"], 3)
    s.refused(c.CastSecretBallot("clara", election, late), "voting_closed")
