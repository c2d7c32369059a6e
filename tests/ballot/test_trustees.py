"""The key ceremony and threshold decryption, with each kind of misbehaving trustee named."""

from __future__ import annotations

import copy
from typing import Any

import nacl.public
import pytest

from smolny.ballot import group as g
from smolny.ballot.ballots import encrypt_ballot, verify_ballot
from smolny.ballot.election import BallotError, Election, Manifest, sign_document
from smolny.ballot.tally import Entry, accumulate, tally_document, tally_hash
from smolny.ballot.trustee import (
    TrusteeKey,
    check_ceremony,
    check_decryption,
    combine,
    lagrange_at_zero,
    partial_decrypt,
    trustee_commit,
    trustee_finish,
    trustee_init,
    trustee_share,
)

from .conftest import CHOICES, VOTERS, credential, run_ceremony

Docs = dict[int, dict[str, Any]]


def test_any_two_of_three_trustees_hold_the_election_secret(
    ceremony: tuple[Election, dict[int, TrusteeKey], Docs],
) -> None:
    election, keys, _ = ceremony
    for pair in ((1, 2), (1, 3), (2, 3)):
        lam = lagrange_at_zero(pair)
        x = sum(lam[i] * g.scalar_to_int(keys[i].share or b"") for i in pair) % g.ORDER
        assert g.base_mul(g.int_to_scalar(x)) == election.public_key


def test_one_trustee_alone_does_not_hold_it(
    ceremony: tuple[Election, dict[int, TrusteeKey], Docs],
) -> None:
    election, keys, _ = ceremony
    for i in (1, 2, 3):
        assert g.base_mul(keys[i].share or b"") != election.public_key


def test_verification_keys_match_each_trustees_share(
    ceremony: tuple[Election, dict[int, TrusteeKey], Docs],
) -> None:
    election, keys, docs = ceremony
    result = check_ceremony(election.manifest, docs)
    for i in (1, 2, 3):
        assert result.verification_keys[i] == g.base_mul(keys[i].share or b"")


def _partial(manifest: Manifest) -> tuple[dict[int, TrusteeKey], Docs]:
    keys: dict[int, TrusteeKey] = {}
    docs: Docs = {}
    for i in (1, 2, 3):
        keys[i], ident = trustee_init(manifest, i)
        docs[i] = {"identity": ident}
    for i in (1, 2, 3):
        docs[i]["commit"] = trustee_commit(manifest, keys[i])
    for i in (1, 2, 3):
        docs[i]["reveal"], docs[i]["shares"] = trustee_share(manifest, keys[i], docs)
    return keys, docs


def test_shares_cannot_be_dealt_before_everyone_committed(manifest: Manifest) -> None:
    keys: dict[int, TrusteeKey] = {}
    docs: Docs = {}
    for i in (1, 2, 3):
        keys[i], ident = trustee_init(manifest, i)
        docs[i] = {"identity": ident}
    docs[1]["commit"] = trustee_commit(manifest, keys[1])
    with pytest.raises(BallotError) as err:
        trustee_share(manifest, keys[1], docs)
    assert err.value.code == "missing" and "trustee 2: commit" in err.value.message


def test_a_dealer_who_sends_a_bad_share_is_named(manifest: Manifest) -> None:
    """Karl (2) seals a wrong share for Clara (3); Clara complains; the verifier names Karl."""
    keys, docs = _partial(manifest)
    clara_pk = nacl.public.PublicKey(bytes.fromhex(docs[3]["identity"]["box_key"]))
    bad = nacl.public.SealedBox(clara_pk).encrypt(g.random_scalar())
    shares = copy.deepcopy(docs[2]["shares"])
    shares["shares"]["3"] = bad.hex()
    docs[2]["shares"] = sign_document(keys[2].signing_key, shares)
    for i in (1, 2, 3):
        docs[i]["finish"] = trustee_finish(manifest, keys[i], docs)
    assert docs[3]["finish"]["complaints"][0]["dealer"] == 2
    result = check_ceremony(manifest, docs)
    blamed = {(who, step) for who, step, _ in result.failures}
    assert (2, "shares") in blamed
    assert any("trustee 2: dealt trustee 3 a share that fails" in m for _, _, m in result.failures)
    assert not any(
        who == 3 and step == "finish" and "false" in m for who, step, m in result.failures
    )


def test_a_false_complaint_names_the_accuser(manifest: Manifest) -> None:
    """Clara complains about Rosa's good share: opening the box shows it is valid."""
    keys, docs = _partial(manifest)
    for i in (1, 2, 3):
        docs[i]["finish"] = trustee_finish(manifest, keys[i], docs)
    import nacl.bindings

    sealed = bytes.fromhex(docs[1]["shares"]["shares"]["3"])
    shared = nacl.bindings.crypto_box_beforenm(sealed[:32], keys[3].box_secret)
    fin = dict(docs[3]["finish"], complaints=[{"dealer": 1, "shared_key": shared.hex()}])
    docs[3]["finish"] = sign_document(keys[3].signing_key, fin)
    failures = check_ceremony(manifest, docs).failures
    assert failures == [
        (3, "finish", "trustee 3: false complaint, trustee 1's share to it is valid")
    ]


