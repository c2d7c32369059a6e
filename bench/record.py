"""Benchmark of smolny.record: building, auditing and proving from the stored Merkle tree.

Run: ``.venv/bin/python bench/record.py [--sizes 100000,1000000] [--batch 1000] [--repeat 3]``

For each size, entries of about 200 bytes of canonical JSON (generated deterministically) are:

* hashed by the *floor*: the same ~2n SHA-256 computations (n leaf hashes, n - 1 interior
  hashes) in a plain hashlib loop that keeps nothing but the current level (two spellings of
  that loop are timed, concatenating the prefix or copying a pre-fed hash object, and the
  faster one is the floor);
* appended to a MemoryHashStore in batches (as the server appends one batch per transaction),
  storing every complete-subtree hash, and computing the root after each batch;
* audited with verify_tree (every stored node recomputed and compared);
* built by pymerkle's InmemoryTree, one append_entry per entry, where that is fast enough;
* built by aics-tlog's MerkleTree (a C2SP tlog library that needs Python >= 3.12, so it runs in
  a venv of its own: ``--aics-python``, made by ``/root/.pyenv/versions/3.12.1/bin/python -m
  venv /tmp/aics312 && /tmp/aics312/bin/pip install aics-tlog==0.2.1``), on the same entries,
  against the same floor measured in its own interpreter; where no such venv exists the
  table says so;
* then 1,000 inclusion proofs and 100 consistency proofs are produced from the store and
  verified.

``--appends sqlite,postgresql`` measures instead *durable acknowledged appends per second*
through the real store (``smolny.store.service.execute``: decide, append the entry, its tree
nodes and a signed checkpoint, project the read models, commit with SQLite synchronous=FULL or
PostgreSQL synchronous_commit=on) with 1, 8 and 64 writer threads, each filing documents to its
own one-member council, for ``--seconds`` each.  Beside each figure: the *physical floor*, the
fsyncs per second of the same disk measured in the same run (write 4 KiB + fsync in a loop), and
how many acknowledged appends each fsync carried (group commit), and the CPU time of the writing
process per append (all of its threads; one Python process can spend at most one core's worth
on appends, so 1e6 / that figure bounds its appends per second).  PostgreSQL needs
``DATABASE_URL`` (e.g. ``bash scripts/with-postgres .venv/bin/python bench/record.py --appends
postgresql``); SQLite runs in a temporary directory.  These are wall-clock figures.

Times are CPU seconds (``time.process_time``), the best of ``--repeat`` interleaved rounds,
because the machine is shared; ratios are against the floor.  Proof timings are CPU time too.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import inspect
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from smolny.canonical import encode
from smolny.record.audit import verify_tree
from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import hash_leaf, hash_leaves, verify_consistency, verify_inclusion
from smolny.record.proofs import consistency_proof, inclusion_proof, tree_root

PYMERKLE_BUDGET_SECONDS = 60.0
"""pymerkle is run at a size only if its time measured at a smaller size predicts less."""


def make_entries(n: int) -> list[bytes]:
    """n canonical-JSON events of about 200 bytes, the same on every run."""
    entries = []
    for i in range(n):
        digest = hashlib.sha256(i.to_bytes(8, "big")).hexdigest()
        entries.append(
            encode(
                {
                    "at": f"2026-11-28T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z",
                    "ballot": digest[:32],
                    "council": f"council-{i % 997}",
                    "kind": "roll_call.vote_cast",
                    "member": f"member-{digest[32:44]}",
                    "motion": f"motion-{i // 5000}",
                    "seq": i,
                    "vote": ("for", "against", "abstain")[i % 3],
                }
            )
        )
    return entries


def floor(entries: Sequence[bytes]) -> bytes:
    """The same SHA-256 work as building the tree, in the plainest hashlib loop.

    Leaves: SHA-256(0x00 || entry); then level by level SHA-256(0x01 || left || right), an odd
    last node carried up.  Nothing is stored beyond the current level.
    """
    sha256 = hashlib.sha256
    level = [sha256(b"\x00" + e).digest() for e in entries]
    while len(level) > 1:
        nxt = [
            sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def floor_prefix_copy(entries: Sequence[bytes]) -> bytes:
    """The same loop, copying a hash object pre-fed with the prefix instead of concatenating."""
    leaf, node = hashlib.sha256(b"\x00"), hashlib.sha256(b"\x01")
    level = []
    for e in entries:
        h = leaf.copy()
        h.update(e)
        level.append(h.digest())
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level) - 1, 2):
            h = node.copy()
            h.update(level[i])
            h.update(level[i + 1])
            nxt.append(h.digest())
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def build(entries: Sequence[bytes], batch: int) -> tuple[MemoryHashStore, bytes]:
    store = MemoryHashStore()
    size, root = 0, b""
    for start in range(0, len(entries), batch):
        result = append(store, size, hash_leaves(entries[start : start + batch]))
        store.put_many(result.nodes)
        size, root = result.size, result.root
    return store, root


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of ``run()`` (process time: other jobs on a shared machine do not count)."""
    gc.collect()
    start = time.process_time()
    value = run()
    return time.process_time() - start, value


