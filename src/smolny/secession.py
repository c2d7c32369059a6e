"""``smolny secede-export COUNCIL DIR``: the record a seceded council leaves with.

The federation's record says the council seceded (``council_seceded``, the effect of a motion
its own voters carried).  This writes the departing council's own record, in the same C2SP
tlog-tiles layout as ``smolny export --dir`` so ``smolny verify DIR`` checks it:

1. its first entry, ``record_continued``, references the federation's record at the moment of
   secession: the size up to and including the ``council_seceded`` entry, the RFC 9162 root
   of those entries, and the federation's signed checkpoint of that size when there is one;
2. then the subtree re-founded as events (``exit.secession_record``);
3. signed with a new key of its own (written to ``DIR/signing-key``, mode 0600: the seceded
   federation's operator keeps it to sign what comes next).

``check_continuation`` is what anyone holding both records runs: the genesis's size and root
must be those of the federation's entries, and the entry just before that size must be the
secession of that council.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from smolny.constitution import Event, State, apply
from smolny.constitution.exit import secession_record
from smolny.record.checkpoint import Checkpoint, sign_checkpoint
from smolny.record.hashstore import MemoryHashStore, append
from smolny.record.merkle import hash_leaf, tree_hash
from smolny.record.note import SignerKey, parse_note
from smolny.record.tiles import bundles_for_size, encode_bundle, read_tile, tiles_for_size


class SecessionError(Exception):
    pass


def parent_reference(
    bodies: list[bytes], council: str, notes: dict[int, str], origin: str
) -> tuple[int, dict[str, Any]]:
    """The index of the council's ``council_seceded`` entry and the parent record's reference."""
    for seq, body in enumerate(bodies):
        event = Event.decode(body)
        if event.type == "council_seceded" and event.data["council"] == council:
            size = seq + 1
            root = tree_hash([hash_leaf(b) for b in bodies[:size]])
            reference: dict[str, Any] = {
                "origin": origin,
                "size": size,
                "root": base64.b64encode(root).decode("ascii"),
            }
            if size in notes:
                reference["checkpoint"] = notes[size]
            return seq, reference
    raise SecessionError(f"the record holds no secession of council {council}")


def build(bodies: list[bytes], council: str, notes: dict[int, str], origin: str) -> list[bytes]:
    """The new record's entries (canonical bytes)."""
    seq, reference = parent_reference(bodies, council, notes, origin)
    before = State()
    for body in bodies[:seq]:
        apply(before, Event.decode(body))
    return [e.encode() for e in secession_record(before, Event.decode(bodies[seq]), reference)]


def write(directory: str | Path, entries: list[bytes], key: SignerKey) -> str:
    """Write ``entries`` as a tlog-tiles directory signed by ``key``; return the checkpoint."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    store = MemoryHashStore()
    result = append(store, 0, [hash_leaf(e) for e in entries])
    store.put_many(result.nodes)
    size = len(entries)
    for tile in tiles_for_size(size):
        _write(folder / tile.path, read_tile(store, tile))
    for bundle in bundles_for_size(size):
        first = bundle.index * 256
        _write(folder / bundle.path, encode_bundle(entries[first : first + bundle.width]))
    note = sign_checkpoint(Checkpoint(key.name, size, result.root), key)
    (folder / "checkpoint").write_text(note, "utf-8")
    with open(folder / "checkpoints.jsonl", "w", encoding="utf-8") as out:
        out.write(json.dumps({"size": size, "note": note}) + "\n")
    (folder / "verifier-key").write_text(key.verifier().encode() + "\n", "utf-8")
    secret = folder / "signing-key"
    fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.encode() + "\n")
    with open(folder / "entries.jsonl", "w", encoding="utf-8") as out:
        for seq, entry in enumerate(entries):
            out.write(json.dumps({"seq": seq, "entry": entry.decode("utf-8")}) + "\n")
    return note


def check_continuation(parent: list[bytes], child_first: bytes) -> dict[str, Any]:
    """Check the new record's genesis against the federation's entries; return the reference."""
    genesis = Event.decode(child_first)
    if genesis.type != "record_continued":
        raise SecessionError("the new record does not begin with a record_continued entry")
    reference = genesis.data["parent"]
    size = int(reference["size"])
    if size > len(parent):
        raise SecessionError(f"the federation's record has {len(parent)} entries, not {size}")
    root = tree_hash([hash_leaf(b) for b in parent[:size]])
    if base64.b64encode(root).decode("ascii") != reference["root"]:
        raise SecessionError(f"the federation's root at size {size} is not the one referenced")
    last = Event.decode(parent[size - 1])
    if last.type != "council_seceded" or last.data["council"] != genesis.data["council"]:
        raise SecessionError("the referenced size does not end with this council's secession")
    if "checkpoint" in reference:
        text = parse_note(reference["checkpoint"]).text
        signed = Checkpoint.parse(text)
        if signed.size != size or signed.root != root:
            raise SecessionError("the referenced checkpoint does not match the entries")
    return dict(reference)


def export(council: str, directory: str | Path, using: str = "default") -> tuple[int, str]:
    """Read the federation's record from the database; write the council's record."""
    from smolny.store import keys
    from smolny.store.models import Checkpoint as StoredCheckpoint
    from smolny.store.models import Entry

    bodies = [
        bytes(b) for b in Entry.objects.using(using).order_by("seq").values_list("body", flat=True)
    ]
    notes = dict(StoredCheckpoint.objects.using(using).values_list("size", "note"))
    verifier = keys.verifier()
    origin = verifier.name if verifier is not None else "smolny"
    entries = build(bodies, council, notes, origin)
    name = f"{origin}/seceded/{council}"
    note = write(directory, entries, SignerKey.generate(name))
    return len(entries), note


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
