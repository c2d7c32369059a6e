"""The number of group operations per ballot is part of the design: it is what bench/ballots.py
compares against the libsodium floor, and a change here is a change of protocol cost.  For the
prover it must also not depend on the choices: encrypting "yes" costs what "no" costs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import nacl.signing
import pytest

from smolny.ballot import group as g
from smolny.ballot.ballots import encrypt_ballot, verify_ballot
from smolny.ballot.election import make_election, parse_manifest

MOTION = {"id": "m", "kind": "motion", "options": ["yes", "no", "abstain"]}
APPROVAL = {"id": "a", "kind": "approval", "options": [str(i) for i in range(10)]}


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


def _count(monkeypatch: pytest.MonkeyPatch, fn: Callable[[], Any]) -> tuple[int, int, int]:
    """(variable-base mults, base mults, additions and subtractions) made by fn()."""
    counts = [0, 0, 0]
    for name, slot in (("mul", 0), ("base_mul", 1), ("add", 2), ("sub", 2)):
        real = getattr(g, name)

        def counted(*args: bytes, _real: Any = real, _slot: int = slot) -> bytes:
            counts[_slot] += 1
            result: bytes = _real(*args)
            return result

        monkeypatch.setattr(g, name, counted)
    fn()
    monkeypatch.undo()
    return counts[0], counts[1], counts[2]


@pytest.mark.parametrize(
    ("contest", "choices", "encrypt_ops", "verify_ops"),
    [
        # 1-of-3.  Per option: encrypt 1 base + 1 variable + 1 addition (of the identity for a
        # 0); the true branch 1 base + 1 variable; the simulated one, from r and the vote,
        # 2 base + 1 variable + 1 addition.  The count proof has one branch (1 + 1) and its
        # statement's first half is (Σr)·G (1 base), its second two additions.  The verifier
        # recomputes each branch from the proof alone: 1 base + 3 variable + 2 additions, and
        # a subtraction for the branch of value 1; plus four additions to sum the ciphertexts.
        (MOTION, (["yes"], ["no"], ["abstain"]), (10, 14, 8), (21, 7, 22)),
        # Approval of 10: no count proof (every count is allowed).
        (APPROVAL, ([], ["1", "4"], [str(i) for i in range(10)]), (30, 40, 20), (60, 20, 50)),
    ],
)
def test_group_operations_per_ballot(
    monkeypatch: pytest.MonkeyPatch,
    contest: dict[str, Any],
    choices: tuple[list[str], ...],
    encrypt_ops: tuple[int, int, int],
    verify_ops: tuple[int, int, int],
) -> None:
    election = _election(contest)
    g.small_multiple(len(contest["options"]))  # fill the cache of m·G, built by additions
    cred = nacl.signing.SigningKey.generate()
    for choice in choices:
        ops, ballot = _count_cast(monkeypatch, election, cred, {contest["id"]: choice})
        assert ops == encrypt_ops, choice
        assert _count(monkeypatch, functools.partial(verify_ballot, election, ballot)) == verify_ops


def _count_cast(
    monkeypatch: pytest.MonkeyPatch, election: Any, cred: Any, choices: dict[str, list[str]]
) -> tuple[tuple[int, int, int], dict[str, Any]]:
    ballot: dict[str, Any] = {}

    def cast() -> None:
        ballot.update(encrypt_ballot(election, cred, 1, choices).ballot)

    return _count(monkeypatch, cast), ballot
