"""Auditing a whole stored tree names the first node that does not match the entries."""

from __future__ import annotations

import pytest

from smolny.record import audit
from smolny.record.audit import TreeMismatch, verify_tree
from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import hash_leaf, tree_hash


def entries(n: int) -> list[bytes]:
    return [f'{{"seq":{i}}}'.encode() for i in range(n)]


def stored(items: list[bytes]) -> MemoryHashStore:
    store = MemoryHashStore()
    store.put_many(append(store, 0, [hash_leaf(e) for e in items]).nodes)
    return store


class TamperedStore(MemoryHashStore):
    """A store whose row at one (level, index) was overwritten behind the record's back."""

    def __init__(self, base: MemoryHashStore, level: int, index: int) -> None:
        super().__init__()
        self._base = base
        self._bad = (level, index)

    def get(self, level: int, index: int) -> bytes:
        value = self._base.get(level, index)
        return bytes(32) if (level, index) == self._bad else value

    def get_range(self, level: int, start: int, stop: int) -> bytes:
        data = bytearray(self._base.get_range(level, start, stop))
        bad_level, bad_index = self._bad
        if level == bad_level and start <= bad_index < stop:
            offset = (bad_index - start) * 32
            data[offset : offset + 32] = bytes(32)
        return bytes(data)


@pytest.mark.parametrize("n", [1, 2, 7, 256, 1000])
def test_an_intact_tree_passes(n: int) -> None:
    items = entries(n)
    verify_tree(stored(items), n, items, tree_hash([hash_leaf(e) for e in items]))


def test_an_intact_prefix_of_a_larger_store_passes() -> None:
    items = entries(100)
    verify_tree(stored(items), 60, items[:60])


@pytest.mark.parametrize(("level", "index"), [(0, 0), (0, 999), (1, 17), (4, 3), (9, 0)])
def test_a_tampered_node_is_named(level: int, index: int) -> None:
    items = entries(1000)
    store = TamperedStore(stored(items), level, index)
    with pytest.raises(TreeMismatch) as error:
        verify_tree(store, 1000, items)
    assert (error.value.level, error.value.index) == (level, index)
    assert f"level {level}, index {index}" in str(error.value)


def test_a_rewritten_entry_is_named_at_level_zero() -> None:
    items = entries(300)
    store = stored(items)
    forged = [*items[:123], b'{"seq":"forged"}', *items[124:]]
    with pytest.raises(TreeMismatch) as error:
        verify_tree(store, 300, forged)
    assert (error.value.level, error.value.index) == (0, 123)


def test_chunked_reading_finds_a_bad_node_in_a_later_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "CHUNK", 16)
    items = entries(200)
    store = TamperedStore(stored(items), 1, 70)
    with pytest.raises(TreeMismatch) as error:
        verify_tree(store, 200, items)
    assert (error.value.level, error.value.index) == (1, 70)


def test_missing_and_extra_entries_are_refused() -> None:
    items = entries(50)
    store = stored(items)
    with pytest.raises(TreeMismatch, match="only 49 entries"):
        verify_tree(store, 50, items[:49])
    with pytest.raises(TreeMismatch, match="more than 50 entries"):
        verify_tree(store, 50, [*items, b"x"])
    with pytest.raises(TreeMismatch, match="no stored hash at level 0, index 50"):
        verify_tree(store, 51, [*items, b"x"])


def test_a_wrong_expected_root_is_refused() -> None:
    items = entries(10)
    with pytest.raises(TreeMismatch, match="root"):
        verify_tree(stored(items), 10, items, hash_leaf(b"not the root"))
