"""``smolny mirror SOURCE DIR``: copy the record, check it extends what we hold, cosign it.

DESIGN.md: "The record is replicated: mirrors keep complete copies and cosign checkpoints."  One
run (docs/record.md, "Mirroring and verifying"):

1. the federation's verifier key is pinned in ``DIR/verifier-key`` on the first run (given
   with ``--key``, or as the source publishes it) and never taken from the source again;
2. the source's checkpoint is verified with it;
3. the new entries are fetched from the entry bundles and appended to the mirror's own tree,
   rebuilt from the entries it holds; the new root must equal the checkpoint's root, which
   also proves the new checkpoint extends the one held;
4. the source's hash tiles are compared with the mirror's own (clients compute proofs from
   them);
5. the entries and tiles are written in tlog-tiles layout, and the checkpoint is cosigned
   (C2SP tlog-cosignature) with the mirror's own key ``DIR/witness.key``, created on first
   use; for a server, the cosigned note is POSTed back to ``/record/cosign``.

If the new checkpoint cannot be reconciled with the one held — a different root at the same
size, a smaller tree whose root is not a prefix of ours, or a larger one that does not
contain ours — the source has shown two inconsistent histories, each signed by the
federation's key.  That is the proof of a split view: both notes are kept in ``DIR/evidence``
and printed, and the run exits with status 2.  Pure Python, no Django.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import TextIO

from smolny.record.checkpoint import Checkpoint, verify_checkpoint
from smolny.record.cosignature import cosign
from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import VerificationError, hash_leaves, verify_consistency
from smolny.record.note import (
    SIG_COSIGNATURE_V1,
    Note,
    NoteError,
    SignerKey,
    VerifierKey,
    read_signer_key,
    write_signer_key,
)
from smolny.record.proofs import consistency_proof, tree_root
from smolny.record.tiles import (
    TileError,
    TileHashStore,
    TileNotFound,
    bundles_for_size,
    encode_bundle,
    mirror_entries,
    read_tile,
    tiles_for_size,
)
from smolny.verify.sources import DirFetch, HttpFetch, bundle_entries, open_source, verifier_key

FORK = 2
FAILED = 1


class MirrorError(Exception):
    pass


def _write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a crash leaves the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    with open(tmp, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(tmp, path)


def witness_key(directory: Path, name: str | None) -> SignerKey:
    path = directory / "witness.key"
    if not path.exists():
        default = f"mirror-{secrets.token_hex(4)}"
        with contextlib.suppress(FileExistsError):  # another run made it first
            write_signer_key(path, SignerKey.generate(name or default, SIG_COSIGNATURE_V1))
    key = read_signer_key(path)
    pub = directory / "witness-key.pub"
    if not pub.exists():
        _write(pub, (key.verifier().encode() + "\n").encode())
    return key


def _pinned_key(fetch: DirFetch | HttpFetch, directory: Path, given: str | None) -> VerifierKey:
    pinned = directory / "verifier-key"
    if pinned.exists():
        key = VerifierKey.parse(pinned.read_text("utf-8").strip())
        if given and VerifierKey.parse(given) != key:
            raise MirrorError(f"--key differs from the key pinned in {pinned}")
        return key
    key = verifier_key(fetch, given)
    _write(pinned, (key.encode() + "\n").encode())
    return key


def _evidence(directory: Path, held: str, new: str, out: TextIO) -> None:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    folder = directory / "evidence" / stamp
    _write(folder / "held.checkpoint", held.encode())
    _write(folder / "conflicting.checkpoint", new.encode())
    print(
        "FORK: the source has shown two inconsistent histories, both signed by the "
        f"federation's key. Kept as evidence in {folder}.",
        file=out,
    )
    print("--- the checkpoint this mirror held ---", file=out)
    print(held, end="" if held.endswith("\n") else "\n", file=out)
    print("--- the checkpoint the source shows now ---", file=out)
    print(new, end="" if new.endswith("\n") else "\n", file=out)


def _consistent_per_source(fetch: DirFetch | HttpFetch, held: Checkpoint, new: Checkpoint) -> bool:
    """Whether the source's own tiles prove ``new`` extends ``held`` (so it is no fork)."""
    try:
        tiles = TileHashStore(fetch, new.size)
        if tree_root(tiles, new.size) != new.root:
            return False
        proof = consistency_proof(tiles, held.size, new.size)
        verify_consistency(held.size, new.size, held.root, new.root, proof)
    except (TileError, TileNotFound, VerificationError, KeyError, ValueError):
        return False
    return True


