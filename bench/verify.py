"""Benchmark of ``smolny verify`` on a federation's record, against the floor of reading it.

Run: ``.venv/bin/python bench/verify.py [--members 100000] [--repeat 3]``

An auditor who does not trust the server runs ``smolny verify`` over the whole record: every
checkpoint signature, the Merkle tree rebuilt from the entries, and every event replayed
through the constitution with every published result decided again.  DESIGN's scale is a
federation of a million members; its record holds at least an entry per member.  This prints
what that costs per entry, against the floor in the same run: reading the record at all, that
is parsing every entry's JSON (the standard library's C parser) and computing the tree's ~2n
SHA-256 hashes (``hashlib`` in a plain loop that keeps only the current level).  No verifier can do
less and still say what the record holds.

The record is built in memory by the constitution (``decide`` and ``apply``, no database):
``--members`` members join a federation of ``--councils`` base councils; each council elects
its delegates with every member voting; every member of the first council votes on a motion,
which is closed and recounted; a recall there is carried by the vote that makes the majority
(verify does that vote again).  One checkpoint is signed over the whole record, and one every
``--checkpoint-every`` entries before it, as the server signs one per committed group.

Times are CPU seconds (``time.process_time``), the best of ``--repeat`` rounds, because the
machine is shared; the ratios are what to read.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smolny.constitution import Event, State, apply, decide
from smolny.constitution import commands as c
from smolny.record.checkpoint import Checkpoint, sign_checkpoint
from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import hash_leaf
from smolny.record.note import SIG_ED25519, SignerKey
from smolny.verify import (
    Progress,
    SignedCheckpoint,
    check_checkpoints,
    check_tree,
    replay_and_recount,
    verify,
)


def _hash_floor() -> Callable[[Sequence[bytes]], bytes]:
    """bench/record.py's floor: the same 2n SHA-256 computations in the plainest loop (loaded
    by its path: a module named ``record`` may be another, e.g. under pytest)."""
    spec = importlib.util.spec_from_file_location(
        "bench_record", Path(__file__).resolve().parent / "record.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: Callable[[Sequence[bytes]], bytes] = module.floor
    return found


hash_floor = _hash_floor()

ORIGIN = "bench.example/federation"
PARAMS = {
    "members_per_delegate": 50,
    "nomination_hours": 1,
    "voting_hours": 2,
    "motion_notice_hours": 1,
    "recall_ballot_hours": 2,
    "recall_share": "1/100",
    "cosponsor_share": "1/100",
}


class Record:
    """A federation's events, decided and applied one command at a time, 1 ms apart."""

    def __init__(self) -> None:
        self.state = State()
        self.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self.events: list[Event] = []

    def do(self, command: c.Command) -> list[Event]:
        events = decide(self.state, command, self.now)
        for event in events:
            apply(self.state, event)
        self.events.extend(events)
        self.now += timedelta(milliseconds=1)
        return events

    def latest(self, prefix: str) -> str:
        return f"{prefix}{self.state.counters[prefix]}"


