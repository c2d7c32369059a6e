"""Where the record keeps its Merkle tree: every complete aligned subtree hash, and nothing else.

A node is addressed as ``(level, index)``: level 0 holds the leaf hashes, and node ``(L, i)`` is
the RFC 9162 §2.1.1 hash of leaves ``[i * 2**L, (i + 1) * 2**L)``.  A node is stored once all its
leaves exist and is never changed afterwards, which is the layout C2SP tlog-tiles serves (a tile
at tile-level ``l`` is 256 consecutive nodes of tree level ``8 * l``).  Because of that:

* an append of ``k`` leaves computes only the new nodes (about ``k`` of them over all levels)
  and reads at most one old node per level, the left sibling of the first new node;
* any root, inclusion proof or consistency proof is a combination of O(log n) stored nodes
  (:mod:`smolny.record.proofs`), so nothing ever rebuilds the tree;
* the stored rows are immutable, which suits an append-only database table.

:func:`append` does not write: it returns the runs of new nodes so the caller can persist them
in the same database transaction as the entries (DESIGN.md, "same database transaction").  A
:class:`HashRun` is one level's new nodes as a single ``bytes`` (consecutive 32-byte hashes), so
a million-leaf build creates no per-node Python object; :meth:`HashRun.nodes` yields the
``(level, index, hash)`` rows for a store that wants them one by one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from smolny.record.merkle import EMPTY_ROOT, HASH_SIZE, NODE_PREFIX, hash_children


class MissingHash(KeyError):
    """The store has no hash at the requested ``(level, index)``."""

    def __init__(self, level: int, index: int) -> None:
        super().__init__(f"no stored hash at level {level}, index {index}")
        self.level = level
        self.index = index


@dataclass(frozen=True, slots=True)
class HashRun:
    """Consecutive nodes of one level: ``hashes`` holds nodes ``start``, ``start + 1``, ..."""

    level: int
    start: int
    hashes: bytes

    @property
    def count(self) -> int:
        return len(self.hashes) // HASH_SIZE

    @property
    def stop(self) -> int:
        return self.start + self.count

    def hash(self, index: int) -> bytes:
        """The hash of node ``index`` of this level, which must be inside the run."""
        if not self.start <= index < self.stop:
            raise MissingHash(self.level, index)
        offset = (index - self.start) * HASH_SIZE
        return self.hashes[offset : offset + HASH_SIZE]

    def nodes(self) -> Iterator[tuple[int, int, bytes]]:
        """The run as ``(level, index, hash)`` rows, e.g. for ``executemany``."""
        data = self.hashes
        for n in range(self.count):
            yield self.level, self.start + n, data[n * HASH_SIZE : (n + 1) * HASH_SIZE]


class HashStore(Protocol):
    """Storage for complete-subtree hashes.  Implemented in memory here and over a table later.

    Contract: a node, once put, never changes (``put_many`` of a different hash for an existing
    node must raise); missing nodes raise :class:`MissingHash` (a ``KeyError``).  ``get_range``
    exists because tiles and whole-tree audits read long runs of one level.
    """

    def get(self, level: int, index: int) -> bytes:
        """The 32-byte hash of node ``(level, index)``."""
        ...

    def get_many(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """The hashes of ``keys``, in the same order (one round trip for a database)."""
        ...

    def get_range(self, level: int, start: int, stop: int) -> bytes:
        """Nodes ``start`` .. ``stop - 1`` of ``level``, concatenated."""
        ...

    def put_many(self, runs: Sequence[HashRun]) -> None:
        """Store new nodes, as returned by :func:`append`."""
        ...


class MemoryHashStore:
    """A :class:`HashStore` keeping each level as one ``bytearray``: compact and fast to append."""

    def __init__(self) -> None:
        self._levels: list[bytearray] = []

    def count(self, level: int) -> int:
        """How many nodes of ``level`` are stored."""
        if level >= len(self._levels):
            return 0
        return len(self._levels[level]) // HASH_SIZE

    def get(self, level: int, index: int) -> bytes:
        if index < 0 or level < 0 or level >= len(self._levels):
            raise MissingHash(level, index)
        data = self._levels[level]
        offset = index * HASH_SIZE
        if offset + HASH_SIZE > len(data):
            raise MissingHash(level, index)
        return bytes(data[offset : offset + HASH_SIZE])

    def get_many(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        return [self.get(level, index) for level, index in keys]

    def get_range(self, level: int, start: int, stop: int) -> bytes:
        if start < 0 or stop < start:
            raise ValueError(f"bad range {start}..{stop}")
        if start == stop:
            return b""
        if stop > self.count(level):
            raise MissingHash(level, max(start, self.count(level)))
        return bytes(self._levels[level][start * HASH_SIZE : stop * HASH_SIZE])

    def put_many(self, runs: Sequence[HashRun]) -> None:
        for run in runs:
            while len(self._levels) <= run.level:
                self._levels.append(bytearray())
            data = self._levels[run.level]
            have = len(data) // HASH_SIZE
            if run.start > have:
                raise ValueError(
                    f"level {run.level}: run starts at {run.start} but only {have} nodes exist"
                )
            overlap = min(have, run.stop) - run.start
            if overlap > 0:
                old = data[run.start * HASH_SIZE : (run.start + overlap) * HASH_SIZE]
                if old != run.hashes[: overlap * HASH_SIZE]:
                    raise ValueError(f"level {run.level}: refusing to change stored hashes")
            data += run.hashes[max(overlap, 0) * HASH_SIZE :]


class AppendResult(NamedTuple):
    """What :func:`append` computed: persist ``nodes``, then publish ``root`` at ``size``."""

    size: int
    nodes: list[HashRun]
    root: bytes


def hash_pairs(level_hashes: bytes, pairs: int) -> bytes:
    """Parent hashes of the first ``2 * pairs`` nodes in ``level_hashes`` (RFC 9162 §2.1.1).

    This is the hot loop of every build and audit: one hashlib object copied from a prefix
    state per node and one slice, nothing else.
    """
    prefix = hashlib.sha256(NODE_PREFIX)
    out = []
    for offset in range(0, pairs * 2 * HASH_SIZE, 2 * HASH_SIZE):
        h = prefix.copy()
        h.update(level_hashes[offset : offset + 2 * HASH_SIZE])
        out.append(h.digest())
    return b"".join(out)


def subtree_keys(size: int) -> list[tuple[int, int]]:
    """The complete subtrees a tree of ``size`` leaves is made of, largest (leftmost) first.

    Each set bit ``L`` of ``size`` is one perfect subtree of ``2**L`` leaves; its node index at
    level ``L`` is ``(size >> L) - 1``.
    """
    return [
        (level, (size >> level) - 1)
        for level in reversed(range(size.bit_length()))
        if size >> level & 1
    ]


def fold_subtrees(hashes: Sequence[bytes]) -> bytes:
    """Combine complete-subtree hashes (largest first) into the RFC 9162 root, right to left."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for h in reversed(hashes[:-1]):
        root = hash_children(h, root)
    return root