def _log_signed(note: Note, log_key: VerifierKey) -> str:
    """The note with the log's own signature lines only."""
    lines = [s for s in note.signatures if (s.name, s.key_id) == (log_key.name, log_key.key_id)]
    return note.text + "\n" + "".join(s.line() for s in lines)


def run(
    source: str,
    directory: str | Path,
    *,
    key: str | None = None,
    name: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    fetch = open_source(source)
    local = DirFetch(folder)
    try:
        log_key = _pinned_key(fetch, folder, key)
        witness = witness_key(folder, name)
        served = fetch("checkpoint").decode("utf-8")
        opened = verify_checkpoint(served, [log_key], origin=log_key.name)
    except (NoteError, MirrorError, TileNotFound, OSError, UnicodeDecodeError) as error:
        print(f"mirror: cannot use {source}: {error}", file=err)
        return FAILED
    new = opened.checkpoint
    signed = _log_signed(opened.note, log_key)

    held_note = (
        (folder / "checkpoint").read_text("utf-8") if (folder / "checkpoint").exists() else None
    )
    held_opened = verify_checkpoint(held_note, [log_key]) if held_note else None
    held = held_opened.checkpoint if held_opened else None
    if held_opened is not None:  # the evidence is the log's own signed note, without ours
        held_note = _log_signed(held_opened.note, log_key)
    held_size = held.size if held else 0

    # The mirror's own tree, rebuilt from the entries it holds (this re-checks its copy too).
    tree = MemoryHashStore()
    held_entries = [body for _, body in bundle_entries(local, held_size)]
    result = append(tree, 0, hash_leaves(held_entries))
    tree.put_many(result.nodes)
    if held is not None and result.root != held.root:
        print(f"mirror: the copy in {folder} does not hash to the checkpoint it holds", file=err)
        return FAILED

    if held is not None and new.size <= held.size:
        if tree_root(tree, new.size) == new.root:
            print(f"mirror: up to date at size {held.size}", file=out)
            return 0
        _evidence(folder, held_note or "", signed, out)
        return FORK
    try:
        update = mirror_entries(fetch, new, tree, held_size)
    except (TileError, TileNotFound) as error:
        if held is not None and not _consistent_per_source(fetch, held, new):
            _evidence(folder, held_note or "", signed, out)
            return FORK
        print(f"mirror: the source's entries do not match its checkpoint: {error}", file=err)
        return FAILED
    tree.put_many(update.result.nodes)
    for tile in tiles_for_size(new.size, held_size):
        try:
            theirs = fetch(tile.path)
        except TileNotFound:
            theirs = None
        if theirs is not None and theirs != read_tile(tree, tile):
            print(
                f"mirror: the source's {tile.path} differs from the tree of its entries", file=err
            )
            return FAILED

    all_entries = held_entries + update.entries
    for bundle in bundles_for_size(new.size, held_size):
        chunk = all_entries[bundle.first_entry : bundle.first_entry + bundle.width]
        _write(folder / bundle.path, encode_bundle(chunk))
    for tile in tiles_for_size(new.size, held_size):
        _write(folder / tile.path, read_tile(tree, tile))

    line = cosign(new, witness, int(time.time()))
    cosigned = signed + line.line()
    with open(folder / "checkpoints.jsonl", "a", encoding="utf-8") as history:
        history.write(json.dumps({"size": new.size, "note": signed}) + "\n")
        history.flush()
        os.fsync(history.fileno())
    _write(folder / "checkpoint", cosigned.encode())
    print(
        f"mirror: {new.origin} at size {new.size} (+{new.size - held_size} entries), "
        f"consistent with size {held_size}; cosigned as {witness.name}",
        file=out,
    )
    if isinstance(fetch, HttpFetch):
        status, body = fetch.post("cosign", cosigned.encode())
        print(
            f"mirror: cosignature sent to the server: {status} {body.decode(errors='replace')}",
            file=out,
        )
    return 0