def build(members: int, councils: int) -> list[bytes]:
    r = Record()
    r.do(c.FoundFederation("founder", "Bench Federation", "Congress", PARAMS))
    r.do(c.CreateCouncil("founder", "C1", "District", False))
    bases = []
    for n in range(councils):
        r.do(c.CreateCouncil("founder", "C2", f"Branch {n + 1}", True))
        bases.append(r.latest("C"))
    for i in range(members):
        r.do(c.Join(f"m{i}", f"Member {i}", bases[i % councils]))
    r.do(c.Join("founder", "Founder", bases[0]))
    r.do(c.Reapportion("founder", "C2"))
    r.do(c.Reapportion("founder", "C1"))
    r.do(c.CloseFounding("founder"))
    for base in bases:
        voters = r.state.voters(base)
        seats = r.state.councils[base].seats
        winners = tuple(voters[:seats])
        r.do(c.CallElection(winners[0], base, "delegate"))
        election = r.latest("E")
        for person in winners:
            r.do(c.Nominate(person, election, person))
        r.now += timedelta(hours=1)
        for voter in voters:
            r.do(c.CastBallot(voter, election, winners))
        r.do(c.CloseElection(winners[0], election))
    first = r.state.voters(bases[0])
    r.do(c.FileMotion(first[0], bases[0], "Strike fund", "One fund for every branch."))
    motion = r.latest("MO")
    for sponsor in first[1:]:
        if r.state.motions[motion].status != "filed":
            break
        r.do(c.CoSponsor(sponsor, motion))
    r.now += timedelta(hours=1)
    for n, voter in enumerate(first):
        r.do(c.CastVote(voter, motion, "yes" if n % 3 else "no"))
    r.do(c.CloseVote(first[0], motion))
    mandate = next(m.id for m in r.state.mandates.values() if m.constituency == bases[0])
    r.do(c.OpenRecall(first[-1], mandate, "Voted against the branch's mandate."))
    recall = r.latest("R")
    for voter in first[-2 : -2 - len(first) // 50 : -1]:
        r.do(c.SignRecall(voter, recall))
    for voter in reversed(first):
        r.do(c.VoteRecall(voter, recall, "yes"))
        if r.state.recalls[recall].status != "ballot":
            break
    assert r.state.recalls[recall].status == "carried"
    return [event.encode() for event in r.events]


def signed(bodies: Sequence[bytes], every: int, key: SignerKey) -> list[SignedCheckpoint]:
    store = MemoryHashStore()
    notes = []
    for start in range(0, len(bodies), every):
        batch = bodies[start : start + every]
        result = append(store, start, [hash_leaf(b) for b in batch])
        store.put_many(result.nodes)
        note = sign_checkpoint(Checkpoint(ORIGIN, result.size, result.root), key)
        notes.append(SignedCheckpoint(result.size, note))
    return notes


def floor(bodies: Sequence[bytes]) -> None:
    """Parse every entry's JSON (``json.loads``, C) and compute the tree's hashes in the
    plainest loop (bench/record.py's floor, which keeps only the current level)."""
    for body in bodies:
        json.loads(body)
    hash_floor(bodies)


def best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--councils", type=int, default=20)
    parser.add_argument("--checkpoint-every", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    started = time.process_time()
    bodies = build(args.members, args.councils)
    built = time.process_time() - started
    key = SignerKey(ORIGIN, SIG_ED25519, bytes(range(32)))
    checkpoints = signed(bodies, args.checkpoint_every, key)
    n = len(bodies)
    print(
        f"a record of {n:,} entries ({args.members:,} members in {args.councils} councils, "
        f"{len(checkpoints):,} signed checkpoints), built by the constitution in {built:.1f} s "
        "of CPU"
    )
    quiet = Progress(every=10**9, stream=io.StringIO())
    numbered = list(enumerate(bodies))

    def whole() -> object:
        return verify(lambda: numbered, checkpoints, key.verifier(), progress=quiet)

    report = whole()
    assert report.size == n and report.results_recounted >= args.councils + 2, report
    rows = [
        ("floor: json.loads every entry + 2n SHA-256", best(args.repeat, lambda: floor(bodies))),
        (
            "signatures, tree rebuilt, every root compared",
            best(args.repeat, lambda: _tree(numbered, checkpoints, key, quiet)),
        ),
        (
            "replay through the constitution + recounts",
            best(args.repeat, lambda: replay_and_recount(numbered, n, quiet)),
        ),
        ("smolny verify, whole (steps 1, 2, 4)", best(args.repeat, whole)),
    ]
    base = rows[0][1]
    print(f"{'':44} | {'CPU s':>7} | {'entries/s':>10} | {'× floor':>7}")
    for what, seconds in rows:
        print(f"{what:44} | {seconds:7.2f} | {n / seconds:10,.0f} | {seconds / base:7.2f}")
    print(
        f"results recounted: {report.results_recounted} (elections, the motion, the recall "
        "carried by a vote, done again)"
    )
    per_million = rows[-1][1] / n * 1_000_000
    print(
        f"at this rate a record of a million entries verifies in {per_million / 60:.1f} min of CPU"
    )
    return 0


def _tree(
    numbered: list[tuple[int, bytes]],
    checkpoints: list[SignedCheckpoint],
    key: SignerKey,
    quiet: Progress,
) -> object:
    """Steps 1 and 2 of verify: every checkpoint signature, the tree and every signed root."""
    opened = check_checkpoints(checkpoints, key.verifier())
    return check_tree(numbered, opened, None, quiet)


if __name__ == "__main__":
    raise SystemExit(main())
