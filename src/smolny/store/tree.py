"""The record's Merkle tree in the database: :class:`smolny.record.hashstore.HashStore` over
the ``store_node`` table.

docs/record.md ("Wiring a database store") gives the contract: a node once written never
changes (the primary key ``(level, idx)`` refuses a second row), a missing node raises
:class:`MissingHash`, and ``get_many`` is one query, so an inclusion or consistency proof
reads its O(log n) rows in one round trip.  Raw SQL rather than the ORM because appends write
about one row per entry inside the append transaction, and the ORM's per-object cost would be
most of that transaction's CPU time.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections

from smolny.record.hashstore import AppendResult, HashRun, MissingHash, subtree_keys
from smolny.record.merkle import HASH_SIZE

from .sql import Writes

TABLE = "store_node"
_CHUNK = 400
"""Keys per ``get_many`` query: far below every backend's limit on bound parameters."""


class DatabaseHashStore:
    """The tree of the database ``using``.  Call it inside the transaction that needs it."""

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._known: dict[tuple[int, int], bytes] = {}

    def prefetch(self, keys: Sequence[tuple[int, int]]) -> None:
        """Read ``keys`` now in one query and answer later reads of them from memory.

        An append reads the left sibling of its first new node at each level and then the
        root's old subtrees: all of them are the complete subtrees of the old size
        (``subtree_keys(size)``), so prefetching those makes an append one read query.
        """
        self._known.update(zip(keys, self.get_many(keys), strict=True))

    def known(self, nodes: dict[tuple[int, int], bytes]) -> None:
        """Answer reads of ``nodes`` from memory (hashes this process wrote and committed)."""
        self._known.update(nodes)

    def frontier(self, result: AppendResult) -> dict[tuple[int, int], bytes]:
        """The complete subtrees of the tree after ``result`` (what the next append reads)."""
        out = {}
        for level, idx in subtree_keys(result.size):
            for run in result.nodes:
                if run.level == level and run.start <= idx < run.start + run.count:
                    at = (idx - run.start) * HASH_SIZE
                    out[level, idx] = run.hashes[at : at + HASH_SIZE]
                    break
            else:
                out[level, idx] = self._known[level, idx]
        return out

    def _cursor(self):  # type: ignore[no-untyped-def]
        return connections[self.using].cursor()

    def get(self, level: int, index: int) -> bytes:
        return self.get_many([(level, index)])[0]

    def get_many(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        if not keys:
            return []
        found: dict[tuple[int, int], bytes] = {k: self._known[k] for k in keys if k in self._known}
        missing = [k for k in keys if k not in found]
        if not missing:
            return [found[key] for key in keys]
        with self._cursor() as cursor:
            for start in range(0, len(missing), _CHUNK):
                chunk = missing[start : start + _CHUNK]
                where = " OR ".join(["(level = %s AND idx = %s)"] * len(chunk))
                params = [value for key in chunk for value in key]
                cursor.execute(f"SELECT level, idx, hash FROM {TABLE} WHERE {where}", params)
                for level, idx, digest in cursor.fetchall():
                    found[level, idx] = bytes(digest)
        out = []
        for key in keys:
            if key not in found:
                raise MissingHash(*key)
            out.append(found[key])
        return out

    def get_range(self, level: int, start: int, stop: int) -> bytes:
        if start < 0 or stop < start:
            raise ValueError(f"bad range {start}..{stop}")
        if start == stop:
            return b""
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT idx, hash FROM {TABLE} WHERE level = %s AND idx >= %s AND idx < %s "
                "ORDER BY idx",
                [level, start, stop],
            )
            rows = cursor.fetchall()
        for offset, (idx, _) in enumerate(rows):
            if idx != start + offset:
                raise MissingHash(level, start + offset)
        if len(rows) != stop - start:
            raise MissingHash(level, start + len(rows))
        return b"".join(bytes(digest) for _, digest in rows)

    def put_many(self, runs: Sequence[HashRun], writes: Writes | None = None) -> None:
        """Store ``runs`` (with ``writes``: as part of that commit's writes)."""
        rows = [row for run in runs for row in run.nodes()]
        if rows:
            own = writes is None
            writes = writes or Writes(connections[self.using])
            writes.insert(TABLE, ("level", "idx", "hash"), rows)
            if own:
                writes.flush()

    def count(self, level: int = 0) -> int:
        """How many nodes of ``level`` are stored (level 0: how many leaves the tree has)."""
        with self._cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE level = %s", [level])
            (n,) = cursor.fetchone()
        return int(n)
