"""Benchmark: a congress of thousands votes at once *by secret ballot* through a real server.

Run: ``.venv/bin/python bench/secret_congress.py [--members 2000] [--clients 64]`` (PostgreSQL:
``bash scripts/with-postgres .venv/bin/python bench/secret_congress.py --databases
postgresql``).

``bench/congress.py`` does this for a roll call.  A secret ballot costs the server more per
vote: it checks each ballot's credential signature and its zero-knowledge proofs when it is
cast (``secret.cast``), before acknowledging it.  For each database kind:

1. **Seed** (a subprocess configured like the server): ``--members`` members of one council,
   each with an API token and a registered voter credential; a motion held by secret ballot
   with three trustees (threshold two), on the agenda by the rules, its manifest published and
   its key ceremony played, so that voting is open now and the roll is frozen.
2. **Encrypt**, in this process before the clock starts, every member's ballot as her device
   would (``smolny.ballot.encrypt_ballot`` with her credential): one each, and a second for the
   share (``--revote``) who change their vote, which only her last ballot counts.
3. **Cast** them through a real ``smolny serve`` with ``--clients`` keep-alive connections
   (``POST /api/commands/cast_secret_ballot``); each acknowledged ballot keeps its receipt's
   entry index.
4. **Check**: every acknowledged ballot is in the record at its index, cast by its member,
   with the tracker her device computed, and the record holds no other; then the motion is
   closed (the tally published), two trustees decrypt it, and the decrypted counts are the
   counts of every member's last acknowledged choice; ``smolny verify`` passes, and
   ``smolny verify-election`` checks every ballot's proofs, the tally and both decryptions
   from the election's directory, on all cores.

Figures: ballots acknowledged per second, p50/p99 latency, the server's CPU per ballot (from
``/proc``), and beside it, measured in the same run, the floor of that work: verifying one
ballot's proofs and credential signature in this process (``verify_ballot``), which the server
must do once per ballot.  Wall-clock figures from a shared machine: read the ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import congress
import nacl.signing

from smolny.ballot import encrypt_ballot, parse_election
from smolny.ballot.ballots import verify_ballot

TRUSTEES = 3
THRESHOLD = 2


def credential(member: str) -> nacl.signing.SigningKey:
    """The member's voter credential (her device keeps it; here, derived from her id)."""
    return nacl.signing.SigningKey(
        hashlib.sha256(b"smolny-bench/credential\x00" + member.encode()).digest()
    )


# --- inside a process configured like the server ----------------------------------------------


def seed(members: int, keys_dir: str) -> dict[str, Any]:
    """The federation, the secret motion open for voting, tokens; trustees' keys to ``keys_dir``.

    Dated in the past like the roll-call bench's seed: founded 72 hours ago, every credential
    registered at once, the motion filed 71 hours ago (48 hours' notice), its key ceremony
    played in the minutes after its vote opened.
    """
    from datetime import UTC, datetime, timedelta

    from smolny.ballot import ceremony_rounds, parse_manifest
    from smolny.constitution import Event
    from smolny.constitution import commands as c
    from smolny.constitution.params import share_of
    from smolny.store.models import Head
    from smolny.store.service import current_state, execute_batch

    ids = congress.member_ids(members)
    start = datetime.now(UTC) - timedelta(hours=72)
    base = congress.seed_federation(ids, start)
    execute_batch(
        [
            (
                c.RegisterCredential(m, bytes(credential(m).verify_key).hex()),
                base + timedelta(seconds=2, milliseconds=i),
            )
            for i, m in enumerate(ids)
        ]
    )
    filed = start + timedelta(hours=1)
    trustees = tuple(ids[1 : 1 + TRUSTEES])
    entries = execute_batch(
        [
            (
                c.FileMotion(
                    ids[0],
                    congress.COUNCIL,
                    "A day of action on rents",
                    "Resolved: we act.",
                    ballot_mode="secret",
                    trustees=trustees,
                    threshold=THRESHOLD,
                ),
                filed,
            )
        ]
    )
    motion = Event.decode(bytes(entries[0].body)).data["id"]
    needed = share_of(current_state().params.cosponsor_share, members)
    execute_batch(
        [
            (c.CoSponsor(m, motion), filed + timedelta(seconds=i + 1))
            for i, m in enumerate(ids[1:needed])
        ]
    )
    opens = current_state().motions[motion].vote_opens
    if opens is None or not opens < datetime.now(UTC):
        raise RuntimeError("the motion's vote has not opened")
    at = opens + timedelta(minutes=1)
    execute_batch([(c.PublishManifest(ids[0], motion), at)])
    sb = current_state().secret[motion]
    assert sb.manifest is not None
    rounds = ceremony_rounds(
        parse_manifest(sb.manifest), sb.trustees, lambda: current_state().secret[motion].documents
    )
    while True:
        try:
            _, _, who, document = next(rounds)
        except StopIteration as done:
            keys = done.value
            break
        at += timedelta(seconds=1)
        execute_batch([(c.UploadTrusteeDocument(who, motion, document), at)])
    sb = current_state().secret[motion]
    if sb.election is None:
        raise RuntimeError("the key ceremony did not open voting")
    for index, key in keys.items():
        Path(keys_dir, f"trustee-{index}.json").write_text(json.dumps(key.to_json()))
    return {
        "motion": motion,
        "election": sb.election,
        "first_seq": Head.objects.get().size,
        "tokens": congress.make_tokens(ids),
        "trustees": list(trustees),
    }


