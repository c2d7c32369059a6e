"""Ballots: valid ones verify, and each kind of tampering is refused with an error naming it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.ballot import group as g
from smolny.ballot.ballots import encrypt_ballot, open_audit, tracker, verify_ballot
from smolny.ballot.election import BallotError, Election, sign_document

from .conftest import CHOICES, credential

ALICE = CHOICES["alice"]


def cast(
    election: Election, who: str = "alice", seq: int = 1, choices: Any = None
) -> dict[str, Any]:
    return encrypt_ballot(election, credential(who), seq, choices or CHOICES[who]).ballot


def refused(election: Election, ballot: Any, **kw: Any) -> BallotError:
    with pytest.raises(BallotError) as err:
        verify_ballot(election, ballot, **kw)
    return err.value


def resign(ballot: dict[str, Any], who: str = "alice") -> dict[str, Any]:
    """Re-sign a tampered ballot with the voter's own key, so only the proofs can catch it."""
    return sign_document(credential(who), ballot)


def test_an_honest_ballot_verifies(election: Election) -> None:
    ballot = cast(election)
    v = verify_ballot(election, ballot, frozenset({bytes(credential("alice").verify_key)}))
    assert v.voter == bytes(credential("alice").verify_key) and v.seq == 1
    assert v.tracker == tracker(ballot)
    assert [len(cts) for cts in v.ciphertexts] == [3, 3, 4]


def test_each_contest_kind_accepts_its_allowed_counts(election: Election) -> None:
    for budget in ([], ["press"], ["press", "hall", "travel", "archive"]):
        choice = {"motion-4": ["abstain"], "secretary": ["chen"], "budget": budget}
        verify_ballot(election, cast(election, choices=choice))


def test_encryption_is_randomised_and_trackers_differ(election: Election) -> None:
    a, b = cast(election), cast(election)
    assert a["contests"] != b["contests"]
    assert tracker(a) != tracker(b)


def test_it_refuses_a_tampered_ciphertext(election: Election) -> None:
    ballot = cast(election)
    ct = ballot["contests"][0]["ciphertexts"][1]
    # Multiply the ciphertext by an encryption of 1 (add G to beta): still a valid element.
    beta = g.add(bytes.fromhex(ct[1]), g.BASE)
    ct[1] = beta.hex()
    err = refused(election, resign(ballot))
    assert err.code == "bad-proof"
    assert "contest motion-4 option 0" in err.message


def test_it_refuses_a_tampered_ciphertext_even_unsigned_by_the_voter(election: Election) -> None:
    ballot = cast(election)
    ballot["contests"][2]["ciphertexts"][0][0] = g.BASE.hex()
    err = refused(election, ballot)
    assert err.code == "bad-signature"


@pytest.mark.parametrize(("contest", "field", "index"), [(0, "c", 0), (0, "z", 1), (2, "c", 1)])
def test_it_refuses_a_proof_with_one_byte_changed(
    election: Election, contest: int, field: str, index: int
) -> None:
    ballot = cast(election)
    proof = ballot["contests"][contest]["proofs"][2 if contest == 2 else 1]
    raw = bytearray(bytes.fromhex(proof[field][index]))
    raw[5] ^= 0x01
    proof[field][index] = raw.hex()
    err = refused(election, resign(ballot))
    assert err.code == "bad-proof"
    assert "proof that it encrypts 0 or 1 fails" in err.message


def test_it_refuses_a_changed_count_proof(election: Election) -> None:
    ballot = cast(election)
    raw = bytearray(bytes.fromhex(ballot["contests"][1]["count_proof"]["z"][0]))
    raw[0] ^= 0x80
    ballot["contests"][1]["count_proof"]["z"][0] = raw.hex()
    err = refused(election, resign(ballot))
    assert err.code == "bad-proof" and "contest secretary selection count" in err.message


def test_a_proof_transplanted_from_another_ballot_fails(election: Election) -> None:
    """Bob copies Alice's ciphertext and its proof into his own ballot and signs it."""
    alice, bob = cast(election, "alice"), cast(election, "bob")
    bob["contests"][0]["ciphertexts"][0] = alice["contests"][0]["ciphertexts"][0]
    bob["contests"][0]["proofs"][0] = alice["contests"][0]["proofs"][0]
    err = refused(election, resign(bob, "bob"))
    assert err.code == "bad-proof" and "contest motion-4 option 0" in err.message


