"""The demo's secret ballots, and the trustees and voters the seed plays for them.

In a real federation every trustee runs ``smolny trustee init|commit|share|finish|decrypt`` on
her own machine, with a key file nobody else ever sees, and uploads only the documents it
writes; the server never holds a trustee key (docs/ballots.md).  The demo has nobody at those
machines, so **only because it is a demo** the seed plays the trustees here, on the server,
with the same library calls the command line makes, and leaves each trustee's key file where
anyone exploring the demo can find it: ``<SMOLNY_DATA_DIR>/demo-trustees/<subject>/``.  Those
files are what a real trustee keeps to herself; with them, whoever runs the demo can decrypt
its ballots, so nothing about the demo's secret ballots is secret from its operator.

Voters are played the same way: a voter's credential is made in her own browser (the booth
keeps its secret in localStorage) and registered before voting opens, when the roll freezes.
A visitor signing in as a persona comes too late for that, so the seed made the credentials of
the voters it plays from a fixed seed per member and wrote each one, in the format of
``smolny voter init``, to ``<SMOLNY_DATA_DIR>/demo-voters/<member>.json``: the booth's "use a
credential file" field takes it.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nacl.signing

from smolny.ballot import (
    TrusteeKey,
    ceremony_rounds,
    encrypt_ballot,
    parse_election,
    parse_manifest,
    partial_decrypt,
)
from smolny.ballot.store import write
from smolny.ballot.tally import tally_hash
from smolny.constitution import commands as c

from .stories import minutes
from .timeline import Story, StoryError, Timeline, spread

TRUSTEE_DIR = "demo-trustees"
VOTER_DIR = "demo-voters"

README = """\
The trustees of the demo's secret ballots, simulated on the server ONLY because this is a demo.

A real federation's trustees each run `smolny trustee ...` on their own machine and keep their
key file to themselves; the server never sees it (docs/ballots.md).  Here the demo's seed played
every trustee and left their key files in this folder, one folder per ballot:

    <subject>/trustee-<index>-<member>.json      (smolny-trustee-key, as `smolny trustee init` writes)

With these files anyone who can read this folder can decrypt the demo's ballots.  A trustee key of
an open ballot can still decrypt its tally after the close, e.g.:

    smolny election export SUBJECT DIR
    smolny trustee decrypt DIR --key demo-trustees/SUBJECT/trustee-1-....json

then upload DIR/decryptions/1.json as that trustee (POST /api/commands/upload_trustee_document).
"""


def credential(member: str) -> nacl.signing.SigningKey:
    """The credential the demo made for ``member``: the same on every seeding, so a browser
    that holds it from an earlier demo still holds it."""
    return nacl.signing.SigningKey(
        hashlib.sha256(b"smolny-demo/credential\x00" + member.encode()).digest()
    )


def public_key(member: str) -> str:
    return bytes(credential(member).verify_key).hex()


@dataclass
class Files:
    """Where the demo leaves what its simulated trustees and voters would keep at home.

    ``root`` is the data directory; ``None`` writes nothing (the history alone, in tests)."""

    root: Path | None = None
    written: list[Path] = field(default_factory=list)

    def trustee_key(self, subject: str, index: int, member: str, key: TrusteeKey) -> None:
        if self.root is None:
            return
        folder = self.root / TRUSTEE_DIR
        if not (folder / "README.txt").exists():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            (folder / "README.txt").write_text(README)
        path = folder / subject / f"trustee-{index}-{member}.json"
        write(path, key.to_json(), private=True)
        self.written.append(path)

    def voter_credential(self, member: str) -> None:
        if self.root is None:
            return
        key = credential(member)
        doc = {
            "type": "smolny-voter-credential",
            "seed": bytes(key).hex(),
            "public_key": bytes(key.verify_key).hex(),
        }
        path = self.root / VOTER_DIR / f"{member}.json"
        write(path, doc, private=True)
        self.written.append(path)


def trustee_folder(data_dir: Path, subject: str) -> Path | None:
    """The folder of a ballot's simulated trustees, if the demo made one for it."""
    folder = data_dir / TRUSTEE_DIR / subject
    return folder if folder.is_dir() else None


def credential_file(data_dir: Path, member: str) -> Path | None:
    path = data_dir / VOTER_DIR / f"{member}.json"
    return path if path.is_file() else None


