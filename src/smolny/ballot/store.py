"""The election directory: one canonical JSON file per document, as the server's record holds them.

::

    DIR/manifest.json                     smolny-election-manifest (contests, n, k)
    DIR/voters.json                       smolny-voter-roll (credential public keys)
    DIR/trustees/<i>/identity.json        smolny-trustee-identity   (step 1)
    DIR/trustees/<i>/commit.json          smolny-trustee-commit     (step 2)
    DIR/trustees/<i>/reveal.json          smolny-trustee-reveal     (step 3)
    DIR/trustees/<i>/shares.json          smolny-trustee-shares     (step 3)
    DIR/trustees/<i>/finish.json          smolny-trustee-finish     (step 4)
    DIR/election.json                     smolny-election (manifest, joint key, fingerprint)
    DIR/ballots/<NNNNNNNN>.json           smolny-ballot, numbered in the order received
    DIR/audits/<tracker>.json             smolny-ballot-audit (spoiled ballots, randomness revealed)
    DIR/tally.json                        smolny-tally (counted trackers, summed ciphertexts)
    DIR/decryptions/<i>.json              smolny-trustee-decryption (shares and proofs)
    DIR/result.json                       smolny-result (counts)

Files are written as RFC 8785 canonical bytes, so a ballot's tracker is the SHA-256 of its file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from smolny import canonical
from smolny.ballot.election import BallotError, canonical_bytes
from smolny.ballot.trustee import STEPS


def read(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BallotError("missing", f"{path.name} is missing") from None
    return parse(data, path.name)


def _refuse(text: str) -> Any:
    raise ValueError(f"number {text} is not an integer")


def parse(data: bytes, name: str) -> Any:
    """Parse a stored document, refusing floats and anything not in RFC 8785 canonical form."""
    try:
        value = json.loads(data.decode("utf-8"), parse_float=_refuse, parse_constant=_refuse)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BallotError("bad-encoding", f"{name} is not JSON ({exc})") from None
    try:
        again = canonical_bytes(value)
    except ValueError as exc:
        raise BallotError("bad-encoding", f"{name}: {exc}") from None
    if again != data:
        raise BallotError("bad-encoding", f"{name} is not in RFC 8785 canonical form")
    return value


def read_input(path: Path) -> Any:
    """A hand-written input (a manifest to start from): any JSON layout, still no floats."""
    try:
        return canonical.decode(canonical.encode(json.loads(path.read_text("utf-8"))))
    except (OSError, ValueError) as exc:
        raise BallotError("bad-input", f"{path}: {exc}") from None


def write(path: Path, doc: Any, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(canonical_bytes(doc))
    os.replace(tmp, path)


def trustee_docs(root: Path, n: int) -> dict[int, dict[str, Any]]:
    docs: dict[int, dict[str, Any]] = {}
    for i in range(1, n + 1):
        docs[i] = {}
        for step in STEPS:
            p = root / "trustees" / str(i) / f"{step}.json"
            if p.exists():
                docs[i][step] = read(p)
    return docs


def ballot_paths(root: Path) -> list[Path]:
    d = root / "ballots"
    return sorted(d.glob("*.json")) if d.exists() else []


def next_ballot_path(root: Path) -> Path:
    return root / "ballots" / f"{len(ballot_paths(root)) + 1:08d}.json"
