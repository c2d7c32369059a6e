"""Benchmark: a congress of thousands votes at once through a real server, and loses nothing.

Run: ``.venv/bin/python bench/congress.py [--members 2000] [--clients 64] [--threads 8]``
(PostgreSQL: ``bash scripts/with-postgres .venv/bin/python bench/congress.py --databases
postgresql``).

For each database kind:

1. **Seed**, in a subprocess configured like the server (``smolny.store.service.execute_batch``):
   a federation whose base council, the *General Assembly*, has ``--members`` members, each
   with a user and an API bearer token, and one motion filed three days ago, co-sponsored onto
   the agenda by the rules (the default share, 1/10), whose roll-call vote is open now.  A base
   council because its voters are its members: the congress's are delegates, which would take
   thousands of elections to seed, and the record and the server do the same work per vote.
2. **Serve** it with a real ``smolny serve`` process (waitress, ``--threads``), on a fresh SQLite
   database in a temporary directory, or in a fresh schema of ``DATABASE_URL``'s database
   (dropped afterwards; nothing else in that database is touched).
3. **Vote**: ``--clients`` concurrent clients (threads with keep-alive ``http.client``
   connections, spread over ``--client-processes`` forked processes; one process is enough: it
   uses a few per cent of a core, which the report prints, while the server is saturated) share
   the members; every
   member casts her vote once with her own token (``POST /api/commands/cast_vote``), and a share
   of them (``--revote``) then change it, which the rules allow until the vote closes (the last
   vote counts).  Each acknowledged vote (HTTP 201) keeps the entry index of its receipt.
4. **Check**: every acknowledged vote is in the record at its index, with its voter and
   choice, and the record holds no other vote; the motion's roll call (``GET
   /api/motions/ID``, and the read model) shows every member exactly once, with her last
   acknowledged choice; ``smolny verify`` passes on the database.
5. **Ceiling**: the same votes through ``service.execute`` in one process, on a fresh database
   of the same kind seeded the same way, with the same checks: by as many threads as the server
   has (the most requests it can have in the store at once, so the ratio is the web stack's
   cost), and by as many as there are clients (larger group commits: the store's ceiling).

Figures: votes acknowledged per second, p50/p99 latency, errors by status, and CPU time per
vote of the server process (from ``/proc``), of the clients, and of the PostgreSQL cluster (its
postmaster and every backend, when it runs on this machine).  They are wall-clock figures from
a shared machine: compare the rows of one run, not runs.  The exit status is 1 if a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import queue
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
PYTHON = str(REPO / ".venv" / "bin" / "python")
FOUNDER = "founder"
COUNCIL = "C2"
"""The General Assembly: the federation's first council after the congress (C1)."""
CHOICES = ("yes", "no", "abstain")


# --- the plan: who votes what ---------------------------------------------------------------


def member_ids(members: int) -> list[str]:
    return [f"d{i:05d}" for i in range(members)]


def plan(members: int, revote: float, seed: int = 1917) -> list[tuple[str, list[str]]]:
    """Each member's votes, in the order she casts them: one, or two when she changes it."""
    rng = random.Random(seed)
    votes = []
    for member in member_ids(members):
        first = rng.choices(CHOICES, weights=(55, 35, 10))[0]
        cast = [first]
        if rng.random() < revote:
            cast.append(rng.choice([c for c in CHOICES if c != first]))
        votes.append((member, cast))
    rng.shuffle(votes)  # members do not vote in the order they joined
    return votes


# --- inside a process configured like the server ----------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smolny.web.settings")
    import django

    django.setup()


