"""verify_election over a published directory: passes when honest, names what fails otherwise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from smolny.ballot import group as g
from smolny.ballot import store
from smolny.ballot.ballots import encrypt_ballot
from smolny.ballot.election import Election, sign_document
from smolny.ballot.trustee import TrusteeKey
from smolny.ballot.verify import verify_election

from .conftest import CHOICES, EXPECTED_COUNTS, credential

Ceremony = tuple[Election, dict[int, TrusteeKey], dict[int, dict[str, Any]]]


def subjects(root: Path, workers: int = 1) -> list[tuple[str, str]]:
    return [(f.step, f.subject) for f in verify_election(root, workers).failures]


def test_an_honest_election_verifies(election_dir: Path) -> None:
    report = verify_election(election_dir, workers=1)
    assert report.ok, report.failures
    assert report.ballots == 6 and report.counted == 5
    assert report.counts == EXPECTED_COUNTS


def test_it_verifies_on_all_cores(election_dir: Path, election: Election) -> None:
    """Pad to 80 ballots so the process pool is used; Charlie re-votes many times."""
    for seq in range(2, 76):
        cast = encrypt_ballot(election, credential("charlie"), seq, CHOICES["charlie"])
        store.write(store.next_ballot_path(election_dir), cast.ballot)
    report = verify_election(election_dir, workers=2)
    # The tally was computed before Charlie's re-votes, so only the tally step fails.
    assert report.ballots == 80
    assert {f.step for f in report.failures} == {"tally"}


def _edit(path: Path, change: Any) -> None:
    doc = store.read(path)
    change(doc)
    store.write(path, doc)


def test_a_changed_stored_ballot_is_named(election_dir: Path) -> None:
    path = election_dir / "ballots" / "00000003.json"
    data = bytearray(path.read_bytes())
    at = data.index(b'"ciphertexts":[["') + 20
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    path.write_bytes(bytes(data))
    failures = verify_election(election_dir, 1).failures
    assert failures[0].step == "ballots" and failures[0].subject == "ballots/00000003.json"
    assert (
        "signature does not verify" in failures[0].message or "bad-element" in failures[0].message
    )


def test_a_duplicate_ballot_is_named(election_dir: Path) -> None:
    shutil.copy(
        election_dir / "ballots" / "00000002.json", election_dir / "ballots" / "00000007.json"
    )
    failures = subjects(election_dir)
    assert ("duplicates", "ballots/00000007.json") in failures


def test_a_replayed_seq_is_a_duplicate(election_dir: Path, election: Election) -> None:
    cast = encrypt_ballot(election, credential("bob"), 1, CHOICES["bob"])
    store.write(election_dir / "ballots" / "00000007.json", cast.ballot)
    report = verify_election(election_dir, 1)
    assert report.failures[0].subject == "ballots/00000007.json"
    assert "same credential and seq 1 as ballots/00000002.json" in report.failures[0].message


def test_an_unsigned_ballot_is_named(election_dir: Path) -> None:
    _edit(election_dir / "ballots" / "00000004.json", lambda d: d.pop("signature"))
    report = verify_election(election_dir, 1)
    assert report.failures[0].subject == "ballots/00000004.json"
    assert report.failures[0].message == "unsigned: ballot is unsigned"


def test_a_stuffed_ballot_off_the_roll_is_named(election_dir: Path, election: Election) -> None:
    cast = encrypt_ballot(election, credential("mallory"), 1, CHOICES["alice"])
    store.write(election_dir / "ballots" / "00000007.json", cast.ballot)
    report = verify_election(election_dir, 1)
    assert report.failures[0].subject == "ballots/00000007.json"
    assert report.failures[0].message.startswith("not-on-roll")


def test_only_the_last_ballot_of_a_revoter_counts(election_dir: Path) -> None:
    """Dropping Emil's second ballot changes which ballots count, so the tally no longer matches."""
    (election_dir / "ballots" / "00000006.json").unlink()
    failures = verify_election(election_dir, 1).failures
    assert failures[0].step == "tally" and "counted ballots differ" in failures[0].message


