"""Deciding ahead: a group decided while the one before it is written is never committed on a
foundation that did not hold.

GIVEN a group of actions being written (held by a database trigger that pauses on a marked
entry), WHEN more actions arrive, THEN they are decided ahead, on the state that holds the
group being written; and WHEN that group then fails to commit, THEN the group decided on top of
it is decided again against the record and committed, its refusals still refused, and the
record verifies and equals a replay.  And GIVEN two server processes appending to one database
at once, THEN every acknowledged action is in the record at its index with its bytes and the
record verifies: a process that finds the record moved on decides its group again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.db.backends.signals import connection_created

from bench import congress
from smolny.constitution import DomainError, replay
from smolny.constitution import commands as c
from smolny.readmodels.replay import differences
from smolny.store import service
from smolny.store.models import Entry, Head

from .conftest import PYTHON, smolny

MEMBERS = [f"m{i}" for i in range(12)]
PAUSE = 1.0
"""Seconds the trigger holds the marked entry's group: time for the next group to be decided."""


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return 0


def _register_sleep(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("smolny_test_sleep", 1, _sleep)


@pytest.fixture
def failing_trigger(transactional_db: None) -> Iterator[None]:
    """Entries whose text holds ``FAIL-ME`` wait ``PAUSE`` seconds and then fail to insert;
    entries holding ``HOLD-ME`` wait and are inserted."""
    connection_created.connect(_register_sleep)
    connection.ensure_connection()
    _register_sleep(None, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                CREATE FUNCTION smolny_test_trigger() RETURNS trigger AS $$
                BEGIN
                  IF position('HOLD-ME'::bytea in NEW.body) > 0
                     OR position('FAIL-ME'::bytea in NEW.body) > 0 THEN
                    PERFORM pg_sleep({PAUSE});
                  END IF;
                  IF position('FAIL-ME'::bytea in NEW.body) > 0 THEN
                    RAISE EXCEPTION 'refused by the test trigger';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql"""
            )
            cursor.execute(
                "CREATE TRIGGER smolny_test BEFORE INSERT ON store_entry "
                "FOR EACH ROW EXECUTE FUNCTION smolny_test_trigger()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER smolny_test BEFORE INSERT ON store_entry "
                "WHEN instr(NEW.body, CAST('HOLD-ME' AS BLOB)) > 0 "
                "OR instr(NEW.body, CAST('FAIL-ME' AS BLOB)) > 0 "
                f"BEGIN SELECT smolny_test_sleep({PAUSE}); "
                "SELECT RAISE(ABORT, 'refused by the test trigger') "
                "WHERE instr(NEW.body, CAST('FAIL-ME' AS BLOB)) > 0; END"
            )
    try:
        yield
    finally:
        connection_created.disconnect(_register_sleep)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER IF EXISTS smolny_test ON store_entry")
                cursor.execute("DROP FUNCTION IF EXISTS smolny_test_trigger()")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS smolny_test")


def seed() -> None:
    service.forget()
    service.execute_batch(
        [
            (c.FoundFederation("f0", "Ahead Federation", "Congress", {}), None),
            (c.CreateCouncil("f0", "C1", "Dockers", True), None),
        ]
        + [(c.Join(m, m.upper(), "C2"), None) for m in MEMBERS]
    )


def start(command: Any, results: dict[int, Any], n: int) -> threading.Thread:
    def work() -> None:
        try:
            results[n] = service.execute(command)
        except BaseException as error:
            results[n] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"waited 30 s for {what}"
        time.sleep(0.005)


def test_a_group_decided_on_one_that_fails_is_decided_again(failing_trigger: None) -> None:
    seed()
    queue = service._queue("default")
    pipelined, redecided = queue.pipelined, queue.redecided
    size = Head.objects.get().size
    results: dict[int, Any] = {}
    threads = [start(c.FileDocument("m0", "C2", "Minutes FAIL-ME", "..."), results, 0)]
    wait_until(lambda: queue.inflight or 0 in results, "the failing group to be written")
    assert 0 not in results, results
    # Decided ahead, on a state holding the failing group: valid actions and one refusal.
    for n, member in enumerate(MEMBERS[1:], start=1):
        threads.append(start(c.FileDocument(member, "C2", f"Report {n}", "All well."), results, n))
    threads.append(start(c.FileDocument("outsider", "C2", "Forged", "..."), results, 99))
    for thread in threads:
        thread.join(timeout=60)
    assert not isinstance(results[0], list | DomainError)  # the database's error, reported
    assert "refused by the test trigger" in str(results[0])
    assert isinstance(results[99], DomainError) and results[99].code  # the wrong person
    accepted = [results[n] for n in range(1, len(MEMBERS))]
    assert all(isinstance(r, list) for r in accepted), accepted
    assert queue.pipelined > pipelined  # some were decided ahead ...
    assert queue.redecided > redecided  # ... and decided again when the group before failed
    seqs = sorted(e.seq for entries in accepted for e in entries)
    assert seqs == list(range(size, size + len(MEMBERS) - 1))
    for entries in accepted:
        (entry,) = entries
        assert bytes(Entry.objects.get(seq=entry.seq).body) == bytes(entry.body)
    assert not Entry.objects.filter(actor="outsider").exists()
    assert not any(b"FAIL-ME" in bytes(e.body) for e in Entry.objects.all())
    assert Head.objects.get().size == Entry.objects.count() == size + len(MEMBERS) - 1
    assert differences(replay(service.entries())) == []
    code, out = smolny("verify")
    assert code == 0, out
    # The store goes on: the next action is decided against the record.
    (entry,) = service.execute(c.FileDocument("m0", "C2", "Minutes", "Again."))
    assert entry.seq == size + len(MEMBERS) - 1


def test_an_action_decided_ahead_sees_the_group_being_written(failing_trigger: None) -> None:
    """m1 leaves in the group being written; her document, decided ahead of that commit, is
    refused as it would be after it, and m2's is accepted and committed after the group."""
    seed()
    queue = service._queue("default")
    pipelined = queue.pipelined
    results: dict[int, Any] = {}
    with service._local:  # both queue up and are taken as one group
        threads = [
            start(c.Leave("m1"), results, 0),
            start(c.FileDocument("m2", "C2", "Minutes HOLD-ME", "..."), results, 1),
        ]
        wait_until(lambda: len(queue.pending) == 2, "both to queue")
    wait_until(lambda: queue.inflight, "the held group to be written")
    threads.append(start(c.FileDocument("m1", "C2", "After leaving", "..."), results, 2))
    threads.append(start(c.FileDocument("m2", "C2", "After the minutes", "..."), results, 3))
    for thread in threads:
        thread.join(timeout=60)
    assert queue.pipelined > pipelined
    assert isinstance(results[0], list) and isinstance(results[1], list)
    assert isinstance(results[2], DomainError)  # she is no longer a member
    assert not Entry.objects.filter(actor="m1", type="document_filed").exists()
    (later,) = results[3]
    assert later.seq > results[1][0].seq
    assert differences(replay(service.entries())) == []
    code, out = smolny("verify")
    assert code == 0, out


def test_a_redo_never_appends_a_group_the_record_already_holds(transactional_db: None) -> None:
    """A group whose commit failed without saying whether it was committed (a connection lost
    after COMMIT) is looked for in the record before it is decided again."""
    seed()
    queue = service._queue("default")
    entries = service.execute(c.FileDocument("m3", "C2", "Committed once", "..."))
    size = Head.objects.get().size
    request = service._Request([(c.FileDocument("m3", "C2", "Committed once", "..."), None)])
    group = service._Group([request], None, entries[0].seq, None, entries=list(entries))
    group.accepted.append((request, 0, 1))
    service._commit_now([request], queue, "default", landed=group)
    assert request.error is None and request.entries == entries
    assert Head.objects.get().size == size  # nothing appended twice
    # The wrong case: a group that is not in the record is decided again and appended.
    other = service._Request([(c.FileDocument("m4", "C2", "Never committed", "..."), None)])
    stray = service._Group([other], None, size, None, entries=list(entries))
    service._commit_now([other], queue, "default", landed=stray)
    assert other.entries is not None and other.entries[0].seq == size
    assert Head.objects.get().size == size + 1


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
queue = service._queue("default")
print(json.dumps({"acknowledged": acknowledged, "pipelined": queue.pipelined,
                  "redecided": queue.redecided}), flush=True)
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
"""

RECORD = """
import hashlib, json
import django
django.setup()
from smolny.store.models import Entry
print(json.dumps({e.seq: hashlib.sha256(bytes(e.body)).hexdigest() for e in Entry.objects.all()}))
"""


@pytest.mark.slow
def test_two_server_processes_appending_at_once_lose_nothing(
    transactional_db: None, tmp_path: Path
) -> None:
    threads, each = 12, 25
    with congress.database(connection.vendor, tmp_path) as env:
        subprocess.run([PYTHON, "-c", SEED.format(threads=threads)], env=env, check=True)
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
        assert len(record) == 2 + 2 * threads + 1 + 2 * threads * each  # nothing extra
        checked = congress.verify(env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    print(
        "decided ahead / decided again:",
        [(o["pipelined"], o["redecided"]) for o in outcomes],
        file=sys.stderr,
    )