def seed(members: int, tokens: bool = True) -> dict[str, Any]:
    """Seed the federation and its open motion; return the motion, the record's size, tokens.

    The history is dated in the past (founded 72 hours ago, the motion filed 71 hours ago with
    the default 48 hours' notice), so the vote is open now under the default parameters.
    """
    from smolny.constitution import Event
    from smolny.constitution import commands as c
    from smolny.constitution.params import share_of
    from smolny.store.models import Head
    from smolny.store.service import current_state, execute_batch

    ids = member_ids(members)
    start = datetime.now(UTC) - timedelta(hours=72)
    seed_federation(ids, start)
    filed = start + timedelta(hours=1)
    entries = execute_batch(
        [(c.FileMotion(ids[0], COUNCIL, "A day of action on rents", "Resolved: we act."), filed)]
    )
    motion = Event.decode(bytes(entries[0].body)).data["id"]
    needed = share_of(current_state().params.cosponsor_share, members)
    if needed > 1:
        execute_batch(
            [
                (c.CoSponsor(m, motion), filed + timedelta(seconds=i + 1))
                for i, m in enumerate(ids[1:needed])
            ]
        )
    on_agenda = current_state().motions[motion]
    opens, closes = on_agenda.vote_opens, on_agenda.vote_closes
    if on_agenda.status != "agenda" or opens is None or closes is None:
        raise RuntimeError(f"the motion is {on_agenda.status}, not on the agenda")
    if not opens < datetime.now(UTC) < closes:
        raise RuntimeError("the motion's vote is not open now")
    assigned = make_tokens(ids) if tokens else {}
    return {"motion": motion, "first_seq": Head.objects.get().size, "tokens": assigned}


def seed_federation(ids: Sequence[str], start: datetime) -> datetime:
    """A fresh database: the federation founded at ``start`` and ``ids`` joined to its General
    Assembly; returns when the last joined."""
    from django.core.management import call_command

    from smolny.constitution import commands as c
    from smolny.store.service import execute_batch

    call_command("migrate", verbosity=0)
    joined = [start + timedelta(seconds=1, milliseconds=i) for i in range(len(ids))]
    execute_batch(
        [
            (c.FoundFederation(FOUNDER, "Congress Bench Federation", "Congress", {}), start),
            (c.CreateCouncil(FOUNDER, "C1", "General Assembly", True), start),
        ]
        + [(c.Join(m, f"Delegate {i}", COUNCIL), joined[i]) for i, m in enumerate(ids)]
    )
    return joined[-1] if joined else start


