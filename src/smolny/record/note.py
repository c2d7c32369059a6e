"""C2SP signed-note with Ed25519, and the verifier and signer key formats.

A checkpoint (the signed tree head of the record) is a signed note, so that the witnesses and
verifiers of the transparency-log ecosystem can check Smolny's record without special code
(DESIGN.md, "Conventions").  This module implements c2sp.org/signed-note:

* the note: UTF-8 text ending in a newline, a blank line, then one or more signature lines
  ``— <key name> base64(key ID || signature)`` (U+2014 em dash);
* key IDs: ``SHA-256(key name || 0x0A || signature type || public key)[:4]``, with signature
  type 0x01 for Ed25519 note signatures and 0x04 for C2SP tlog-cosignature (cosignature/v1);
* the key strings used by the Go ``note`` package and by witnesses: verifier key
  ``<name>+<hex key ID>+<base64(type || public key)>`` and signer key
  ``PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>``;
* verification rules: signatures from unknown keys are ignored, a known key whose signature
  fails rejects the whole note, and a note with no verified known signature is rejected.

Parsing is strict (canonical base64, no control characters, no trailing garbage) because two
parties that disagree on what a note says cannot agree on what was signed.  Ed25519 itself
comes from PyNaCl (libsodium): we never write cryptographic primitives, only the format.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import nacl.exceptions
import nacl.signing

SIG_ED25519 = 0x01
"""Signature type of Ed25519 note signatures (the log's own checkpoint signature)."""

SIG_COSIGNATURE_V1 = 0x04
"""Signature type of timestamped Ed25519 witness cosignatures (C2SP tlog-cosignature)."""

KNOWN_TYPES = (SIG_ED25519, SIG_COSIGNATURE_V1)

MAX_SIGNATURES = 100
"""The spec asks verifiers to cap signatures per note, accepting at least 16."""

EM_DASH = "\u2014"
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_HEX_ID = re.compile(r"[0-9a-f]{8}")


class NoteError(ValueError):
    """Base class for every signed-note and key error."""


class MalformedNote(NoteError):
    """The bytes are not a well-formed signed note (or checkpoint)."""


class UnknownKey(NoteError):
    """No signature on the note is from a key the verifier was given."""


class BadSignature(NoteError):
    """A signature from a known key does not verify; the whole note must be rejected."""


class KeyFormatError(NoteError):
    """A key string or key file is malformed, inconsistent or unsafe."""


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode_strict(text: str, what: str) -> bytes:
    """Standard padded base64 (RFC 4648 §4), refusing any other spelling of the same bytes."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise MalformedNote(f"{what} is not valid base64") from None
    if b64encode(data) != text:
        raise MalformedNote(f"{what} is not in canonical base64")
    return data


def check_key_name(name: str) -> str:
    """Key names are non-empty and contain no Unicode space and no '+' (signed-note, Format)."""
    if not name or "+" in name or any(c.isspace() for c in name) or _CONTROL.search(name):
        raise KeyFormatError(f"invalid key name {name!r}: it must be non-empty, no spaces, no '+'")
    return name


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    """``SHA-256(name || 0x0A || type || public key)[:4]`` (signed-note, Signatures)."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


@dataclass(frozen=True)
class VerifierKey:
    """A public key with its name and signature type, as in ``name+hex+base64(type||key)``."""

    name: str
    sig_type: int
    public_key: bytes

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if self.sig_type not in KNOWN_TYPES:
            raise KeyFormatError(f"unsupported signature type 0x{self.sig_type:02x}")
        if len(self.public_key) != 32:
            raise KeyFormatError("an Ed25519 public key is 32 bytes")

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.sig_type, self.public_key)

    def encode(self) -> str:
        raw = bytes([self.sig_type]) + self.public_key
        return f"{self.name}+{self.key_id.hex()}+{b64encode(raw)}"

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Parse a verifier key string, checking that its key ID matches the key."""
        parts = text.split("+", 2)
        if len(parts) != 3:
            raise KeyFormatError("a verifier key is name+keyid+base64key")
        name, hex_id, encoded = parts
        return cls._from_parts(name, hex_id, encoded)

    @classmethod
    def _from_parts(cls, name: str, hex_id: str, encoded: str) -> VerifierKey:
        if not _HEX_ID.fullmatch(hex_id):
            raise KeyFormatError("the key ID must be 8 lowercase hex digits")
        try:
            raw = b64decode_strict(encoded, "the key")
        except MalformedNote as error:
            raise KeyFormatError(str(error)) from None
        if len(raw) != 33:
            raise KeyFormatError("the key must be a type byte and 32 bytes")
        key = cls(name, raw[0], raw[1:])
        if key.key_id.hex() != hex_id:
            raise KeyFormatError(f"key ID {hex_id} does not match the key for {name}")
        return key

    def verify_raw(self, message: bytes, signature: bytes) -> bool:
        """True if ``signature`` is a valid Ed25519 signature of ``message`` by this key."""
        if len(signature) != 64:
            return False
        try:
            nacl.signing.VerifyKey(self.public_key).verify(message, signature)
        except nacl.exceptions.BadSignatureError:
            return False
        return True


@dataclass(frozen=True)
class SignerKey:
    """An Ed25519 private key (its 32-byte seed) with name and signature type."""

    name: str
    sig_type: int
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if self.sig_type not in KNOWN_TYPES:
            raise KeyFormatError(f"unsupported signature type 0x{self.sig_type:02x}")
        if len(self.seed) != 32:
            raise KeyFormatError("an Ed25519 seed is 32 bytes")

    @classmethod
    def generate(cls, name: str, sig_type: int = SIG_ED25519) -> SignerKey:
        return cls(name, sig_type, os.urandom(32))

    @cached_property
    def _signing_key(self) -> nacl.signing.SigningKey:
        # Derived once per key object: the server signs a checkpoint at every commit.
        return nacl.signing.SigningKey(self.seed)

    @cached_property
    def public_key(self) -> bytes:
        return bytes(self._signing_key.verify_key)

    @cached_property
    def key_id(self) -> bytes:
        return key_id(self.name, self.sig_type, self.public_key)

    def verifier(self) -> VerifierKey:
        return VerifierKey(self.name, self.sig_type, self.public_key)

    def sign_raw(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message``."""
        return bytes(self._signing_key.sign(message).signature)

    def encode(self) -> str:
        raw = bytes([self.sig_type]) + self.seed
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{b64encode(raw)}"

    @classmethod
    def parse(cls, text: str) -> SignerKey:
        parts = text.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise KeyFormatError("a signer key is PRIVATE+KEY+name+keyid+base64seed")
        name, hex_id, encoded = parts[2:]
        if not _HEX_ID.fullmatch(hex_id):
            raise KeyFormatError("the key ID must be 8 lowercase hex digits")
        try:
            raw = b64decode_strict(encoded, "the key")
        except MalformedNote as error:
            raise KeyFormatError(str(error)) from None
        if len(raw) != 33:
            raise KeyFormatError("the key must be a type byte and a 32-byte seed")
        key = cls(name, raw[0], raw[1:])
        if key.key_id.hex() != hex_id:
            raise KeyFormatError(f"key ID {hex_id} does not match the key for {name}")
        return key


