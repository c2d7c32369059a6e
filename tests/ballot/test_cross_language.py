"""Python and the browser's booth-crypto.js produce identical ballots and verify each other's."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from smolny import canonical
from smolny.ballot import group as g
from smolny.ballot.ballots import encrypt_ballot, open_audit, verify_ballot
from smolny.ballot.election import (
    BallotError,
    Election,
    make_election,
    parse_manifest,
    sign_document,
)

from .conftest import CHOICES, MANIFEST, credential

REPO = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("vectors.mjs")


def node(request: dict[str, Any]) -> dict[str, Any]:
    if not (REPO / "node_modules" / "@noble" / "curves").exists():
        subprocess.run(["npm", "ci"], cwd=REPO, check=True, capture_output=True)
    out = subprocess.run(
        ["node", str(HELPER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.fixture(scope="module")
def fixed_election() -> Election:
    """A fixed key (x = 7·11·13) so the vectors are the same on every run."""
    manifest = parse_manifest(
        dict(
            MANIFEST,
            contests=[
                *MANIFEST["contests"],
                {"id": "board", "kind": "approval", "options": [f"c{i}" for i in range(10)]},
            ],
        )
    )
    return make_election(manifest, g.base_mul(g.int_to_scalar(1001)))


SEED = bytes(range(100, 132))
# The tracker of the fixed vector: a change to the format on both sides at once shows here.
GOLDEN_TRACKER = "c195464fbff6447b2c1ac0f3d3cc53d32273fd2fc441987b7b9e95301787f9ec"
SEQ = 3
CHOICE = dict(CHOICES["dora"], board=["c0", "c4", "c9"])


@pytest.fixture(scope="module")
def vectors(fixed_election: Election) -> tuple[dict[str, Any], dict[str, Any]]:
    py = encrypt_ballot(fixed_election, credential("dora"), SEQ, CHOICE, seed=SEED)
    js = node(
        {
            "election": fixed_election.to_json(),
            "credential_seed": bytes(credential("dora")).hex(),
            "seq": SEQ,
            "choices": CHOICE,
            "seed": SEED.hex(),
            "verify": [py.ballot],
            "audit": py.audit_document(),
        }
    )
    return {"ballot": py.ballot, "randomness": py.randomness, "tracker": py.tracker}, js


def test_both_sides_produce_identical_bytes(vectors: tuple[dict[str, Any], dict[str, Any]]) -> None:
    py, js = vectors
    assert js["canonical"].encode() == canonical.encode(py["ballot"])
    assert js["ballot"] == py["ballot"]
    assert js["randomness"] == py["randomness"]
    assert js["tracker"] == py["tracker"] == GOLDEN_TRACKER


def test_javascript_verifies_the_python_ballot(
    vectors: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, js = vectors
    assert js["verified"] == ["ok"]
    assert js["audit_choices"] == CHOICE


def test_python_verifies_the_javascript_ballot(
    fixed_election: Election, vectors: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    _, js = vectors
    v = verify_ballot(fixed_election, js["ballot"])
    assert v.seq == SEQ
    audit = {"type": "smolny-ballot-audit", "ballot": js["ballot"], "randomness": js["randomness"]}
    assert open_audit(fixed_election, audit) == CHOICE


def test_javascript_refuses_what_python_refuses(
    fixed_election: Election, vectors: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    py, _ = vectors
    tampered_proof = copy.deepcopy(py["ballot"])
    z = bytearray(bytes.fromhex(tampered_proof["contests"][3]["proofs"][4]["z"][1]))
    z[3] ^= 1
    tampered_proof["contests"][3]["proofs"][4]["z"][1] = z.hex()
    tampered_proof = sign_document(credential("dora"), tampered_proof)
    bad_point = copy.deepcopy(py["ballot"])
    bad_point["contests"][0]["ciphertexts"][0][1] = "ec" + "ff" * 30 + "7f"
    bad_point = sign_document(credential("dora"), bad_point)
    unsigned = {k: v for k, v in py["ballot"].items() if k != "signature"}
    over_vote = encrypt_ballot(
        fixed_election, credential("dora"), 1, dict(CHOICE, secretary=["ana", "chen"]), _check=False
    ).ballot
    cases = [tampered_proof, bad_point, unsigned, over_vote]
    js = node({"election": fixed_election.to_json(), "verify": cases})
    assert "contest board option 4: proof that it encrypts 0 or 1 fails" in js["verified"][0]
    assert "not a canonical ristretto255 encoding" in js["verified"][1]
    assert js["verified"][2].startswith("unsigned")
    assert "contest secretary selection count: proof that 1..1" in js["verified"][3]
    for case in cases:
        with pytest.raises(BallotError):
            verify_ballot(fixed_election, case)


def test_the_rfc9496_invalid_encodings_are_refused_by_the_booth_too(
    fixed_election: Election,
) -> None:
    from .test_group import INVALID_ALL, MULTIPLES

    js = node(
        {
            "election": fixed_election.to_json(),
            "points": [h for _, h in INVALID_ALL] + MULTIPLES,
        }
    )
    assert js["points"] == [False] * len(INVALID_ALL) + [True] * len(MULTIPLES)