def record(motion: str, first_seq: int) -> dict[str, Any]:
    """The entries from ``first_seq`` on: (seq, type, actor, subject, member, tracker)."""
    from smolny.constitution import Event
    from smolny.store.models import Entry, Head

    entries = []
    for row in Entry.objects.filter(seq__gte=first_seq).order_by("seq"):
        event = Event.decode(bytes(row.body))
        data = event.data
        entries.append(
            [
                row.seq,
                event.type,
                event.actor,
                data.get("subject"),
                data.get("member"),
                data.get("tracker"),
            ]
        )
    return {"first_seq": first_seq, "size": Head.objects.get().size, "entries": entries}


def finish(motion: str, trustees: list[str], keys_dir: str) -> dict[str, Any]:
    """Close (every voter has voted: the tally is published), then trustees 1 and 2 decrypt
    it with proofs; the motion's decided counts."""
    from datetime import UTC, datetime, timedelta

    from smolny.ballot import TrusteeKey, partial_decrypt
    from smolny.ballot.tally import tally_hash
    from smolny.constitution import commands as c
    from smolny.store.service import current_state, execute_batch

    now = datetime.now(UTC)
    execute_batch([(c.CloseVote(trustees[0], motion), now)])
    for index in range(1, THRESHOLD + 1):
        sb = current_state().secret[motion]
        assert sb.tally is not None and sb.election is not None
        key = TrusteeKey.from_json(json.loads(Path(keys_dir, f"trustee-{index}.json").read_text()))
        doc = partial_decrypt(parse_election(sb.election), key, sb.tally, tally_hash(sb.tally))
        now += timedelta(seconds=1)
        execute_batch([(c.UploadTrusteeDocument(trustees[index - 1], motion, doc), now)])
    decided = current_state().motions[motion]
    return {"status": decided.status, "result": decided.result}


def worker(kind: str, arguments: dict[str, Any]) -> None:
    congress._django()
    if kind == "seed":
        result = seed(arguments["members"], arguments["keys_dir"])
    elif kind == "record":
        result = record(arguments["motion"], arguments["first_seq"])
    elif kind == "finish":
        result = finish(arguments["motion"], arguments["trustees"], arguments["keys_dir"])
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    sys.stdout.write(json.dumps(result))


def run_worker(env: dict[str, str], kind: str, **arguments: Any) -> Any:
    return congress.run_worker(env, kind, script=__file__, **arguments)


# --- casting ------------------------------------------------------------------------------------


Work = list[tuple[str, list[tuple[str, str]]]]
"""Each member and her ballots in the order she casts them: (tracker, request body), as
``congress.send`` sends them; ``Choices`` says which choice each tracker holds."""
Choices = dict[str, str]


def encrypt_all(
    election: dict[str, Any], motion: str, votes: Sequence[tuple[str, list[str]]]
) -> tuple[Work, Choices, float]:
    """Every ballot, encrypted and signed as each member's device would, with the choice
    each tracker holds; and the CPU seconds per ballot that took."""
    parsed = parse_election(election)
    contest = parsed.manifest.contests[0].id
    work: Work = []
    choice_of: Choices = {}
    started = time.process_time()
    for member, choices in votes:
        key = credential(member)
        ballots = []
        for seq, choice in enumerate(choices, start=1):
            cast = encrypt_ballot(parsed, key, seq, {contest: [choice]})
            ballots.append((cast.tracker, json.dumps({"subject": motion, "ballot": cast.ballot})))
            choice_of[cast.tracker] = choice
        work.append((member, ballots))
    return work, choice_of, (time.process_time() - started) / len(choice_of)


def verify_floor(election: dict[str, Any], work: Work, samples: int = 200) -> float:
    """CPU seconds to verify one ballot's proofs and signature here: the server's floor."""
    parsed = parse_election(election)
    ballots = [json.loads(body)["ballot"] for _, cast in work[:samples] for _, body in cast]
    started = time.process_time()
    for ballot in ballots:
        verify_ballot(parsed, ballot)
    return (time.process_time() - started) / len(ballots)


# --- the checks -------------------------------------------------------------------------------


