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
from tests.harbour import carry, with_congress

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
        # Said so that a member knows what the key is for.
        assert "anyone can check that it was not rewritten" in page, url
    assert client.get("/record/verifier-key").content.decode().strip() == key().encode()


def test_the_key_lives_in_the_key_directory_readable_by_its_owner_only() -> None:
    mode = keys.key_path().stat().st_mode & 0o777
    assert mode == 0o600
    # PRIVATE+KEY+name+keyid+base64: the base64 itself may hold a "+", so split from the left.
    secret = keys.signer().encode().split("+", 4)[4]
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


def witness(name: str) -> SignerKey:
    return SignerKey.generate(name, SIG_COSIGNATURE_V1)


def admit(*witnesses: SignerKey) -> None:
    """The congress admits each witness by a motion (the record, not a setting, names them)."""
    with_congress()
    for key in witnesses:
        carry({"kind": "admit_witness", "key": key.verifier().encode()})


def cosigned(client: Client, by: SignerKey, size: int | None = None):  # type: ignore[no-untyped-def]
    """POST the checkpoint (the latest, or the one of ``size``) cosigned by ``by``."""
    row = Checkpoint.objects.get(size=size) if size else Checkpoint.objects.order_by("-size")[0]
    opened = verify_checkpoint(row.note, [key()])
    note = opened.note.with_signatures(cosign(opened.checkpoint, by, int(time.time())))
    return client.post("/record/cosign", note.encode(), content_type="text/plain")


def assert_problem(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"]) == (status, code), body
    assert body["type"].endswith(f"/problems/{code}") and body["title"]
    assert body["detail"].endswith("."), body


def test_a_witness_admitted_by_the_congress_cosigns_and_its_cosignature_is_published(
    client: Client,
) -> None:
    mirror = witness("mirror.example")
    admit(mirror)
    carry({"kind": "amend_params", "changes": {"witness_quorum": 1}})
    assert client.get("/record/checkpoint?final=1").status_code == 404
    answer = cosigned(client, mirror)
    assert answer.status_code == 200, answer.content
    assert answer.json() | {"size": 0} == {
        "size": 0,
        "accepted": ["mirror.example"],
        "cosignatures": 1,
        "required": 1,
        "final": True,
    }
    served = client.get("/record/checkpoint")
    assert len(valid_cosignatures(parse_note(served.content), [mirror.verifier()])) == 1
    assert (served["Smolny-Cosignatures"], served["Smolny-Cosignatures-Required"]) == ("1", "1")
    assert served["Smolny-Final"] == "true"
    assert client.get("/record/checkpoint?final=1").content == served.content
    # The same witness twice counts once.
    assert cosigned(client, mirror).json()["cosignatures"] == 1
    assert Cosignature.objects.count() == 1


def test_a_cosignature_from_a_key_the_congress_did_not_admit_is_refused_and_stores_nothing(
    client: Client,
) -> None:
    """GIVEN a federation whose congress admitted mirror.example
    WHEN a mirror it did not admit posts its cosignature (even one named like the witness)
    THEN a 403 problem document says who the witnesses are, and nothing is stored."""
    admit(witness("mirror.example"))
    for stranger in (witness("stranger"), witness("mirror.example")):
        answer = cosigned(client, stranger)
        assert_problem(answer, 403, "not_a_witness")
        assert "mirror.example" in answer.json()["detail"]
    opened = latest(client)
    forged_text = opened.note.text.replace(str(opened.checkpoint.size), "99999", 1)
    answer = client.post(
        "/record/cosign",
        (forged_text + "\n" + opened.note.signatures[0].line()).encode(),
        content_type="text/plain",
    )
    assert_problem(answer, 409, "no_such_checkpoint")
    nonsense = client.post("/record/cosign", b"nonsense", content_type="text/plain")
    assert_problem(nonsense, 400, "not_a_checkpoint")
    assert Cosignature.objects.count() == 0


def test_a_bad_signature_from_an_admitted_witness_is_refused_and_stores_nothing(
    client: Client,
) -> None:
    mirror = witness("mirror.example")
    admit(mirror)
    opened = latest(client)
    line = cosign(opened.checkpoint, mirror, int(time.time()))
    flipped = bytearray(line.signature)
    flipped[20] ^= 0x01  # inside the Ed25519 signature (after the 8-byte timestamp)
    tampered = type(line)(line.name, line.key_id, bytes(flipped))
    answer = client.post(
        "/record/cosign", opened.note.with_signatures(tampered).encode(), content_type="text/plain"
    )
    assert_problem(answer, 403, "bad_cosignature")
    assert Cosignature.objects.count() == 0


def test_without_witnesses_every_checkpoint_is_final_and_none_is_accepted(client: Client) -> None:
    served = client.get("/record/checkpoint")
    assert served["Smolny-Final"] == "true"
    assert (served["Smolny-Cosignatures"], served["Smolny-Cosignatures-Required"]) == ("0", "0")
    assert client.get("/record/checkpoint?final=1").content == served.content
    assert_problem(cosigned(client, witness("mirror.example")), 403, "not_a_witness")


def test_finality_follows_the_federations_quorum_and_witnesses_as_the_congress_amends_them(
    client: Client,
) -> None:
    """GIVEN three witnesses and a quorum of two, voted by the congress
    WHEN alpha, then beta cosign a checkpoint, the congress removes beta, then lowers the quorum
    THEN the checkpoint is final only while two witnesses in force have cosigned it, or one
    does and one is all the federation requires."""
    alpha, beta, gamma = witness("alpha"), witness("beta"), witness("gamma")
    admit(alpha, beta, gamma)
    carry({"kind": "amend_params", "changes": {"witness_quorum": 2}})
    size = Head.objects.get().size
    assert cosigned(client, alpha).json() | {"size": 0} == {
        "size": 0,
        "accepted": ["alpha"],
        "cosignatures": 1,
        "required": 2,
        "final": False,
    }
    assert client.get("/record/checkpoint")["Smolny-Final"] == "false"
    assert client.get("/record/checkpoint?final=1").status_code == 404
    assert cosigned(client, beta).json()["final"] is True
    final = client.get("/record/checkpoint?final=1")
    assert verify_checkpoint(final.content, [key()]).checkpoint.size == size
    assert final["Smolny-Cosignatures"] == "2"

    carry({"kind": "remove_witness", "name": "beta"})
    # beta's line stays beside the checkpoint, but beta's word no longer settles anything.
    assert Cosignature.objects.count() == 2
    assert client.get("/record/checkpoint?final=1").status_code == 404
    assert_problem(cosigned(client, beta, size), 403, "not_a_witness")

    carry({"kind": "amend_params", "changes": {"witness_quorum": 1}})
    final = client.get("/record/checkpoint?final=1")
    assert verify_checkpoint(final.content, [key()]).checkpoint.size == size
    assert (final["Smolny-Cosignatures"], final["Smolny-Cosignatures-Required"]) == ("1", "1")
    latest_now = client.get("/record/checkpoint")
    assert latest_now["Smolny-Final"] == "false"  # nobody has cosigned the newest one yet


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
