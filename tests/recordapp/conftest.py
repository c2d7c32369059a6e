"""Shared scenes for the record's wiring: the Harbour federation, the CLI, tampering by SQL."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from django.db import connection

from smolny import cli
from smolny.store import service

REPO = Path(__file__).resolve().parents[2]
PYTHON = str(REPO / ".venv" / "bin" / "python")


def smolny(*args: str) -> tuple[int, str]:
    """Run ``smolny ARGS`` in this process; return its status and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue() + err.getvalue()


def sql(statement: str, params: Sequence[object] = ()) -> None:
    """Change the database behind the application's back, as an intruder with access would."""
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))
    service.forget()


def rewrite_history(seq: int, event: dict[str, object]) -> None:
    """Replace entry ``seq`` with ``event`` and re-sign the whole history with the federation's
    key, as an operator holding the key could: tree rebuilt, checkpoints signed again, so every
    hash and signature checks and only the rules can tell."""
    from smolny import canonical
    from smolny.record.checkpoint import Checkpoint as Head
    from smolny.record.checkpoint import sign_checkpoint
    from smolny.record.hashstore import append
    from smolny.record.merkle import hash_leaf
    from smolny.store import keys
    from smolny.store.models import Checkpoint, Entry
    from smolny.store.tree import DatabaseHashStore

    sql("UPDATE store_entry SET body = %s WHERE seq = %s", [canonical.encode(event), seq])
    sql("DELETE FROM store_cosignature")
    sql("DELETE FROM store_checkpoint")
    sql("DELETE FROM store_node")
    bodies = [bytes(b) for b in Entry.objects.order_by("seq").values_list("body", flat=True)]
    store = DatabaseHashStore()
    result = append(store, 0, [hash_leaf(b) for b in bodies])
    store.put_many(result.nodes)
    key = keys.signer()
    note = sign_checkpoint(Head(key.name, result.size, result.root), key)
    Checkpoint.objects.create(size=result.size, note=note)


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(extra)
    env.setdefault("PYTHONPATH", str(REPO / "src"))
    return env


@pytest.fixture
def harbour(transactional_db: None) -> Iterator[None]:
    """The Harbour federation seeded through the real store: one checkpoint per action.  (The
    seed moves the process's clock forward to close votes; tests/conftest.py gives it back.)"""
    from tests.harbour import seed

    seed()
    yield


assert sys.version_info >= (3, 11)
