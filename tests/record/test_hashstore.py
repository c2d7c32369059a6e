"""The stored tree: incremental appends, proofs from O(log n) hashes, and their verification.

Every property is checked against the reference functions of ``merkle``, which rebuild the
whole tree as RFC 9162 §2.1 states it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.record.hashstore import (
    HashRun,
    MemoryHashStore,
    MissingHash,
    append,
    subtree_keys,
)
from smolny.record.merkle import (
    VerificationError,
    consistency_path,
    hash_children,
    hash_leaf,
    inclusion_path,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)
from smolny.record.proofs import consistency_proof, inclusion_proof, tree_root


def leaves(n: int) -> list[bytes]:
    return [hash_leaf(f"entry {i}".encode()) for i in range(n)]


def build(hashes: Sequence[bytes], batches: Sequence[int] = ()) -> MemoryHashStore:
    """A store filled by appending ``hashes`` in batches of the given sizes, then the rest."""
    store = MemoryHashStore()
    size = 0
    for batch in [*batches, len(hashes)]:
        chunk = hashes[size : size + batch]
        if not chunk:
            continue
        result = append(store, size, chunk)
        store.put_many(result.nodes)
        assert result.root == tree_hash(hashes[: result.size])
        size = result.size
    return store


class CountingStore(MemoryHashStore):
    """A real in-memory store that also counts how many hashes each read returns."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get(self, level: int, index: int) -> bytes:
        self.reads += 1
        return super().get(level, index)

    def get_many(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        self.reads += len(keys)
        return [super(CountingStore, self).get(level, index) for level, index in keys]

    def get_range(self, level: int, start: int, stop: int) -> bytes:
        self.reads += stop - start
        return super().get_range(level, start, stop)


def flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


sizes = st.integers(min_value=1, max_value=300)


@st.composite
def tree_and_batches(draw: st.DrawFn) -> tuple[int, list[int]]:
    n = draw(sizes)
    batches = draw(st.lists(st.integers(min_value=1, max_value=40), max_size=12))
    return n, batches


@settings(max_examples=150, deadline=None)
@given(tree_and_batches())
def test_incremental_appends_store_exactly_the_complete_subtrees(
    case: tuple[int, list[int]],
) -> None:
    n, batches = case
    hashes = leaves(n)
    store = build(hashes, batches)
    for level in range(n.bit_length()):
        assert store.count(level) == n >> level
        for index in range(n >> level):
            width = 1 << level
            assert store.get(level, index) == tree_hash(hashes[index * width : (index + 1) * width])


@settings(max_examples=100, deadline=None)
@given(tree_and_batches(), st.data())
def test_proofs_from_the_store_equal_proofs_from_a_full_rebuild(
    case: tuple[int, list[int]], data: st.DataObject
) -> None:
    n, batches = case
    hashes = leaves(n)
    store = build(hashes, batches)
    size = data.draw(st.integers(min_value=1, max_value=n), label="size")
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="index")
    size1 = data.draw(st.integers(min_value=1, max_value=size), label="size1")
    assert tree_root(store, size) == tree_hash(hashes[:size])
    assert inclusion_proof(store, index, size) == inclusion_path(hashes[:size], index)
    assert consistency_proof(store, size1, size) == consistency_path(hashes[:size], size1)


@pytest.mark.parametrize("n", range(1, 34))
def test_every_inclusion_and_consistency_proof_verifies(n: int) -> None:
    hashes = leaves(n)
    store = build(hashes, [3, 1, 7])
    roots = [tree_hash(hashes[:size]) for size in range(n + 1)]
    for size in range(1, n + 1):
        for index in range(size):
            proof = inclusion_proof(store, index, size)
            verify_inclusion(hashes[index], index, size, proof, roots[size])
        for size1 in range(1, size + 1):
            proof = consistency_proof(store, size1, size)
            verify_consistency(size1, size, roots[size1], roots[size], proof)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=200), st.data())
def test_flipping_any_bit_of_an_inclusion_proof_fails(n: int, data: st.DataObject) -> None:
    hashes = leaves(n)
    store = build(hashes)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    proof = inclusion_proof(store, index, n)
    root = tree_hash(hashes)
    spots = [("leaf", -1), ("root", -1), *(("proof", i) for i in range(len(proof)))]
    where, at = data.draw(st.sampled_from(spots))
    bit = data.draw(st.integers(min_value=0, max_value=255))
    leaf = flip(hashes[index], bit) if where == "leaf" else hashes[index]
    bad_root = flip(root, bit) if where == "root" else root
    bad_proof = [flip(p, bit) if (where, i) == ("proof", at) else p for i, p in enumerate(proof)]
    with pytest.raises(VerificationError):
        verify_inclusion(leaf, index, n, bad_proof, bad_root)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=200), st.data())
def test_flipping_any_bit_of_a_consistency_proof_fails(n: int, data: st.DataObject) -> None:
    hashes = leaves(n)
    store = build(hashes)
    size1 = data.draw(st.integers(min_value=1, max_value=n - 1))
    proof = consistency_proof(store, size1, n)
    root1, root2 = tree_hash(hashes[:size1]), tree_hash(hashes)
    spots = [("root1", -1), ("root2", -1), *(("proof", i) for i in range(len(proof)))]
    where, at = data.draw(st.sampled_from(spots))
    bit = data.draw(st.integers(min_value=0, max_value=255))
    r1 = flip(root1, bit) if where == "root1" else root1
    r2 = flip(root2, bit) if where == "root2" else root2
    bad = [flip(p, bit) if (where, i) == ("proof", at) else p for i, p in enumerate(proof)]
    with pytest.raises(VerificationError):
        verify_consistency(size1, n, r1, r2, bad)


