"""``smolny export --dir DIR``: the record as files anyone can verify without this server.

The directory is the C2SP tlog-tiles layout of the record at its latest signed checkpoint
(``tile/<L>/<N>`` hash tiles, ``tile/entries/<N>`` entry bundles, ``checkpoint``), plus
``checkpoints.jsonl`` (every signed checkpoint), ``verifier-key`` and a README.  It is exactly
what ``smolny mirror`` and ``smolny verify`` read, so the same tools check an export, a mirror
and a live server.
"""

from __future__ import annotations

import json
from pathlib import Path

from smolny.record.tiles import bundles_for_size, encode_bundle, read_tile, tiles_for_size

from . import keys
from .models import Checkpoint, Entry
from .tree import DatabaseHashStore

README = """\
# The record of {origin}

Exported at size {size} (root {root}).

This directory is the federation's public record in the C2SP tlog-tiles layout:

- `tile/entries/...`: every entry (the RFC 8785 bytes of one event), 256 to a bundle, each
  framed by a big-endian 16-bit length;
- `tile/<L>/...`: the RFC 9162 Merkle tree's hashes, 256 to a tile;
- `checkpoint`: the latest signed checkpoint (C2SP tlog-checkpoint, signed-note, Ed25519),
  with any cosignatures of mirrors;
- `checkpoints.jsonl`: every checkpoint the server signed, one per line;
- `verifier-key`: the federation's verifier key, which signs every checkpoint:

      {key}

  Compare it with the key shown in the footer of the federation's pages and held by its
  mirrors: an export is only as trustworthy as the key you check it with.

To check everything (every entry, every hash, every signature, every replayed rule and
recounted result), without a database or a server:

    smolny verify {dirname} --key '{key}'
"""


def export(directory: str | Path, using: str = "default") -> int:
    """Write the record up to its latest checkpoint into ``directory``; return its size."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(Checkpoint.objects.using(using).order_by("size"))
    if not rows:
        raise ValueError("the record has no signed checkpoint yet")
    latest = rows[-1]
    size = latest.size
    store = DatabaseHashStore(using)
    for tile in tiles_for_size(size):
        _write(folder / tile.path, read_tile(store, tile))
    entries = Entry.objects.using(using).filter(seq__lt=size).order_by("seq")
    bodies = (bytes(b) for b in entries.values_list("body", flat=True).iterator(chunk_size=5000))
    for bundle in bundles_for_size(size):
        chunk = [next(bodies) for _ in range(bundle.width)]
        _write(folder / bundle.path, encode_bundle(chunk))
    from smolny.publicrecord.views import with_cosignatures

    (folder / "checkpoint").write_text(with_cosignatures(latest), "utf-8")
    with open(folder / "checkpoints.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"size": row.size, "note": row.note}) + "\n")
    key = keys.verifier()
    assert key is not None
    (folder / "verifier-key").write_text(key.encode() + "\n", "utf-8")
    root = latest.note.split("\n")[2]
    (folder / "README.md").write_text(
        README.format(origin=key.name, size=size, root=root, key=key.encode(), dirname=folder),
        "utf-8",
    )
    return size


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
