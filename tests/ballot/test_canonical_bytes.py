"""Our fast canonical encoder gives exactly smolny.canonical's RFC 8785 bytes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smolny import canonical
from smolny.ballot.ballots import (
    _signed_canonical,
    _unsigned_bytes,
    encrypt_ballot,
    tracker,
    verify_ballot,
)
from smolny.ballot.election import Election, canonical_bytes

from .conftest import CHOICES, credential

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_it_agrees_with_rfc8785_on_any_json_value(value: Any) -> None:
    assert canonical_bytes(value) == canonical.encode(value)


def test_it_agrees_on_real_ballots(election: Election) -> None:
    for who in CHOICES:
        cast = encrypt_ballot(election, credential(who), 1, CHOICES[who])
        assert canonical_bytes(cast.ballot) == canonical.encode(cast.ballot)
        assert canonical_bytes(cast.audit_document()) == canonical.encode(cast.audit_document())


def test_a_ballot_is_encoded_once_and_its_signature_put_in(election: Election) -> None:
    """encrypt_ballot and verify_ballot encode the unsigned ballot with json.dumps alone and
    insert the signature for the tracker: both are RFC 8785."""
    for who in CHOICES:
        cast = encrypt_ballot(election, credential(who), 2**53 - 1, CHOICES[who])
        unsigned = _unsigned_bytes(cast.ballot)
        body = {k: v for k, v in cast.ballot.items() if k != "signature"}
        assert unsigned == canonical.encode(body)
        assert _signed_canonical(unsigned, cast.ballot) == canonical.encode(cast.ballot)
        assert cast.tracker == tracker(cast.ballot) == verify_ballot(election, cast.ballot).tracker


def test_a_version_that_is_true_takes_the_general_way(election: Election) -> None:
    ballot = dict(encrypt_ballot(election, credential("emil"), 1, CHOICES["emil"]).ballot)
    ballot["version"] = True
    body = {k: v for k, v in ballot.items() if k != "signature"}
    assert _unsigned_bytes(ballot) == canonical.encode(body)
    assert _signed_canonical(_unsigned_bytes(ballot), ballot) == canonical.encode(ballot)


def test_it_agrees_on_the_election_document(election: Election) -> None:
    assert canonical_bytes(election.to_json()) == canonical.encode(election.to_json())


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(min_value=2**53))
def test_floats_and_big_integers_are_refused_as_rfc8785_refuses_them(number: Any) -> None:
    with pytest.raises(canonical.NonCanonicalValue):
        canonical_bytes({"seq": number, "voter": "ab"})