def write_signer_key(path: str | os.PathLike[str], key: SignerKey) -> None:
    """Write ``key`` to a new file readable by its owner only (mode 0600).

    The file is created with O_EXCL, so an existing key is never overwritten: losing the log's
    key would make the log unable to sign checkpoints consistent with its past.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # the umask cannot widen it, but make the mode explicit
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(key.encode() + "\n")
        file.flush()
        os.fsync(file.fileno())


def read_signer_key(path: str | os.PathLike[str]) -> SignerKey:
    """Load a key written by :func:`write_signer_key`, refusing it if others can read it."""
    mode = os.stat(path).st_mode
    if stat.S_IMODE(mode) & 0o077:
        raise KeyFormatError(
            f"{os.fspath(path)} is readable by other users (mode {stat.S_IMODE(mode):o}); "
            "run chmod 600 on it"
        )
    text = Path(path).read_text(encoding="ascii")
    if text.endswith("\n"):
        text = text[:-1]
    return SignerKey.parse(text)


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: key name, 4-byte key ID, and the signature bytes after it."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{EM_DASH} {self.name} {b64encode(self.key_id + self.signature)}\n"


@dataclass(frozen=True)
class Note:
    """A parsed signed note: ``text`` (ending in a newline) and its signatures."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def encode(self) -> str:
        return self.text + "\n" + "".join(sig.line() for sig in self.signatures)

    def with_signatures(self, *signatures: NoteSignature) -> Note:
        return Note(self.text, self.signatures + signatures)


