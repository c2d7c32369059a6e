"""Check a whole stored tree against the entries it claims to hash.

Proofs only show that *one* entry or *one* older root fits the stored hashes.  An operator
restoring a backup, or a mirror after a crash, needs the stronger statement that every stored
node is what the entries give; a corrupted or rewritten row must be named precisely (level and
index) so the damage can be found.  The check rebuilds level 0 from the entries, then each level
from the level below it as stored (already checked), reading the store in bounded chunks with
``get_range`` so a database store never loads the whole tree at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from smolny.record.hashstore import HashStore, MissingHash, hash_pairs
from smolny.record.merkle import HASH_SIZE, hash_leaves
from smolny.record.proofs import tree_root

CHUNK = 1 << 16
"""Nodes read from the store per ``get_range`` call."""


class TreeMismatch(ValueError):
    """A stored node differs from what the entries give.  ``level`` 0 is a leaf hash."""

    def __init__(self, level: int, index: int, message: str) -> None:
        super().__init__(message)
        self.level = level
        self.index = index


def _first_difference(got: bytes, want: bytes) -> int:
    for n in range(0, min(len(got), len(want)), HASH_SIZE):
        if got[n : n + HASH_SIZE] != want[n : n + HASH_SIZE]:
            return n // HASH_SIZE
    return min(len(got), len(want)) // HASH_SIZE


def _chunks(entries: Iterable[bytes]) -> Iterator[Sequence[bytes]]:
    if isinstance(entries, Sequence):
        for start in range(0, len(entries), CHUNK):
            yield entries[start : start + CHUNK]
        return
    chunk: list[bytes] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_tree(
    store: HashStore, size: int, entries: Iterable[bytes], root: bytes | None = None
) -> None:
    """Raise :class:`TreeMismatch` unless the store holds exactly the tree of ``entries``.

    ``entries`` must yield exactly ``size`` entries (raw bytes, not leaf hashes).  Every stored
    node of the tree of ``size`` leaves is checked, lowest level first, then the root if given;
    the error names the first bad ``(level, index)``.
    """
    done = 0
    for chunk in _chunks(entries):
        if done + len(chunk) > size:
            raise TreeMismatch(0, size, f"more than {size} entries were given")
        _compare(store, 0, done, hash_leaves(chunk))
        done += len(chunk)
    if done != size:
        raise TreeMismatch(0, done, f"only {done} entries were given for a tree of size {size}")
    level = 0
    while size >> (level + 1):
        count = size >> (level + 1)
        for start in range(0, count, CHUNK):
            stop = min(count, start + CHUNK)
            below = store.get_range(level, 2 * start, 2 * stop)  # checked just before
            _compare(store, level + 1, start, hash_pairs(below, stop - start))
        level += 1
    if root is not None and tree_root(store, size) != root:
        raise TreeMismatch(level, 0, "the stored tree's root differs from the expected root")


def _compare(store: HashStore, level: int, start: int, computed: bytes) -> None:
    stop = start + len(computed) // HASH_SIZE
    try:
        stored = store.get_range(level, start, stop)
    except MissingHash as missing:
        raise TreeMismatch(
            level, missing.index, f"no stored hash at level {level}, index {missing.index}"
        ) from None
    if stored != computed:
        index = start + _first_difference(stored, computed)
        raise TreeMismatch(
            level, index, f"stored hash at level {level}, index {index} does not match the entries"
        )
