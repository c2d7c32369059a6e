"""A secret ballot closed as void is re-decided by ``smolny verify`` like any other close.

GIVEN Harbour, where the Dockers called a secret election of their secretary whose trustees
karl (1) and olga (3) uploaded their identities and ivan (2) nothing by the time voting was to
close, and rosa closed it as void, WHEN an operator holding the federation's key rewrites the
void entry (blaming karl instead of ivan, or calling the ceremony failed) and re-signs the
whole history, THEN ``smolny verify`` re-decides the close from the record and names the entry
and the field; untouched, the record verifies with the void among the results recounted.
"""

from __future__ import annotations

import json

import pytest

from smolny.constitution import commands as c
from smolny.store.models import Entry
from smolny.store.service import current_state, execute
from tests.secret import rite

from .conftest import rewrite_history, smolny

pytestmark = pytest.mark.usefixtures("harbour")


def void_election() -> Entry:
    election = rite.stalled_election(execute, current_state, "secretary", "plurality")
    (entry,) = execute(c.CloseElection("rosa", election))
    assert entry.type == "secret_ballot_void"
    return entry


def test_a_void_ballot_is_recounted_and_verifies() -> None:
    entry = void_election()
    missing = json.loads(bytes(entry.body))["data"]["missing"]
    assert missing == [{"member": "ivan", "steps": ["identity"], "trustee": 2}]
    code, out = smolny("verify")
    assert code == 0, out
    # Harbour's two delegate elections, and the void.
    assert "3 published result(s) recounted" in out, out


@pytest.mark.parametrize(
    ("forge", "field"),
    [
        ({"missing": [{"member": "karl", "steps": ["identity"], "trustee": 1}]}, "missing"),
        ({"reason": "ceremony_failed", "deadline": None}, "deadline"),
    ],
    ids=["blames a trustee who did her part", "claims a failed ceremony"],
)
def test_a_forged_void_is_named_by_its_recount(forge: dict[str, object], field: str) -> None:
    entry = void_election()
    event = json.loads(bytes(entry.body))
    event["data"].update(forge)
    rewrite_history(entry.seq, event)
    code, out = smolny("verify")
    assert code != 0
    assert f"entry {entry.seq}" in out and "secret_ballot_void" in out and field in out, out