def append(store: HashStore, size: int, leaf_hashes: bytes | Sequence[bytes]) -> AppendResult:
    """Compute the nodes that appending ``leaf_hashes`` to a tree of ``size`` leaves creates.

    ``leaf_hashes`` are RFC 9162 leaf hashes (see :func:`smolny.record.merkle.hash_leaf`), as a
    list or already concatenated.  The store is only read (at most one node per level plus the
    root's subtrees); the caller persists ``result.nodes`` with ``store.put_many``.
    """
    data = leaf_hashes if isinstance(leaf_hashes, bytes) else b"".join(leaf_hashes)
    if len(data) % HASH_SIZE:
        raise ValueError("leaf hashes must be 32 bytes each")
    if size < 0:
        raise ValueError("size must not be negative")
    new_size = size + len(data) // HASH_SIZE
    runs: list[HashRun] = []
    level, lo, hi = 0, size, new_size
    while hi > lo:
        runs.append(HashRun(level, lo, data))
        parent_lo, parent_hi = lo >> 1, hi >> 1
        if parent_hi == parent_lo:
            break
        if lo & 1:
            # The first new parent's left child is an old node: the only read at this level.
            data = store.get(level, lo - 1) + data
        data = hash_pairs(data, parent_hi - parent_lo)
        level, lo, hi = level + 1, parent_lo, parent_hi
    return AppendResult(new_size, runs, _root_after(store, new_size, runs))


def _root_after(store: HashStore, size: int, runs: Sequence[HashRun]) -> bytes:
    keys = subtree_keys(size)
    found: dict[tuple[int, int], bytes] = {}
    for level, index in keys:
        if level < len(runs) and runs[level].start <= index < runs[level].stop:
            found[level, index] = runs[level].hash(index)
    missing = [key for key in keys if key not in found]
    found.update(zip(missing, store.get_many(missing), strict=True))
    return fold_subtrees([found[key] for key in keys])
