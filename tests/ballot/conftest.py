"""A small demo election for the ballot tests.

Personas: trustees Rosa (1), Karl (2) and Clara (3), threshold 2; voters Alice, Bob, Charlie,
Dora and Emil on the roll; Mallory holds a credential that is not on the roll.  The election
asks a yes/no/abstain motion, a plurality choice of secretary and a four-way approval budget.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import nacl.signing
import pytest

from smolny.ballot import store
from smolny.ballot.ballots import encrypt_ballot
from smolny.ballot.election import Election, Manifest, make_election, parse_manifest
from smolny.ballot.tally import (
    accumulate,
    result_document,
    select_counted,
    tally_document,
    tally_hash,
)
from smolny.ballot.trustee import (
    TrusteeKey,
    check_ceremony,
    check_decryption,
    combine,
    partial_decrypt,
    trustee_commit,
    trustee_finish,
    trustee_init,
    trustee_share,
)
from smolny.ballot.verify import check_ballots

MANIFEST: dict[str, Any] = {
    "type": "smolny-election-manifest",
    "version": 1,
    "election_id": "congress-7",
    "title": "Seventh congress: motions and officers",
    "trustees": 3,
    "threshold": 2,
    "contests": [
        {"id": "motion-4", "kind": "motion", "options": ["yes", "no", "abstain"]},
        {"id": "secretary", "kind": "plurality", "options": ["ana", "boris", "chen"]},
        {"id": "budget", "kind": "approval", "options": ["press", "hall", "travel", "archive"]},
    ],
}
TRUSTEES = {1: "rosa", 2: "karl", 3: "clara"}
VOTERS = ("alice", "bob", "charlie", "dora", "emil")


def credential(name: str) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(hashlib.sha256(b"persona " + name.encode()).digest())


def run_ceremony(
    manifest: Manifest,
) -> tuple[dict[int, TrusteeKey], dict[int, dict[str, Any]]]:
    """All three trustees through identity, commit, share and finish, in process."""
    keys: dict[int, TrusteeKey] = {}
    docs: dict[int, dict[str, Any]] = {}
    for i in range(1, manifest.trustees + 1):
        keys[i], ident = trustee_init(manifest, i)
        docs[i] = {"identity": ident}
    for i, key in keys.items():
        docs[i]["commit"] = trustee_commit(manifest, key)
    for i, key in keys.items():
        docs[i]["reveal"], docs[i]["shares"] = trustee_share(manifest, key, docs)
    for i, key in keys.items():
        docs[i]["finish"] = trustee_finish(manifest, key, docs)
    return keys, docs


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    return parse_manifest(MANIFEST)


@pytest.fixture(scope="session")
def ceremony(
    manifest: Manifest,
) -> tuple[Election, dict[int, TrusteeKey], dict[int, dict[str, Any]]]:
    keys, docs = run_ceremony(manifest)
    result = check_ceremony(manifest, docs)
    assert not result.failures and result.public_key is not None
    return make_election(manifest, result.public_key), keys, docs


@pytest.fixture(scope="session")
def election(ceremony: tuple[Election, Any, Any]) -> Election:
    return ceremony[0]


@pytest.fixture(scope="session")
def other_election() -> Election:
    """Same manifest text but another election id and another key."""
    raw = dict(MANIFEST, election_id="congress-8")
    m = parse_manifest(raw)
    _, docs = run_ceremony(m)
    key = check_ceremony(m, docs).public_key
    assert key is not None
    return make_election(m, key)


CHOICES: dict[str, dict[str, list[str]]] = {
    "alice": {"motion-4": ["yes"], "secretary": ["ana"], "budget": ["press", "hall"]},
    "bob": {"motion-4": ["no"], "secretary": ["boris"], "budget": []},
    "charlie": {"motion-4": ["yes"], "secretary": ["chen"], "budget": ["archive"]},
    "dora": {"motion-4": ["abstain"], "secretary": ["ana"], "budget": ["press", "travel"]},
    "emil": {"motion-4": ["yes"], "secretary": ["ana"], "budget": ["press"]},
}
EMIL_REVOTE = {"motion-4": ["no"], "secretary": ["boris"], "budget": ["hall"]}


def build_election_dir(
    root: Path, election: Election, keys: dict[int, TrusteeKey], docs: dict[int, dict[str, Any]]
) -> None:
    """A complete published election: every voter casts, Emil re-votes, Rosa and Clara decrypt."""
    store.write(root / "manifest.json", election.manifest.raw)
    for i, steps in docs.items():
        for step, doc in steps.items():
            store.write(root / "trustees" / str(i) / f"{step}.json", doc)
    store.write(root / "election.json", election.to_json())
    roll = sorted(bytes(credential(v).verify_key).hex() for v in VOTERS)
    store.write(
        root / "voters.json",
        {"type": "smolny-voter-roll", "election_id": "congress-7", "voters": roll},
    )
    casts = [(v, 1, CHOICES[v]) for v in VOTERS] + [("emil", 2, EMIL_REVOTE)]
    for n, (v, seq, choice) in enumerate(casts, start=1):
        cast = encrypt_ballot(election, credential(v), seq, choice)
        store.write(root / "ballots" / f"{n:08d}.json", cast.ballot)
    results = check_ballots(
        election, frozenset(bytes.fromhex(x) for x in roll), store.ballot_paths(root), 1
    )
    counted, dups = select_counted([e for _, e, _ in results if e is not None])
    assert not dups
    cts = accumulate(election, counted)
    tally = tally_document(election, counted, cts)
    store.write(root / "tally.json", tally)
    th = tally_hash(tally)
    shares = {}
    for i in (1, 3):
        doc = partial_decrypt(election, keys[i], tally, th)
        store.write(root / "decryptions" / f"{i}.json", doc)
        vk = check_ceremony(election.manifest, docs).verification_keys[i]
        shares[i] = check_decryption(election, docs[i]["identity"], vk, cts, th, doc)
    counts = combine(2, cts, shares, len(counted))
    store.write(root / "result.json", result_document(election, [1, 3], counts, len(counted)))


EXPECTED_COUNTS = {
    "motion-4": [2, 2, 1],
    "secretary": [2, 2, 1],
    "budget": [2, 2, 1, 1],
}


@pytest.fixture
def election_dir(tmp_path: Path, ceremony: tuple[Election, Any, Any]) -> Path:
    election, keys, docs = ceremony
    root = tmp_path / "congress-7"
    build_election_dir(root, election, keys, docs)
    return root