def bench_pymerkle(entries: Sequence[bytes], root: bytes) -> float:
    from pymerkle import InmemoryTree

    tree = InmemoryTree(algorithm="sha256")
    start = time.process_time()
    for entry in entries:
        tree.append_entry(entry)
    elapsed = time.process_time() - start
    if tree.get_root() != root:
        raise SystemExit("pymerkle disagrees with smolny.record on the root")
    return elapsed


AICS_SCRIPT = """
from __future__ import annotations
import gc, hashlib, sys, time
from collections.abc import Sequence
from aics_tlog.tree import MerkleTree
data = open(sys.argv[1], "rb").read()
entries, at = [], 0
while at < len(data):
    n = int.from_bytes(data[at:at + 4], "big")
    entries.append(data[at + 4:at + 4 + n])
    at += 4 + n
FLOORS
def build(entries):
    return MerkleTree(entries).root()
best, roots = {}, set()
for _ in range(int(sys.argv[2])):
    for name, run in (("concat", floor), ("copy", floor_prefix_copy), ("aics", build)):
        gc.collect()
        start = time.process_time()
        roots.add(run(entries).hex())
        elapsed = time.process_time() - start
        best[name] = min(best.get(name, elapsed), elapsed)
print(min(best["concat"], best["copy"]), best["aics"], *roots)
"""
"""Run by ``--aics-python``: aics-tlog's build and the floor (``FLOORS``: this module's own
floor functions, the same code) on the same entries, in that interpreter."""