def make_tokens(ids: Sequence[str]) -> dict[str, str]:
    """A user and an API bearer token for each member (she signs in with her token only)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from smolny.api.models import ApiToken, new_token, token_hash

    hashed = make_password(None)
    User.objects.bulk_create([User(username=m, password=hashed) for m in ids], batch_size=500)
    users = dict(User.objects.values_list("username", "id"))
    assigned = {m: new_token() for m in ids}
    ApiToken.objects.bulk_create(
        [
            ApiToken(user_id=users[m], name="congress bench", hash=token_hash(t))
            for m, t in assigned.items()
        ],
        batch_size=500,
    )
    return assigned


def record(motion: str, first_seq: int) -> dict[str, Any]:
    """The record's entries from ``first_seq`` on, and the motion's roll-call read model."""
    from smolny.constitution import Event
    from smolny.readmodels.models import VoteRow
    from smolny.store.models import Entry, Head

    entries = []
    for row in Entry.objects.filter(seq__gte=first_seq).order_by("seq"):
        event = Event.decode(bytes(row.body))
        entries.append(
            [
                row.seq,
                event.type,
                event.actor,
                event.data.get("motion"),
                event.data.get("member"),
                event.data.get("choice"),
            ]
        )
    rows = list(VoteRow.objects.filter(owner=motion).values_list("member", "choice"))
    return {
        "first_seq": first_seq,
        "size": Head.objects.get().size,
        "entries": entries,
        "read_model": rows,
    }


def ceiling(members: int, revote: float, threads: int, postmaster: int | None) -> dict[str, Any]:
    """The same votes through ``service.execute`` by ``threads`` threads of this process.

    ``postmaster``: the PostgreSQL server's pid, to measure its CPU time while the votes run.
    """
    from django.db import connections

    from smolny.constitution import commands as c
    from smolny.store.service import current_state, execute

    seeded = seed(members, tokens=False)
    motion = seeded["motion"]
    current_state()  # fold the seeded record before the clock starts, as a running server has
    work: queue.SimpleQueue[tuple[str, list[str]]] = queue.SimpleQueue()
    for item in plan(members, revote):
        work.put(item)
    tally = Tally()

    def voter() -> None:
        try:
            while True:
                try:
                    member, choices = work.get_nowait()
                except queue.Empty:
                    return
                for choice in choices:
                    t = time.perf_counter()
                    try:
                        entries = execute(c.CastVote(member, motion, choice))
                    except Exception as error:
                        tally.error(type(error).__name__)
                        break
                    tally.ack(member, choice, entries[0].seq, time.perf_counter() - t)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=voter) for _ in range(threads)]
    database = cpu_seconds(postmaster, children=True) if postmaster else 0.0
    cpu = time.process_time()
    start = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if postmaster:
        database = cpu_seconds(postmaster, children=True) - database
    return {
        **seeded,
        "tokens": {},
        "outcome": tally.outcome(wall, cpu),
        "database_cpu": database if postmaster else None,
        "record": record(motion, seeded["first_seq"]),
    }


def worker(kind: str, arguments: dict[str, Any]) -> None:
    """``--worker KIND``: run one step in this process, configured like the server; JSON out."""
    _django()
    if kind == "seed":
        result = seed(arguments["members"])
    elif kind == "record":
        result = record(arguments["motion"], arguments["first_seq"])
    elif kind == "ceiling":
        result = ceiling(
            arguments["members"], arguments["revote"], arguments["threads"], arguments["postmaster"]
        )
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    sys.stdout.write(json.dumps(result))


def run_worker(env: dict[str, str], kind: str, *, script: str = __file__, **arguments: Any) -> Any:
    """Run ``script --worker KIND`` (this bench's, or another's that shares its set-up) in a
    process configured like the server; its JSON answer."""
    child = subprocess.run(
        [PYTHON, script, "--worker", kind, json.dumps(arguments)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if child.returncode != 0:
        raise RuntimeError(f"the {kind} worker failed:\n{child.stderr[-4000:]}")
    return json.loads(child.stdout)


# --- databases and the server -----------------------------------------------------------------


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(extra)
    env.setdefault("PYTHONPATH", str(REPO / "src"))
    return env


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose sessions use ``schema`` (libpq's options, kept with any already there)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query["options"] = " ".join(filter(None, [query.get("options", ""), f"-csearch_path={schema}"]))
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextlib.contextmanager
def database(kind: str, scratch: Path) -> Iterator[dict[str, str]]:
    """The environment of a server on a fresh database of ``kind``, dropped afterwards.

    SQLite: a new data directory.  PostgreSQL: a new schema in ``DATABASE_URL``'s database,
    which the server, the workers and ``smolny verify`` are pointed at by their search path.
    """
    data = Path(tempfile.mkdtemp(prefix=f"congress-{kind}-", dir=scratch))
    env = subprocess_env(
        SMOLNY_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="smolny.web.settings",
        SMOLNY_LOG_LEVEL="WARNING",
    )
    if kind == "sqlite":
        env.pop("DATABASE_URL", None)
        yield env
        return
    if kind != "postgresql":
        raise ValueError(f"unknown database kind {kind!r}")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise RuntimeError("PostgreSQL needs DATABASE_URL (bash scripts/with-postgres ...)")
    import psycopg

    schema = f"congress_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        env["DATABASE_URL"] = with_search_path(url, schema)
        yield env
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU time of process ``pid`` from /proc (with ``children``: also that of
    its children, the reaped ones and those still running)."""
    ticks = os.sysconf("SC_CLK_TCK")

    def fields(p: int) -> list[str]:
        stat = Path(f"/proc/{p}/stat").read_text()
        return stat[stat.rindex(")") + 2 :].split()

    own = fields(pid)
    total = int(own[11]) + int(own[12])
    if children:
        total += int(own[13]) + int(own[14])
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    f = fields(int(entry.name))
                except (OSError, ValueError):
                    continue  # gone meanwhile
                if f[1] == str(pid):
                    total += int(f[11]) + int(f[12])
    return total / ticks


