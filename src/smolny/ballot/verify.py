"""``verify_election(dir)``: check a whole election from its directory, with no server.

Steps, each reported by name with the ballot or trustee at fault: ``manifest``, ``ceremony``
(every trustee document, reveal against commit, proofs of knowledge, complaints resolved),
``election`` (joint key and fingerprint), ``ballots`` (shape, roll, credential signature,
every proof), ``duplicates``, ``tally`` (accumulation recomputed), ``decryption`` (every
partial decryption's Chaum–Pedersen proofs), ``result`` (counts against the Lagrange
combination) and ``audits`` (spoiled ballots open to what they claim and are not counted).

Ballots verify independently, so they are checked in a process pool over all cores, as the
design asks for large elections; only the cheap accumulation runs in the parent.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smolny.ballot import group as g
from smolny.ballot import store
from smolny.ballot.ballots import open_audit, tracker, verify_ballot
from smolny.ballot.election import BallotError, Election, make_election, parse_manifest, unhex
from smolny.ballot.tally import Entry, accumulate, select_counted, tally_document, tally_hash
from smolny.ballot.trustee import check_ceremony, check_decryption, lagrange_at_zero


@dataclass(frozen=True, slots=True)
class Failure:
    step: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.step}] {self.subject}: {self.message}"


@dataclass
class Report:
    failures: list[Failure] = field(default_factory=list)
    ballots: int = 0
    counted: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, step: str, subject: str, message: str) -> None:
        self.failures.append(Failure(step, subject, message))


_W: dict[str, Any] = {}


def _init(election: Election, roll: frozenset[bytes]) -> None:
    _W["election"], _W["roll"] = election, roll


def _check_one(path: str) -> tuple[str, Entry | None, str | None]:
    name = f"ballots/{Path(path).name}"
    try:
        doc = store.read(Path(path))
        v = verify_ballot(_W["election"], doc, _W["roll"])
        return name, Entry(name, v.voter, v.seq, v.tracker, v.ciphertexts), None
    except BallotError as exc:
        return name, None, f"{exc.code}: {exc.message}"
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # A verifier must name a malformed ballot, never crash on it.
        return name, None, f"bad-ballot: malformed ({type(exc).__name__}: {exc})"


def check_ballots(
    election: Election, roll: frozenset[bytes], paths: Sequence[Path], workers: int | None = None
) -> list[tuple[str, Entry | None, str | None]]:
    """Verify ballot files in parallel, preserving order."""
    workers = workers or os.cpu_count() or 1
    args = [str(p) for p in paths]
    if workers == 1 or len(args) < 64:
        _init(election, roll)
        return [_check_one(p) for p in args]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    chunk = max(1, min(256, len(args) // (workers * 8)))
    with ctx.Pool(workers, initializer=_init, initargs=(election, roll)) as pool:
        return pool.map(_check_one, args, chunksize=chunk)


def verify_election(root: str | os.PathLike[str], workers: int | None = None) -> Report:
    """Check everything in the election directory; the report lists every failure found."""
    root = Path(root)
    report = Report()
    try:
        manifest = parse_manifest(store.read(root / "manifest.json"))
    except BallotError as exc:
        report.fail("manifest", "manifest.json", exc.message)
        return report

    try:
        ceremony = check_ceremony(manifest, store.trustee_docs(root, manifest.trustees))
    except (BallotError, KeyError, TypeError, AttributeError, ValueError) as exc:
        report.fail("ceremony", "trustees/", f"malformed: {exc}")
        return report
    for who, step, message in ceremony.failures:
        report.fail("ceremony", f"trustee {who}" if who else "election key", f"{step}: {message}")
    if ceremony.public_key is None or report.failures:
        return report
    election = make_election(manifest, ceremony.public_key)
    try:
        if store.read(root / "election.json") != election.to_json():
            report.fail("election", "election.json", "does not match manifest and joint key")
    except BallotError as exc:
        report.fail("election", "election.json", exc.message)

    try:
        roll_doc = store.read(root / "voters.json")
        roll = frozenset(unhex(v, "voter credential", 32) for v in roll_doc["voters"])
    except (BallotError, KeyError, TypeError) as exc:
        report.fail("roll", "voters.json", str(exc))
        return report

    entries: list[Entry] = []
    results = check_ballots(election, roll, store.ballot_paths(root), workers)
    report.ballots = len(results)
    for name, entry, error in results:
        if entry is None:
            report.fail("ballots", name, error or "invalid")
        else:
            entries.append(entry)
    counted, duplicates = select_counted(entries)
    for name, message in duplicates:
        report.fail("duplicates", name, message)
    report.counted = len(counted)
    cts = accumulate(election, counted)
    expected_tally = tally_document(election, counted, cts)

    _check_audits(root, election, {e.tracker for e in entries}, report)

    tally_path = root / "tally.json"
    if not tally_path.exists():
        return report
    try:
        tally = store.read(tally_path)
        if tally != expected_tally:
            _explain_tally(tally, expected_tally, report)
            return report
    except (BallotError, KeyError, TypeError, AttributeError, ValueError) as exc:
        report.fail("tally", "tally.json", f"malformed: {exc}")
        return report
    th = tally_hash(tally)

    shares: dict[int, list[list[bytes]]] = {}
    identities = store.trustee_docs(root, manifest.trustees)
    for path in sorted((root / "decryptions").glob("*.json")):
        subject = f"decryptions/{path.name}"
        try:
            doc = store.read(path)
            index = doc.get("index")
            if index not in ceremony.verification_keys or path.stem != str(index):
                raise BallotError("bad-document", "names no trustee of this election")
            shares[index] = check_decryption(
                election,
                identities[index]["identity"],
                ceremony.verification_keys[index],
                cts,
                th,
                doc,
            )
        except BallotError as exc:
            report.fail("decryption", subject, exc.message)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            report.fail("decryption", subject, f"malformed: {exc}")

    result_path = root / "result.json"
    if result_path.exists():
        try:
            _check_result(store.read(result_path), election, cts, shares, report)
        except (BallotError, KeyError, TypeError, AttributeError, ValueError) as exc:
            report.fail("result", "result.json", f"malformed: {exc}")
    return report


def _explain_tally(tally: Any, expected: dict[str, Any], report: Report) -> None:
    if not isinstance(tally, dict):
        report.fail("tally", "tally.json", "malformed")
        return
    for key in ("type", "version", "election"):
        if tally.get(key) != expected[key]:
            report.fail("tally", "tally.json", f"{key} differs")
    if tally.get("counted") != expected["counted"]:
        got, want = set(tally.get("counted") or []), set(expected["counted"])
        report.fail(
            "tally",
            "tally.json",
            f"counted ballots differ: {len(got - want)} not countable, {len(want - got)} left out",
        )
    for mine, theirs in zip(expected["contests"], tally.get("contests") or [], strict=False):
        for i, (x, y) in enumerate(
            zip(mine["ciphertexts"], theirs.get("ciphertexts", []), strict=False)
        ):
            if x != y:
                report.fail("tally", "tally.json", f"contest {mine['id']} option {i}: sum differs")
    if not report.failures:
        report.fail("tally", "tally.json", "does not match the accumulation of counted ballots")


def _check_result(
    result: Any,
    election: Election,
    cts: list[tuple[str, list[tuple[bytes, bytes]]]],
    shares: dict[int, list[list[bytes]]],
    report: Report,
) -> None:
    k = election.manifest.threshold
    trustees = result.get("trustees") if isinstance(result, dict) else None
    if not isinstance(trustees, list) or len(set(trustees)) < k:
        report.fail("result", "result.json", f"must name at least {k} trustees")
        return
    missing = [t for t in trustees if t not in shares]
    if missing:
        report.fail("result", "result.json", f"uses trustees {missing} without a valid decryption")
        return
    if (
        result.get("election") != election.fingerprint.hex()
        or result.get("ballots") != report.counted
    ):
        report.fail("result", "result.json", "election or ballot count differs")
    lam = lagrange_at_zero(sorted(set(trustees)))
    contests = result.get("contests") or []
    if len(contests) != len(cts):
        report.fail("result", "result.json", "one entry per contest")
        return
    for ci, ((cid, row), entry) in enumerate(zip(cts, contests, strict=True)):
        counts = entry.get("counts")
        if entry.get("id") != cid or not isinstance(counts, list) or len(counts) != len(row):
            report.fail("result", "result.json", f"contest {cid}: malformed")
            continue
        for oi, ((_, b), m) in enumerate(zip(row, counts, strict=True)):
            if not isinstance(m, int) or isinstance(m, bool) or not 0 <= m <= report.counted:
                report.fail("result", "result.json", f"contest {cid} option {oi}: bad count")
                continue
            point = b
            for j in lam:
                point = g.sub(point, g.mul(g.int_to_scalar(lam[j]), shares[j][ci][oi]))
            if point != g.small_multiple(m):
                report.fail(
                    "result",
                    "result.json",
                    f"contest {cid} option {oi}: count {m} is not the decryption",
                )
        report.counts[cid] = list(counts)


def _check_audits(root: Path, election: Election, trackers: set[str], report: Report) -> None:
    d = root / "audits"
    for path in sorted(d.glob("*.json")) if d.exists() else []:
        subject = f"audits/{path.name}"
        try:
            doc = store.read(path)
            open_audit(election, doc)
            if tracker(doc["ballot"]) in trackers:
                report.fail("audits", subject, "an audited (spoiled) ballot was also cast")
        except BallotError as exc:
            report.fail("audits", subject, exc.message)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            report.fail("audits", subject, f"malformed: {exc}")