def test_a_whole_contest_copied_from_another_ballot_fails(election: Election) -> None:
    alice, bob = cast(election, "alice"), cast(election, "bob")
    bob["contests"][1] = copy.deepcopy(alice["contests"][1])
    err = refused(election, resign(bob, "bob"))
    # Every proof covers every ciphertext of the ballot, so the first contest already fails.
    assert err.code == "bad-proof" and "contest motion-4 option 0" in err.message


def test_a_ballot_replayed_under_another_credential_fails(election: Election) -> None:
    """The server re-signs Alice's ballot as Bob's: the proofs name Alice's credential."""
    ballot = cast(election, "alice")
    ballot["voter"] = bytes(credential("bob").verify_key).hex()
    err = refused(election, resign(ballot, "bob"))
    assert err.code == "bad-proof"


def test_a_ballot_replayed_with_another_seq_fails(election: Election) -> None:
    ballot = cast(election, "alice", seq=1)
    ballot["seq"] = 2
    err = refused(election, resign(ballot))
    assert err.code == "bad-proof"


def test_a_proof_transplanted_from_another_election_fails(
    election: Election, other_election: Election
) -> None:
    theirs = cast(other_election, "alice")
    ours = cast(election, "alice")
    ours["contests"][0]["ciphertexts"] = theirs["contests"][0]["ciphertexts"]
    ours["contests"][0]["proofs"] = theirs["contests"][0]["proofs"]
    err = refused(election, resign(ours))
    assert err.code == "bad-proof"


def test_a_ballot_from_another_election_is_refused(
    election: Election, other_election: Election
) -> None:
    err = refused(election, cast(other_election, "alice"))
    assert err.code == "wrong-election"


def test_a_non_canonical_point_encoding_is_refused(election: Election) -> None:
    ballot = cast(election)
    # p + 1 style non-canonical field encoding from RFC 9496 A.2.
    ballot["contests"][0]["ciphertexts"][2][0] = "ed" + "ff" * 30 + "7f"
    err = refused(election, resign(ballot))
    assert err.code == "bad-element"
    assert "contest motion-4 option 2 ciphertext" in err.message


@pytest.mark.parametrize(("contest", "option"), [(0, 0), (0, 2), (1, 1), (2, 0), (2, 3)])
@pytest.mark.parametrize("half", [0, 1])
def test_an_invalid_element_anywhere_is_refused_as_such(
    election: Election, contest: int, option: int, half: int
) -> None:
    """GIVEN a ballot, re-signed, with one ciphertext element that is no group element
    WHEN it is verified (elements are validated by their first group operation)
    THEN it is refused as a bad element naming its option, not as the proof failure the
    changed bytes also cause in every proof before it."""
    ballot = cast(election)
    cid = ballot["contests"][contest]["id"]
    ballot["contests"][contest]["ciphertexts"][option][half] = "ec" + "ff" * 30 + "7f"
    err = refused(election, resign(ballot))
    assert err.code == "bad-element"
    assert err.message == (
        f"contest {cid} option {option} ciphertext is not a canonical ristretto255 encoding"
    )


def test_the_identity_is_a_valid_element_and_only_its_proof_fails(election: Election) -> None:
    ballot = cast(election)
    ballot["contests"][2]["ciphertexts"][1][0] = g.IDENTITY.hex()
    err = refused(election, resign(ballot))
    assert err.code == "bad-proof" and "contest motion-4 option 0" in err.message


def test_hex_with_whitespace_is_refused(election: Election) -> None:
    """bytes.fromhex skips spaces; a second spelling of the same bytes is refused."""
    ballot = cast(election)
    ct = ballot["contests"][0]["ciphertexts"][0]
    ct[0] = ct[0][:2] + " " + ct[0][2:]
    err = refused(election, resign(ballot))
    assert err.code == "bad-encoding"


@pytest.mark.parametrize("version", [True, 1.0, 2])
def test_a_version_other_than_the_integer_1_is_refused(election: Election, version: Any) -> None:
    ballot = cast(election)
    ballot["version"] = version  # refused before its signature is checked: no need to re-sign
    err = refused(election, ballot)
    assert err.code == "bad-ballot"


def test_upper_case_hex_is_refused(election: Election) -> None:
    ballot = cast(election)
    ballot["contests"][0]["ciphertexts"][0][0] = ballot["contests"][0]["ciphertexts"][0][0].upper()
    err = refused(election, resign(ballot))
    assert err.code == "bad-encoding"


def test_an_over_vote_cannot_be_encrypted(election: Election) -> None:
    with pytest.raises(BallotError) as err:
        encrypt_ballot(election, credential("alice"), 1, dict(ALICE, secretary=["ana", "boris"]))
    assert err.value.code == "over-vote" and "secretary" in err.value.message


