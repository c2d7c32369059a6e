"""The verifier reads each entry as an event only if its bytes are that event's canonical form.

GIVEN a short record (a federation founded, a council created), WHEN one entry's bytes are
valid JSON but not canonical (a space), or are the canonical encoding of an object holding a
field no event has, THEN the replay names that entry; untouched, the record replays.
"""

from __future__ import annotations

import json

import pytest

from smolny import canonical
from smolny.constitution import commands as c
from smolny.verify import Failure, Progress, replay_and_recount
from tests.constitution.scene import PARAMS, Scene

QUIET = Progress(every=3600, stream=None)


def record() -> list[bytes]:
    s = Scene()
    s.do(c.FoundFederation("max", "Harbour Federation", "Congress", PARAMS))
    s.do(c.CreateCouncil("max", "C1", "Harbour District", False))
    return s.log_bytes()


def test_the_record_replays() -> None:
    bodies = record()
    state, _, _ = replay_and_recount(enumerate(bodies), len(bodies), QUIET)
    assert "C2" in state.councils


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        (lambda body: body.replace(b'":', b'": ', 1), "not in RFC 8785 canonical form"),
        (
            lambda body: canonical.encode({**json.loads(body), "note": "added"}),
            "its bytes are not the canonical encoding (RFC 8785) of its event",
        ),
    ],
    ids=["a space", "a field no event has"],
)
def test_an_entry_that_is_not_an_events_canonical_form_is_named(spoil: object, named: str) -> None:
    bodies = record()
    last = len(bodies) - 1
    bodies[last] = spoil(bodies[last])  # type: ignore[operator]
    with pytest.raises(Failure) as failed:
        replay_and_recount(enumerate(bodies), len(bodies), QUIET)
    assert failed.value.where == f"entry {last}"
    assert named in failed.value.reason