def test_proofs_for_a_tree_of_65536_leaves_read_only_log_n_hashes() -> None:
    """GIVEN 2^16 stored leaves, WHEN proofs are made, THEN each reads at most 2 log2(n) hashes."""
    n = 1 << 16
    hashes = leaves(n)
    store = CountingStore()
    size = 0
    for start in range(0, n, 1000):
        result = append(store, size, hashes[start : start + 1000])
        store.put_many(result.nodes)
        size = result.size
    cases = [(0, n), (n - 1, n), (12345, n), (40000, 50001), (65534, 65535)]
    for index, size in cases:
        store.reads = 0
        proof = inclusion_proof(store, index, size)
        assert store.reads <= 2 * 16, (index, size, store.reads)
        verify_inclusion(hashes[index], index, size, proof, tree_root(store, size))
    for size1, size2 in [(1, n), (n - 1, n), (12345, 54321), (32768, 65535), (3, 5)]:
        store.reads = 0
        proof = consistency_proof(store, size1, size2)
        assert store.reads <= 2 * 16, (size1, size2, store.reads)
        verify_consistency(size1, size2, tree_root(store, size1), tree_root(store, size2), proof)
    store.reads = 0
    tree_root(store, 54321)
    assert store.reads == bin(54321).count("1")


def test_an_append_reads_at_most_one_old_hash_per_level_plus_the_root() -> None:
    store = CountingStore()
    hashes = leaves(5000)
    store.put_many(append(store, 0, hashes[:4095]).nodes)
    store.reads = 0
    result = append(store, 4095, hashes[4095:4100])
    assert store.reads <= 2 * 13
    assert result.root == tree_hash(hashes[:4100])


def test_append_returns_the_rows_to_persist() -> None:
    store = MemoryHashStore()
    store.put_many(append(store, 0, leaves(3)).nodes)
    result = append(store, 3, leaves(4)[3:])
    rows = [row for run in result.nodes for row in run.nodes()]
    assert [(level, index) for level, index, _ in rows] == [(0, 3), (1, 1), (2, 0)]
    assert rows[-1][2] == result.root == tree_hash(leaves(4))


def test_root_of_the_empty_tree_and_subtree_keys() -> None:
    store = MemoryHashStore()
    assert tree_root(store, 0) == hashlib.sha256(b"").digest()
    assert subtree_keys(13) == [(3, 0), (2, 2), (0, 12)]
    result = append(store, 0, [])
    assert result.size == 0
    assert result.nodes == []
    assert result.root == hashlib.sha256(b"").digest()


def test_the_memory_store_refuses_to_rewrite_a_hash() -> None:
    store = MemoryHashStore()
    store.put_many(append(store, 0, leaves(4)).nodes)
    with pytest.raises(ValueError, match="refusing to change"):
        store.put_many([HashRun(0, 2, hash_leaf(b"forged"))])
    store.put_many([HashRun(0, 2, leaves(4)[2])])  # the same hash again is harmless
    assert store.get(0, 2) == leaves(4)[2]


def test_the_memory_store_refuses_gaps_and_names_missing_hashes() -> None:
    store = MemoryHashStore()
    with pytest.raises(ValueError, match="only 0 nodes exist"):
        store.put_many([HashRun(0, 5, leaves(1)[0])])
    with pytest.raises(MissingHash) as missing:
        store.get(3, 7)
    assert (missing.value.level, missing.value.index) == (3, 7)
    with pytest.raises(MissingHash):
        store.get_range(0, 0, 1)


def test_proof_generation_refuses_impossible_requests() -> None:
    store = build(leaves(8))
    with pytest.raises(ValueError):
        inclusion_proof(store, 8, 8)
    with pytest.raises(ValueError):
        consistency_proof(store, 0, 8)
    with pytest.raises(ValueError):
        consistency_proof(store, 5, 4)
    with pytest.raises(MissingHash):
        inclusion_proof(store, 0, 9)


def test_append_refuses_leaf_hashes_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        append(MemoryHashStore(), 0, [b"short"])


def test_verifiers_refuse_wrong_length_hashes_without_crashing() -> None:
    h = leaves(2)
    root = hash_children(h[0], h[1])
    with pytest.raises(VerificationError, match="31 bytes"):
        verify_inclusion(h[0][:31], 0, 2, [h[1]], root)
    with pytest.raises(VerificationError, match="proof element 0"):
        verify_inclusion(h[0], 0, 2, [h[1] + b"x"], root)
    with pytest.raises(VerificationError, match="first root"):
        verify_consistency(1, 2, b"", root, [h[1]])


def test_consistency_from_size_zero_is_refused_even_when_empty() -> None:
    empty = hashlib.sha256(b"").digest()
    with pytest.raises(VerificationError, match="empty tree"):
        verify_consistency(0, 0, empty, empty, [])
    with pytest.raises(VerificationError, match="empty tree"):
        verify_consistency(0, 1, empty, leaves(1)[0], [])


def test_equal_sizes_need_equal_roots_and_an_empty_proof() -> None:
    h = leaves(3)
    root = tree_hash(h)
    verify_consistency(3, 3, root, root, [])
    with pytest.raises(VerificationError):
        verify_consistency(3, 3, root, root, [h[0]])
    with pytest.raises(VerificationError):
        verify_consistency(3, 3, root, tree_hash(h[:2]), [])
