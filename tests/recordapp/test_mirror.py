"""``smolny mirror``: following a server, cosigning it, and catching a split view.

GIVEN a log server on loopback (a plain HTTP server holding tlog tiles, signed with one
federation key), WHEN it shows a mirror history A and later a history B that rewrites A, THEN
``smolny mirror`` exits non-zero, prints both signed checkpoints and keeps both in its
directory as evidence.  Against the real Smolny server, the mirror's cosignature is accepted
and published beside the checkpoint.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from smolny.record.checkpoint import Checkpoint, sign_checkpoint
from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import hash_leaf
from smolny.record.note import SIG_COSIGNATURE_V1, SignerKey, parse_note, write_signer_key
from smolny.record.tiles import bundles_for_size, encode_bundle, read_tile, tiles_for_size
from tests.harbour import carry, with_congress

from .conftest import PYTHON, subprocess_env

LOG_KEY = SignerKey.generate("log.example/record")


def history(entries: list[bytes]) -> dict[str, bytes]:
    """The files of a log holding ``entries``, as a tlog-tiles server serves them."""
    store = MemoryHashStore()
    result = append(store, 0, [hash_leaf(e) for e in entries])
    store.put_many(result.nodes)
    size = len(entries)
    files = {
        "checkpoint": sign_checkpoint(
            Checkpoint(LOG_KEY.name, size, result.root), LOG_KEY
        ).encode(),
        "verifier-key": LOG_KEY.verifier().encode().encode() + b"\n",
    }
    for tile in tiles_for_size(size):
        files[tile.path] = read_tile(store, tile)
    for bundle in bundles_for_size(size):
        files[bundle.path] = encode_bundle(
            entries[bundle.first_entry : bundle.first_entry + bundle.width]
        )
    return files


class LogServer:
    """A read-only HTTP log on 127.0.0.1 whose history the test can swap."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.removeprefix("/record/")
                data = server.files.get(path)
                self.send_response(200 if data is not None else 404)
                self.end_headers()
                self.wfile.write(data if data is not None else b"not found\n")

            def do_POST(self) -> None:
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def log_server() -> Iterator[LogServer]:
    server = LogServer()
    yield server
    server.close()


def mirror(source: str, directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "smolny.cli", "mirror", source, str(directory)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )


def entries(n: int, rewrite: int | None = None) -> list[bytes]:
    return [(b'{"n":%d,"rewritten":true}' if i == rewrite else b'{"n":%d}') % i for i in range(n)]


def test_a_mirror_follows_a_consistent_log(log_server: LogServer, tmp_path: Path) -> None:
    log_server.files = history(entries(300))
    first = mirror(log_server.url, tmp_path / "m")
    assert first.returncode == 0, first.stdout + first.stderr
    log_server.files = history(entries(700))
    second = mirror(log_server.url, tmp_path / "m")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "at size 700 (+400 entries), consistent with size 300" in second.stdout
    held = parse_note((tmp_path / "m" / "checkpoint").read_bytes())
    assert len(held.signatures) == 2  # the log's signature and the mirror's cosignature
    assert not (tmp_path / "m" / "evidence").exists()


@pytest.mark.parametrize(
    ("second", "why"),
    [
        (entries(310, rewrite=100), "a longer history rewriting entry 100"),
        (entries(300, rewrite=299), "the same size with another last entry"),
        (entries(200), "a shorter history"),
        (entries(200, rewrite=5), "a shorter history rewriting entry 5"),
    ],
)
def test_a_fork_is_caught_and_both_checkpoints_kept(
    log_server: LogServer, tmp_path: Path, second: list[bytes], why: str
) -> None:
    log_server.files = history(entries(300))
    assert mirror(log_server.url, tmp_path / "m").returncode == 0
    checkpoint_a = log_server.files["checkpoint"].decode()
    log_server.files = history(second)
    checkpoint_b = log_server.files["checkpoint"].decode()
    run = mirror(log_server.url, tmp_path / "m")
    if why == "a shorter history":
        assert run.returncode == 0, why  # an older checkpoint of the same history: no fork
        return
    assert run.returncode == 2, (why, run.stdout, run.stderr)
    assert "FORK" in run.stdout
    assert checkpoint_a in run.stdout and checkpoint_b in run.stdout
    (evidence,) = (tmp_path / "m" / "evidence").iterdir()
    assert (evidence / "held.checkpoint").read_text() == checkpoint_a
    assert (evidence / "conflicting.checkpoint").read_text() == checkpoint_b
    # The mirror still holds history A, and still refuses B on the next run.
    assert (tmp_path / "m" / "checkpoint").read_text().startswith(checkpoint_a.split("\n\n")[0])
    assert mirror(log_server.url, tmp_path / "m").returncode == 2


def test_a_mirror_of_the_smolny_server_is_cosigned_and_verifiable(
    harbour: None,
    live_server,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from smolny.store.models import Cosignature

    folder = tmp_path / "mirror"
    folder.mkdir()
    witness = SignerKey.generate("mirror.test", SIG_COSIGNATURE_V1)
    write_signer_key(folder / "witness.key", witness)
    with_congress()  # the congress, not a setting, admits the mirror as a witness
    carry({"kind": "admit_witness", "key": witness.verifier().encode()})
    run = mirror(live_server.url, folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "cosignature sent to the server: 200" in run.stdout
    assert Cosignature.objects.filter(witness__startswith="mirror.test+").count() == 1
    for source in (str(folder), live_server.url):
        verify = subprocess.run(
            [PYTHON, "-m", "smolny.cli", "verify", source],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            timeout=120,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
