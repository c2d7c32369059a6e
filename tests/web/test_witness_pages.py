"""The federation page shows the record's witnesses and quorum, and its forms file the
congress's motions about them through the generic action view (real URLs, real database).

Personas as in tests/harbour.py, with the congress added: rosa and ivan are the district's
delegates to it; clara is a docker, not a delegate to the congress.
"""

from __future__ import annotations

import harbour
import pytest
from django.test import Client
from harbour import client_for

from smolny.readmodels.models import FederationRow, MotionRow
from smolny.record.note import SIG_COSIGNATURE_V1, SignerKey
from smolny.store.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)

MIRROR = SignerKey("mirror.harbour", SIG_COSIGNATURE_V1, bytes([7]) * 32).verifier().encode()


@pytest.fixture
def federation() -> None:
    """Harbour with a congress (the district elects rosa and ivan to it)."""
    harbour.seed()
    harbour.with_congress()


def admit_form(key: str) -> dict[str, str]:
    return {
        "council": "C1",
        "effect.kind": "admit_witness",
        "effect.key": key,
        "title": "Admit the harbour mirror",
        "text": "The dockers' union runs it.",
        "next": "/federation",
    }


def test_a_congress_delegate_proposes_a_witness_with_the_pages_form(federation: None) -> None:
    page = client_for("rosa").get("/federation").content.decode()
    assert 'name="effect.kind" value="admit_witness"' in page
    response = client_for("rosa").post("/act/file_motion", admit_form(MIRROR), follow=True)
    assert response.status_code == 200
    motion = MotionRow.objects.get(title="Admit the harbour mirror")
    assert motion.effect == {"kind": "admit_witness", "name": "mirror.harbour", "key": MIRROR}
    assert "It is in the record as" in response.content.decode()


def test_a_member_who_is_not_a_congress_delegate_is_refused_and_nothing_is_recorded(
    federation: None,
) -> None:
    before = Entry.objects.count()
    response = client_for("clara").post("/act/file_motion", admit_form(MIRROR))
    assert response.status_code == 403
    assert Entry.objects.count() == before


def test_a_bad_key_is_refused_with_a_reason_and_nothing_is_recorded(federation: None) -> None:
    before = Entry.objects.count()
    response = client_for("rosa").post("/act/file_motion", admit_form("mirror.harbour+12"))
    assert response.status_code == 422
    assert "witness-key.pub" in response.content.decode()
    assert Entry.objects.count() == before


def test_the_federation_page_lists_the_witnesses_and_the_quorum(federation: None) -> None:
    page = Client().get("/federation").content.decode()
    assert "The congress has admitted no witness yet." in page
    assert "every signed checkpoint is final" in page
    motion = harbour.carry({"kind": "admit_witness", "key": MIRROR})
    harbour.carry({"kind": "amend_params", "changes": {"witness_quorum": 1}})
    assert FederationRow.objects.get().witnesses[0]["name"] == "mirror.harbour"
    page = Client().get("/federation").content.decode()
    assert "mirror.harbour" in page and MIRROR in page
    assert f"motion {motion}" in page
    assert "once 1 of the witnesses below has cosigned it" in page
    assert "0 cosignatures of the 1 the federation requires" in page
    assert "No checkpoint is final yet." in page
    # The quorum form files an amendment of the parameter, as any amendment.
    response = client_for("ivan").post(
        "/act/file_motion",
        {
            "council": "C1",
            "effect.kind": "amend_params",
            "effect.changes.witness_quorum": "0",
            "title": "No quorum",
            "text": "Back to none.",
        },
    )
    assert response.status_code == 302
    assert MotionRow.objects.get(title="No quorum").effect == {
        "kind": "amend_params",
        "changes": {"witness_quorum": 0},
    }
