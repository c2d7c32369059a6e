"""The booth's list of trustees says, for every stage of the key ceremony, what is true of each
trustee's part, and what it says she can do is what the constitution accepts (Django's test
client, real database, the real ballot library acting as the trustees).

GIVEN the Harbour federation (tests/harbour.py) and a secret approval election for the Dockers'
executive committee, called by clara, whose trustees are karl (1), ivan (2) and olga (3),
threshold 2 (tests/secret/rite.py).
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable
from typing import Any

import harbour
import pytest
from django.test import Client

from smolny.ballot import (
    BallotError,
    TrusteeKey,
    parse_manifest,
    trustee_commit,
    trustee_finish,
    trustee_init,
    trustee_share,
)
from smolny.constitution import DomainError
from smolny.constitution import commands as c
from smolny.constitution.words import when
from smolny.store import clock
from smolny.store.service import current_state, execute
from tests.secret import rite

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = {1: "Karl", 2: "Ivan", 3: "Olga"}


@pytest.fixture
def election() -> str:
    harbour.seed()
    execute(
        c.CallElection("clara", "C3", "office", "executive", "approval", "secret", rite.TRUSTEES, 2)
    )
    election_id = f"E{current_state().counters['E']}"
    execute(c.Nominate("clara", election_id, "clara"))
    execute(c.Nominate("leo", election_id, "leo"))
    return election_id


def booth(subject: str) -> str:
    response = Client().get(f"/booth/{subject}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def trustees(subject: str) -> dict[int, str]:
    """Each trustee's line, without her name: what the page says of her part."""
    page = booth(subject)
    lines = dict(re.findall(r'<li id="trustee-(\d)">([^<]*)</li>', page))
    assert len(lines) == 3, page
    out = {}
    for i, line in lines.items():
        name, _, said = line.partition(": ")
        assert name == NAMES[int(i)]
        assert said.strip(" .") != "", line  # never "Karl:" and nothing
        out[int(i)] = said
    return out


def stage(subject: str) -> str:
    return booth(subject).split('<p id="ceremony-stage">', 1)[1].split("</p>", 1)[0]


def test_before_the_manifest_each_trustee_is_told_her_part_has_not_started(
    election: str,
) -> None:
    closes = current_state().elections[election].nominations_close
    for said in trustees(election).values():
        assert said == (
            "nothing to do yet: the key ceremony starts once the manifest is published."
        )
    assert "The key ceremony has not started" in stage(election)
    assert f"once nominations are closed (at {when(closes)})" in stage(election)


class Trustees:
    """The three trustees with their own key files, each writing her next document on demand."""

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.manifest = parse_manifest(current_state().secret[subject].manifest)
        self.keys: dict[int, TrusteeKey] = {}
        self.identities: dict[int, dict[str, Any]] = {}
        for i in NAMES:
            self.keys[i], self.identities[i] = trustee_init(self.manifest, i)
        self.spoil: int | None = None
        """A trustee whose shares will not match her commitments (to make the ceremony fail)."""

    def next_document(self, i: int, step: str) -> dict[str, Any] | None:
        """Trustee ``i``'s ``step`` document, or None if the library cannot write it yet."""
        docs = current_state().secret[self.subject].documents
        key = self.keys[i]
        try:
            if step == "identity":
                return self.identities[i]
            if step == "commit":
                return trustee_commit(self.manifest, key)
            if step in ("reveal", "shares"):
                reveal, shares = trustee_share(self.manifest, key, docs)
                if step == "shares" and i == self.spoil:
                    other = dataclasses.replace(key, coefficients=key.coefficients[::-1])
                    shares = trustee_share(self.manifest, other, docs)[1]
                return reveal if step == "reveal" else shares
            return trustee_finish(self.manifest, key, docs)
        except BallotError:
            return None

    def upload(self, i: int, document: dict[str, Any]) -> None:
        execute(c.UploadTrusteeDocument(rite.TRUSTEES[i - 1], self.subject, document))


STEP = re.compile(r"next, the (\w+(?: and \w+)?) documents? \(smolny trustee (\w+)\)")


def walk(subject: str, team: Trustees, order: Callable[[list[int]], list[int]]) -> int:
    """Upload, one at a time, the document of a trustee the page says can upload now (in
    ``order``), checking at each stage that every trustee the page says must wait is refused
    by the constitution; return the number of uploads."""
    uploads = 0
    while current_state().secret[subject].phase == "ceremony":
        lines = trustees(subject)
        ready = [i for i, said in lines.items() if said.endswith("which can be uploaded now.")]
        for i, said in lines.items():
            if "can follow once" not in said:
                continue
            match = STEP.search(said)
            assert match, said
            step = match.group(1).split(" and ")[0]
            document = team.next_document(i, step)
            if document is not None:
                with pytest.raises(DomainError) as refused:
                    team.upload(i, document)
                assert refused.value.code == "ceremony_out_of_order", said
        assert ready, lines
        i = order(ready)[0]
        match = STEP.search(lines[i])
        assert match, lines[i]
        steps = match.group(1).split(" and ")
        document = team.next_document(i, steps[0])
        assert document is not None, lines[i]
        team.upload(i, document)
        uploads += 1
        sb = current_state().secret[subject]
        if sb.phase == "ceremony":
            assert trustees(subject)[i].startswith(f"{len(sb.documents[i])} of 5 ")
    return uploads


