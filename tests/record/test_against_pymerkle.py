"""Our hand-written tree against an independent library (STYLE.md: hand-written code is checked
against the library that also does it).  pymerkle's in-memory tree uses the same RFC 9162
hashing; its proof format differs, so roots at every size are compared."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import EMPTY_ROOT, hash_leaf
from smolny.record.proofs import tree_root


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=140), st.integers(min_value=1, max_value=9))
def test_roots_agree_with_pymerkle_at_every_size(entries: list[bytes], batch: int) -> None:
    theirs = InmemoryTree(algorithm="sha256")
    store = MemoryHashStore()
    size = 0
    for start in range(0, len(entries), batch):
        chunk = entries[start : start + batch]
        result = append(store, size, [hash_leaf(e) for e in chunk])
        store.put_many(result.nodes)
        size = result.size
        for entry in chunk:
            theirs.append_entry(entry)
        assert result.root == theirs.get_root()
    for n in range(1, len(entries) + 1):
        assert tree_root(store, n) == theirs.get_root(n)
    assert tree_root(store, 0) == EMPTY_ROOT == theirs.get_root(0)
