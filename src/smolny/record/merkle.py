"""RFC 9162 Merkle tree hashing, reference tree functions and proof verification.

The record is a Merkle log so that nobody, including whoever runs the server, can rewrite what
happened without the rewrite failing verification (DESIGN.md, "the record is append-only").  We
follow RFC 9162 (Certificate Transparency 2.0) exactly, because existing verifiers, witnesses and
the C2SP tlog specifications (tlog-checkpoint, tlog-tiles, tlog-cosignature) all speak it:

* RFC 9162 §2.1.1: leaf hash = SHA-256(0x00 || entry), interior node = SHA-256(0x01 || left ||
  right), the empty tree hashes to SHA-256 of the empty string, and a tree of ``n`` leaves splits
  at the largest power of two smaller than ``n``.
* RFC 9162 §2.1.3.1 / §2.1.4.1: inclusion and consistency proofs (``PATH`` and ``PROOF``).  The
  functions here that take a full list of leaf hashes are the *reference* definitions, written
  as the RFC states them; production proofs come from :mod:`smolny.record.proofs`, which reads
  O(log n) stored hashes, and the tests check the two agree.
* RFC 9162 §2.1.3.2 / §2.1.4.2: the verification algorithms, transcribed step by step.

Why hand-written rather than a library: verification is the part every outside auditor runs, so
it must be short enough to read against the RFC in one sitting, and must never crash on hostile
input (hashes of the wrong length, absurd indices such as 2^64 - 1).  The tests check it against
the transparency-dev RFC 6962 vectors and against pymerkle.

Policy: a consistency proof *from size 0* is always an error, even 0 -> 0 with an empty proof.
RFC 9162 defines no proof from the empty tree (every tree is trivially an extension of it, so
such a "proof" proves nothing), and transparency-dev/merkle rejects it since mid-2026; accepting
it would let a client that stored no previous checkpoint believe it had checked consistency.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
"""Every hash in the record is a SHA-256 digest."""

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""RFC 9162 §2.1.1: MTH({}) = HASH(), the root of the empty tree."""

_sha256 = hashlib.sha256


class VerificationError(ValueError):
    """A proof, root or hash did not verify.  The message says which check failed."""


def hash_leaf(entry: bytes) -> bytes:
    """RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))."""
    return _sha256(LEAF_PREFIX + entry).digest()


def hash_leaves(entries: Iterable[bytes]) -> bytes:
    """The leaf hashes of ``entries``, concatenated, as :func:`.hashstore.append` takes them."""
    return b"".join([_sha256(LEAF_PREFIX + entry).digest() for entry in entries])


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    return _sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n`` >= 2), RFC 9162 §2.1.1."""
    return 1 << ((n - 1).bit_length() - 1)


# --- reference definitions over a full list of leaf hashes (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1)


def tree_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of a list of *leaf hashes*, rebuilding the whole tree (RFC 9162 §2.1.1).

    Iterative rather than recursive: combining adjacent pairs level by level and carrying an odd
    last node upwards gives the same tree, because the RFC's split at the largest power of two
    makes every left subtree perfect.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        nxt = [hash_children(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def inclusion_path(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, computed from all leaf hashes (reference only)."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        raise ValueError(f"leaf index {index} is outside a tree of size {n}")
    if n == 1:
        return []
    k = split_point(n)
    if index < k:
        return [*inclusion_path(leaf_hashes[:k], index), tree_hash(leaf_hashes[k:])]
    return [*inclusion_path(leaf_hashes[k:], index - k), tree_hash(leaf_hashes[:k])]


def consistency_path(leaf_hashes: Sequence[bytes], size1: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1, computed from all leaf hashes (reference only).

    ``size1`` must satisfy 0 < size1 <= n (see the module docstring for why 0 is refused).
    """
    n = len(leaf_hashes)
    if not 0 < size1 <= n:
        raise ValueError(f"no consistency proof from size {size1} to size {n}")
    return _subproof(leaf_hashes, size1, True)


def _subproof(d: Sequence[bytes], m: int, b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [tree_hash(d)]
    k = split_point(n)
    if m <= k:
        return [*_subproof(d[:k], m, b), tree_hash(d[k:])]
    return [*_subproof(d[k:], m - k, False), tree_hash(d[:k])]


# --- verification (RFC 9162 §2.1.3.2, §2.1.4.2) ------------------------------------------------


def _check_hash(value: object, what: str) -> bytes:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        size = len(value) if isinstance(value, bytes | bytearray) else type(value).__name__
        raise VerificationError(f"{what} is {size} bytes, a SHA-256 hash is {HASH_SIZE}")
    return bytes(value)


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves with ``root``.

    RFC 9162 §2.1.3.2, step by step.  Returns nothing on success and raises
    :class:`VerificationError` on any failure, including malformed input.
    """
    leaf_hash = _check_hash(leaf_hash, "the leaf hash")
    root = _check_hash(root, "the root")
    proof = [_check_hash(p, f"proof element {i}") for i, p in enumerate(proof)]
    if index < 0 or size < 0:
        raise VerificationError("index and size must not be negative")
    # 1. leaf_index must be smaller than tree_size.
    if index >= size:
        raise VerificationError(f"leaf index {index} is not inside a tree of size {size}")
    # 2. fn = leaf_index, sn = tree_size - 1, r = hash.
    fn, sn, r = index, size - 1, leaf_hash
    # 3. for each p in inclusion_path:
    for p in proof:
        if sn == 0:
            raise VerificationError("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    # 4. sn must be 0 and r must equal the root.
    if sn != 0:
        raise VerificationError("the proof is shorter than the path to the root")
    if r != root:
        raise VerificationError("the inclusion proof does not lead to the given root")


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (``size2``, ``root2``) extends the tree (``size1``, ``root1``).

    RFC 9162 §2.1.4.2, step by step, with two rules the RFC states elsewhere made explicit:
    equal sizes need an empty proof and equal roots, and a larger ``size1`` is refused.  A proof
    from ``size1`` = 0 is refused by policy (see the module docstring).
    """
    root1 = _check_hash(root1, "the first root")
    root2 = _check_hash(root2, "the second root")
    path = [_check_hash(p, f"proof element {i}") for i, p in enumerate(proof)]
    if size1 <= 0:
        raise VerificationError(
            f"no consistency proof from size {size1}: a proof from the empty tree proves nothing"
        )
    if size2 < size1:
        raise VerificationError(f"size {size2} is smaller than size {size1}")
    if size1 == size2:
        if path:
            raise VerificationError("a proof between equal sizes must be empty")
        if root1 != root2:
            raise VerificationError("equal sizes but different roots")
        return
    # 1. an empty path fails.
    if not path:
        raise VerificationError("the consistency proof is empty")
    # 2. if first is an exact power of 2, prepend first_hash.
    if size1 & (size1 - 1) == 0:
        path = [root1, *path]
    # 3. fn = first - 1, sn = second - 1.
    fn, sn = size1 - 1, size2 - 1
    # 4. while LSB(fn) is set, shift both right.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. fr = sr = the first value in the path.
    fr = sr = path[0]
    # 6. for each subsequent value c:
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("the proof is longer than needed")
        if fn & 1 or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    # 7. fr == first_hash, sr == second_hash, sn == 0.
    if sn != 0:
        raise VerificationError("the proof is shorter than needed")
    if fr != root1:
        raise VerificationError("the proof does not lead to the first root")
    if sr != root2:
        raise VerificationError("the proof does not lead to the second root")
