"""Command-line entry points over an election directory (see :mod:`smolny.ballot.store`).

Every party acts with its own key file and writes only its own documents; the server will store
the same documents in its record.  ``main(argv)`` returns an exit status so the project CLI can
mount the groups as ``smolny election|voter|trustee|ballot ...`` and ``smolny verify-election``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nacl.signing

from smolny.ballot import store
from smolny.ballot.ballots import encrypt_ballot, open_audit
from smolny.ballot.election import BallotError, Election, parse_election, parse_manifest, unhex
from smolny.ballot.tally import (
    accumulate,
    result_document,
    select_counted,
    tally_document,
    tally_hash,
)
from smolny.ballot.trustee import (
    TrusteeKey,
    check_ceremony,
    check_decryption,
    combine,
    partial_decrypt,
    trustee_commit,
    trustee_finish,
    trustee_init,
    trustee_share,
)
from smolny.ballot.verify import check_ballots, verify_election


def _manifest(root: Path) -> Any:
    return parse_manifest(store.read(root / "manifest.json"))


def _election(root: Path) -> Election:
    return parse_election(store.read(root / "election.json"))


def _key(path: str) -> TrusteeKey:
    return TrusteeKey.from_json(store.read(Path(path)))


def _tdir(root: Path, index: int) -> Path:
    return root / "trustees" / str(index)


def cmd_election_create(a: argparse.Namespace) -> int:
    root = Path(a.dir)
    manifest = parse_manifest(store.read_input(Path(a.manifest)))
    if (root / "manifest.json").exists():
        raise BallotError("exists", f"{root} already holds an election")
    store.write(root / "manifest.json", manifest.raw)
    store.write(root / "voters.json", _roll(manifest.election_id, []))
    print(
        f"election {manifest.election_id}: {manifest.trustees} trustees, threshold {manifest.threshold}"
    )
    return 0


def _roll(election_id: str, voters: list[str]) -> dict[str, Any]:
    return {"type": "smolny-voter-roll", "election_id": election_id, "voters": sorted(voters)}


def cmd_election_seal(a: argparse.Namespace) -> int:
    root = Path(a.dir)
    manifest = _manifest(root)
    ceremony = check_ceremony(manifest, store.trustee_docs(root, manifest.trustees))
    if ceremony.failures or ceremony.public_key is None:
        for who, step, message in ceremony.failures:
            print(f"trustee {who} ({step}): {message}", file=sys.stderr)
        return 1
    from smolny.ballot.election import make_election

    election = make_election(manifest, ceremony.public_key)
    store.write(root / "election.json", election.to_json())
    print(f"election key {ceremony.public_key.hex()}\nfingerprint {election.fingerprint.hex()}")
    return 0


def cmd_voter_init(a: argparse.Namespace) -> int:
    key = nacl.signing.SigningKey.generate()
    pk = bytes(key.verify_key).hex()
    store.write(
        Path(a.credential),
        {"type": "smolny-voter-credential", "seed": bytes(key).hex(), "public_key": pk},
        private=True,
    )
    if a.register:
        root = Path(a.register)
        roll = store.read(root / "voters.json")
        if pk not in roll["voters"]:
            store.write(root / "voters.json", _roll(roll["election_id"], [*roll["voters"], pk]))
    print(pk)
    return 0


def _choices(items: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        cid, sep, rest = item.partition("=")
        if not sep:
            raise BallotError("bad-choice", f"{item!r}: use CONTEST=OPTION[,OPTION...]")
        out[cid] = [x for x in rest.split(",") if x]
    return out


def cmd_ballot_cast(a: argparse.Namespace) -> int:
    root = Path(a.dir)
    election = _election(root)
    cred = store.read(Path(a.credential))
    key = nacl.signing.SigningKey(unhex(cred["seed"], "credential seed", 32))
    pk = bytes(key.verify_key).hex()
    seq = 1
    for path in store.ballot_paths(root):
        doc = store.read(path)
        if isinstance(doc, dict) and doc.get("voter") == pk and isinstance(doc.get("seq"), int):
            seq = max(seq, doc["seq"] + 1)
    cast = encrypt_ballot(election, key, seq, _choices(a.choose))
    if a.audit:
        store.write(root / "audits" / f"{cast.tracker}.json", cast.audit_document())
        print(f"audited {cast.tracker} (not cast)")
    else:
        store.write(store.next_ballot_path(root), cast.ballot)
        print(f"cast {cast.tracker} (seq {seq})")
    return 0


def cmd_ballot_open_audit(a: argparse.Namespace) -> int:
    election = _election(Path(a.dir))
    for cid, chosen in open_audit(election, store.read(Path(a.audit))).items():
        print(f"{cid}: {', '.join(chosen) if chosen else '(none)'}")
    return 0


def cmd_trustee_init(a: argparse.Namespace) -> int:
    root = Path(a.dir)
    if Path(a.key).exists():
        raise BallotError("exists", f"{a.key} exists; refusing to overwrite a trustee key")
    key, identity = trustee_init(_manifest(root), a.index)
    store.write(Path(a.key), key.to_json(), private=True)
    store.write(_tdir(root, a.index) / "identity.json", identity)
    return 0


def cmd_trustee_commit(a: argparse.Namespace) -> int:
    root, key = Path(a.dir), _key(a.key)
    doc = trustee_commit(_manifest(root), key)
    store.write(Path(a.key), key.to_json(), private=True)
    store.write(_tdir(root, key.index) / "commit.json", doc)
    return 0


def cmd_trustee_share(a: argparse.Namespace) -> int:
    root, key = Path(a.dir), _key(a.key)
    manifest = _manifest(root)
    reveal, shares = trustee_share(manifest, key, store.trustee_docs(root, manifest.trustees))
    store.write(_tdir(root, key.index) / "reveal.json", reveal)
    store.write(_tdir(root, key.index) / "shares.json", shares)
    return 0


def cmd_trustee_finish(a: argparse.Namespace) -> int:
    root, key = Path(a.dir), _key(a.key)
    manifest = _manifest(root)
    doc = trustee_finish(manifest, key, store.trustee_docs(root, manifest.trustees))
    store.write(Path(a.key), key.to_json(), private=True)
    store.write(_tdir(root, key.index) / "finish.json", doc)
    for c in doc["complaints"]:
        print(f"complaint: trustee {c['dealer']} dealt an invalid share", file=sys.stderr)
    return 1 if doc["complaints"] else 0


def cmd_election_tally(a: argparse.Namespace) -> int:
    root = Path(a.dir)
    election = _election(root)
    roll = frozenset(bytes.fromhex(v) for v in store.read(root / "voters.json")["voters"])
    entries, bad = [], 0
    for name, entry, error in check_ballots(election, roll, store.ballot_paths(root), a.workers):
        if entry is None:
            print(f"{name}: {error} (not counted)", file=sys.stderr)
            bad += 1
        else:
            entries.append(entry)
    counted, duplicates = select_counted(entries)
    for name, message in duplicates:
        print(f"{name}: {message} (not counted)", file=sys.stderr)
    store.write(
        root / "tally.json", tally_document(election, counted, accumulate(election, counted))
    )
    print(
        f"tally of {len(counted)} ballots ({len(entries) - len(counted)} superseded, {bad} invalid)"
    )
    return 0


def _tally(root: Path) -> tuple[dict[str, Any], list[tuple[str, list[tuple[bytes, bytes]]]]]:
    tally = store.read(root / "tally.json")
    cts = [
        (c["id"], [(bytes.fromhex(x), bytes.fromhex(y)) for x, y in c["ciphertexts"]])
        for c in tally["contests"]
    ]
    return tally, cts


def cmd_trustee_decrypt(a: argparse.Namespace) -> int:
    root, key = Path(a.dir), _key(a.key)
    election = _election(root)
    tally, _ = _tally(root)
    doc = partial_decrypt(election, key, tally, tally_hash(tally))
    store.write(root / "decryptions" / f"{key.index}.json", doc)
    return 0


def cmd_election_result(a: argparse.Namespace) -> int:
    root = Path(a.dir)
    election = _election(root)
    manifest = election.manifest
    tally, cts = _tally(root)
    th = tally_hash(tally)
    docs = store.trustee_docs(root, manifest.trustees)
    ceremony = check_ceremony(manifest, docs)
    shares: dict[int, list[list[bytes]]] = {}
    for path in sorted((root / "decryptions").glob("*.json")):
        doc = store.read(path)
        i = doc.get("index")
        try:
            shares[i] = check_decryption(
                election, docs[i]["identity"], ceremony.verification_keys[i], cts, th, doc
            )
        except (BallotError, KeyError) as exc:
            print(f"decryptions/{path.name}: {exc} (ignored)", file=sys.stderr)
    chosen = dict(sorted(shares.items())[: manifest.threshold])
    counts = combine(manifest.threshold, cts, chosen, len(tally["counted"]))
    store.write(
        root / "result.json", result_document(election, list(chosen), counts, len(tally["counted"]))
    )
    for contest, row in zip(manifest.contests, counts, strict=True):
        print(
            f"{contest.id}: "
            + ", ".join(f"{o} {n}" for o, n in zip(contest.options, row, strict=True))
        )
    return 0


def cmd_verify(a: argparse.Namespace) -> int:
    report = verify_election(a.dir, a.workers)
    for failure in report.failures:
        print(f"FAIL {failure}")
    if report.ok:
        print(f"OK: {report.ballots} ballots, {report.counted} counted")
        for cid, counts in report.counts.items():
            print(f"  {cid}: {counts}")
    return 0 if report.ok else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="smolny", description="End-to-end verifiable secret ballots")
    top = p.add_subparsers(dest="group", required=True)

    def sub(
        group: argparse._SubParsersAction[Any], name: str, fn: Any, help: str
    ) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = group.add_parser(name, help=help)
        q.set_defaults(fn=fn)
        return q

    el = top.add_parser(
        "election", help="create, seal, tally and publish an election"
    ).add_subparsers(dest="cmd", required=True)
    q = sub(el, "create", cmd_election_create, "start DIR from a manifest file")
    q.add_argument("dir")
    q.add_argument("--manifest", required=True)
    q = sub(el, "seal", cmd_election_seal, "check the key ceremony and write election.json")
    q.add_argument("dir")
    q = sub(el, "tally", cmd_election_tally, "accumulate the counted ballots into tally.json")
    q.add_argument("dir")
    q.add_argument("--workers", type=int, default=None)
    q = sub(el, "result", cmd_election_result, "combine k partial decryptions into result.json")
    q.add_argument("dir")

    vo = top.add_parser("voter", help="voter credentials").add_subparsers(dest="cmd", required=True)
    q = sub(vo, "init", cmd_voter_init, "create an Ed25519 voter credential")
    q.add_argument("--credential", required=True)
    q.add_argument("--register", metavar="DIR", help="add it to DIR/voters.json")

    tr = top.add_parser("trustee", help="key ceremony and decryption").add_subparsers(
        dest="cmd", required=True
    )
    q = sub(tr, "init", cmd_trustee_init, "create a trustee key file and identity")
    q.add_argument("dir")
    q.add_argument("--index", type=int, required=True)
    q.add_argument("--key", required=True)
    for name, fn, text in [
        ("commit", cmd_trustee_commit, "commit to the coefficient commitments"),
        ("share", cmd_trustee_share, "reveal commitments and send sealed shares"),
        ("finish", cmd_trustee_finish, "check received shares, complain or accept"),
        ("decrypt", cmd_trustee_decrypt, "publish a partial decryption of the tally"),
    ]:
        q = sub(tr, name, fn, text)
        q.add_argument("dir")
        q.add_argument("--key", required=True)

    bl = top.add_parser("ballot", help="cast or audit a ballot").add_subparsers(
        dest="cmd", required=True
    )
    q = sub(bl, "cast", cmd_ballot_cast, "encrypt, prove, sign and cast (or --audit) a ballot")
    q.add_argument("dir")
    q.add_argument("--credential", required=True)
    q.add_argument("--choose", action="append", default=[], metavar="CONTEST=OPT[,OPT]")
    q.add_argument("--audit", action="store_true", help="spoil it: reveal randomness, do not cast")
    q = sub(bl, "open-audit", cmd_ballot_open_audit, "check an audited ballot, print its choices")
    q.add_argument("dir")
    q.add_argument("audit")

    q = top.add_parser("verify-election", help="verify everything in an election directory")
    q.set_defaults(fn=cmd_verify)
    q.add_argument("dir")
    q.add_argument("--workers", type=int, default=None)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except BallotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
