"""C2SP tlog-cosignature v1: mirrors vouch for checkpoints; clients count known witnesses."""

from __future__ import annotations

import pytest

from smolny.record.checkpoint import Checkpoint, sign_checkpoint, verify_checkpoint
from smolny.record.cosignature import (
    NotEnoughCosignatures,
    cosign,
    cosigned_message,
    count_cosignatures,
    require_cosignatures,
    valid_cosignatures,
    verify_cosignature,
)
from smolny.record.note import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    BadSignature,
    KeyFormatError,
    NoteSignature,
    SignerKey,
    parse_note,
)

ORIGIN = "smolny.example/record"
LOG = SignerKey(ORIGIN, SIG_ED25519, bytes(range(32)))
WITNESSES = [
    SignerKey(f"mirror{i}.example/w", SIG_COSIGNATURE_V1, bytes([i]) * 32) for i in range(4)
]
KNOWN = [w.verifier() for w in WITNESSES]
CHECKPOINT = Checkpoint(ORIGIN, 20852163, bytes(range(32)))
T = 1679315147


def cosigned(*signers: SignerKey, checkpoint: Checkpoint = CHECKPOINT) -> str:
    note = parse_note(sign_checkpoint(checkpoint, LOG))
    return note.with_signatures(
        *(cosign(checkpoint, w, T + i) for i, w in enumerate(signers))
    ).encode()


def test_the_signed_message_is_header_time_line_then_the_checkpoint_body() -> None:
    assert cosigned_message(CHECKPOINT.text(), T) == (
        b"cosignature/v1\ntime 1679315147\n" + CHECKPOINT.text().encode()
    )


def test_a_cosignature_is_a_big_endian_timestamp_then_an_ed25519_signature() -> None:
    sig = cosign(CHECKPOINT, WITNESSES[0], T)
    assert sig.name == WITNESSES[0].name
    assert sig.key_id == WITNESSES[0].key_id
    assert sig.signature[:8] == T.to_bytes(8, "big")
    assert len(sig.signature) == 72
    assert KNOWN[0].verify_raw(cosigned_message(CHECKPOINT.text(), T), sig.signature[8:])


def test_a_cosignature_round_trips_through_the_note() -> None:
    data = cosigned(WITNESSES[0], WITNESSES[1])
    opened = verify_checkpoint(data, [LOG.verifier()], origin=ORIGIN)
    found = valid_cosignatures(opened.note, KNOWN)
    assert [(c.name, c.timestamp) for c in found] == [
        (WITNESSES[0].name, T),
        (WITNESSES[1].name, T + 1),
    ]


def test_extension_lines_are_cosigned_too() -> None:
    with_extension = Checkpoint(ORIGIN, 3, bytes(32), ("ext",))
    sig = cosign(with_extension, WITNESSES[0], T)
    verify_cosignature(with_extension, sig, KNOWN[0])
    with pytest.raises(BadSignature):
        verify_cosignature(Checkpoint(ORIGIN, 3, bytes(32)), sig, KNOWN[0])


def test_counting_uses_only_known_witnesses_once_each() -> None:
    stranger = SignerKey("stranger.example/w", SIG_COSIGNATURE_V1, bytes(32))
    data = cosigned(WITNESSES[0], WITNESSES[2], stranger, WITNESSES[0])
    note = parse_note(data)
    assert count_cosignatures(note, KNOWN) == 2
    assert count_cosignatures(note, KNOWN[:1]) == 1
    assert count_cosignatures(note, []) == 0


def test_k_cosignatures_required() -> None:
    note = parse_note(cosigned(WITNESSES[0], WITNESSES[1], WITNESSES[3]))
    assert len(require_cosignatures(note, KNOWN, 3)) == 3
    with pytest.raises(NotEnoughCosignatures, match=r"3 valid cosignature\(s\).*4 required"):
        require_cosignatures(note, KNOWN, 4)


def test_a_cosignature_of_another_checkpoint_is_rejected() -> None:
    other = Checkpoint(ORIGIN, 20852164, bytes(range(32)))
    sig = cosign(other, WITNESSES[0], T)
    note = parse_note(sign_checkpoint(CHECKPOINT, LOG)).with_signatures(sig)
    with pytest.raises(BadSignature, match=WITNESSES[0].name):
        count_cosignatures(note, KNOWN)


def test_a_changed_timestamp_breaks_the_cosignature() -> None:
    sig = cosign(CHECKPOINT, WITNESSES[0], T)
    moved = NoteSignature(sig.name, sig.key_id, (T + 1).to_bytes(8, "big") + sig.signature[8:])
    with pytest.raises(BadSignature):
        verify_cosignature(CHECKPOINT, moved, KNOWN[0])


def test_truncated_and_misattributed_cosignatures_are_rejected() -> None:
    sig = cosign(CHECKPOINT, WITNESSES[0], T)
    with pytest.raises(BadSignature, match="72 bytes"):
        verify_cosignature(
            CHECKPOINT, NoteSignature(sig.name, sig.key_id, sig.signature[:-1]), KNOWN[0]
        )
    with pytest.raises(BadSignature, match="not by witness"):
        verify_cosignature(CHECKPOINT, sig, KNOWN[1])
    too_late = NoteSignature(sig.name, sig.key_id, (2**63).to_bytes(8, "big") + sig.signature[8:])
    with pytest.raises(BadSignature, match="timestamp"):
        verify_cosignature(CHECKPOINT, too_late, KNOWN[0])


def test_cosignatures_from_the_future_can_be_refused() -> None:
    note = parse_note(cosigned(WITNESSES[0]))
    assert count_cosignatures(note, KNOWN, now=T) == 1
    with pytest.raises(BadSignature, match="future"):
        count_cosignatures(note, KNOWN, now=T - 301)


def test_a_log_key_is_not_a_witness_key() -> None:
    with pytest.raises(KeyFormatError):
        cosign(CHECKPOINT, LOG, T)
    sig = cosign(CHECKPOINT, WITNESSES[0], T)
    with pytest.raises(KeyFormatError):
        verify_cosignature(CHECKPOINT, sig, LOG.verifier())


def test_the_log_signature_is_not_counted_as_a_cosignature() -> None:
    # Same name and seed, but type 0x04: a different key ID, so the log line is not a witness's.
    as_witness = SignerKey(ORIGIN, SIG_COSIGNATURE_V1, LOG.seed)
    note = parse_note(sign_checkpoint(CHECKPOINT, LOG))
    assert count_cosignatures(note, [as_witness.verifier()]) == 0