def check_text(text: str) -> str:
    """A note text is non-empty, valid, newline-terminated and has no other control characters."""
    if not text.endswith("\n"):
        raise MalformedNote("the note text must end with a newline")
    if _CONTROL.search(text):
        raise MalformedNote("the note contains a control character")
    return text


def parse_note(data: bytes | str) -> Note:
    """Parse a signed note strictly; raise :class:`MalformedNote` on anything unexpected."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedNote("the note is not valid UTF-8") from None
    check_text(data)
    split = data.rfind("\n\n")
    if split < 0:
        raise MalformedNote("the note has no blank line before its signatures")
    text, block = data[: split + 1], data[split + 2 :]
    lines = block.split("\n")[:-1]  # data ends in "\n", so the last piece is empty
    if not lines:
        raise MalformedNote("the note has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNote(f"the note has more than {MAX_SIGNATURES} signatures")
    signatures = []
    for line in lines:
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != EM_DASH:
            raise MalformedNote(f"malformed signature line {line!r}")
        try:
            name = check_key_name(parts[1])
        except KeyFormatError as error:
            raise MalformedNote(str(error)) from None
        raw = b64decode_strict(parts[2], "a signature")
        if len(raw) < 5:
            raise MalformedNote("a signature must be a key ID followed by signature bytes")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    return Note(text, tuple(signatures))


def sign_text(text: str, key: SignerKey) -> NoteSignature:
    """An Ed25519 note signature (type 0x01) over ``text``."""
    if key.sig_type != SIG_ED25519:
        raise KeyFormatError("note signatures need an Ed25519 (type 0x01) key")
    check_text(text)
    return NoteSignature(key.name, key.key_id, key.sign_raw(text.encode("utf-8")))


def sign_note(text: str, *keys: SignerKey) -> str:
    """The signed note of ``text`` with one signature per key."""
    if not keys:
        raise ValueError("a signed note needs at least one key")
    return Note(text, tuple(sign_text(text, key) for key in keys)).encode()


@dataclass(frozen=True)
class VerifiedNote:
    """A note whose text was verified, with the names of the known keys that signed it."""

    note: Note
    signed_by: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.note.text


def verify_note(data: bytes | str | Note, keys: Sequence[VerifierKey]) -> VerifiedNote:
    """Verify a note against known Ed25519 keys (signed-note, Signatures).

    Signatures matching no known key (by both name and key ID) are ignored; a matching one
    that fails raises :class:`BadSignature`; if none matches, :class:`UnknownKey` is raised.
    """
    note = data if isinstance(data, Note) else parse_note(data)
    for key in keys:
        if key.sig_type != SIG_ED25519:
            raise KeyFormatError(
                f"{key.name} is a type 0x{key.sig_type:02x} key; "
                "cosignatures are checked by smolny.record.cosignature"
            )
    known = {(key.name, key.key_id): key for key in keys}
    message = note.text.encode("utf-8")
    signed_by = []
    for sig in note.signatures:
        signer = known.get((sig.name, sig.key_id))
        if signer is None:
            continue
        if not signer.verify_raw(message, sig.signature):
            raise BadSignature(f"the signature by {sig.name} does not verify")
        signed_by.append(sig.name)
    if not signed_by:
        names = ", ".join(sorted({key.name for key in keys})) or "none given"
        raise UnknownKey(f"the note is not signed by any known key (known: {names})")
    return VerifiedNote(note, tuple(signed_by))
