"""Roots and proofs for any tree size, from O(log n) stored hashes (RFC 9162 §2.1.3.1, §2.1.4.1).

Every element of an RFC 9162 proof is the hash of a run of leaves.  Following the RFC's
recursion, each run is either a perfect aligned subtree (stored as one node by
:mod:`smolny.record.hashstore`) or the right-hand part of a range whose left edge is aligned to
a power of two at least as large as the range; such a run is a handful of stored nodes, one per
set bit of its length, folded right to left.  Only one element of a proof can be of the second
kind, so a proof reads at most about 2 log2(n) stored hashes, in a single ``get_many`` call,
and never touches the leaves of the tree.  The reference functions in
:mod:`smolny.record.merkle` rebuild the tree instead; the tests check both give the same bytes.
"""

from __future__ import annotations

from smolny.record.hashstore import HashStore, fold_subtrees, subtree_keys
from smolny.record.merkle import split_point

Key = tuple[int, int]


def range_keys(start: int, stop: int) -> list[Key]:
    """The stored nodes whose fold is MTH(D[start:stop]), largest first.

    Precondition (true of every range in an RFC 9162 proof): ``start`` is a multiple of a power
    of two not smaller than ``stop - start``, so the pieces are aligned and the RFC's split at
    the largest power of two below the length is always the first piece.
    """
    keys: list[Key] = []
    length = stop - start
    for level in reversed(range(length.bit_length())):
        if length >> level & 1:
            keys.append((level, start >> level))
            start += 1 << level
    return keys


def _gather(store: HashStore, groups: list[list[Key]]) -> list[bytes]:
    flat = [key for group in groups for key in group]
    hashes = dict(zip(flat, store.get_many(flat), strict=True))
    return [fold_subtrees([hashes[key] for key in group]) for group in groups]


def tree_root(store: HashStore, size: int) -> bytes:
    """MTH of the first ``size`` leaves: fold of the O(log n) complete subtrees of ``size``."""
    if size < 0:
        raise ValueError("size must not be negative")
    keys = subtree_keys(size)
    return fold_subtrees(store.get_many(keys))


def inclusion_proof(store: HashStore, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 §2.1.3.1, from stored hashes."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    groups: list[list[Key]] = []
    start, n, m = 0, size, index
    # Walk down from the root; each step adds the sibling run, so collect and reverse.
    while n > 1:
        k = split_point(n)
        if m < k:
            groups.append(range_keys(start + k, start + n))
            n = k
        else:
            groups.append(range_keys(start, start + k))
            start, n, m = start + k, n - k, m - k
    groups.reverse()
    return _gather(store, groups)


def consistency_proof(store: HashStore, size1: int, size2: int) -> list[bytes]:
    """PROOF(size1, D[size2]) of RFC 9162 §2.1.4.1, from stored hashes.

    ``size1`` = 0 is refused: no proof from the empty tree exists (see :mod:`.merkle`).
    """
    if not 0 < size1 <= size2:
        raise ValueError(f"no consistency proof from size {size1} to size {size2}")
    groups: list[list[Key]] = []
    start, n, m, complete = 0, size2, size1, True
    while m != n:
        k = split_point(n)
        if m <= k:
            groups.append(range_keys(start + k, start + n))
            n = k
        else:
            groups.append(range_keys(start, start + k))
            start, n, m, complete = start + k, n - k, m - k, False
    if not complete:
        groups.append(range_keys(start, start + n))
    groups.reverse()
    return _gather(store, groups)
