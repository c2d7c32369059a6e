"""The number of group operations per ballot is part of the design: it is what bench/ballots.py
compares against the libsodium floor, and a change here is a change of protocol cost."""

from __future__ import annotations

from typing import Any

import nacl.signing
import pytest

from smolny.ballot import group as g
from smolny.ballot.ballots import encrypt_ballot, verify_ballot
from smolny.ballot.election import make_election, parse_manifest


def _election(contest: dict[str, Any]) -> Any:
    m = parse_manifest(
        {
            "type": "smolny-election-manifest",
            "version": 1,
            "election_id": "cost",
            "trustees": 1,
            "threshold": 1,
            "contests": [contest],
        }
    )
    return make_election(m, g.base_mul(g.random_scalar()))


@pytest.mark.parametrize(
    ("contest", "choice", "encrypt_ops", "verify_ops"),
    [
        # 1-of-3: per option 3 base + 5 variable to encrypt and prove, 1 base + 3 variable per
        # branch to verify; the count proof is one branch (prove 1+1, verify 1+3).
        (
            {"id": "m", "kind": "motion", "options": ["yes", "no", "abstain"]},
            ["no"],
            (16, 10),
            (21, 7),
        ),
        # Approval of 10: no count proof (every count is allowed).
        (
            {"id": "a", "kind": "approval", "options": [str(i) for i in range(10)]},
            ["1", "4"],
            (50, 30),
            (60, 20),
        ),
    ],
)
def test_scalar_multiplications_per_ballot(
    monkeypatch: pytest.MonkeyPatch,
    contest: dict[str, Any],
    choice: list[str],
    encrypt_ops: tuple[int, int],
    verify_ops: tuple[int, int],
) -> None:
    election = _election(contest)
    cred = nacl.signing.SigningKey.generate()
    counts = [0, 0]
    mul, base_mul = g.mul, g.base_mul

    def c_mul(s: bytes, p: bytes) -> bytes:
        counts[0] += 1
        return mul(s, p)

    def c_base(s: bytes) -> bytes:
        counts[1] += 1
        return base_mul(s)

    monkeypatch.setattr(g, "mul", c_mul)
    monkeypatch.setattr(g, "base_mul", c_base)
    ballot = encrypt_ballot(election, cred, 1, {contest["id"]: choice}).ballot
    assert tuple(counts) == encrypt_ops
    counts[:] = [0, 0]
    verify_ballot(election, ballot)
    assert tuple(counts) == verify_ops