def test_a_changed_tally_is_named(election_dir: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        ct = doc["contests"][0]["ciphertexts"][0]
        ct[1] = g.add(bytes.fromhex(ct[1]), g.BASE).hex()

    _edit(election_dir / "tally.json", change)
    failures = verify_election(election_dir, 1).failures
    assert [(f.step, f.message) for f in failures] == [
        ("tally", "contest motion-4 option 0: sum differs")
    ]


def test_a_partial_decryption_with_a_wrong_proof_is_named(
    election_dir: Path, ceremony: Ceremony
) -> None:
    _, keys, _ = ceremony
    path = election_dir / "decryptions" / "3.json"
    doc = store.read(path)
    doc["contests"][2]["shares"][1]["z"] = g.random_scalar().hex()
    store.write(path, sign_document(keys[3].signing_key, doc))
    failures = verify_election(election_dir, 1).failures
    assert failures[0].step == "decryption" and failures[0].subject == "decryptions/3.json"
    assert failures[0].message == (
        "trustee 3: contest budget option 1: proof of correct partial decryption fails"
    )
    assert failures[1].step == "result"


def test_a_false_result_is_named(election_dir: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["contests"][1]["counts"] = [3, 1, 1]

    _edit(election_dir / "result.json", change)
    failures = verify_election(election_dir, 1).failures
    assert [f.message for f in failures] == [
        "contest secretary option 0: count 3 is not the decryption",
        "contest secretary option 1: count 1 is not the decryption",
    ]


def test_a_result_from_one_trustee_is_refused(election_dir: Path) -> None:
    _edit(election_dir / "result.json", lambda d: d.update(trustees=[1]))
    failures = verify_election(election_dir, 1).failures
    assert [(f.step, f.message) for f in failures] == [("result", "must name at least 2 trustees")]


def test_a_trustee_document_changed_after_the_ceremony_is_named(election_dir: Path) -> None:
    _edit(
        election_dir / "trustees" / "2" / "reveal.json",
        lambda d: d["commitments"].reverse(),
    )
    failures = verify_election(election_dir, 1).failures
    assert failures[0].step == "ceremony" and failures[0].subject == "trustee 2"


def test_a_published_audit_is_checked_and_a_bad_one_named(
    election_dir: Path, election: Election
) -> None:
    cast = encrypt_ballot(election, credential("dora"), 1, CHOICES["dora"])
    audit = cast.audit_document()
    store.write(election_dir / "audits" / f"{cast.tracker}.json", audit)
    assert verify_election(election_dir, 1).ok
    audit["randomness"]["budget"][0] = g.random_scalar().hex()
    store.write(election_dir / "audits" / f"{cast.tracker}.json", audit)
    failures = subjects(election_dir)
    assert failures == [("audits", f"audits/{cast.tracker}.json")]


def test_a_malformed_ballot_is_named_not_a_crash(election_dir: Path) -> None:
    _edit(election_dir / "ballots" / "00000005.json", lambda d: d.update(contests=[7, 8, 9]))
    failures = verify_election(election_dir, 1).failures
    assert failures[0].subject == "ballots/00000005.json"


def test_a_ballot_file_not_in_canonical_form_is_named(election_dir: Path) -> None:
    path = election_dir / "ballots" / "00000001.json"
    path.write_text(json.dumps(json.loads(path.read_text()), indent=1))
    failures = verify_election(election_dir, 1).failures
    assert failures[0].subject == "ballots/00000001.json"
    assert "not in RFC 8785 canonical form" in failures[0].message


def test_a_malformed_result_is_named_not_a_crash(election_dir: Path) -> None:
    _edit(election_dir / "result.json", lambda d: d.update(contests=["x", "y", "z"]))
    failures = verify_election(election_dir, 1).failures
    assert failures and failures[0].step == "result"
