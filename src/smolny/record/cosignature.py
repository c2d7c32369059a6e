"""C2SP tlog-cosignature (cosignature/v1, Ed25519): how mirrors vouch for a checkpoint.

DESIGN.md: "mirrors keep complete copies and cosign checkpoints".  A mirror that has checked a
checkpoint is consistent with every earlier one it saw adds a cosignature; a client that
requires ``k`` cosignatures from witnesses it knows cannot be shown a private fork of the
record (a split view) unless ``k`` of them collude.

Format (c2sp.org/tlog-cosignature, Ed25519 type):

* key ID = ``SHA-256(name || 0x0A || 0x04 || public key)[:4]`` (signature type 0x04);
* signed message = ``"cosignature/v1\\n" + "time <POSIX seconds>\\n"`` followed by the whole
  checkpoint note text, extension lines included;
* signature bytes on the note line = 8-byte big-endian timestamp || 64-byte Ed25519 signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smolny.record.checkpoint import Checkpoint
from smolny.record.note import (
    SIG_COSIGNATURE_V1,
    BadSignature,
    KeyFormatError,
    Note,
    NoteError,
    NoteSignature,
    SignerKey,
    VerifierKey,
    check_text,
)

MAX_TIMESTAMP = 2**63 - 1


class NotEnoughCosignatures(NoteError):
    """Fewer valid cosignatures from known witnesses than the rule requires."""


def cosigned_message(body: str, timestamp: int) -> bytes:
    """The bytes a cosigner signs for checkpoint text ``body`` at ``timestamp``."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"timestamp {timestamp} is out of range")
    check_text(body)
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def _body(checkpoint: Checkpoint | str) -> str:
    return checkpoint.text() if isinstance(checkpoint, Checkpoint) else checkpoint


def cosign(checkpoint: Checkpoint | str, key: SignerKey, timestamp: int) -> NoteSignature:
    """A cosignature line for ``checkpoint`` (a :class:`Checkpoint` or its note text).

    The caller must first have checked that the checkpoint is consistent with the largest one
    it cosigned before: that check is what the cosignature states.
    """
    if key.sig_type != SIG_COSIGNATURE_V1:
        raise KeyFormatError("cosignatures need a type 0x04 (cosignature/v1) key")
    signature = key.sign_raw(cosigned_message(_body(checkpoint), timestamp))
    return NoteSignature(key.name, key.key_id, timestamp.to_bytes(8, "big") + signature)


@dataclass(frozen=True)
class Cosignature:
    """A verified cosignature: which witness, and the time it states."""

    name: str
    timestamp: int


def verify_cosignature(
    checkpoint: Checkpoint | str, signature: NoteSignature, witness: VerifierKey
) -> Cosignature:
    """Check one cosignature line against one witness key; raise :class:`BadSignature`."""
    if witness.sig_type != SIG_COSIGNATURE_V1:
        raise KeyFormatError(f"{witness.name} is not a cosignature/v1 (type 0x04) key")
    if (signature.name, signature.key_id) != (witness.name, witness.key_id):
        raise BadSignature(f"the signature is not by witness {witness.name}")
    if len(signature.signature) != 8 + 64:
        raise BadSignature(f"the cosignature by {witness.name} is not 72 bytes")
    timestamp = int.from_bytes(signature.signature[:8], "big")
    if timestamp > MAX_TIMESTAMP:
        raise BadSignature(f"the cosignature by {witness.name} has an invalid timestamp")
    message = cosigned_message(_body(checkpoint), timestamp)
    if not witness.verify_raw(message, signature.signature[8:]):
        raise BadSignature(f"the cosignature by {witness.name} does not verify")
    return Cosignature(witness.name, timestamp)


def valid_cosignatures(
    note: Note, witnesses: Sequence[VerifierKey], now: int | None = None, max_skew: int = 300
) -> list[Cosignature]:
    """The cosignatures on ``note`` by known witnesses, one per witness, all verified.

    Lines from unknown keys are ignored (signed-note, Signatures); a line from a known witness
    that fails to verify raises :class:`BadSignature`, since it means the note was tampered
    with.  If ``now`` is given, a timestamp more than ``max_skew`` seconds in the future is
    refused (the spec allows verifiers to do so).
    """
    known = {(w.name, w.key_id): w for w in witnesses}
    found: dict[tuple[str, bytes], Cosignature] = {}
    for sig in note.signatures:
        witness = known.get((sig.name, sig.key_id))
        if witness is None:
            continue
        cosignature = verify_cosignature(note.text, sig, witness)
        if now is not None and cosignature.timestamp > now + max_skew:
            raise BadSignature(f"the cosignature by {witness.name} is dated in the future")
        found.setdefault((sig.name, sig.key_id), cosignature)
    return list(found.values())


def count_cosignatures(note: Note, witnesses: Sequence[VerifierKey], now: int | None = None) -> int:
    """How many distinct known witnesses validly cosigned ``note``."""
    return len(valid_cosignatures(note, witnesses, now))


def require_cosignatures(
    note: Note, witnesses: Sequence[VerifierKey], k: int, now: int | None = None
) -> list[Cosignature]:
    """The "k cosignatures required" rule: raise :class:`NotEnoughCosignatures` below ``k``."""
    valid = valid_cosignatures(note, witnesses, now)
    if len(valid) < k:
        raise NotEnoughCosignatures(
            f"{len(valid)} valid cosignature(s) from known witnesses, {k} required"
        )
    return valid
