"""Benchmark of smolny.ballot: per-ballot cost against the libsodium floor, and whole elections.

Run:  .venv/bin/python bench/ballots.py [--ballots 10000] [--large] [--eg-python /tmp/eg310/bin/python]

Prints, for a 1-of-3 motion and a 10-option approval contest:
  * encrypt-and-prove and verify time per ballot (median of repeated runs);
  * the floor: the same number of libsodium scalar multiplications (variable-base and base,
    counted by instrumenting smolny.ballot.group during one real ballot) timed alone;
  * where the time beyond the floor goes: the ballot's additions (timed alone, like the
    floor), its Ed25519 signature or signature check, and the rest;
  * then a whole election of N ballots (1-of-3 motion) verified by verify_election on all
    cores: ballots per second (and 100,000 ballots with --large);
  * ElectionGuard 1.4.0's per-ballot verification beside ours, if its venv exists.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nacl.signing

from smolny.ballot import group as g
from smolny.ballot import store
from smolny.ballot.ballots import encrypt_ballot, tracker, verify_ballot
from smolny.ballot.election import Election, make_election, parse_manifest, signing_message
from smolny.ballot.tally import (
    Entry,
    accumulate,
    result_document,
    select_counted,
    tally_document,
    tally_hash,
)
from smolny.ballot.trustee import (
    check_ceremony,
    check_decryption,
    combine,
    partial_decrypt,
    trustee_commit,
    trustee_finish,
    trustee_init,
    trustee_share,
)
from smolny.ballot.verify import verify_election

MOTION = {"id": "motion", "kind": "motion", "options": ["yes", "no", "abstain"]}
APPROVAL = {"id": "board", "kind": "approval", "options": [f"c{i}" for i in range(10)]}


def manifest(contest: dict[str, Any], eid: str) -> dict[str, Any]:
    return {
        "type": "smolny-election-manifest",
        "version": 1,
        "election_id": eid,
        "trustees": 3,
        "threshold": 2,
        "contests": [contest],
    }


def ceremony(raw: dict[str, Any]) -> tuple[Election, dict[int, Any], dict[int, dict[str, Any]]]:
    m = parse_manifest(raw)
    keys, docs = {}, {}
    for i in (1, 2, 3):
        keys[i], ident = trustee_init(m, i)
        docs[i] = {"identity": ident}
    for i in keys:
        docs[i]["commit"] = trustee_commit(m, keys[i])
    for i in keys:
        docs[i]["reveal"], docs[i]["shares"] = trustee_share(m, keys[i], docs)
    for i in keys:
        docs[i]["finish"] = trustee_finish(m, keys[i], docs)
    pk = check_ceremony(m, docs).public_key
    assert pk is not None
    return make_election(m, pk), keys, docs


def count_ops(fn: Callable[[], Any]) -> tuple[int, int, int]:
    """(variable-base mults, base mults, additions or subtractions) made by one call of fn,
    counted by wrapping smolny.ballot.group's functions."""
    counts = [0, 0, 0]
    mul, base_mul, add, sub = g.mul, g.base_mul, g.add, g.sub

    def c_mul(s: bytes, p: bytes) -> bytes:
        counts[0] += 1
        return mul(s, p)

    def c_base(s: bytes) -> bytes:
        counts[1] += 1
        return base_mul(s)

    def c_add(p: bytes, q: bytes) -> bytes:
        counts[2] += 1
        return add(p, q)

    def c_sub(p: bytes, q: bytes) -> bytes:
        counts[2] += 1
        return sub(p, q)

    g.mul, g.base_mul, g.add, g.sub = c_mul, c_base, c_add, c_sub  # type: ignore[assignment]
    try:
        fn()
    finally:
        g.mul, g.base_mul, g.add, g.sub = mul, base_mul, add, sub  # type: ignore[assignment]
    return counts[0], counts[1], counts[2]


