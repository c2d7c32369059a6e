"""C2SP signed-note: key formats, key files, signing, strict parsing and verification rules."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from smolny.record.note import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    BadSignature,
    KeyFormatError,
    MalformedNote,
    Note,
    NoteSignature,
    SignerKey,
    UnknownKey,
    VerifierKey,
    key_id,
    parse_note,
    read_signer_key,
    sign_note,
    verify_note,
    write_signer_key,
)

# The published example of the Go note package (golang.org/x/mod/sumdb/note, ExampleSign and
# ExampleOpen): Ed25519 is deterministic, so our signature must be byte-identical.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n— PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)

LOG = SignerKey("smolny.example/record", SIG_ED25519, bytes(range(32)))
OTHER = SignerKey("smolny.example/other", SIG_ED25519, bytes(range(1, 33)))


def test_we_sign_exactly_like_the_go_note_package() -> None:
    signer = SignerKey.parse(GO_SKEY)
    assert signer.encode() == GO_SKEY
    assert signer.verifier().encode() == GO_VKEY
    assert sign_note(GO_TEXT, signer) == GO_NOTE
    verified = verify_note(GO_NOTE, [VerifierKey.parse(GO_VKEY)])
    assert verified.text == GO_TEXT
    assert verified.signed_by == ("PeterNeumann",)


def test_key_id_is_the_first_four_bytes_of_sha256_of_name_newline_type_key() -> None:
    import hashlib

    pub = LOG.public_key
    want = hashlib.sha256(b"smolny.example/record\n\x01" + pub).digest()[:4]
    assert LOG.key_id == want == key_id(LOG.name, 0x01, pub)
    witness = SignerKey(LOG.name, SIG_COSIGNATURE_V1, LOG.seed)
    assert witness.key_id == hashlib.sha256(b"smolny.example/record\n\x04" + pub).digest()[:4]


def test_key_strings_round_trip() -> None:
    for key in [LOG, SignerKey.generate("w.example/1", SIG_COSIGNATURE_V1)]:
        assert SignerKey.parse(key.encode()) == key
        assert VerifierKey.parse(key.verifier().encode()) == key.verifier()
        assert key.encode().startswith(f"PRIVATE+KEY+{key.name}+{key.key_id.hex()}+")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name+c74f20a3",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong key ID
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # upper-case hex
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # bad base64
        "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # 32 bytes only
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # empty name
    ],
)
def test_malformed_verifier_keys_are_refused(text: str) -> None:
    with pytest.raises(KeyFormatError):
        VerifierKey.parse(text)


def test_malformed_signer_keys_are_refused() -> None:
    for text in [GO_SKEY.replace("PRIVATE+KEY", "PUBLIC+KEY"), GO_SKEY[:-4], GO_VKEY]:
        with pytest.raises(KeyFormatError):
            SignerKey.parse(text)


def test_the_seed_never_shows_in_a_repr() -> None:
    assert LOG.seed.hex() not in repr(LOG)
    assert repr(LOG.seed) not in repr(LOG)


def test_a_key_file_is_written_0600_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    old = os.umask(0)
    try:
        write_signer_key(path, LOG)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_signer_key(path) == LOG


def test_an_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    write_signer_key(path, LOG)
    with pytest.raises(FileExistsError):
        write_signer_key(path, OTHER)
    assert read_signer_key(path) == LOG


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    write_signer_key(path, LOG)
    path.chmod(0o644)
    with pytest.raises(KeyFormatError, match="chmod 600"):
        read_signer_key(path)


def test_a_note_with_several_signatures_round_trips() -> None:
    text = "smolny.example/record\n5\n" + "A" * 43 + "=\n"
    signed = sign_note(text, LOG, OTHER)
    note = parse_note(signed.encode())
    assert note.text == text
    assert [s.name for s in note.signatures] == [LOG.name, OTHER.name]
    assert note.encode() == signed
    assert verify_note(signed, [LOG.verifier(), OTHER.verifier()]).signed_by == (
        LOG.name,
        OTHER.name,
    )


def test_text_may_contain_blank_lines_the_last_one_separates_signatures() -> None:
    text = "first\n\nsecond\n"
    assert verify_note(sign_note(text, LOG), [LOG.verifier()]).text == text


def test_signatures_from_unknown_keys_are_ignored() -> None:
    signed = sign_note("hello\n", OTHER, LOG)
    assert verify_note(signed, [LOG.verifier()]).signed_by == (LOG.name,)


def test_a_note_signed_by_no_known_key_is_refused() -> None:
    with pytest.raises(UnknownKey, match="not signed by any known key"):
        verify_note(sign_note("hello\n", OTHER), [LOG.verifier()])


def test_a_key_sharing_only_the_name_is_unknown_not_bad() -> None:
    impostor = SignerKey(LOG.name, SIG_ED25519, bytes(32))
    with pytest.raises(UnknownKey):
        verify_note(sign_note("hello\n", impostor), [LOG.verifier()])


def test_a_bad_signature_from_a_known_key_rejects_the_whole_note() -> None:
    note = parse_note(sign_note("hello\n", LOG, OTHER))
    forged = Note("hullo\n", note.signatures)
    with pytest.raises(BadSignature, match=LOG.name):
        verify_note(forged.encode(), [LOG.verifier(), OTHER.verifier()])
    truncated = Note("hello\n", (NoteSignature(LOG.name, LOG.key_id, b"\x00"),))
    with pytest.raises(BadSignature):
        verify_note(truncated, [LOG.verifier()])


def test_cosignature_keys_are_not_note_keys() -> None:
    witness = SignerKey.generate("w.example/1", SIG_COSIGNATURE_V1)
    with pytest.raises(KeyFormatError, match="cosignature"):
        verify_note(sign_note("hello\n", LOG), [witness.verifier()])
    with pytest.raises(KeyFormatError):
        sign_note("hello\n", witness)


GOOD = sign_note("hello\n", LOG)
SIG_LINE = GOOD.split("\n\n", 1)[1]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("hello\n" + SIG_LINE, "no blank line"),
        ("hello\n\n", "no signature lines"),
        (GOOD + "trailing", "must end with a newline"),
        (GOOD + "garbage\n", "malformed signature line"),
        (GOOD + "\n", "no signature lines"),
        ("hello\x07\n\n" + SIG_LINE, "control character"),
        ("hello\r\n\n" + SIG_LINE, "control character"),
        ("hello\n\n" + SIG_LINE.replace("— ", "-- "), "malformed signature line"),
        ("hello\n\n" + SIG_LINE.replace(" ", "  ", 1), "malformed signature line"),
        ("hello\n\n" + SIG_LINE.replace("=\n", "\n"), "base64"),
        ("hello\n\n" + SIG_LINE.replace(LOG.name, "bad+name"), "invalid key name"),
        ("hello\n\n— name AAAA\n", "key ID followed by"),
        ("hello\n\n" + SIG_LINE * 101, "more than 100"),
    ],
)
def test_malformed_notes_are_refused(data: str, why: str) -> None:
    with pytest.raises(MalformedNote, match=why):
        parse_note(data)


def test_non_canonical_base64_is_refused() -> None:
    # "AAAAAB==" and "AAAAAA==" decode to the same bytes; only the canonical one is accepted.
    with pytest.raises(MalformedNote, match="canonical"):
        parse_note("hello\n\n— name AAAAAB==\n")


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(MalformedNote, match="UTF-8"):
        parse_note(b"hello \xff\n\n" + SIG_LINE.encode())


def test_sixteen_signatures_are_accepted() -> None:
    keys = [SignerKey(f"w{i}.example", SIG_ED25519, bytes([i]) * 32) for i in range(16)]
    signed = sign_note("hello\n", *keys)
    assert len(verify_note(signed, [k.verifier() for k in keys]).signed_by) == 16
