"""Two server processes appending to one database at once lose nothing.

GIVEN one database (SQLite in a temporary directory, or a fresh schema of ``DATABASE_URL``'s
PostgreSQL database) and two processes, each with twelve threads filing documents as fast as
the store acknowledges them, started together, THEN every acknowledged action is in the record
at its index with its bytes, the record holds nothing else, and ``smolny verify`` passes: each
process decides under the record's lock and catches its cached state up with the other's
entries before deciding.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from bench import congress

from .conftest import PYTHON

pytestmark = pytest.mark.slow

WORKER = """
import hashlib, json, sys, threading
import django
django.setup()
from django.db import connections
from smolny.constitution import commands as c
from smolny.store import service
name, threads, each = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
service.current_state()
print("ready", flush=True)
sys.stdin.readline()
acknowledged = []
lock = threading.Lock()
def write(t):
    member = f"{name}{t}"
    try:
        for n in range(each):
            (entry,) = service.execute(c.FileDocument(member, "C2", f"{member} {n}", "..."))
            with lock:
                acknowledged.append([entry.seq, hashlib.sha256(bytes(entry.body)).hexdigest()])
    finally:
        connections.close_all()
workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
print(json.dumps({"acknowledged": acknowledged}), flush=True)
"""

SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from smolny.constitution import commands as c
from smolny.store.service import execute_batch
members = [p + str(t) for p in "ab" for t in range({threads})]
execute_batch(
    [(c.FoundFederation("f0", "Two Servers", "Congress", {{}}), None),
     (c.CreateCouncil("f0", "C1", "Dockers", True), None)]
    + [(c.Join(m, m.upper(), "C2"), None) for m in members]
)
from smolny.store.models import Head
print(Head.objects.get().size)
"""

RECORD = """
import hashlib, json
import django
django.setup()
from smolny.store.models import Entry
print(json.dumps({e.seq: hashlib.sha256(bytes(e.body)).hexdigest() for e in Entry.objects.all()}))
"""


def test_two_server_processes_appending_at_once_lose_nothing(
    transactional_db: None, tmp_path: Path
) -> None:
    threads, each = 12, 25
    with congress.database(connection.vendor, tmp_path) as env:
        seeded = subprocess.run(
            [PYTHON, "-c", SEED.format(threads=threads)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        size = int(seeded.stdout.split()[-1])
        writers = [
            subprocess.Popen(
                [PYTHON, "-c", WORKER, name, str(threads), str(each)],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for name in "ab"
        ]
        for writer in writers:
            assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        outcomes = []
        for writer in writers:
            out, _ = writer.communicate(timeout=600)
            assert writer.returncode == 0
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
        shown = subprocess.run(
            [PYTHON, "-c", RECORD], env=env, capture_output=True, text=True, check=True
        )
        record = {int(k): v for k, v in json.loads(shown.stdout).items()}
        acknowledged = [tuple(a) for o in outcomes for a in o["acknowledged"]]
        assert len(acknowledged) == 2 * threads * each
        for seq, digest in acknowledged:
            assert record[seq] == digest
        assert sorted(record) == list(range(size + 2 * threads * each))  # nothing else
        checked = congress.verify(env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