def problems(
    motion: str,
    outcome: congress.Outcome,
    choice_of: Choices,
    stored: dict[str, Any],
    decided: dict[str, Any],
) -> list[str]:
    found: list[str] = []
    entries = {seq: rest for seq, *rest in stored["entries"]}
    casts = {seq for seq, (kind, *_) in entries.items() if kind == "secret_ballot_cast"}
    last: dict[str, tuple[int, str]] = {}
    for member, tracker, seq in outcome.acknowledged:
        want = ["secret_ballot_cast", member, motion, member, tracker]
        if entries.get(seq) != want:
            found.append(f"acknowledged #{seq} ({member}) is {entries.get(seq)} in the record")
        last[member] = max(last.get(member, (seq, choice_of[tracker])), (seq, choice_of[tracker]))
    extra = sorted(casts - {seq for _, _, seq in outcome.acknowledged})
    if len(extra) > sum(outcome.errors.values()):
        found.append(f"{len(extra)} recorded ballots were never acknowledged: {extra[:5]}...")
    expected = Counter(choice for _, choice in last.values())
    result = decided["result"] or {}
    counts = {choice: result.get(choice) for choice in congress.CHOICES}
    if counts != {choice: expected.get(choice, 0) for choice in congress.CHOICES}:
        found.append(f"the decrypted counts {counts} are not the acknowledged {dict(expected)}")
    return found


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [congress.PYTHON, "-m", "smolny.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )


def run(kind: str, args: argparse.Namespace, scratch: Path) -> int:
    votes = congress.plan(args.members, args.revote)
    with congress.database(kind, scratch) as env:
        keys_dir = Path(env["SMOLNY_DATA_DIR"]) / "bench-trustees"
        keys_dir.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        seeded = run_worker(env, "seed", members=args.members, keys_dir=str(keys_dir))
        seeding = time.perf_counter() - start
        motion = seeded["motion"]
        work, choice_of, encrypting = encrypt_all(seeded["election"], motion, votes)
        floor = verify_floor(seeded["election"], work)
        log = Path(env["SMOLNY_DATA_DIR"]) / "server.log"
        server = congress.Server(env, args.threads, log, None)
        try:
            server.get(f"/api/motions/{motion}")  # the first request loads the state
            server_cpu = server.cpu()
            path = "/api/commands/cast_secret_ballot"
            outcome = congress.send(server, path, seeded["tokens"], work, args.clients)
            server_cpu = server.cpu() - server_cpu
        finally:
            server.stop()
        stored = run_worker(env, "record", motion=motion, first_seq=seeded["first_seq"])
        decided = run_worker(
            env, "finish", motion=motion, trustees=seeded["trustees"], keys_dir=str(keys_dir)
        )
        found = problems(motion, outcome, choice_of, stored, decided)
        checked = cli(env, "verify")
        if checked.returncode != 0:
            found.append(f"smolny verify failed:\n{checked.stdout}{checked.stderr}")
        directory = scratch / f"{kind}-election"
        exported = cli(env, "election", "export", motion, str(directory))
        started = time.perf_counter()
        election = cli(env, "verify-election", str(directory))
        verifying = time.perf_counter() - started
        if exported.returncode != 0 or election.returncode != 0:
            found.append(f"smolny verify-election failed:\n{election.stdout}{election.stderr}")
    n = len(outcome.acknowledged)
    per_ballot = server_cpu / n if n else 0.0
    print(
        f"\n{kind}: seeded {args.members:,} members with credentials, trustees' key ceremony "
        f"played, in {seeding:.1f} s; each device's encryption took {encrypting * 1e3:.2f} ms"
    )
    print(
        f"  {n:,} ballots acknowledged, {outcome.rate:,.0f}/s; p50 {outcome.percentile(0.5) * 1e3:.0f}"
        f" ms, p99 {outcome.percentile(0.99) * 1e3:.0f} ms; errors: {outcome.errors or 'none'}"
    )
    print(
        f"  server CPU per ballot {per_ballot * 1e3:.2f} ms; verifying one ballot's proofs and "
        f"signature (the floor) {floor * 1e3:.2f} ms: {per_ballot / floor:.2f}× the floor"
    )
    print(f"  decided: {decided['status']} {decided['result']}")
    print(
        f"  smolny verify-election on every ballot, the tally and both decryptions: "
        f"{verifying:.1f} s ({n / verifying:,.0f} ballots/s wall clock)"
    )
    if found:
        print("CHECKS FAILED:")
        for problem in found:
            print(f"  {problem}")
        return 1
    print(
        "checks: every acknowledged ballot is in the record at its index with its member and "
        "tracker, and no other; the decrypted counts are every member's last acknowledged "
        "choice; smolny verify and smolny verify-election pass"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--revote", type=float, default=0.05)
    parser.add_argument("--databases", default="sqlite", help="sqlite,postgresql")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("arguments", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, json.loads(args.arguments))
        return 0
    ballots = sum(len(v) for _, v in congress.plan(args.members, args.revote))
    print(
        f"a congress of {args.members:,} members casting {ballots:,} secret ballots "
        f"({ballots - args.members:,} cast again), {args.clients} clients, smolny serve with "
        f"{args.threads} threads; wall clock on a shared machine"
    )
    failures = 0
    with tempfile.TemporaryDirectory(prefix="smolny-secret-congress-") as directory:
        for kind in args.databases.split(","):
            if kind == "postgresql" and not congress.os.environ.get("DATABASE_URL"):
                print(f"{kind}: not run: set DATABASE_URL (bash scripts/with-postgres ...)")
                continue
            failures += run(kind, args, Path(directory))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
