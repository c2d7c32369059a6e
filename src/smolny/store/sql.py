"""The writes of one commit, in as few statements and round trips as each backend allows.

A group commit writes a few hundred rows over the entry, tree and read-model tables, and
once the constitution has decided, this is where its time goes.  The two backends want
opposite things, so :class:`Writes` collects a commit's writes and sends them each way.

*SQLite* runs in the process: there is no round trip to save, and one short statement is
prepared once per connection (the sqlite3 module caches it) and stepped per row in C by
``executemany``, where a multi-row ``VALUES`` list would be rebuilt, converted to qmark style
and prepared again each time.  Each write runs when it is added.

*PostgreSQL* is a round trip away, and Django binds parameters on the client: psycopg quotes
every value into the SQL text in Python, a multi-row ``VALUES (...), (...)`` statement changes
its text with every row count so nothing is reused, and each statement waits for its answer
before the next is sent.  A group commit of 64 actions spent more time in the driver than in
everything else.  So on PostgreSQL the writes are held until :meth:`Writes.flush`, which sends
them as **one statement**: each write a data-modifying ``WITH`` part, each table's rows one JSON
array read on the server by ``json_populate_recordset(NULL::table, ...)`` (Python's C JSON
encoder does the per-row work; the server converts each value with the column's own input
function, exactly as a literal would be).  A keyed table's rows are upserted (``ON CONFLICT
(key) DO UPDATE`` of every column); owned rows are deleted by owner and inserted.  All parts
of one statement see the same snapshot, so a part never sees another's rows: a delete removes
only rows that existed before the commit, which is what a rewrite of owned rows needs.  The
statement's text depends only on which tables are written, so psycopg converts it once and the
server prepares it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

SQLITE_CHUNK = 500
"""Values per ``IN (...)`` list on SQLite: far below its limit on bound parameters."""


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()  # bytea's hex input format
    obj = getattr(value, "obj", _json_default)  # psycopg's Json/Jsonb wrapper (a JSONField)
    if obj is not _json_default:
        return obj
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def _rows_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    names = [column.strip('"') for column in columns]
    return json.dumps(
        [dict(zip(names, row, strict=True)) for row in rows],
        default=_json_default,
        ensure_ascii=False,
        separators=(",", ":"),
    )


class Writes:
    """Writes to run in the current transaction of Django ``connection`` (see module doc).

    Table and column names are given quoted, as the caller's ``connection.ops.quote_name``
    makes them.  Call :meth:`flush` before reading anything written.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self._parts: list[str] = []
        self._params: list[Any] = []

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self._insert(table, columns, rows, "")

    def upsert(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], key: int
    ) -> None:
        """Insert ``rows``, each replacing every column of the row with the same ``key``."""
        updates = ", ".join(f"{c} = excluded.{c}" for i, c in enumerate(columns) if i != key)
        self._insert(table, columns, rows, f" ON CONFLICT ({columns[key]}) DO UPDATE SET {updates}")

    def _insert(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], suffix: str
    ) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.postgres:
            self._parts.append(
                f"INSERT INTO {table} ({names}) SELECT {names} "
                f"FROM json_populate_recordset(NULL::{table}, %s::json){suffix}"
            )
            self._params.append(_rows_json(columns, rows))
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {one}{suffix}", rows)

    def delete_in(self, table: str, column: str, values: Sequence[str]) -> None:
        """``DELETE FROM table WHERE column IN values``: rows from before this commit only."""
        if not values:
            return
        if self.postgres:
            # One index probe per value, whatever the planner believes of the table's size: the
            # rows are found in a LATERAL subquery per value and deleted by row address.  A
            # plain ``IN (subquery)`` was planned as a scan of the whole table on a young
            # database (no statistics yet), so every commit cost more as the table grew.
            self._parts.append(
                f"DELETE FROM {table} WHERE ctid = ANY(ARRAY("
                f"SELECT t.ctid FROM json_array_elements_text(%s::json) AS v(value) "
                f"CROSS JOIN LATERAL (SELECT ctid FROM {table} WHERE {column} = v.value OFFSET 0) AS t))"
            )
            self._params.append(json.dumps(list(values), ensure_ascii=False))
            return
        with self.connection.cursor() as cursor:
            for start in range(0, len(values), SQLITE_CHUNK):
                chunk = values[start : start + SQLITE_CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)

    def delete_pairs(
        self, table: str, first: str, second: str, pairs: Sequence[tuple[str, str]]
    ) -> None:
        """``DELETE FROM table WHERE (first, second) IN pairs``: rows from before this commit."""
        if not pairs:
            return
        if self.postgres:
            # As delete_in: one index probe per pair, deleted by row address.
            self._parts.append(
                f"DELETE FROM {table} WHERE ctid = ANY(ARRAY("
                f"SELECT t.ctid FROM json_array_elements(%s::json) AS p "
                f"CROSS JOIN LATERAL (SELECT ctid FROM {table} "
                f"WHERE {first} = p->>0 AND {second} = p->>1 OFFSET 0) AS t))"
            )
            self._params.append(json.dumps([list(p) for p in pairs], ensure_ascii=False))
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {table} WHERE {first} = %s AND {second} = %s", pairs)

    def statement(self, sql: str, params: Sequence[Any]) -> None:
        """Any other data-modifying statement (``UPDATE``, ``INSERT``, ``DELETE``)."""
        if self.postgres:
            self._parts.append(sql)
            self._params.extend(params)
            return
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)

    def flush(self) -> None:
        """Send what is held (PostgreSQL: as one statement); an error raises here."""
        if not self._parts:
            return
        import psycopg

        parts = ", ".join(f"w{i} AS ({part})" for i, part in enumerate(self._parts))
        sql, params = f"WITH {parts} SELECT 1", self._params
        self._parts, self._params = [], []
        # Server-side binding (Django's cursor would quote the JSON into the SQL text).
        with psycopg.Cursor(self.connection.connection) as cursor:
            cursor.execute(sql, params)


def fetch_first(connection: Any, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    """The first row of a query, prepared once per connection on PostgreSQL.

    Not in pipeline mode, though that would send the transaction's ``BEGIN`` in the same round
    trip: psycopg's pipeline machinery costs more CPU than the round trip it saves, and with
    64 writers the process's CPU, not the network, bounds a group commit (PostgreSQL, 64
    writers, alternating runs: 5,616-5,829 appends/s without it against 4,915-5,510 with it;
    one writer: 608-640 against 531-569).
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()  # type: ignore[no-any-return]
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()
