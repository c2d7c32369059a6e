"""A motion's effect is read in words: every parameter and the witness effects have them."""

from __future__ import annotations

from dataclasses import fields

import harbour
import pytest
from django.test import Client

from smolny.constitution.params import Params
from smolny.pages.effects import PARAMETERS, describe


def test_every_parameter_of_the_federation_has_words() -> None:
    missing = [f.name for f in fields(Params) if f.name not in PARAMETERS]
    assert missing == []


def test_a_quorum_change_reads_as_a_sentence() -> None:
    text = describe({"kind": "amend_params", "changes": {"witness_quorum": 2}}, "Congress")
    assert "cosignatures a checkpoint of the record needs to be final becomes 2" in text
    assert "witness_quorum" not in text


def test_admitting_and_removing_a_witness_read_as_sentences() -> None:
    admit = describe({"kind": "admit_witness", "name": "mirror.example.org", "key": "k"}, "C")
    assert admit.startswith("mirror.example.org becomes a witness of the federation's record")
    remove = describe({"kind": "remove_witness", "name": "mirror.example.org"}, "C")
    assert remove.startswith("mirror.example.org stops being a witness")


@pytest.mark.django_db(transaction=True)
def test_the_federation_page_names_each_parameter_in_words() -> None:
    harbour.seed()
    html = Client().get("/federation").content.decode()
    assert "The share of a constituency whose signatures open a recall ballot" in html
    assert "<code>recall_share</code>" in html
