"""Where a record to verify or mirror comes from: a directory of tiles, or a server.

Both are a :data:`smolny.record.tiles.Fetch` over the C2SP tlog-tiles layout (``checkpoint``,
``tile/...``), plus two files Smolny adds beside it: ``verifier-key`` (the federation's key in
note format) and ``checkpoints.jsonl`` (every signed checkpoint, one JSON object per line; a
server serves it page by page at ``checkpoints?after=SIZE``).  An exported record and a mirror
directory have the same layout, so each can be mirrored and verified like a server.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smolny.record.checkpoint import Checkpoint
from smolny.record.note import VerifierKey, parse_note
from smolny.record.tiles import TILE_WIDTH, Bundle, TileNotFound, bundles_for_size, parse_bundle

from . import SignedCheckpoint

TIMEOUT = 30


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class DirFetch:
    """Read tiles from a directory (an export or a mirror)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def __call__(self, path: str) -> bytes:
        target = self.root / path
        try:
            return target.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise TileNotFound(path) from None

    def checkpoints(self) -> list[SignedCheckpoint]:
        return stored_checkpoints(self)


def stored_checkpoints(fetch: DirFetch | HttpFetch) -> list[SignedCheckpoint]:
    """Every signed checkpoint from ``checkpoints.jsonl`` (an export, a mirror, or either
    served by a plain file server); without it, the latest ``checkpoint`` alone."""
    try:
        history = fetch("checkpoints.jsonl").decode("utf-8")
    except TileNotFound:
        note = fetch("checkpoint").decode("utf-8")
        return [SignedCheckpoint(Checkpoint.parse(parse_note(note).text).size, note)]
    rows = [json.loads(line) for line in history.splitlines() if line]
    return [SignedCheckpoint(int(r["size"]), r["note"]) for r in rows]


class HttpFetch:
    """Read tiles from a server: ``SOURCE`` is its address, the log prefix is ``/record/``."""

    def __init__(self, url: str) -> None:
        base = url.rstrip("/")
        if not base.endswith("/record"):
            base += "/record"
        self.base = base + "/"

    def __call__(self, path: str) -> bytes:
        try:
            with urllib.request.urlopen(self.base + path, timeout=TIMEOUT) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise TileNotFound(path) from None
            raise

    def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method="POST",
            headers={"Content-Type": "text/plain; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, bytes(response.read())
        except urllib.error.HTTPError as error:
            return error.code, bytes(error.read())

    def checkpoints(self) -> list[SignedCheckpoint]:
        """A Smolny server pages them at ``checkpoints?after=SIZE``; a plain file server
        mirroring an export has them in one file."""
        rows: list[SignedCheckpoint] = []
        after = -1
        while True:
            try:
                text = self(f"checkpoints?after={after}").decode("utf-8")
            except TileNotFound:
                if after == -1:
                    return stored_checkpoints(self)
                raise
            page = text.splitlines()
            if not page:
                return rows
            for line in page:
                row = json.loads(line)
                rows.append(SignedCheckpoint(int(row["size"]), row["note"]))
            after = rows[-1].size

    def results(self) -> dict[str, Any] | None:
        """What the server shows as decided (``/api/results``, :mod:`.published`); None when
        it publishes none (a plain file server mirroring the tiles)."""
        root = self.base[: -len("record/")]
        try:
            with urllib.request.urlopen(root + "api/results", timeout=TIMEOUT) as response:
                shown = json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise
        return shown if isinstance(shown, dict) else {"size": None}


Source = DirFetch | HttpFetch


def shown_and_checkpoints(
    fetch: Source, wait: float = 10.0
) -> tuple[dict[str, Any] | None, list[SignedCheckpoint]]:
    """A server's results, then its checkpoints, so that the signed record covers the entries
    the results reflect.  A server signs a checkpoint just after each commit: if the results
    are newer than the last checkpoint, it is asked again for up to ``wait`` seconds (after
    that, ``verify`` says the server shows decisions its signed record does not hold)."""
    shown = fetch.results() if isinstance(fetch, HttpFetch) else None
    checkpoints = fetch.checkpoints()
    deadline = time.monotonic() + wait
    while (
        shown is not None
        and isinstance(shown.get("size"), int)
        and max((c.size for c in checkpoints), default=0) < shown["size"]
        and time.monotonic() < deadline
    ):
        time.sleep(0.2)
        checkpoints = fetch.checkpoints()
    return shown, checkpoints


def open_source(source: str) -> Source:
    return HttpFetch(source) if is_url(source) else DirFetch(source)


def verifier_key(fetch: Source, given: str | None = None) -> VerifierKey:
    """``given`` (pinned by the user), else the key the source publishes beside its tiles."""
    text = given if given else fetch("verifier-key").decode("utf-8").strip()
    return VerifierKey.parse(text)


def bundle_entries(fetch: Source, size: int, since: int = 0) -> Iterator[tuple[int, bytes]]:
    """Entries ``since`` .. ``size - 1`` from the entry bundles, with their indices."""
    for bundle in bundles_for_size(size, since):
        try:
            entries = parse_bundle(fetch(bundle.path), bundle.width)
        except TileNotFound:
            if bundle.width == TILE_WIDTH:
                raise
            entries = parse_bundle(fetch(Bundle(bundle.index).path), TILE_WIDTH)[: bundle.width]
        for offset, body in enumerate(entries):
            seq = bundle.first_entry + offset
            if seq >= since:
                yield seq, body