def postmaster(url: str) -> int | None:
    """The pid of the PostgreSQL server behind ``url``, if it runs on this machine."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        assert row is not None
        try:  # while the connection is open: its backend exits when it closes
            status = Path(f"/proc/{row[0]}/status").read_text()
        except OSError:
            return None  # another machine (or another pid namespace)
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


class Server:
    """``smolny serve`` as a subprocess, answering on a free port."""

    def __init__(
        self, env: dict[str, str], threads: int, log: Path, connections: int | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            command = ["serve", "--port", str(self.port), "--threads", str(threads)]
            if connections is not None:
                command += ["--connections", str(connections)]
            self.process = subprocess.Popen(
                [PYTHON, "-m", "smolny.cli", *command],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not start:\n{log.read_text()[-4000:]}")

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=120) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


# --- the clients ------------------------------------------------------------------------------


@dataclass
class Outcome:
    acknowledged: list[tuple[str, str, int]]
    """(member, label, entry index) of every acknowledged request, in the order each member
    sent them; the label is her choice (a roll call) or her ballot's tracker (a secret one)."""
    latencies: list[float]
    errors: dict[str, int]
    wall: float
    cpu: float
    """CPU seconds of the process(es) that cast the votes (the clients, or the in-process run)."""

    @property
    def rate(self) -> float:
        return len(self.acknowledged) / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Outcome:
        return cls(
            [(m, ch, s) for m, ch, s in value["acknowledged"]],
            value["latencies"],
            value["errors"],
            value["wall"],
            value["cpu"],
        )


