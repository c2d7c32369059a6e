"""A void secret ballot through its pages and the action view (Django's test client, real
database, the real store).

GIVEN the Harbour federation (tests/harbour.py: voting lasts 2 hours, a recall ballot 2 hours)
and secret ballots of the Dockers (C3: rosa, karl, clara, leo, nadia, vera) whose trustees are
karl (1), ivan (2) and olga (3), threshold 2 (tests/secret/rite.py), WHEN a ballot cannot be
decided and a docker closes it from its page, THEN the election, motion or recall page and the
booth say that it is void, why, and what follows; a teacher (ivan) pressing the same button is
refused with nothing recorded.
"""

from __future__ import annotations

import html
import json
import re

import harbour
import pytest
from django.test import Client
from django.utils.html import strip_tags
from harbour import client_for

from smolny.ballot import parse_manifest, trustee_commit, trustee_init
from smolny.constitution import commands as c
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, execute
from tests.secret import rite

pytestmark = pytest.mark.django_db(transaction=True)


def text(page: str) -> str:
    return " ".join(html.unescape(strip_tags(re.sub(r"<(td|th)\b", r" <\1", page))).split())


def read(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return text(response.content.decode())


def close(who: str, command: str, field: str, subject: str, page: str) -> tuple[int, str]:
    response = client_for(who).post(f"/act/{command}", {field: subject, "next": page})
    return response.status_code, text(response.content.decode())


def seqs() -> list[int]:
    return list(Entry.objects.order_by("seq").values_list("seq", flat=True))


def refused_then_closed(command: str, field: str, subject: str, page: str) -> None:
    """ivan, a teacher, is refused (nothing recorded); rosa, a docker, closes it as void."""
    before = seqs()
    status, said = close("ivan", command, field, subject, page)
    assert status == 403 and "Only the members of Dockers can close this ballot as void" in said
    assert seqs() == before
    status, _ = close("rosa", command, field, subject, page)
    assert status == 302
    assert Entry.objects.order_by("-seq").first().type == "secret_ballot_void"


def test_a_void_election_says_why_on_its_page_and_in_the_booth() -> None:
    """GIVEN karl and olga uploaded their identities and ivan nothing by the time voting was
    to close, THEN the election is void: nobody elected, Ivan named, a new election callable."""
    harbour.seed()
    election = rite.stalled_election(execute, current_state, "executive", "approval")
    refused_then_closed("close_election", "election", election, f"/elections/{election}")
    page = read(f"/elections/{election}")
    assert "This ballot is void, closed with no result:" in page
    assert "Ivan (trustee 2), who had not uploaded the identity document" in page
    assert "Karl (trustee 1), who" not in page  # he had done his part
    assert "nobody was elected, and a new election for the same seats can be called" in page
    assert "Result: void" in page and "Stage: void" in page
    booth = read(f"/booth/{election}")
    assert "Void This ballot is void, closed with no result:" in booth
    assert "Ivan: had not uploaded the identity document when the ballot was closed as void" in (
        booth
    )
    assert "Karl: nothing more to do: the ballot is void" in booth
    assert "Make my credential" not in booth
    # The seats are vacant again: the council's voters call a new election.
    execute(c.CallElection("clara", "C3", "office", "executive", "approval"))
    entry = read(f"/record/entries/{seqs()[-2]}")
    assert "void" in entry
    health = read("/health")
    assert "closed as void (trustees who never finished the key ceremony or the decryption) 1" in (
        health
    )
    closed = [e for e in current_state().elections.values() if e.result is not None]
    assert f"of {len(closed) - 1} (" in health.split("Elections with no contest")[1][:80]


def test_a_void_motion_and_a_void_recall_say_so_on_their_pages() -> None:
    """GIVEN a secret motion and a secret recall whose trustees never began the ceremony,
    THEN once voting was to close each is void: the motion neither carried nor lost, the
    recall failed with the mandate standing and a new recall open to sign."""
    harbour.seed()
    motion = rite.secret_motion(execute, current_state)
    state = current_state()
    (mandate,) = [
        m.id for m in state.mandates.values() if m.holder == "rosa" and m.active and m.body == "C2"
    ]
    (opened,) = execute(
        c.OpenRecall("karl", mandate, "Broke the mandate.", "secret", rite.TRUSTEES, 2)
    )[:1]
    recall = json.loads(bytes(opened.body))["data"]["id"]
    execute(c.SignRecall("clara", recall))
    execute(c.PublishManifest("vera", recall))
    manifest = parse_manifest(current_state().secret[recall].manifest)
    key, identity = trustee_init(manifest, 1)
    execute(c.UploadTrusteeDocument("karl", recall, identity))
    clock.advance(hours=2)
    refused_then_closed("close_vote", "motion", motion, f"/motions/{motion}")
    page = read(f"/motions/{motion}")
    assert "status: void" in page and "Result: void" in page
    assert "neither carried nor lost" in page
    assert "Karl (trustee 1), who had not uploaded the identity document" in page
    refused_then_closed("close_recall", "recall", recall, f"/recalls/{recall}")
    page = read(f"/recalls/{recall}")
    assert "status: failed" in page and "the mandate stands" in page
    assert "Ivan (trustee 2), who had not uploaded the identity document" in page
    assert "Karl (trustee 1)" not in page  # his identity was in; the round waited for the others
    assert current_state().mandates[mandate].active
    assert trustee_commit(manifest, key)  # karl could have gone on, had the others come
    execute(c.OpenRecall("clara", mandate, "Still broke the mandate."))
    assert current_state().recalls[f"R{current_state().counters['R']}"].status == "petition"