def per_call(fn: Callable[[], Any], repeat: int) -> float:
    """CPU seconds per call: the fastest of 7 batches of ``repeat`` calls."""
    samples = []
    for _ in range(7):
        t = time.process_time()
        for _ in range(repeat):
            fn()
        samples.append((time.process_time() - t) / repeat)
    return min(samples)


def floor_fn(n_var: int, n_base: int, n_add: int = 0) -> Callable[[], None]:
    """The same number of raw libsodium scalar multiplications (and, if asked, additions),
    called directly through ctypes, nothing else."""
    s = [g.random_scalar() for _ in range(64)]
    p = [g.base_mul(x) for x in s]
    smul, sbase, sadd = g._smul, g._smul_base, g._add
    out = g._buf(32)

    def run() -> None:
        for i in range(n_var):
            smul(out, s[i % 64], p[(i + 7) % 64])
        for i in range(n_base):
            sbase(out, s[i % 64])
        for i in range(n_add):
            sadd(out, p[i % 64], p[(i + 3) % 64])

    return run


def interleaved(fns: list[Callable[[], Any]], repeat: int) -> list[float]:
    """Best-of-9 CPU seconds per call for each of fns, measured alternately so that a busy
    spell of the machine stretches them all alike.  CPU time of this process, not wall time:
    the machine is shared, and other processes' load stretches wall time but not the CPU time
    our own work takes."""
    best = [float("inf")] * len(fns)
    for _ in range(9):
        for k, f in enumerate(fns):
            t = time.process_time()
            for _ in range(repeat):
                f()
            best[k] = min(best[k], (time.process_time() - t) / repeat)
    return best


def per_ballot(name: str, contest: dict[str, Any], choice: list[str]) -> None:
    election, _, _ = ceremony(manifest(contest, "bench-" + contest["id"]))
    cred = nacl.signing.SigningKey.generate()
    choices = {contest["id"]: choice}
    ballot = encrypt_ballot(election, cred, 1, choices).ballot
    message = signing_message(ballot)
    signature = bytes.fromhex(ballot["signature"])
    print(f"\n{name}")
    for what, fn, sig in (
        (
            "encrypt+prove",
            lambda: encrypt_ballot(election, cred, 1, choices),
            lambda: cred.sign(message),
        ),
        (
            "verify",
            lambda: verify_ballot(election, ballot),
            lambda: cred.verify_key.verify(message, signature),
        ),
    ):
        n_var, n_base, n_add = count_ops(fn)
        t, floor, floor_all, t_sig = interleaved(
            [fn, floor_fn(n_var, n_base), floor_fn(n_var, n_base, n_add), sig], 20
        )
        print(
            f"  {what:13s} {t * 1e3:7.3f} ms   floor {floor * 1e3:7.3f} ms "
            f"({n_var} var + {n_base} base mults)   ratio {t / floor:.2f}x"
            f"   [with its {n_add} additions too: {floor_all * 1e3:.3f} ms, ratio {t / floor_all:.2f}x]"
            f"\n  {'':13s} beyond the mults: {n_add} additions {(floor_all - floor) * 1e3:.3f} ms,"
            f" Ed25519 {t_sig * 1e3:.3f} ms, the rest (JSON, hashing, Python)"
            f" {(t - floor_all - t_sig) * 1e3:.3f} ms"
        )
        if what == "verify":
            RESULTS[name] = t


RESULTS: dict[str, float] = {}
_E: dict[str, Any] = {}


def _cast(i: int) -> bytes:
    from smolny import canonical

    cred = nacl.signing.SigningKey(i.to_bytes(32, "big"))
    choice = ["yes", "no", "abstain"][i % 3]
    return canonical.encode(encrypt_ballot(_E["election"], cred, 1, {"motion": [choice]}).ballot)