@dataclass
class Tally:
    """What the threads of one process saw (thread-safe)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: list[tuple[str, str, int]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def ack(self, member: str, choice: str, seq: int, latency: float) -> None:
        with self.lock:
            self.acknowledged.append((member, choice, seq))
            self.latencies.append(latency)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1

    def outcome(self, wall: float, cpu: float) -> dict[str, Any]:
        return {
            "acknowledged": self.acknowledged,
            "latencies": self.latencies,
            "errors": dict(self.errors),
            "wall": wall,
            "cpu": cpu,
        }


Work = Sequence[tuple[str, list[tuple[str, str]]]]
"""Each member and her requests in the order she sends them: (label, JSON body); the label
(her choice, or a ballot's tracker) is what the outcome records beside the entry index."""


def _clients(
    port: int,
    path: str,
    tokens: dict[str, str],
    work: Work,
    threads: int,
    go: Any,
) -> dict[str, Any]:
    """Send ``work``'s requests to ``path`` with ``threads`` keep-alive connections, once
    ``go`` is set."""
    pending: queue.SimpleQueue[tuple[str, list[tuple[str, str]]]] = queue.SimpleQueue()
    for item in work:
        pending.put(item)
    tally = Tally()
    ready = threading.Barrier(threads + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.connect()
        ready.wait()
        go.wait()
        try:
            while True:
                try:
                    member, requests = pending.get_nowait()
                except queue.Empty:
                    return
                for label, body in requests:
                    headers = {
                        "Authorization": f"Bearer {tokens[member]}",
                        "Content-Type": "application/json",
                    }
                    t = time.perf_counter()
                    try:
                        conn.request("POST", path, body, headers)
                        response = conn.getresponse()
                        answer = response.read()
                    except (OSError, http.client.HTTPException) as error:
                        # Not retried: whether the server committed it is unknown, which the
                        # checks allow for (an unacknowledged vote may or may not be recorded).
                        tally.error(type(error).__name__)
                        conn.close()
                        break
                    if response.status != 201:
                        tally.error(str(response.status))
                        break  # a refused first vote: do not send her second
                    seq = json.loads(answer)["entries"][0]["seq"]
                    tally.ack(member, label, seq, time.perf_counter() - t)
        finally:
            conn.close()

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    ready.wait()
    cpu = time.process_time()
    go.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    return tally.outcome(time.perf_counter() - start, time.process_time() - cpu)


def _client_process(args: tuple[Any, ...], results: Any) -> None:
    results.put(_clients(*args))


def cast_votes(
    server: Server,
    motion: str,
    tokens: dict[str, str],
    votes: Sequence[tuple[str, list[str]]],
    clients: int,
    processes: int = 1,
) -> Outcome:
    """Every member's roll-call votes through the server by ``clients`` connections."""
    work = [
        (member, [(ch, json.dumps({"motion": motion, "choice": ch})) for ch in choices])
        for member, choices in votes
    ]
    return send(server, "/api/commands/cast_vote", tokens, work, clients, processes)


def send(
    server: Server,
    path: str,
    tokens: dict[str, str],
    work: Work,
    clients: int,
    processes: int = 1,
) -> Outcome:
    """``work``'s requests to ``path`` by ``clients`` concurrent connections, over
    ``processes`` forked processes."""
    if processes <= 1:
        go = threading.Event()
        go.set()
        return Outcome.from_json(_clients(server.port, path, tokens, work, clients, go))
    context = multiprocessing.get_context("fork")
    go_event = context.Event()
    results = context.Queue()
    children = []
    for i in range(processes):
        share = clients // processes + (i < clients % processes)
        args = (server.port, path, tokens, work[i::processes], share, go_event)
        children.append(context.Process(target=_client_process, args=(args, results)))
    for child in children:
        child.start()
    time.sleep(0.5)  # let every process connect before the start
    start = time.perf_counter()
    go_event.set()
    parts = [results.get() for _ in children]
    wall = time.perf_counter() - start
    for child in children:
        child.join()
    errors: Counter[str] = Counter()
    for part in parts:
        errors.update(part["errors"])
    return Outcome(
        [tuple(a) for part in parts for a in part["acknowledged"]],  # type: ignore[misc]
        [x for part in parts for x in part["latencies"]],
        dict(errors),
        wall,
        sum(part["cpu"] for part in parts),
    )


# --- the checks -------------------------------------------------------------------------------


def problems(
    motion: str,
    members: Sequence[str],
    outcome: Outcome,
    stored: dict[str, Any],
    roll_call: Sequence[tuple[str, str]] | None = None,
) -> list[str]:
    """Every way the record and the roll call fail to match what was acknowledged."""
    found: list[str] = []
    errors = sum(outcome.errors.values())
    entries = {seq: rest for seq, *rest in stored["entries"]}
    votes = {seq for seq, (kind, *_) in entries.items() if kind == "vote_cast"}
    last: dict[str, tuple[int, str]] = {}
    for member, choice, seq in outcome.acknowledged:
        if entries.get(seq) != ["vote_cast", member, motion, member, choice]:
            found.append(
                f"acknowledged #{seq} ({member} {choice}) is {entries.get(seq)} in the record"
            )
        if member in last and last[member][0] > seq:
            found.append(f"{member}'s later vote #{seq} has an index below her earlier one")
        last[member] = max(last.get(member, (seq, choice)), (seq, choice))
    acked = {seq for _, _, seq in outcome.acknowledged}
    if len(acked) != len(outcome.acknowledged):
        found.append("two acknowledged votes share an entry index")
    extra = sorted(votes - acked)
    if len(extra) > errors:  # an unanswered request may have been committed; nothing else may
        found.append(f"{len(extra)} recorded votes were never acknowledged: {extra[:5]}...")
    if len(entries) != len(votes):
        found.append(f"{len(entries) - len(votes)} entries other than votes were appended")
    if sorted(entries) != list(range(stored["first_seq"], stored["size"])):
        found.append("the record's entries after the seed do not run without a gap up to its head")
    expected = {member: choice for member, (_, choice) in last.items()}
    rolls = [("read model", stored["read_model"])]
    if roll_call is not None:
        rolls.append(("GET /api/motions", roll_call))
    for name, roll in rolls:
        counts = Counter(member for member, _ in roll)
        twice = [m for m, n in counts.items() if n > 1]
        if twice:
            found.append(f"the roll call ({name}) shows {len(twice)} members twice: {twice[:5]}")
        shown = dict(roll)
        wrong = [m for m, ch in expected.items() if shown.get(m) != ch]
        if wrong:
            found.append(f"the roll call ({name}) differs from the acknowledged votes: {wrong[:5]}")
        if not errors and set(shown) != set(members):
            found.append(f"the roll call ({name}) is not every member once ({len(shown)} shown)")
    return found


def verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "smolny.cli", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


# --- the benchmark ----------------------------------------------------------------------------


@dataclass
class Row:
    path: str
    outcome: Outcome
    server_cpu: float | None = None
    database_cpu: float | None = None


def through_server(
    kind: str, args: argparse.Namespace, scratch: Path
) -> tuple[Row, list[str], float]:
    members = member_ids(args.members)
    votes = plan(args.members, args.revote)
    with database(kind, scratch) as env:
        start = time.perf_counter()
        seeded = run_worker(env, "seed", members=args.members)
        seeding = time.perf_counter() - start
        motion = seeded["motion"]
        pm = postmaster(env["DATABASE_URL"]) if kind == "postgresql" else None
        log = Path(env["SMOLNY_DATA_DIR"]) / "server.log"
        connections = args.connections
        if connections is None and args.clients >= 1000:  # serve's default is 1,000
            connections = args.clients + 10
        server = Server(env, args.threads, log, connections)
        try:
            server.get(f"/api/motions/{motion}")  # the first request loads the state
            server_cpu, db_cpu = server.cpu(), cpu_seconds(pm, True) if pm else 0.0
            outcome = cast_votes(
                server, motion, seeded["tokens"], votes, args.clients, args.client_processes
            )
            server_cpu = server.cpu() - server_cpu
            db_cpu = cpu_seconds(pm, True) - db_cpu if pm else 0.0
            detail = server.get(f"/api/motions/{motion}")
            roll = [(v["member"], v["choice"]) for v in detail["roll_call"]]
        finally:
            server.stop()
        stored = run_worker(env, "record", motion=motion, first_seq=seeded["first_seq"])
        found = problems(motion, members, outcome, stored, roll)
        checked = verify(env)
        if checked.returncode != 0:
            found.append(f"smolny verify failed:\n{checked.stdout}{checked.stderr}")
    row = Row(f"HTTP, {args.clients} clients", outcome, server_cpu, db_cpu if pm else None)
    return row, found, seeding


def in_process(
    kind: str, args: argparse.Namespace, threads: int, scratch: Path
) -> tuple[Row, list[str]]:
    with database(kind, scratch) as env:
        pm = postmaster(env["DATABASE_URL"]) if kind == "postgresql" else None
        result = run_worker(
            env,
            "ceiling",
            members=args.members,
            revote=args.revote,
            threads=threads,
            postmaster=pm,
        )
        outcome = Outcome.from_json(result["outcome"])
        found = problems(result["motion"], member_ids(args.members), outcome, result["record"])
        checked = verify(env)
        if checked.returncode != 0:
            found.append(f"smolny verify failed:\n{checked.stdout}{checked.stderr}")
    path = f"service.execute, {threads} threads"
    return Row(path, outcome, None, result["database_cpu"]), found


HEADER = (
    f"{'database':>10} | {'path':<30} | {'votes/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} | "
    f"{'max ms':>7} | {'server µs':>9} | {'caller µs':>9} | {'PG µs':>7} | errors by status"
)


def show(kind: str, rows: Sequence[Row]) -> None:
    def us(seconds: float | None, votes: int, width: int = 9) -> str:
        if seconds is None:
            return f"{'-':>{width}}"
        return f"{1e6 * seconds / max(votes, 1):{width},.0f}"

    print(HEADER)
    print("-" * len(HEADER))
    for r in rows:
        o = r.outcome
        n = len(o.acknowledged)
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(o.errors.items())) or "none"
        print(
            f"{kind:>10} | {r.path:<30} | {o.rate:7,.0f} | {1000 * o.percentile(0.5):7.1f} | "
            f"{1000 * o.percentile(0.99):7.1f} | {1000 * max(o.latencies, default=0):7.1f} | "
            f"{us(r.server_cpu, n)} | {us(o.cpu, n)} | {us(r.database_cpu, n, 7)} | {errors}"
        )
    web = rows[0].outcome
    for r in rows[1:]:
        if r.outcome.rate:
            print(f"HTTP / {r.path}: {web.rate / r.outcome.rate:.2f} of the votes per second")
    print(
        "µs: CPU time per acknowledged vote of the smolny serve process (server), of the "
        "process(es) casting the votes (caller: the HTTP clients, or the process running the "
        "store in-process), of the PostgreSQL cluster (PG)"
    )
    print(
        f"the HTTP clients used {100 * web.cpu / web.wall:.0f}% of one core"
        if web.wall
        else "no vote was cast"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=64, help="concurrent connections")
    parser.add_argument("--client-processes", type=int, default=1)
    parser.add_argument(
        "--threads",
        type=int,
        default=32,
        help="the server's threads (smolny serve's default, cli.THREADS)",
    )
    parser.add_argument(
        "--connections", type=int, help="smolny serve --connections (default: its own)"
    )
    parser.add_argument("--revote", type=float, default=0.05, help="share who change their vote")
    parser.add_argument("--databases", default="sqlite", help="sqlite,postgresql")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the in-process runs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("arguments", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, json.loads(args.arguments))
        return 0
    votes = sum(len(v) for _, v in plan(args.members, args.revote))
    print(
        f"a congress of {args.members:,} members casting {votes:,} votes "
        f"({votes - args.members:,} changed), {args.clients} clients in "
        f"{args.client_processes} process(es), smolny serve with {args.threads} threads; "
        "wall clock on a shared machine: compare rows of one run"
    )
    failures = 0
    with tempfile.TemporaryDirectory(prefix="smolny-congress-") as directory:
        scratch = Path(directory)
        for kind in args.databases.split(","):
            if kind == "postgresql" and not os.environ.get("DATABASE_URL"):
                print(f"{kind}: not run: set DATABASE_URL (bash scripts/with-postgres ...)")
                continue
            web, found, seeding = through_server(kind, args, scratch)
            rows = [web]
            if not args.no_ceiling:
                # As many threads as the server has (the most it can have in the store at
                # once), and as many as there are clients (the store's own ceiling).
                for threads in sorted({args.threads, args.clients}):
                    store, also = in_process(kind, args, threads, scratch)
                    rows.append(store)
                    found += [f"{store.path}: {p}" for p in also]
            print(f"\n{kind}: seeded {args.members:,} members in {seeding:.1f} s")
            show(kind, rows)
            if found:
                failures += 1
                print("CHECKS FAILED:")
                for problem in found:
                    print(f"  {problem}")
            else:
                print(
                    "checks: every acknowledged vote is in the record at its index with its "
                    "voter and choice, and no other; the roll call shows each of the "
                    f"{args.members:,} members once with her last vote; smolny verify passes"
                )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
