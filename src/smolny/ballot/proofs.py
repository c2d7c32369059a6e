"""Zero-knowledge proofs over ristretto255, made non-interactive by *strong* Fiat–Shamir.

Bernhard, Pereira and Warinschi ("How not to prove yourself: pitfalls of the Fiat–Shamir
heuristic and applications to Helios", ASIACRYPT 2012) showed that hashing only the commitments
("weak" Fiat–Shamir) lets a prover choose the statement after the challenge, which broke
Helios ballot validity proofs.  So every challenge here hashes, each field prefixed with its
length as 8 big-endian bytes (no two field sequences share an encoding): the protocol version,
the group, a domain tag naming the proof, the caller's context (the election fingerprint, the
ballot's credential and sequence number, the contest, the option), the full statement and all
commitments.  A proof lifted into another ballot or another election hashes to a different
challenge and fails.  The 64-byte SHA-512 digest is reduced mod ℓ
(``crypto_core_ristretto255_scalar_reduce``), so challenges are uniform to within 2^-250.

The 0-or-1 and the selection-count proofs are one construction: the disjunctive
Chaum–Pedersen proof of Cramer, Damgård and Schoenmakers ("Proofs of partial knowledge",
CRYPTO 1994).  For an ElGamal ciphertext (A, B) under key H and a list of allowed values
v_0..v_m, the prover shows that for some j, (G, H, A, B − v_j·G) is a Diffie–Hellman tuple:
the true branch is proved honestly, the others are simulated with chosen (c_j, z_j), and the
challenges must add up to the hash.  Proofs are stored in compact form (c_j, z_j); the verifier
recomputes each commitment a_j = z_j·G − c_j·A, b_j = z_j·H − c_j·(B − v_j·G) and checks the
hash of all of them equals Σ c_j.

The Chaum–Pedersen proof of equal discrete logarithms (CRYPTO 1992) proves partial
decryptions; Schnorr proofs of knowledge guard the trustees' coefficient commitments.

Prover randomness comes from :class:`Nonces`: a fresh 32-byte seed expanded with SHA-512 per
labelled use, so that fixed seeds give reproducible cross-language test vectors while a
production seed (``os.urandom``) keeps every nonce independent and secret.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass

from smolny.ballot import group as g

PROTOCOL = b"smolny-ballot/1"
GROUP = b"ristretto255"


def lp(data: bytes) -> bytes:
    """A field with its length as 8 big-endian bytes."""
    return len(data).to_bytes(8, "big") + data


def u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


_HEADER = lp(PROTOCOL) + lp(GROUP)


def challenge(tag: str, parts: Sequence[bytes]) -> bytes:
    """Fiat–Shamir challenge: SHA-512 over protocol, group, tag and parts, reduced mod ℓ."""
    data = b"".join([_HEADER, lp(tag.encode()), *(len(p).to_bytes(8, "big") + p for p in parts)])
    return g.reduce64(hashlib.sha512(data).digest())


class Nonces:
    """Prover randomness: scalar(label) = SHA-512(tag‖seed‖label) mod ℓ, each field length-prefixed."""

    def __init__(self, seed: bytes | None = None) -> None:
        self.seed = os.urandom(32) if seed is None else seed
        if len(self.seed) != 32:
            raise ValueError("nonce seed must be 32 bytes")

    def scalar(self, *label: str) -> bytes:
        h = hashlib.sha512()
        h.update(lp(PROTOCOL + b"/nonce"))
        h.update(lp(self.seed))
        for part in label:
            h.update(lp(part.encode()))
        return g.reduce64(h.digest())


def _neg(s: bytes) -> bytes:
    return g.int_to_scalar(-g.scalar_to_int(s))


def _madd(a: bytes, b: bytes, c: bytes) -> bytes:
    """a + b·c mod ℓ."""
    return g.int_to_scalar(g.scalar_to_int(a) + g.scalar_to_int(b) * g.scalar_to_int(c))


@dataclass(frozen=True, slots=True)
class OrProof:
    """Compact disjunctive Chaum–Pedersen proof: one (challenge, response) per allowed value."""

    c: tuple[bytes, ...]
    z: tuple[bytes, ...]


def prove_or(
    tag: str,
    context: Sequence[bytes],
    key: bytes,
    ct: tuple[bytes, bytes],
    values: Sequence[int],
    real: int,
    r: bytes,
    nonces: Nonces,
    label: Sequence[str],
) -> OrProof:
    """Prove that ``ct`` = (r·G, v·G + r·H) for some v in ``values``; ``values[real]`` is true.

    ``real`` may name a false branch (used only by tests to build over-votes): the result is
    then a well-formed but invalid proof.
    """
    a_ct, b_ct = ct
    m = len(values)
    cs: list[bytes] = [b""] * m
    zs: list[bytes] = [b""] * m
    commits: list[bytes] = []
    w = nonces.scalar(*label, "w")
    for j, v in enumerate(values):
        if j == real:
            commits += [g.base_mul(w), g.mul(w, key)]
            continue
        cs[j] = nonces.scalar(*label, "c", str(j))
        zs[j] = nonces.scalar(*label, "z", str(j))
        nc = _neg(cs[j])
        bj = g.sub(b_ct, g.small_multiple(v)) if v else b_ct
        commits += [
            g.add(g.base_mul(zs[j]), g.mul(nc, a_ct)),
            g.add(g.mul(zs[j], key), g.mul(nc, bj)),
        ]
    c = challenge(tag, [*context, key, a_ct, b_ct, *commits])
    rest = sum(g.scalar_to_int(x) for j, x in enumerate(cs) if j != real)
    cs[real] = g.int_to_scalar(g.scalar_to_int(c) - rest)
    zs[real] = _madd(w, cs[real], r)
    return OrProof(tuple(cs), tuple(zs))


def verify_or(
    tag: str,
    context: Sequence[bytes],
    key: bytes,
    ct: tuple[bytes, bytes],
    values: Sequence[int],
    proof: OrProof,
) -> bool:
    """Check a disjunctive proof; all elements must already be validated points."""
    if len(proof.c) != len(values) or len(proof.z) != len(values):
        return False
    a_ct, b_ct = ct
    commits: list[bytes] = []
    total = 0
    for v, cj, zj in zip(values, proof.c, proof.z, strict=True):
        nc = _neg(cj)
        bj = g.sub(b_ct, g.small_multiple(v)) if v else b_ct
        commits.append(g.add(g.base_mul(zj), g.mul(nc, a_ct)))
        commits.append(g.add(g.mul(zj, key), g.mul(nc, bj)))
        total += g.scalar_to_int(cj)
    c = challenge(tag, [*context, key, a_ct, b_ct, *commits])
    return g.scalar_to_int(c) == total % g.ORDER


@dataclass(frozen=True, slots=True)
class Proof:
    """Compact sigma-protocol proof (challenge, response)."""

    c: bytes
    z: bytes


def prove_dleq(
    tag: str, context: Sequence[bytes], x: bytes, base2: bytes, nonces: Nonces, label: Sequence[str]
) -> tuple[bytes, Proof]:
    """Chaum–Pedersen: return d = x·base2 and a proof that log_G(x·G) = log_base2(d)."""
    y = g.base_mul(x)
    d = g.mul(x, base2)
    w = nonces.scalar(*label, "w")
    c = challenge(tag, [*context, y, base2, d, g.base_mul(w), g.mul(w, base2)])
    return d, Proof(c, _madd(w, c, x))


def verify_dleq(
    tag: str, context: Sequence[bytes], y: bytes, base2: bytes, d: bytes, proof: Proof
) -> bool:
    nc = _neg(proof.c)
    a = g.add(g.base_mul(proof.z), g.mul(nc, y))
    b = g.add(g.mul(proof.z, base2), g.mul(nc, d))
    return challenge(tag, [*context, y, base2, d, a, b]) == proof.c


def prove_schnorr(
    tag: str, context: Sequence[bytes], x: bytes, nonces: Nonces, label: Sequence[str]
) -> Proof:
    """Schnorr proof of knowledge of x for y = x·G."""
    y = g.base_mul(x)
    k = nonces.scalar(*label, "k")
    c = challenge(tag, [*context, y, g.base_mul(k)])
    return Proof(c, _madd(k, c, x))


def verify_schnorr(tag: str, context: Sequence[bytes], y: bytes, proof: Proof) -> bool:
    r = g.add(g.base_mul(proof.z), g.mul(_neg(proof.c), y))
    return challenge(tag, [*context, y, r]) == proof.c