def forget_files(data_dir: Path) -> None:
    """Delete what an earlier demo left (``--fresh``): its trustees' and voters' key files."""
    for name in (TRUSTEE_DIR, VOTER_DIR):
        shutil.rmtree(data_dir / name, ignore_errors=True)


# --- stories ------------------------------------------------------------------------------------


def register(
    tl: Timeline,
    files: Files,
    rng: random.Random,
    members: Sequence[str],
    start: datetime,
    end: datetime,
) -> Story:
    """Voters register their credentials (in their browsers, in life) before voting opens."""
    yield start, None
    todo = [m for m in members if tl.state.credentials.get(m) != public_key(m)]
    for when, member in zip(spread(rng, start, end, len(todo), gap=120), todo, strict=True):
        yield when, c.RegisterCredential(member, public_key(member))
        files.voter_credential(member)


STEP_MINUTES = {"identity": 6, "commit": 9, "reveal": 11, "finish": 8}
"""Minutes each step of the key ceremony takes a trustee in the demo's story (her shares are
uploaded a minute after her reveal)."""


def ceremony(tl: Timeline, files: Files, subject: str, at: datetime) -> Story:
    """The key ceremony of ``subject``, each trustee's documents in turn, as each trustee would
    make them with ``smolny trustee`` and upload them; returns the trustees' keys."""
    sb = tl.state.secret[subject]
    rounds = ceremony_rounds(
        parse_manifest(sb.manifest), sb.trustees, lambda: tl.state.secret[subject].documents
    )
    t = at
    while True:
        try:
            step, _, who, document = next(rounds)
        except StopIteration as done:
            keys: dict[int, TrusteeKey] = done.value
            break
        if step == "shares":
            yield t + minutes(1), c.UploadTrusteeDocument(who, subject, document)
            continue
        t += minutes(STEP_MINUTES[step])
        yield t, c.UploadTrusteeDocument(who, subject, document)
    if tl.state.secret[subject].election is None:
        raise StoryError(f"the key ceremony of {subject} did not open voting")
    for i, who in enumerate(sb.trustees, start=1):
        files.trustee_key(subject, i, who, keys[i])
    return keys


def cast(
    tl: Timeline,
    rng: random.Random,
    subject: str,
    choices: Mapping[str, Sequence[str]],
    start: datetime,
    end: datetime,
) -> Story:
    """Each voter encrypts her choices with her credential and casts the ballot."""
    order = list(choices)
    rng.shuffle(order)
    for when, member in zip(spread(rng, start, end, len(order), gap=90), order, strict=True):
        sb = tl.state.secret[subject]
        election = parse_election(sb.election)
        contest = election.manifest.contests[0].id
        ballot = encrypt_ballot(election, credential(member), 1, {contest: list(choices[member])})
        yield when, c.CastSecretBallot(member, subject, ballot.ballot)


def decrypt(
    tl: Timeline,
    files: Files,
    subject: str,
    keys: Mapping[int, TrusteeKey],
    trustees: Sequence[int],
    times: Sequence[datetime],
) -> Story:
    """Trustees ``trustees`` (by index) each decrypt the published tally, with proofs."""
    for index, when in zip(trustees, times, strict=True):
        sb = tl.state.secret[subject]
        if sb.tally is None:
            raise StoryError(f"{subject} has no tally to decrypt")
        doc = partial_decrypt(
            parse_election(sb.election), keys[index], sb.tally, tally_hash(sb.tally)
        )
        yield when, c.UploadTrusteeDocument(sb.trustees[index - 1], subject, doc)


def approvals(
    rng: random.Random,
    voters: Sequence[str],
    candidates: Sequence[str],
    winners: Sequence[str],
    turnout: float,
) -> dict[str, list[str]]:
    """Approval ballots that elect ``winners`` by a visible margin, not by lot."""
    wanted = max(1, round(turnout * len(voters)))
    for _ in range(1000):
        who = sorted(rng.sample(list(voters), wanted))
        ballots = {
            v: [
                cand
                for cand in candidates
                if cand == v or rng.random() < (0.7 if cand in winners else 0.35)
            ]
            for v in who
        }
        counts = {cand: sum(cand in b for b in ballots.values()) for cand in candidates}
        losers = [counts[cand] for cand in candidates if cand not in winners]
        if min(counts[w] for w in winners) > max(losers, default=-1) + 1:
            return ballots
    raise StoryError(f"no approval ballots elect {list(winners)}")
