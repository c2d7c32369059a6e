"""Inserting many rows: one multi-row INSERT per few hundred rows on PostgreSQL, one
``executemany`` of a one-row INSERT on SQLite.

``executemany`` sends one statement per row: on SQLite that is cheap, but on PostgreSQL every
row is a round trip in psycopg's pipeline, which made a group commit of 64 actions (about 300
rows over the entry, tree and read-model tables) cost tens of milliseconds of waiting.  One
``INSERT ... VALUES (...), (...), ...`` per chunk is a single round trip there.  On SQLite the
multi-row statement costs more than it saves: its text differs with every row count, so it is
built, converted to qmark style and prepared again at each commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CHUNK_PARAMS = 10_000
"""Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535."""


def insert_rows(
    cursor: Any,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    suffix: str = "",
) -> None:
    """``INSERT INTO table (columns) VALUES ... suffix`` for every row, in few statements."""
    if not rows:
        return
    width = len(columns)
    one = "(" + ", ".join(["%s"] * width) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    if getattr(getattr(cursor, "db", None), "vendor", None) == "sqlite":
        # SQLite runs in the process: no round trip to save, and one short statement is
        # prepared once per connection (the sqlite3 module caches it) and stepped per row in C,
        # where a long one is rebuilt, converted to qmark style and prepared again each time.
        cursor.executemany(head + one + suffix, rows)
        return
    per = max(1, CHUNK_PARAMS // width)
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        params = [value for row in chunk for value in row]
        cursor.execute(head + ", ".join([one] * len(chunk)) + suffix, params)
