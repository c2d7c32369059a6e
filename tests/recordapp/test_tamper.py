"""Tampering with the stored record is detected by ``smolny verify``, which names the place.

GIVEN the Harbour federation written through the store (entries, tree nodes, read models and a
signed checkpoint per action, on the real SQLite or PostgreSQL database), WHEN someone with
database access edits, deletes, swaps or inserts entries, edits a tree hash or a read model, or
replaces a checkpoint signature, THEN ``smolny verify`` exits 1 naming the first entry index,
tree node, read-model row or checkpoint that fails.
"""

from __future__ import annotations

import base64

import pytest

from smolny.store.models import Checkpoint, Entry, Head, Node

from .conftest import rewrite_history, smolny, sql

pytestmark = pytest.mark.usefixtures("harbour")


def body(seq: int) -> bytes:
    return bytes(Entry.objects.get(seq=seq).body)


def failed_at(where: str) -> str:
    code, out = smolny("verify")
    assert code == 1, out
    assert f"FAILED at {where}:" in out, out
    return out


def test_an_untouched_record_verifies() -> None:
    code, out = smolny("verify")
    assert code == 0, out
    size = Head.objects.get().size
    assert f"Verified the database: {size} entries" in out
    assert Checkpoint.objects.count() > 10  # one per action
    assert "published result(s) recounted" in out
    assert "entries hashed" in out  # progress on stderr


def test_editing_one_byte_of_an_entry_is_named() -> None:
    original = body(7)
    edited = original.replace(b'"at":"2', b'"at":"3', 1)
    assert edited != original and len(edited) == len(original)
    sql("UPDATE store_entry SET body = %s WHERE seq = %s", [edited, 7])
    failed_at("entry 7")


def test_deleting_an_entry_is_named() -> None:
    sql("DELETE FROM store_entry WHERE seq = %s", [12])
    failed_at("entry 12")


def test_deleting_the_last_entry_is_named() -> None:
    last = Head.objects.get().size - 1
    sql("DELETE FROM store_entry WHERE seq = %s", [last])
    failed_at(f"entry {last}")


def test_swapping_two_entries_is_named() -> None:
    a, b = body(9), body(15)
    sql("UPDATE store_entry SET body = %s WHERE seq = %s", [b, 9])
    sql("UPDATE store_entry SET body = %s WHERE seq = %s", [a, 15])
    failed_at("entry 9")


def test_inserting_an_entry_at_the_end_is_named() -> None:
    size = Head.objects.get().size
    row = Entry.objects.get(seq=size - 1)
    sql(
        "INSERT INTO store_entry (seq, type, actor, at, body, scope) VALUES (%s, %s, %s, %s, %s, %s)",
        [size, row.type, row.actor, row.at, bytes(row.body), row.scope],
    )
    failed_at(f"entry {size}")


def test_inserting_an_entry_in_the_middle_is_named() -> None:
    size = Head.objects.get().size
    bodies = [body(seq) for seq in range(size)]
    forged = [*bodies[:20], bodies[19], *bodies[20:]]
    for seq in range(20, size):
        sql("UPDATE store_entry SET body = %s WHERE seq = %s", [forged[seq], seq])
    row = Entry.objects.get(seq=size - 1)
    sql(
        "INSERT INTO store_entry (seq, type, actor, at, body, scope) VALUES (%s, %s, %s, %s, %s, %s)",
        [size, row.type, row.actor, row.at, forged[size], row.scope],
    )
    failed_at("entry 20")


@pytest.mark.parametrize(("level", "index"), [(0, 5), (1, 3), (3, 1)])
def test_editing_a_stored_tree_hash_is_named(level: int, index: int) -> None:
    node = Node.objects.get(level=level, idx=index)
    forged = bytes(b ^ 0xFF if i == 0 else b for i, b in enumerate(bytes(node.hash)))
    sql("UPDATE store_node SET hash = %s WHERE level = %s AND idx = %s", [forged, level, index])
    failed_at(f"tree node ({level}, {index})")


def test_editing_a_read_model_is_named() -> None:
    sql("UPDATE readmodels_memberrow SET name = %s WHERE key = %s", ["Comrade X", "rosa"])
    out = failed_at("read model")
    assert "rosa" in out and "Comrade X" in out


def test_replacing_a_checkpoint_signature_is_named() -> None:
    target = Checkpoint.objects.order_by("size")[5]
    text, signature = target.note.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(signature))
    raw[10] ^= 1  # keep the key ID, change the signature
    forged = text + " " + base64.b64encode(bytes(raw)).decode() + "\n"
    sql("UPDATE store_checkpoint SET note = %s WHERE size = %s", [forged, target.size])
    out = failed_at(f"checkpoint {target.size}")
    assert "signature" in out


def test_a_checkpoint_signed_by_another_key_is_named() -> None:
    from smolny.record.checkpoint import Checkpoint as Head_
    from smolny.record.checkpoint import sign_checkpoint
    from smolny.record.note import SignerKey, parse_note

    target = Checkpoint.objects.order_by("size")[3]
    head = Head_.parse(parse_note(target.note).text)
    forged = sign_checkpoint(head, SignerKey.generate(head.origin))
    sql("UPDATE store_checkpoint SET note = %s WHERE size = %s", [forged, target.size])
    failed_at(f"checkpoint {target.size}")


def test_a_result_forged_by_whoever_holds_the_key_is_recounted_and_named() -> None:
    """GIVEN an operator who rewrites an election result and re-signs the whole history with
    the federation's key (tree rebuilt, checkpoints re-signed, so every hash and signature
    checks), THEN replaying and recounting still names the entry with the forged result."""
    import json

    closed = Entry.objects.filter(type="election_closed").order_by("seq").first()
    assert closed is not None
    event = json.loads(bytes(closed.body))
    tallies = event["data"]["result"]["tallies"]
    loser = min(tallies, key=lambda c: tallies[c])
    tallies[loser] += 100
    rewrite_history(closed.seq, event)
    out = failed_at(f"entry {closed.seq}")
    assert "election_closed" in out and "tallies" in out