def test_a_reveal_that_differs_from_its_commitment_is_named(manifest: Manifest) -> None:
    keys, docs = _partial(manifest)
    for i in (1, 2, 3):
        docs[i]["finish"] = trustee_finish(manifest, keys[i], docs)
    reveal = copy.deepcopy(docs[1]["reveal"])
    reveal["commitments"][1] = g.base_mul(g.random_scalar()).hex()
    docs[1]["reveal"] = sign_document(keys[1].signing_key, reveal)
    failures = check_ceremony(manifest, docs).failures
    assert failures[0][0] == 1 and "reveal does not match its commitment" in failures[0][2]


def test_a_bad_proof_of_knowledge_is_named(manifest: Manifest) -> None:
    """Karl commits to a reveal whose proof is broken: the hash matches, the proof does not."""
    keys, docs = _partial(manifest)
    reveal = copy.deepcopy(docs[2]["reveal"])
    reveal["proofs"][0]["z"] = g.random_scalar().hex()
    docs[2]["reveal"] = sign_document(keys[2].signing_key, reveal)
    commit = dict(docs[2]["commit"])
    from smolny.ballot.trustee import _reveal_hash

    commit["commitment"] = _reveal_hash(docs[2]["reveal"])
    docs[2]["commit"] = sign_document(keys[2].signing_key, commit)
    failures = check_ceremony(manifest, docs).failures
    assert failures == [(2, "reveal", "trustee 2: proof of knowledge of coefficient 0 fails")]


def test_a_document_signed_by_another_key_is_named(manifest: Manifest) -> None:
    keys, docs = run_ceremony(manifest)
    docs[3]["finish"] = sign_document(keys[1].signing_key, docs[3]["finish"])
    failures = check_ceremony(manifest, docs).failures
    assert [(w, s) for w, s, _ in failures] == [(3, "finish")]
    assert "signature does not verify" in failures[0][2]


def _tally(
    election: Election,
) -> tuple[dict[str, Any], list[tuple[str, list[tuple[bytes, bytes]]]], int]:
    entries = []
    for v in VOTERS:
        b = encrypt_ballot(election, credential(v), 1, CHOICES[v]).ballot
        vb = verify_ballot(election, b)
        entries.append(Entry(v, vb.voter, vb.seq, vb.tracker, vb.ciphertexts))
    cts = accumulate(election, entries)
    return tally_document(election, entries, cts), cts, len(entries)


def test_any_two_trustees_decrypt_the_tally(
    ceremony: tuple[Election, dict[int, TrusteeKey], Docs],
) -> None:
    election, keys, docs = ceremony
    tally, cts, n = _tally(election)
    th = tally_hash(tally)
    vks = check_ceremony(election.manifest, docs).verification_keys
    shares = {
        i: check_decryption(
            election,
            docs[i]["identity"],
            vks[i],
            cts,
            th,
            partial_decrypt(election, keys[i], tally, th),
        )
        for i in (1, 2, 3)
    }
    want = [[3, 1, 1], [3, 1, 1], [3, 1, 1, 1]]
    for pair in ((1, 2), (1, 3), (2, 3)):
        assert combine(2, cts, {i: shares[i] for i in pair}, n) == want
    assert combine(2, cts, shares, n) == want


def test_fewer_than_threshold_cannot_decrypt(
    ceremony: tuple[Election, dict[int, TrusteeKey], Docs],
) -> None:
    election, keys, _ = ceremony
    tally, cts, n = _tally(election)
    th = tally_hash(tally)
    doc = partial_decrypt(election, keys[2], tally, th)
    d = [[bytes.fromhex(s["d"]) for s in c["shares"]] for c in doc["contests"]]
    with pytest.raises(BallotError) as err:
        combine(2, cts, {2: d}, n)
    assert err.value.code == "below-threshold"
    # Forcing a threshold of 1 with one share gives garbage, not the count.
    with pytest.raises(BallotError) as err:
        combine(1, cts, {2: d}, n)
    assert err.value.code == "no-count"


def test_a_partial_decryption_with_a_wrong_proof_is_named(
    ceremony: tuple[Election, dict[int, TrusteeKey], Docs],
) -> None:
    election, keys, docs = ceremony
    tally, cts, _ = _tally(election)
    th = tally_hash(tally)
    vks = check_ceremony(election.manifest, docs).verification_keys
    doc = copy.deepcopy(partial_decrypt(election, keys[2], tally, th))
    doc["contests"][1]["shares"][2]["c"] = g.random_scalar().hex()
    doc = sign_document(keys[2].signing_key, doc)
    with pytest.raises(BallotError) as err:
        check_decryption(election, docs[2]["identity"], vks[2], cts, th, doc)
    assert err.value.code == "bad-proof"
    assert err.value.message == (
        "trustee 2: contest secretary option 2: proof of correct partial decryption fails"
    )


def test_a_wrong_decryption_share_with_an_honest_looking_proof_fails(
    ceremony: tuple[Election, dict[int, TrusteeKey], Docs],
) -> None:
    """Karl publishes d for a different ciphertext's share: the proof binds d to A."""
    election, keys, docs = ceremony
    tally, cts, _ = _tally(election)
    th = tally_hash(tally)
    vks = check_ceremony(election.manifest, docs).verification_keys
    doc = copy.deepcopy(partial_decrypt(election, keys[2], tally, th))
    doc["contests"][0]["shares"][0]["d"] = doc["contests"][0]["shares"][1]["d"]
    doc = sign_document(keys[2].signing_key, doc)
    with pytest.raises(BallotError) as err:
        check_decryption(election, docs[2]["identity"], vks[2], cts, th, doc)
    assert "trustee 2: contest motion-4 option 0" in err.value.message