def test_an_under_vote_on_a_motion_cannot_be_encrypted(election: Election) -> None:
    with pytest.raises(BallotError) as err:
        encrypt_ballot(election, credential("alice"), 1, dict(ALICE, **{"motion-4": []}))
    assert err.value.code == "under-vote"


def test_a_forced_over_vote_is_refused_by_the_count_proof(election: Election) -> None:
    """A cheating booth skips the check: each option proves 0-or-1 but the count proof fails."""
    forced = encrypt_ballot(
        election, credential("alice"), 1, dict(ALICE, **{"motion-4": ["yes", "no"]}), _check=False
    ).ballot
    err = refused(election, forced)
    assert err.code == "bad-proof"
    assert "contest motion-4 selection count" in err.message


def test_a_vote_of_two_for_one_option_is_refused(election: Election) -> None:
    forced = encrypt_ballot(
        election, credential("alice"), 1, dict(ALICE, **{"motion-4": [2, 0, 0]}), _check=False
    ).ballot
    err = refused(election, forced)
    assert err.code == "bad-proof" and "contest motion-4 option 0" in err.message


def test_an_unsigned_ballot_is_refused(election: Election) -> None:
    ballot = cast(election)
    del ballot["signature"]
    err = refused(election, ballot)
    assert err.code == "unsigned"


def test_a_ballot_signed_by_someone_else_is_refused(election: Election) -> None:
    ballot = resign(cast(election, "alice"), "bob")
    err = refused(election, ballot)
    assert err.code == "bad-signature"


def test_a_credential_off_the_roll_is_refused(election: Election) -> None:
    roll = frozenset(bytes(credential(v).verify_key) for v in ("alice", "bob"))
    err = refused(election, cast(election, "mallory", choices=ALICE), roll=roll)
    assert err.code == "not-on-roll"


def test_a_missing_contest_is_refused(election: Election) -> None:
    ballot = cast(election)
    ballot["contests"].pop()
    err = refused(election, resign(ballot))
    assert err.code == "bad-ballot"


def test_an_audited_ballot_opens_to_its_choices(election: Election) -> None:
    c = encrypt_ballot(election, credential("dora"), 1, CHOICES["dora"])
    assert open_audit(election, c.audit_document()) == CHOICES["dora"]


def test_an_audit_with_wrong_randomness_is_caught(election: Election) -> None:
    c = encrypt_ballot(election, credential("dora"), 1, CHOICES["dora"])
    audit = c.audit_document()
    audit["randomness"]["budget"][1] = g.random_scalar().hex()
    with pytest.raises(BallotError) as err:
        open_audit(election, audit)
    assert err.value.code == "audit-mismatch" and "contest budget option 1" in err.value.message


def test_a_booth_that_encrypts_another_choice_is_caught_by_audit(election: Election) -> None:
    """The booth claims Dora chose 'yes' but encrypted 'no': the audit shows what was encrypted."""
    c = encrypt_ballot(
        election, credential("dora"), 1, dict(CHOICES["dora"], **{"motion-4": ["no"]})
    )
    assert open_audit(election, c.audit_document())["motion-4"] == ["no"]


def test_fixed_seed_gives_identical_ballots(election: Election) -> None:
    seed = bytes(range(32))
    a = encrypt_ballot(election, credential("emil"), 1, CHOICES["emil"], seed=seed)
    b = encrypt_ballot(election, credential("emil"), 1, CHOICES["emil"], seed=seed)
    assert a.ballot == b.ballot and a.tracker == b.tracker


@settings(max_examples=25, deadline=None)
@given(
    motion=st.sampled_from(["yes", "no", "abstain"]),
    secretary=st.sampled_from(["ana", "boris", "chen"]),
    budget=st.sets(st.sampled_from(["press", "hall", "travel", "archive"])),
    seq=st.integers(min_value=1, max_value=2**53 - 1),
)
def test_any_valid_choice_verifies_and_audits_back(
    election: Election, motion: str, secretary: str, budget: set[str], seq: int
) -> None:
    choice = {"motion-4": [motion], "secretary": [secretary], "budget": sorted(budget)}
    cast_ = encrypt_ballot(election, credential("charlie"), seq, choice)
    assert verify_ballot(election, cast_.ballot).seq == seq
    opened = open_audit(election, cast_.audit_document())
    assert opened["motion-4"] == [motion] and opened["secretary"] == [secretary]
    assert set(opened["budget"]) == budget
