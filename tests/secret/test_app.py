"""Secret ballots through the app: the API's commands, the booth's pages and modules, the
record's verification, the CLI.

GIVEN the Harbour federation with a secret plurality election for the Dockers' secretary
(trustees karl, ivan, olga; threshold 2) whose key ceremony is done and every docker holds a
registered credential, WHEN ballots reach the API, THEN bad ones are refused with a problem
document naming what failed and the record does not grow; good ones are in the record, and
the whole record still verifies and replays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import harbour
import pytest
from django.contrib.auth.models import User
from django.test import Client

from smolny import cli as smolny_cli
from smolny.ballot.election import sign_document
from smolny.constitution import commands as c
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, execute

from . import rite

pytestmark = pytest.mark.django_db
VOTERS = {who: rite.credential(n) for n, who in enumerate(harbour.DOCKERS, start=1)}


def api(who: str, command: str, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(User.objects.get(username=who))
    return client.post(f"/api/commands/{command}", body, content_type="application/json")


@pytest.fixture
def election() -> tuple[str, dict[int, Any]]:
    harbour.seed()
    execute(c.CallElection("clara", "C3", "office", "secretary", None, "secret", rite.TRUSTEES, 2))
    subject = f"E{current_state().counters['E']}"
    execute(c.Nominate("clara", subject, "clara"))
    execute(c.Nominate("leo", subject, "leo"))
    rite.register(execute, VOTERS)
    clock.advance(hours=1)
    execute(c.PublishManifest("vera", subject))
    keys = rite.ceremony(current_state, execute, subject)
    return subject, keys


def refused(who: str, subject: str, ballot: dict[str, Any], status: int, code: str) -> str:
    before = Entry.objects.count()
    response = api(who, "cast_secret_ballot", {"subject": subject, "ballot": ballot})
    assert response.status_code == status, response.content
    problem = response.json()
    assert problem["code"] == code, problem
    assert Entry.objects.count() == before, "a refused ballot reached the record"
    return str(problem["detail"])


def test_a_good_ballot_is_cast_and_kept_with_its_proofs(election: Any) -> None:
    subject, _ = election
    ballot = rite.ballot(current_state(), subject, VOTERS["clara"], ["leo"])
    response = api("clara", "cast_secret_ballot", {"subject": subject, "ballot": ballot})
    assert response.status_code == 201, response.content
    entry = Entry.objects.get(seq=response.json()["entries"][0]["seq"])
    assert entry.type == "secret_ballot_cast" and b'"count_proof"' in bytes(entry.body)
    assert b'"leo"' not in bytes(entry.body).split(b'"ballot"')[1]  # the choice is encrypted


def test_a_duplicate_ballot_is_refused(election: Any) -> None:
    subject, _ = election
    ballot = rite.ballot(current_state(), subject, VOTERS["clara"], ["leo"])
    assert (
        api("clara", "cast_secret_ballot", {"subject": subject, "ballot": ballot}).status_code
        == 201
    )
    detail = refused("clara", subject, ballot, 409, "duplicate_ballot")
    assert "already in the record" in detail


def test_an_unsigned_ballot_is_refused(election: Any) -> None:
    subject, _ = election
    ballot = rite.ballot(current_state(), subject, VOTERS["clara"], ["leo"])
    del ballot["signature"]
    assert "unsigned" in refused("clara", subject, ballot, 422, "unsigned")


def test_a_ballot_from_a_credential_not_on_the_roll_is_refused(election: Any) -> None:
    subject, _ = election
    ballot = rite.ballot(current_state(), subject, rite.credential(200), ["leo"])
    assert "not on the election roll" in refused("clara", subject, ballot, 422, "not_on_roll")


def test_a_tampered_proof_is_refused(election: Any) -> None:
    subject, _ = election
    ballot = rite.ballot(current_state(), subject, VOTERS["clara"], ["leo"])
    proof = ballot["contests"][0]["proofs"][0]
    proof["c"] = [proof["c"][1], proof["c"][0]]
    ballot = sign_document(VOTERS["clara"], ballot)
    detail = refused("clara", subject, ballot, 422, "bad_proof")
    assert "option 0: proof that it encrypts 0 or 1 fails" in detail


def test_an_over_vote_is_refused(election: Any) -> None:
    subject, _ = election
    ballot = rite.ballot(current_state(), subject, VOTERS["clara"], ["clara", "leo"], check=False)
    detail = refused("clara", subject, ballot, 422, "bad_proof")
    assert "selection count: proof that 1..1 options are selected fails" in detail


def test_a_ballot_signed_with_another_voters_credential_is_refused(election: Any) -> None:
    subject, _ = election
    ballot = rite.ballot(current_state(), subject, VOTERS["leo"], ["leo"])
    refused("clara", subject, ballot, 403, "not_your_credential")


def cannot(who: str, command: str, body: dict[str, Any], status: int, code: str) -> None:
    before = Entry.objects.count()
    response = api(who, command, body)
    assert (response.status_code, response.json()["code"]) == (status, code), response.content
    assert Entry.objects.count() == before


def test_each_new_command_can_and_cannot_through_the_api() -> None:
    """GIVEN the harbour, WHEN each secret-ballot command is sent by the right member and by
    a wrong one, THEN the first is in the record and the second is refused, nothing changed."""
    harbour.seed()
    User.objects.create(username="zoe")  # an account, not a member
    key = bytes(VOTERS["clara"].verify_key).hex()
    cannot("zoe", "register_credential", {"public_key": key}, 403, "not_a_member")
    assert api("clara", "register_credential", {"public_key": key}).status_code == 201
    cannot("leo", "register_credential", {"public_key": key}, 409, "credential_taken")

    execute(c.CallElection("clara", "C3", "office", "secretary", None, "secret", rite.TRUSTEES, 2))
    subject = f"E{current_state().counters['E']}"
    execute(c.Nominate("clara", subject, "clara"))
    cannot("vera", "publish_manifest", {"subject": subject}, 409, "nominations_open")
    clock.advance(hours=1)
    cannot("zoe", "publish_manifest", {"subject": subject}, 403, "not_a_member")
    assert api("vera", "publish_manifest", {"subject": subject}).status_code == 201

    from smolny.ballot import parse_manifest, trustee_init

    manifest = parse_manifest(current_state().secret[subject].manifest)
    _, identity = trustee_init(manifest, 1)
    body = {"subject": subject, "document": identity}
    cannot("ivan", "upload_trustee_document", body, 403, "not_trustee")
    assert api("karl", "upload_trustee_document", body).status_code == 201

    cannot(
        "clara", "cast_secret_ballot", {"subject": subject, "ballot": {}}, 409, "voting_not_open"
    )
    cannot("ivan", "cast_secret_ballot", {"subject": subject, "ballot": {}}, 403, "not_a_voter")


def test_the_record_of_a_secret_election_verifies_and_replays(election: Any) -> None:
    from smolny.readmodels.replay import differences
    from smolny.verify.database import verify_database

    subject, keys = election
    for who, choice in (("clara", "clara"), ("leo", "leo"), ("nadia", "clara")):
        ballot = rite.ballot(current_state(), subject, VOTERS[who], [choice])
        execute(c.CastSecretBallot(who, subject, ballot))
    clock.advance(hours=2)
    execute(c.CloseElection("rosa", subject))
    for index, who in ((2, "ivan"), (3, "olga")):
        doc = rite.decryption(current_state(), subject, keys[index])
        execute(c.UploadTrusteeDocument(who, subject, doc))
    result = current_state().elections[subject].result
    assert result is not None and result["tallies"] == {"clara": 2, "leo": 1}
    report = verify_database()
    assert report.results_recounted >= 3  # the harbour's two elections and this one
    assert differences(report.state) == []
    assert report.state.secret[subject].result == current_state().secret[subject].result


def test_the_booth_pages_and_modules_are_served(election: Any, client: Any) -> None:
    subject, _ = election
    assert client.get(f"/booth/{subject}").status_code == 200
    files = client.get(f"/secret/{subject}/files.json").json()["files"]
    assert {"manifest.json", "voters.json", "election.json", "trustees/3/finish.json"} <= set(files)
    assert client.get(f"/secret/{subject}/ballots").status_code == 200
    assert client.get("/booth/E999").status_code == 404
    for root, path in [
        ("smolny", "booth-crypto.js"),
        ("booth", "booth.js"),
        ("noble-curves", "ed25519.js"),
        ("noble-hashes", "sha2.js"),
    ]:
        response = client.get(f"/booth-js/{root}/{path}")
        assert response.status_code == 200 and response["Content-Type"].startswith(
            "text/javascript"
        )
    for root, path in [
        ("smolny", "../cli.py"),
        ("noble-curves", "package.json"),
        ("noble-curves", "../../axe-core/axe.min.js"),
        ("elsewhere", "x.js"),
    ]:
        assert client.get(f"/booth-js/{root}/{path}").status_code == 404


def test_the_voter_and_election_groups_are_mounted(tmp_path: Path, capsys: Any) -> None:
    credential = tmp_path / "me.json"
    assert smolny_cli.main(["voter", "init", "--credential", str(credential)]) == 0
    assert credential.stat().st_mode & 0o077 == 0
    assert smolny_cli.main(["election", "export", "E404", str(tmp_path / "x")]) == 2


def test_a_secret_motion_has_its_booth_and_its_page_says_so(client: Any) -> None:
    harbour.seed()
    rite.register(execute, VOTERS)
    execute(
        c.FileMotion("clara", "C3", "Strike fund", "Raise dues.", None, "secret", rite.TRUSTEES, 2)
    )
    motion = f"MO{current_state().counters['MO']}"
    execute(c.CoSponsor("leo", motion))
    clock.advance(hours=1)
    execute(c.PublishManifest("vera", motion))
    rite.ceremony(current_state, execute, motion)
    client.force_login(User.objects.get(username="nadia"))
    page = client.get(f"/motions/{motion}").content.decode()
    assert "end-to-end verifiable secret ballot" in page and f"/booth/{motion}" in page
    assert 'name="choice" value="yes" required' not in page  # no roll-call form
    booth = client.get(f"/booth/{motion}").content.decode()
    for option in ("yes", "no", "abstain"):
        assert 'type="radio" id="opt-' in booth and f'value="{option}"' in booth
    assert "it is on this ballot&#x27;s roll" in booth or "on this ballot's roll" in booth


def test_the_booth_verifies_before_the_commit_and_answers_like_the_api(election: Any) -> None:
    """GIVEN a ballot posted to the booth's own address, THEN it is verified in the request's
    thread (the decision finds it verified) and cast; a refusal is a problem document."""
    import hashlib

    from smolny.ballot.election import canonical_bytes
    from smolny.constitution import secret

    subject, _ = election
    client = Client()
    client.force_login(User.objects.get(username="clara"))
    ballot = rite.ballot(current_state(), subject, VOTERS["clara"], ["leo"])
    response = client.post(
        f"/booth/{subject}/cast", {"ballot": ballot}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    fingerprint = bytes.fromhex(ballot["election"])
    assert (fingerprint, hashlib.sha256(canonical_bytes(ballot)).digest()) in secret._VERIFIED
    before = Entry.objects.count()
    response = client.post(
        f"/booth/{subject}/cast", {"ballot": ballot}, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "duplicate_ballot")
    assert Entry.objects.count() == before
    assert (
        Client().post(f"/booth/{subject}/cast", {}, content_type="application/json").status_code
        == 401
    )


def _home(who: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=who))
    return str(client.get("/").content.decode())


def test_home_shows_a_secret_ballot_she_cast_as_cast_and_changeable_never_her_choice(
    election: Any,
) -> None:
    """GIVEN the secret election of the Dockers' secretary is open, WHEN clara casts in the
    booth, THEN her home lists it as cast, changeable until the close, linking to the booth,
    and no longer among the ballots to cast, with nothing of what she chose; vera, who has not
    cast, still finds it to cast; after the close, neither is offered it."""
    subject, _ = election
    listed = f'href="/elections/{subject}"'
    assert listed in _home("clara") and "cast</strong>" not in _home("clara")
    ballot = rite.ballot(current_state(), subject, VOTERS["clara"], ["leo"])
    response = api("clara", "cast_secret_ballot", {"subject": subject, "ballot": ballot})
    assert response.status_code == 201, response.content
    page = _home("clara")
    assert listed not in page
    item = page.split('<li class="cast">', 1)[1].split("</li>", 1)[0]
    assert f'href="/booth/{subject}"' in item and "secretary of Dockers" in item
    assert "cast</strong>; you may change it until" in item
    assert "leo" not in item.lower()  # her choice is not known to the server, nor shown
    assert listed in _home("vera") and '<li class="cast">' not in _home("vera")
    clock.advance(hours=3)
    for who in ("clara", "vera"):
        page = _home(who)
        assert listed not in page and '<li class="cast">' not in page, who