@pytest.fixture
def manifest(election: str) -> str:
    clock.advance(hours=1)
    execute(c.PublishManifest("vera", election))
    return election


def test_during_the_ceremony_the_page_says_who_can_upload_what_and_who_waits_for_whom(
    manifest: str,
) -> None:
    """GIVEN the manifest published, WHEN the trustees upload their documents, the last trustee
    the page allows first, THEN every line names her next document and its command, whether
    she can upload it now or must wait for named trustees, and the constitution agrees."""
    lines = trustees(manifest)
    for said in lines.values():
        assert said == (
            "0 of 5 ceremony documents uploaded; next, the identity document "
            "(smolny trustee init), which can be uploaded now."
        )
    assert "The key ceremony is under way" in stage(manifest)
    team = Trustees(manifest)
    team.upload(1, team.identities[1])
    lines = trustees(manifest)
    assert lines[1] == (
        "1 of 5 ceremony documents uploaded; next, the commit document "
        "(smolny trustee commit), which can follow once the identity documents of Ivan and "
        "Olga are in."
    )
    assert walk(manifest, team, lambda ready: sorted(ready, reverse=True)) == 14
    sb = current_state().secret[manifest]
    assert sb.phase == "voting"
    for said in trustees(manifest).values():
        assert said == (
            "key ceremony finished; the partial decryption (smolny trustee decrypt) comes once "
            "voting has closed and the tally is published."
        )
    assert "voting is open" in stage(manifest)


def test_a_finished_trustee_waiting_for_another_is_told_so(manifest: str) -> None:
    team = Trustees(manifest)
    for step in ("identity", "commit", "reveal", "shares"):
        for i in NAMES:
            document = team.next_document(i, step)
            assert document is not None
            team.upload(i, document)
    for i in (1, 2):
        document = team.next_document(i, "finish")
        assert document is not None
        team.upload(i, document)
    lines = trustees(manifest)
    for i in (1, 2):
        assert lines[i] == (
            "5 of 5 ceremony documents uploaded: finished, and voting opens when every trustee "
            "has finished."
        )
    assert lines[3] == (
        "4 of 5 ceremony documents uploaded; next, the finish document "
        "(smolny trustee finish), which can be uploaded now."
    )


def test_a_failed_ceremony_is_said_on_every_line(manifest: str) -> None:
    """GIVEN ivan's shares do not match his commitments, THEN the others complain, the ceremony
    fails, and each line says how far she got when it failed; nobody is told to upload more."""
    team = Trustees(manifest)
    team.spoil = 2
    walk(manifest, team, sorted)
    sb = current_state().secret[manifest]
    assert sb.phase == "ceremony failed" and sb.failures
    lines = trustees(manifest)
    for said in lines.values():
        assert said == "5 of 5 ceremony documents uploaded when the key ceremony failed."
    assert "The key ceremony failed" in stage(manifest)
    assert "The key ceremony failed:" in booth(manifest)  # the failures, listed below


def test_after_the_close_each_trustee_is_told_whether_her_decryption_is_awaited(
    manifest: str,
) -> None:
    """GIVEN voting opened with clara's and leo's credentials on the roll, clara voted and the
    election closed, THEN each trustee's partial decryption is awaited; once karl has
    decrypted, his line says so; once ivan has too the result is out and olga's was not
    needed."""
    rite.register(execute, {"clara": rite.credential(3), "leo": rite.credential(2)})
    keys = rite.ceremony(current_state, execute, manifest)
    execute(
        c.CastSecretBallot(
            "clara", manifest, rite.ballot(current_state(), manifest, rite.credential(3), ["leo"])
        )
    )
    clock.advance(hours=3)
    execute(c.CloseElection("vera", manifest))
    assert current_state().secret[manifest].phase == "decrypting"
    awaited = (
        "key ceremony finished; a partial decryption of the tally "
        "(smolny trustee decrypt) is awaited."
    )
    assert set(trustees(manifest).values()) == {awaited}
    assert "2 of the 3 trustees must now upload a partial decryption" in stage(manifest)
    execute(
        c.UploadTrusteeDocument(
            "karl", manifest, rite.decryption(current_state(), manifest, keys[1])
        )
    )
    lines = trustees(manifest)
    assert lines[1] == "key ceremony finished; decrypted the tally."
    assert lines[2] == lines[3] == awaited
    execute(
        c.UploadTrusteeDocument(
            "ivan", manifest, rite.decryption(current_state(), manifest, keys[2])
        )
    )
    assert current_state().secret[manifest].phase == "decided"
    lines = trustees(manifest)
    assert lines[2] == "key ceremony finished; decrypted the tally."
    assert lines[3] == "key ceremony finished; this decryption was not needed."
    assert "the result is decrypted" in stage(manifest)
