"""C2SP tlog-checkpoint: one spelling of a tree head, signed by the log."""

from __future__ import annotations

import base64
import re

import pytest

from smolny.record.checkpoint import (
    Checkpoint,
    MalformedCheckpoint,
    WrongOrigin,
    sign_checkpoint,
    verify_checkpoint,
)
from smolny.record.note import (
    SIG_ED25519,
    BadSignature,
    MalformedNote,
    SignerKey,
    UnknownKey,
    parse_note,
    sign_note,
)

ORIGIN = "smolny.example/record"
LOG = SignerKey(ORIGIN, SIG_ED25519, bytes(range(32)))
ROOT = bytes(range(32))
ROOT_B64 = base64.b64encode(ROOT).decode()
URLSAFE = base64.urlsafe_b64encode(bytes([0xFF]) * 32).decode()

# The example checkpoint body of c2sp.org/tlog-checkpoint.
SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_the_spec_example_parses_and_prints_back() -> None:
    checkpoint = Checkpoint.parse(SPEC_BODY)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert len(checkpoint.root) == 32
    assert checkpoint.extensions == ()
    assert checkpoint.text() == SPEC_BODY


def test_a_signed_checkpoint_round_trips() -> None:
    checkpoint = Checkpoint(ORIGIN, 12, ROOT, ("extension line",))
    signed = sign_checkpoint(checkpoint, LOG)
    assert signed.startswith(f"{ORIGIN}\n12\n{ROOT_B64}\nextension line\n\n— {ORIGIN} ")
    opened = verify_checkpoint(signed, [LOG.verifier()], origin=ORIGIN)
    assert opened.checkpoint == checkpoint
    assert opened.signed_by == (ORIGIN,)
    assert opened.note.text == checkpoint.text()


def test_the_empty_tree_has_size_zero() -> None:
    assert Checkpoint.parse(f"{ORIGIN}\n0\n{ROOT_B64}\n").size == 0


def test_a_checkpoint_of_another_log_is_refused() -> None:
    other = SignerKey("other.example/log", SIG_ED25519, bytes(32))
    signed = sign_checkpoint(Checkpoint("other.example/log", 1, ROOT), other)
    with pytest.raises(WrongOrigin, match=re.escape("other.example/log")):
        verify_checkpoint(signed, [other.verifier()], origin=ORIGIN)


def test_a_checkpoint_not_signed_by_the_log_is_refused() -> None:
    stranger = SignerKey(ORIGIN, SIG_ED25519, bytes(32))
    with pytest.raises(UnknownKey):
        verify_checkpoint(sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), stranger), [LOG.verifier()])


def test_a_checkpoint_with_a_changed_size_fails_its_signature() -> None:
    signed = sign_checkpoint(Checkpoint(ORIGIN, 12, ROOT), LOG)
    with pytest.raises(BadSignature):
        verify_checkpoint(signed.replace("\n12\n", "\n13\n", 1), [LOG.verifier()])


@pytest.mark.parametrize(
    "body",
    [
        f"{ORIGIN}\n007\n{ROOT_B64}\n",  # leading zeroes
        f"{ORIGIN}\n+7\n{ROOT_B64}\n",
        f"{ORIGIN}\n-1\n{ROOT_B64}\n",
        f"{ORIGIN}\n 7\n{ROOT_B64}\n",
        f"{ORIGIN}\n7.0\n{ROOT_B64}\n",
        f"{ORIGIN}\n٧\n{ROOT_B64}\n",  # a non-ASCII digit
        f"{ORIGIN}\n{2**64}\n{ROOT_B64}\n",  # beyond uint64
        f"{ORIGIN}\n7\n{base64.b64encode(ROOT[:31]).decode()}\n",  # 31-byte root
        f"{ORIGIN}\n7\n{base64.b64encode(ROOT + b'x').decode()}\n",  # 33-byte root
        f"{ORIGIN}\n7\n{ROOT_B64.rstrip('=')}\n",  # unpadded base64
        f"{ORIGIN}\n7\n{URLSAFE}\n",  # URL-safe alphabet
        f"{ORIGIN}\n7\n",  # no root line
        f"\n7\n{ROOT_B64}\n",  # empty origin
        f"{ORIGIN}\n7\n{ROOT_B64}\n\nextension\n",  # empty extension line
        f"{ORIGIN}\n7\n{ROOT_B64}",  # no final newline
        f"{ORIGIN}\n7\n{ROOT_B64} \n",  # trailing space
    ],
)
def test_non_canonical_checkpoints_are_refused(body: str) -> None:
    with pytest.raises(MalformedNote):
        Checkpoint.parse(body)


def test_a_signed_note_whose_body_is_not_a_checkpoint_is_refused() -> None:
    signed = sign_note(f"{ORIGIN}\n007\n{ROOT_B64}\n", LOG)
    with pytest.raises(MalformedCheckpoint, match="canonical decimal"):
        verify_checkpoint(signed, [LOG.verifier()])


def test_trailing_garbage_after_the_signatures_is_refused() -> None:
    signed = sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), LOG)
    with pytest.raises(MalformedNote):
        verify_checkpoint(signed + "garbage\n", [LOG.verifier()])
    with pytest.raises(MalformedNote):
        parse_note(signed + "x")


def test_checkpoints_cannot_be_built_with_bad_fields() -> None:
    with pytest.raises(MalformedCheckpoint):
        Checkpoint(ORIGIN, 1, ROOT[:16])
    with pytest.raises(MalformedCheckpoint):
        Checkpoint("two\nlines", 1, ROOT)
    with pytest.raises(MalformedCheckpoint):
        Checkpoint(ORIGIN, -1, ROOT)