def whole_election(n: int) -> None:
    election, keys, docs = ceremony(manifest(MOTION, f"bench-{n}"))
    root = Path(tempfile.mkdtemp(prefix="smolny-bench-"))
    try:
        store.write(root / "manifest.json", election.manifest.raw)
        for i, steps in docs.items():
            for step, doc in steps.items():
                store.write(root / "trustees" / str(i) / f"{step}.json", doc)
        store.write(root / "election.json", election.to_json())
        roll = [
            bytes(nacl.signing.SigningKey(i.to_bytes(32, "big")).verify_key).hex() for i in range(n)
        ]
        store.write(
            root / "voters.json",
            {"type": "smolny-voter-roll", "election_id": "x", "voters": sorted(roll)},
        )
        t = time.perf_counter()
        _E["election"] = election
        (root / "ballots").mkdir()
        with multiprocessing.get_context("fork").Pool() as pool:
            for i, data in enumerate(pool.imap(_cast, range(n), chunksize=64), start=1):
                (root / "ballots" / f"{i:08d}.json").write_bytes(data)
        t_cast = time.perf_counter() - t
        # Tally, decrypt and result, so verify_election checks every step.  The ballots are
        # only parsed here (verify_election below is what checks their proofs).
        entries = []
        for p in store.ballot_paths(root):
            doc = store.read(p)
            ballot_cts = tuple(
                tuple((bytes.fromhex(a), bytes.fromhex(b)) for a, b in c["ciphertexts"])
                for c in doc["contests"]
            )
            voter = bytes.fromhex(doc["voter"])
            entries.append(Entry(p.name, voter, doc["seq"], tracker(doc), ballot_cts))
        counted, _ = select_counted(entries)
        cts = accumulate(election, counted)
        tally = tally_document(election, counted, cts)
        store.write(root / "tally.json", tally)
        th = tally_hash(tally)
        vks = check_ceremony(election.manifest, docs).verification_keys
        shares = {}
        for i in (1, 2):
            d = partial_decrypt(election, keys[i], tally, th)
            store.write(root / "decryptions" / f"{i}.json", d)
            shares[i] = check_decryption(election, docs[i]["identity"], vks[i], cts, th, d)
        counts = combine(2, cts, shares, len(counted))
        store.write(root / "result.json", result_document(election, [1, 2], counts, len(counted)))
        t, c0 = time.perf_counter(), os.times()
        report = verify_election(root)
        t_ver, c1 = time.perf_counter() - t, os.times()
        cpu = sum(c1[i] - c0[i] for i in range(4))  # user, system, children's user and system
        assert report.ok, report.failures[:3]
        cores = os.cpu_count() or 1
        print(
            f"\nelection of {n:,} ballots (1-of-3 motion), {cores} cores: cast in {t_cast:.1f} s;"
            f"\n  verify_election {t_ver:.1f} s wall = {n / t_ver:,.0f} ballots/s"
            f" (counts {report.counts['motion']});"
            f"\n  {cpu:.1f} CPU-s = {n / cpu:,.0f} ballots per CPU-second, so about"
            f" {cores * n / cpu:,.0f} ballots/s on {cores} idle cores"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


EG_SCRIPT = r"""
import json, logging, time
logging.disable(logging.CRITICAL)
from electionguard.ballot import PlaintextBallotContest, PlaintextBallotSelection
from electionguard.elgamal import elgamal_keypair_from_secret
from electionguard.encrypt import encrypt_contest
from electionguard.group import ONE_MOD_Q, int_to_q
from electionguard.manifest import (
    ContestDescriptionWithPlaceholders, SelectionDescription, VoteVariationType,
)
from electionguard.utils import get_optional

def run(n_opts, n_elected, variation, chosen):
    kp = get_optional(elgamal_keypair_from_secret(int_to_q(12345)))
    sel = lambda i, name: SelectionDescription(object_id=name, sequence_order=i, candidate_id=name)
    contest = ContestDescriptionWithPlaceholders(
        object_id="c", sequence_order=0, electoral_district_id="d", vote_variation=variation,
        number_elected=n_elected, votes_allowed=n_elected, name="c",
        ballot_selections=[sel(i, f"s{i}") for i in range(n_opts)],
        placeholder_selections=[sel(n_opts + i, f"p{i}") for i in range(n_elected)],
    )
    votes = [PlaintextBallotSelection(object_id=f"s{i}", vote=int(i in chosen)) for i in range(n_opts)]
    h = ONE_MOD_Q
    t = time.process_time()
    enc = get_optional(encrypt_contest(
        PlaintextBallotContest(object_id="c", ballot_selections=votes), contest, kp.public_key, h, h
    ))
    t_enc = time.process_time() - t

    def verify():
        # What CiphertextBallot.is_valid_encryption does for one contest: every selection's
        # disjunctive proof, then the contest's accumulation and constant proof.
        for s in enc.ballot_selections:
            assert s.is_valid_encryption(s.description_hash, kp.public_key, h)
        assert enc.is_valid_encryption(contest.crypto_hash(), kp.public_key, h)

    verify()
    ts = []
    for _ in range(3):
        t = time.process_time(); verify(); ts.append(time.process_time() - t)
    return {"verify": min(ts), "encrypt": t_enc}

print(json.dumps({
    "motion": run(3, 1, VoteVariationType.one_of_m, {1}),
    "approval": run(10, 10, VoteVariationType.n_of_m, {1, 4, 5, 8}),
}))
"""


def electionguard(python: str) -> None:
    if not Path(python).exists():
        print(
            f"\nElectionGuard 1.4.0: not measured: {python} does not exist (install with "
            "/root/.pyenv/versions/3.10.13/bin/python -m venv /tmp/eg310 && "
            "/tmp/eg310/bin/pip install electionguard==1.4.0)"
        )
        return
    try:
        out = subprocess.run([python, "-c", EG_SCRIPT], capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        print("\nElectionGuard 1.4.0: verification did not finish within 15 minutes")
        return
    if out.returncode != 0:
        print(f"\nElectionGuard 1.4.0: could not run: {out.stderr.strip().splitlines()[-1:]}")
        return
    eg = json.loads(out.stdout)
    print(
        "\nElectionGuard 1.4.0, same machine, same contest (EG verifies selection and contest"
        "\nproofs, with placeholders; ours includes the Ed25519 credential signature too):"
    )
    for name, key in (("1-of-3 motion", "motion"), ("10-option approval", "approval")):
        ours = RESULTS[name]
        ratio = eg[key]["verify"] / ours
        print(
            f"  {name:20s} verify EG {eg[key]['verify'] * 1e3:8.2f} ms   ours {ours * 1e3:6.2f} ms"
            f"   EG/ours {ratio:6.1f}x   (EG encrypt {eg[key]['encrypt'] * 1e3:.0f} ms)"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ballots", type=int, default=10_000)
    ap.add_argument("--large", action="store_true", help="also verify a 100,000-ballot election")
    ap.add_argument("--eg-python", default="/tmp/eg310/bin/python")
    a = ap.parse_args()
    print(
        f"smolny.ballot benchmark; Python {sys.version.split()[0]}, libsodium via ctypes, {os.cpu_count()} cores"
    )
    t = per_call(lambda: g.mul(g.BASE, g.BASE), 2000)
    b = per_call(lambda: g.base_mul(g.BASE), 2000)
    a_ = per_call(lambda: g.add(g.BASE, g.BASE), 2000)
    print(
        f"libsodium: variable-base mult {t * 1e6:.1f} µs, base mult {b * 1e6:.1f} µs, add {a_ * 1e6:.1f} µs"
    )
    per_ballot("1-of-3 motion", MOTION, ["no"])
    per_ballot("10-option approval", APPROVAL, ["c1", "c4", "c5", "c8"])
    electionguard(a.eg_python)
    whole_election(a.ballots)
    if a.large:
        whole_election(100_000)


if __name__ == "__main__":
    main()
