"""The disjunctive proof: the prover's shortcut gives the verifier's points, byte for byte."""

from __future__ import annotations

import pytest

from smolny.ballot import group as g
from smolny.ballot.proofs import (
    Nonces,
    OrProof,
    challenge_int,
    fields,
    or_challenge_holds,
    or_commitments,
    prove_or,
)

KEY = g.base_mul(g.int_to_scalar(4242))
CONTEXT = fields([b"election", b"voter", b"seq"])
VALUES = (0, 1, 2, 3)


def _encrypt(m: int, r: bytes) -> tuple[bytes, bytes]:
    return g.base_mul(r), g.add(g.mul(r, KEY), g.small_multiple(m))


def _prove_the_verifiers_way(
    ct: tuple[bytes, bytes], real: int, r: bytes, nonces: Nonces
) -> OrProof:
    """The textbook simulator: a_j = z_j·G − c_j·A, b_j = z_j·H − c_j·(B − v_j·G)."""
    a_ct, b_ct = ct
    order = g.ORDER
    cs, zs, commits = [0] * len(VALUES), [0] * len(VALUES), []
    w = nonces.integer("x", "w")
    for j, v in enumerate(VALUES):
        if j == real:
            commits += [g.base_mul(g.int_to_scalar(w)), g.mul(g.int_to_scalar(w), KEY)]
            continue
        cs[j], zs[j] = nonces.integer("x", "c", str(j)), nonces.integer("x", "z", str(j))
        nc, z = g.int_to_scalar(-cs[j]), g.int_to_scalar(zs[j])
        bj = g.sub(b_ct, g.small_multiple(v)) if v else b_ct
        commits += [g.add(g.base_mul(z), g.mul(nc, a_ct)), g.add(g.mul(z, KEY), g.mul(nc, bj))]
    encoded = CONTEXT + fields([KEY, a_ct, b_ct, *commits])
    cs[real] = (challenge_int("t", encoded) - sum(cs)) % order
    zs[real] = (w + cs[real] * g.scalar_to_int(r)) % order
    return OrProof(tuple(map(g.int_to_scalar, cs)), tuple(map(g.int_to_scalar, zs)))


def _holds(ct: tuple[bytes, bytes], proof: OrProof) -> bool:
    commits = or_commitments(KEY, ct, VALUES, proof)
    return commits is not None and or_challenge_holds("t", CONTEXT, KEY, ct, proof, commits)


@pytest.mark.parametrize("m", VALUES)
def test_the_prover_shortcut_gives_the_textbook_proof_which_verifies(m: int) -> None:
    r = g.random_scalar()
    ct = _encrypt(m, r)
    seed = bytes(range(32))
    proof = prove_or("t", CONTEXT, KEY, ct, VALUES, m, r, Nonces(seed), ("x",))
    assert proof == _prove_the_verifiers_way(ct, m, r, Nonces(seed))
    assert _holds(ct, proof)


@pytest.mark.parametrize(("m", "claimed"), [(5, 3), (1, 2), (0, 3)])
def test_a_proof_for_a_value_outside_the_list_or_a_false_branch_fails(m: int, claimed: int) -> None:
    """Over-votes in tests: the real branch named is not what the ciphertext holds."""
    r = g.random_scalar()
    ct = _encrypt(m, r)
    seed = bytes(range(32))
    proof = prove_or("t", CONTEXT, KEY, ct, VALUES, claimed, r, Nonces(seed), ("x",), m)
    assert proof == _prove_the_verifiers_way(ct, claimed, r, Nonces(seed))
    assert not _holds(ct, proof)
