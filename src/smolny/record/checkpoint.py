"""C2SP tlog-checkpoint: the signed tree head of the record.

A checkpoint is a signed note (:mod:`smolny.record.note`) whose text is exactly:

1. the origin, a non-empty line naming the log (for Smolny, the federation's record URL
   without scheme, e.g. ``smolny.example.org/record``);
2. the tree size, ASCII decimal with no leading zeroes (``0`` for the empty tree);
3. the root hash, standard base64 of the 32-byte RFC 9162 root;
4. optional extension lines, each non-empty.

Mirrors and witnesses compare checkpoints byte for byte and cosign the exact text, so parsing
accepts one spelling only: a size such as ``007`` or ``+7``, a root that is not canonical
base64 of 32 bytes, an empty line or anything after the last line is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from smolny.record.merkle import HASH_SIZE
from smolny.record.note import (
    MalformedNote,
    Note,
    SignerKey,
    VerifierKey,
    b64decode_strict,
    b64encode,
    check_text,
    sign_note,
    verify_note,
)

_SIZE = re.compile(r"0|[1-9][0-9]*")
MAX_SIZE = 2**64 - 1
"""Tree sizes are uint64 in every tlog specification."""


class MalformedCheckpoint(MalformedNote):
    """The note text is not a well-formed checkpoint."""


class WrongOrigin(MalformedNote):
    """The checkpoint names another log than the one expected."""


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: which log, how many entries, and the RFC 9162 root of those entries."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for line, what in [
            (self.origin, "the origin"),
            *((e, "an extension line") for e in self.extensions),
        ]:
            if not line or "\n" in line:
                raise MalformedCheckpoint(f"{what} must be one non-empty line")
        if not 0 <= self.size <= MAX_SIZE:
            raise MalformedCheckpoint(f"tree size {self.size} is out of range")
        if len(self.root) != HASH_SIZE:
            raise MalformedCheckpoint(f"the root must be {HASH_SIZE} bytes")
        check_text(self.text())

    def text(self) -> str:
        """The note text (the checkpoint body), ending in a newline."""
        lines = [self.origin, str(self.size), b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body (the note text, without signatures) strictly."""
        check_text(text)
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedCheckpoint("a checkpoint has an origin, a size and a root line")
        origin, size, root, *extensions = lines
        if not _SIZE.fullmatch(size):
            raise MalformedCheckpoint(f"tree size {size!r} is not a canonical decimal")
        try:
            root_bytes = b64decode_strict(root, "the root hash")
        except MalformedNote as error:
            raise MalformedCheckpoint(str(error)) from None
        if len(root_bytes) != HASH_SIZE:
            raise MalformedCheckpoint(f"the root hash is {len(root_bytes)} bytes, not 32")
        return cls(origin, int(size), root_bytes, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, *keys: SignerKey) -> str:
    """The signed note of ``checkpoint``, ready to serve at ``<prefix>/checkpoint``."""
    return sign_note(checkpoint.text(), *keys)


@dataclass(frozen=True)
class VerifiedCheckpoint:
    """A checkpoint whose log signature verified, and the note (for its cosignatures)."""

    checkpoint: Checkpoint
    note: Note
    signed_by: tuple[str, ...]


def verify_checkpoint(
    data: bytes | str, keys: Sequence[VerifierKey], origin: str | None = None
) -> VerifiedCheckpoint:
    """Verify the log's signature on a checkpoint note, then parse its body.

    ``origin``, if given, must equal the checkpoint's origin line: a valid checkpoint of
    another log must not be taken for this one's.
    """
    verified = verify_note(data, keys)
    checkpoint = Checkpoint.parse(verified.text)
    if origin is not None and checkpoint.origin != origin:
        raise WrongOrigin(f"the checkpoint is for {checkpoint.origin!r}, not {origin!r}")
    return VerifiedCheckpoint(checkpoint, verified.note, verified.signed_by)
