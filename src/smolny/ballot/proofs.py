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

import functools
import hashlib
import os
from collections.abc import Iterable, Sequence
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
_L32 = (32).to_bytes(8, "big")


def fields(parts: Iterable[bytes]) -> bytes:
    """The parts as consecutive length-prefixed fields, as every transcript encodes them."""
    return b"".join([_L32 + p if len(p) == 32 else lp(p) for p in parts])


@functools.lru_cache(maxsize=64)
def _head(tag: str) -> bytes:
    return _HEADER + lp(tag.encode())


def challenge_int(tag: str, encoded: bytes) -> int:
    """SHA-512 over protocol, group and tag, then ``encoded`` (the parts, already
    length-prefixed by :func:`fields`), reduced mod ℓ, as an integer."""
    digest = hashlib.sha512(_head(tag) + encoded).digest()
    return int.from_bytes(digest, "little") % g.ORDER


def challenge(tag: str, parts: Sequence[bytes]) -> bytes:
    """Fiat–Shamir challenge: SHA-512 over protocol, group, tag and parts, reduced mod ℓ."""
    return challenge_int(tag, fields(parts)).to_bytes(32, "little")


@functools.lru_cache(maxsize=4096)
def _label_field(part: str) -> bytes:
    return lp(part.encode())


class Nonces:
    """Prover randomness: scalar(label) = SHA-512(tag‖seed‖label) mod ℓ, each field length-prefixed."""

    def __init__(self, seed: bytes | None = None) -> None:
        self.seed = os.urandom(32) if seed is None else seed
        if len(self.seed) != 32:
            raise ValueError("nonce seed must be 32 bytes")
        # The fixed prefix is hashed once; each label extends a copy of it.
        self._prefix = hashlib.sha512(lp(PROTOCOL + b"/nonce") + lp(self.seed))

    def scalar(self, *label: str) -> bytes:
        return self.integer(*label).to_bytes(32, "little")

    def integer(self, *label: str) -> int:
        """:meth:`scalar` as an integer below ℓ."""
        h = self._prefix.copy()
        h.update(b"".join(map(_label_field, label)))
        return int.from_bytes(h.digest(), "little") % g.ORDER


def _neg(s: bytes) -> bytes:
    return g.int_to_scalar(-g.scalar_to_int(s))


def _madd(a: bytes, b: bytes, c: bytes) -> bytes:
    """a + b·c mod ℓ."""
    return g.int_to_scalar(g.scalar_to_int(a) + g.scalar_to_int(b) * g.scalar_to_int(c))


def _le(n: int) -> bytes:
    return n.to_bytes(32, "little")


@dataclass(frozen=True, slots=True)
class OrProof:
    """Compact disjunctive Chaum–Pedersen proof: one (challenge, response) per allowed value."""

    c: tuple[bytes, ...]
    z: tuple[bytes, ...]


def _or_encoded(context: bytes, key: bytes, ct: tuple[bytes, bytes], commits: list[bytes]) -> bytes:
    """The OR proofs' transcript after the tag: context, then key, ciphertext and commitments
    (32-byte elements, each with its length prefix)."""
    return b"".join([context, _L32, key, _L32, ct[0], _L32, ct[1], *[_L32 + x for x in commits]])


def prove_or(
    tag: str,
    context: bytes,
    key: bytes,
    ct: tuple[bytes, bytes],
    values: Sequence[int],
    real: int,
    r: bytes,
    nonces: Nonces,
    label: Sequence[str],
    plaintext: int | None = None,
) -> OrProof:
    """Prove that ``ct`` = (r·G, m·G + r·H) for some m in ``values``; ``values[real]`` is true.

    ``context`` is the caller's context as :func:`fields` encodes it.  ``plaintext`` is m,
    the value ``ct`` really encrypts (``values[real]`` when omitted).  It may differ from
    ``values[real]`` only in tests that build over-votes: the result is then a well-formed but
    invalid proof, exactly as if each commitment were computed as below.

    The commitments are the points a verifier recomputes, a_j = z_j·G − c_j·A and
    b_j = z_j·H − c_j·(B − v_j·G), but the prover knows r and m, so for a simulated branch,
    with s = z_j − c_j·r, they are a_j = s·G and b_j = s·H + c_j·(v_j − m)·G: two base and one
    variable-base multiplication and one addition, where the verifier's formula needs three
    variable-base ones and two or three additions.  Same points, same proof bytes.  The number
    of group operations depends only on ``len(values)``, never on which branch is real.
    """
    m = values[real] if plaintext is None else plaintext
    r_int = g.scalar_to_int(r)
    order = g.ORDER
    n = len(values)
    cs = [0] * n
    zs = [0] * n
    commits: list[bytes] = []
    w = nonces.integer(*label, "w")
    for j, v in enumerate(values):
        if j == real:
            w_b = _le(w)
            commits += [g.base_mul(w_b), g.mul(w_b, key)]
            continue
        c = cs[j] = nonces.integer(*label, "c", str(j))
        z = zs[j] = nonces.integer(*label, "z", str(j))
        s = _le((z - c * r_int) % order)
        commits += [g.base_mul(s), g.add(g.mul(s, key), g.base_mul(_le(c * (v - m) % order)))]
    c = challenge_int(tag, _or_encoded(context, key, ct, commits))
    cs[real] = (c - sum(cs)) % order
    zs[real] = (w + cs[real] * r_int) % order
    return OrProof(tuple(map(_le, cs)), tuple(map(_le, zs)))


def or_commitments(
    key: bytes, ct: tuple[bytes, bytes], values: Sequence[int], proof: OrProof
) -> list[bytes] | None:
    """The verifier's commitments a_j = z_j·G − c_j·A, b_j = z_j·H − c_j·(B − v_j·G), or None
    if the proof has the wrong number of branches.

    Every branch passes A and B to libsodium (``mul`` or ``sub``), which decodes them and
    refuses a non-canonical encoding (``group.InvalidElement``): a ciphertext element received
    without a separate validity check is validated here, before it is hashed as a statement.
    """
    if len(proof.c) != len(values) or len(proof.z) != len(values):
        return None
    a_ct, b_ct = ct
    order = g.ORDER
    add, mul, base_mul = g.add, g.mul, g.base_mul
    commits: list[bytes] = []
    for v, cj, zj in zip(values, proof.c, proof.z, strict=True):
        nc = (-int.from_bytes(cj, "little") % order).to_bytes(32, "little")
        commits.append(add(base_mul(zj), mul(nc, a_ct)))
        bj = g.sub(b_ct, g.small_multiple(v)) if v else b_ct
        commits.append(add(mul(zj, key), mul(nc, bj)))
    return commits


def or_challenge_holds(
    tag: str,
    context: bytes,
    key: bytes,
    ct: tuple[bytes, bytes],
    proof: OrProof,
    commits: list[bytes],
) -> bool:
    """The hash of statement and commitments equals the sum of the branch challenges."""
    total = sum([int.from_bytes(x, "little") for x in proof.c]) % g.ORDER
    return challenge_int(tag, _or_encoded(context, key, ct, commits)) == total


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