def bench_aics(python: str, entries: Sequence[bytes], root: bytes, repeat: int) -> str:
    """aics-tlog's tree build in its own interpreter, as a ratio to that interpreter's floor."""
    if not os.path.exists(python):
        return f"not run: no {python} (see the module docstring)"
    with tempfile.NamedTemporaryFile(suffix=".entries") as f:
        for entry in entries:
            f.write(len(entry).to_bytes(4, "big") + entry)
        f.flush()
        floors = inspect.getsource(floor) + "\n" + inspect.getsource(floor_prefix_copy)
        child = subprocess.run(
            [python, "-c", AICS_SCRIPT.replace("FLOORS", floors), f.name, str(repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
    if child.returncode != 0:
        return f"not run: {child.stderr.strip().splitlines()[-1:]}"
    t_floor, t_aics, *roots = child.stdout.split()
    if roots != [root.hex()]:
        raise SystemExit("aics-tlog disagrees with smolny.record on the root")
    return f"{float(t_aics):8.2f} s {float(t_aics) / float(t_floor):6.2f}x its floor"


def bench_proofs(store: MemoryHashStore, entries: Sequence[bytes], n: int) -> dict[str, float]:
    rng = random.Random(n)
    root = tree_root(store, n)
    indices = [rng.randrange(n) for _ in range(1000)]
    start = time.process_time()
    proofs = [inclusion_proof(store, i, n) for i in indices]
    made = time.process_time() - start
    start = time.process_time()
    for i, proof in zip(indices, proofs, strict=True):
        verify_inclusion(hash_leaf(entries[i]), i, n, proof, root)
    checked = time.process_time() - start

    pairs = [tuple(sorted(rng.sample(range(1, n + 1), 2))) for _ in range(100)]
    start = time.process_time()
    cproofs = [
        (tree_root(store, a), tree_root(store, b), consistency_proof(store, a, b)) for a, b in pairs
    ]
    cmade = time.process_time() - start
    start = time.process_time()
    for (a, b), (ra, rb, proof) in zip(pairs, cproofs, strict=True):
        verify_consistency(a, b, ra, rb, proof)
    cchecked = time.process_time() - start
    return {"incl_make": made, "incl_verify": checked, "cons_make": cmade, "cons_verify": cchecked}


def fsync_floor(directory: str, seconds: float = 2.0) -> float:
    """fsyncs per second of the disk holding ``directory``: 4 KiB written and flushed each time."""
    path = os.path.join(directory, f".fsync-floor-{os.getpid()}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        block, n = b"x" * 4096, 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            os.write(fd, block)
            os.fsync(fd)
            n += 1
        return n / (time.perf_counter() - start)
    finally:
        os.close(fd)
        os.unlink(path)


def appends_worker(writers: list[int], seconds: float) -> None:
    """Run in a child process configured for one database; print one JSON line per figure."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smolny.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from smolny.constitution import commands as c
    from smolny.store.models import Checkpoint
    from smolny.store.service import current_state, execute, execute_batch

    call_command("migrate", verbosity=0)
    most = max(writers)
    execute_batch(
        [(c.FoundFederation("f0", "Bench Federation", "Congress", {}), None)]
        + [(c.CreateCouncil("f0", "C1", f"Council {i}", True), None) for i in range(most)]
        + [(c.Join(f"w{i}", f"Writer {i}", f"C{i + 2}"), None) for i in range(most)]
    )
    current_state()
    if connection.vendor == "sqlite":
        disk = str(settings.DATABASES["default"]["NAME"].parent)
    else:
        disk = tempfile.gettempdir()
    for count in writers:
        floor_before = fsync_floor(disk, 1.0)
        done = [0] * count
        latencies: list[list[float]] = [[] for _ in range(count)]
        stop = threading.Event()

        def writer(
            i: int,
            stop: threading.Event = stop,
            done: list[int] = done,
            latencies: list[list[float]] = latencies,
        ) -> None:
            try:
                while not stop.is_set():
                    t = time.perf_counter()
                    execute(c.FileDocument(f"w{i}", f"C{i + 2}", f"n{done[i]}", "Minutes."))
                    latencies[i].append(time.perf_counter() - t)
                    done[i] += 1
            finally:
                connections.close_all()

        commits = Checkpoint.objects.count()
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(count)]
        start = time.perf_counter()
        cpu = time.process_time()
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        commits = Checkpoint.objects.count() - commits
        floor = (floor_before + fsync_floor(disk, 1.0)) / 2
        flat = sorted(x for lat in latencies for x in lat)
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "writers": count,
                    "appends": sum(done) / elapsed,
                    "commits": commits / elapsed,
                    "p50_ms": 1000 * flat[len(flat) // 2],
                    "p99_ms": 1000 * flat[int(len(flat) * 0.99)],
                    "fsyncs": floor,
                    "cpu_us": 1e6 * cpu / max(sum(done), 1),
                }
            ),
            flush=True,
        )


def bench_appends(databases: list[str], writers: list[int], seconds: float) -> None:
    print(
        f"durable acknowledged appends through smolny.store.service.execute, "
        f"{seconds:g} s per figure, wall clock"
    )
    header = (
        f"{'database':>10} | {'writers':>7} | {'appends/s':>9} | {'commits/s':>9} | "
        f"{'per commit':>10} | {'p50 / p99 latency':>17} | {'fsyncs/s (floor)':>16} | "
        f"{'appends/fsync':>13} | {'CPU µs/append':>13}"
    )
    print(header)
    print("-" * len(header))
    for database in databases:
        env = dict(os.environ)
        scratch = tempfile.mkdtemp(prefix="smolny-bench-")
        env["SMOLNY_DATA_DIR"] = scratch
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
        elif not env.get("DATABASE_URL"):
            print(f"{database:>10} | not run: set DATABASE_URL (bash scripts/with-postgres ...)")
            continue
        command = [sys.executable, __file__, "--appends-worker", ",".join(map(str, writers))]
        command += ["--seconds", str(seconds)]
        child = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if child.returncode != 0:
            raise SystemExit(f"the {database} run failed:\n{child.stderr}")
        for line in child.stdout.splitlines():
            r = json.loads(line)
            print(
                f"{r['database']:>10} | {r['writers']:>7} | {r['appends']:9,.0f} | "
                f"{r['commits']:9,.0f} | {r['appends'] / max(r['commits'], 1e-9):10.1f} | "
                f"{r['p50_ms']:7.1f} / {r['p99_ms']:5.1f} ms | {r['fsyncs']:16,.0f} | "
                f"{r['appends'] / r['fsyncs']:13.1f} | {r['cpu_us']:13.0f}"
            )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--batch", type=int, default=1000, help="entries per append")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pymerkle", action="store_true")
    parser.add_argument("--aics-python", default="/tmp/aics312/bin/python")
    parser.add_argument("--appends", help="databases for the appends benchmark: sqlite,postgresql")
    parser.add_argument("--writers", default="1,8,64")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--appends-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.appends_worker:
        appends_worker([int(w) for w in args.appends_worker.split(",")], args.seconds)
        return
    if args.appends:
        writers = [int(w) for w in args.writers.split(",")]
        bench_appends(args.appends.split(","), writers, args.seconds)
        return
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"smolny.record benchmark - Python {platform.python_version()}, {platform.machine()}")
    all_entries = make_entries(max(sizes))
    mean = sum(map(len, all_entries[:10000])) / min(10000, len(all_entries))
    print(
        f"entries: canonical JSON, mean {mean:.0f} bytes; append batch {args.batch}; "
        f"CPU time, best of {args.repeat} interleaved rounds"
    )

    rows = []
    floors: list[str] = []
    pymerkle_rate: float | None = None  # seconds per entry, from the last size measured
    for n in sizes:
        entries = all_entries[:n]
        # Interleave the contenders in each round so that they share the machine's moods.
        best: dict[str, float] = {}
        results: dict[str, Any] = {}
        for _ in range(args.repeat):
            rounds: list[tuple[str, Callable[[], Any]]] = [
                ("concat", partial(floor, entries)),
                ("copy", partial(floor_prefix_copy, entries)),
                ("build", partial(build, entries, args.batch)),
            ]
            for name, run in rounds:
                elapsed, results[name] = timed(run)
                best[name] = min(best.get(name, elapsed), elapsed)
            store, root = results["build"]
            if not root == results["concat"] == results["copy"]:
                raise SystemExit("the incremental root differs from the floor's root")
            elapsed, _ = timed(partial(verify_tree, store, n, entries, root))
            best["audit"] = min(best.get("audit", elapsed), elapsed)
        t_concat, t_copy, t_build, t_audit = (best[k] for k in ("concat", "copy", "build", "audit"))
        t_floor = min(t_concat, t_copy)
        pym = "-"
        if not args.no_pymerkle:
            predicted = pymerkle_rate * n if pymerkle_rate is not None else 0.0
            if predicted < PYMERKLE_BUDGET_SECONDS:
                t_pym = bench_pymerkle(entries, root)
                pymerkle_rate = t_pym / n
                pym = f"{t_pym:8.2f} s {t_pym / t_floor:6.1f}x"
            else:
                pym = f"not run: ~{predicted:.0f} s predicted from the smaller size"
        aics = bench_aics(args.aics_python, entries, root, min(args.repeat, 3))
        proofs = bench_proofs(store, entries, n)
        rows.append((n, t_floor, t_build, t_audit, pym, aics, proofs))
        floors.append(f"{n:,}: concatenating {t_concat:.3f} s, prefix copy {t_copy:.3f} s")

    print()
    header = (
        f"{'entries':>10} | {'floor 2n sha256':>15} | {'build (store)':>20} | "
        f"{'audit (verify_tree)':>20} | {'pymerkle InmemoryTree':>21} | aics-tlog MerkleTree"
    )
    print(header)
    print("-" * len(header))
    for n, t_floor, t_build, t_audit, pym, aics, _ in rows:
        print(
            f"{n:>10,} | {t_floor:13.3f} s | {t_build:8.3f} s {t_build / t_floor:6.2f}x floor | "
            f"{t_audit:8.3f} s {t_audit / t_floor:6.2f}x floor | {pym:>21} | {aics}"
        )
    print()
    header = (
        f"{'entries':>10} | {'1,000 inclusion: make':>22} | {'verify':>10} | "
        f"{'100 consistency: make':>22} | {'verify':>10}"
    )
    print(header)
    print("-" * len(header))
    for n, *_, p in rows:
        print(
            f"{n:>10,} | {p['incl_make'] * 1000:19.1f} ms | {p['incl_verify'] * 1000:7.1f} ms | "
            f"{p['cons_make'] * 1000:19.1f} ms | {p['cons_verify'] * 1000:7.1f} ms"
        )
    print()
    print("floor = the faster plain loop; " + "; ".join(floors))
    print("build = append in batches into MemoryHashStore + put_many, root after every batch;")
    print("audit = every stored node recomputed from the entries and compared;")
    print("aics-tlog = MerkleTree(entries).root() in Python >= 3.12, against the same two floor")
    print("  loops run in that interpreter (its floor); its root is checked against ours;")
    print("consistency 'make' includes computing both roots from the store.")


if __name__ == "__main__":
    main()
