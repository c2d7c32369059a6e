"""``/record/``: signed checkpoints, C2SP tiles and bundles, proofs, cosignatures, the footer key.

Every response is checked with the pure library a mirror or auditor uses, against the key the
pages publish, so what is served is what an outside verifier accepts.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from django.test import Client

from smolny.record.checkpoint import verify_checkpoint
from smolny.record.cosignature import cosign, valid_cosignatures
from smolny.record.merkle import hash_leaf, verify_consistency, verify_inclusion
from smolny.record.note import SIG_COSIGNATURE_V1, SignerKey, VerifierKey, parse_note
from smolny.record.tiles import parse_bundle
from smolny.store import keys
from smolny.store.models import Checkpoint, Cosignature, Entry, Head

pytestmark = pytest.mark.usefixtures("harbour")


def key() -> VerifierKey:
    vkey = keys.verifier()
    assert vkey is not None
    return vkey


def latest(client: Client):  # type: ignore[no-untyped-def]
    response = client.get("/record/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return verify_checkpoint(response.content, [key()], origin=key().name)


def test_the_checkpoint_is_signed_by_the_key_in_every_footer(client: Client) -> None:
    opened = latest(client)
    assert opened.checkpoint.size == Head.objects.get().size
    assert opened.checkpoint.origin == key().name
    for url in ("/", "/record", "/federation", "/record/entries/3"):
        page = client.get(url).content.decode()
        assert key().encode() in page, url
    assert client.get("/record/verifier-key").content.decode().strip() == key().encode()


def test_the_key_lives_in_the_key_directory_readable_by_its_owner_only() -> None:
    mode = keys.key_path().stat().st_mode & 0o777
    assert mode == 0o600
    secret = keys.signer().encode().rsplit("+", 1)[1]
    assert keys.signer().verifier() == key()
    assert not any(secret in note for note in Checkpoint.objects.values_list("note", flat=True))


def test_tiles_and_bundles_are_the_tree_and_the_entries(client: Client) -> None:
    size = Head.objects.get().size
    assert 0 < size < 256
    level0 = client.get(f"/record/tile/0/000.p/{size}")
    assert level0.status_code == 200
    assert level0["Cache-Control"] == "public, max-age=31536000, immutable"
    bodies = [bytes(b) for b in Entry.objects.order_by("seq").values_list("body", flat=True)]
    assert level0.content == b"".join(hash_leaf(b) for b in bodies)
    bundle = client.get(f"/record/tile/entries/000.p/{size}")
    assert parse_bundle(bundle.content, size) == bodies
    assert parse_bundle(client.get("/record/tile/entries/000.p/3").content, 3) == bodies[:3]


@pytest.mark.parametrize(
    "path",
    [
        "/record/tile/0/000",  # the full tile does not exist yet
        "/record/tile/0/0",  # not canonical
        "/record/tile/0/000.p/0",
        "/record/tile/1/000.p/1",  # fewer than 256 leaves: no level-1 tile
        "/record/tile/entries/001.p/1",
        "/record/tile/x/000",
    ],
)
def test_tiles_that_do_not_exist_are_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_inclusion_proof_checks_against_the_signed_root(client: Client) -> None:
    opened = latest(client)
    for index in (0, 7, opened.checkpoint.size - 1):
        data = client.get(f"/record/proof/inclusion?index={index}").json()
        assert data["size"] == opened.checkpoint.size
        assert data["checkpoint"].startswith(opened.note.text)
        proof = [base64.b64decode(p) for p in data["proof"]]
        leaf = hash_leaf(bytes(Entry.objects.get(seq=index).body))
        verify_inclusion(leaf, index, data["size"], proof, opened.checkpoint.root)


def test_a_receipt_is_provable_against_any_later_checkpoint(client: Client) -> None:
    """A member holding "entry #5" asks for its proof against an older, signed checkpoint."""
    older = Checkpoint.objects.order_by("size")[8]
    data = client.get(f"/record/proof/inclusion?index=5&size={older.size}").json()
    opened = verify_checkpoint(data["checkpoint"], [key()])
    assert opened.checkpoint.size == older.size
    verify_inclusion(
        hash_leaf(bytes(Entry.objects.get(seq=5).body)),
        5,
        older.size,
        [base64.b64decode(p) for p in data["proof"]],
        opened.checkpoint.root,
    )
    assert client.get("/record/proof/inclusion?index=5&size=4").status_code == 404
    assert client.get("/record/proof/inclusion?index=abc").status_code == 400
    assert client.get("/record/proof/inclusion").status_code == 400


def test_a_consistency_proof_links_two_signed_checkpoints(client: Client) -> None:
    rows = list(Checkpoint.objects.order_by("size"))
    old, new = rows[2], rows[-1]
    data = client.get(f"/record/proof/consistency?from={old.size}").json()
    first = verify_checkpoint(old.note, [key()]).checkpoint
    second = verify_checkpoint(data["checkpoint"], [key()]).checkpoint
    assert second.size == new.size
    verify_consistency(
        first.size,
        second.size,
        first.root,
        second.root,
        [base64.b64decode(p) for p in data["proof"]],
    )
    assert client.get("/record/proof/consistency?from=0").status_code == 400


def test_a_known_witness_cosignature_is_published_beside_the_checkpoint(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    witness = SignerKey.generate("mirror.example", SIG_COSIGNATURE_V1)
    settings.SMOLNY_WITNESSES = [witness.verifier().encode()]
    settings.SMOLNY_WITNESS_QUORUM = 1
    assert client.get("/record/checkpoint?final=1").status_code == 404
    opened = latest(client)
    note = opened.note.with_signatures(cosign(opened.checkpoint, witness, int(time.time())))
    answer = client.post("/record/cosign", note.encode(), content_type="text/plain")
    assert answer.status_code == 200, answer.content
    assert answer.json()["final"] is True
    served = parse_note(client.get("/record/checkpoint").content)
    assert len(valid_cosignatures(served, [witness.verifier()])) == 1
    assert client.get("/record/checkpoint?final=1").status_code == 200
    # The same witness twice counts once.
    client.post("/record/cosign", note.encode(), content_type="text/plain")
    assert Cosignature.objects.count() == 1


def test_cosignatures_from_unknown_keys_or_for_unsigned_checkpoints_are_refused(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SMOLNY_WITNESSES = []
    stranger = SignerKey.generate("stranger", SIG_COSIGNATURE_V1)
    opened = latest(client)
    note = opened.note.with_signatures(cosign(opened.checkpoint, stranger, int(time.time())))
    answer = client.post("/record/cosign", note.encode(), content_type="text/plain")
    assert answer.status_code == 403
    forged_text = opened.note.text.replace(str(opened.checkpoint.size), "99999", 1)
    answer = client.post(
        "/record/cosign",
        (forged_text + "\n" + opened.note.signatures[0].line()).encode(),
        content_type="text/plain",
    )
    assert answer.status_code == 409
    assert client.post("/record/cosign", b"nonsense", content_type="text/plain").status_code == 400
    assert Cosignature.objects.count() == 0


def test_the_entry_page_offers_the_check(client: Client) -> None:
    page = client.get("/record/entries/4").content.decode()
    assert 'id="check-entry"' in page and 'data-index="4"' in page
    assert 'aria-live="polite"' in page
    assert client.get("/record/check.js").status_code == 200


def test_export_dir_verifies_without_django(tmp_path: Path) -> None:
    import subprocess

    from .conftest import PYTHON, smolny, subprocess_env

    code, out = smolny("export", "--dir", str(tmp_path / "export"))
    assert code == 0, out
    readme = (tmp_path / "export" / "README.md").read_text()
    assert key().encode() in readme
    script = (
        "import sys; from smolny import cli; code = cli.main(sys.argv[1:]);"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported';"
        "sys.exit(code)"
    )
    run = subprocess.run(
        [PYTHON, "-c", script, "verify", str(tmp_path / "export"), "--key", key().encode()],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Verified" in run.stdout
    # One byte of one entry in a bundle changed: the export fails at that entry.
    bundle = next(p for p in (tmp_path / "export" / "tile" / "entries").rglob("*") if p.is_file())
    data = bytearray(bundle.read_bytes())
    offset = 2 + int.from_bytes(data[:2], "big") + 2  # inside entry 1
    data[offset + 5] ^= 0x01
    bundle.write_bytes(bytes(data))
    code, out = smolny("verify", str(tmp_path / "export"))
    assert code == 1 and "FAILED at entry 1:" in out, out
