"""``smolny verify`` does again the act that carried a recall, from the state before it.

GIVEN a base council of one member, pia, who holds its mandate, WHEN she opens a recall of it,
THEN her own signature is a majority of the constituency and the recall carries as it opens,
with no close; the verifier rebuilds the ``OpenRecall`` command from its entries (open or
secret), decides it again and accepts the record; a count, or a different end of the mandate,
forged in that command is named at its entry.  (The vote and the signature that carry a
recall are forged and named through a real database in tests/recordapp/test_recount.py.)
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from smolny.constitution import Event
from smolny.constitution import commands as c
from smolny.verify import Failure, Progress, replay_and_recount
from tests.constitution.scene import PARAMS, Scene
from tests.secret import rite


def pia_recalls_herself(ballot_mode: str) -> Scene:
    s = Scene()
    s.do(c.FoundFederation("max", "Pilots' Federation", "Congress", PARAMS))
    s.do(c.CreateCouncil("max", "C1", "Harbour District", False))
    s.do(c.CreateCouncil("max", "C2", "Pilots", True))
    s.do(c.CreateCouncil("max", "C2", "Teachers", True))
    s.do(c.Join("pia", "Pia", "C3"))
    for trustee in rite.TRUSTEES:
        s.do(c.Join(trustee, trustee.title(), "C4"))
    s.do(c.Reapportion("max", "C2"))
    s.do(c.Reapportion("max", "C1"))
    s.do(c.CloseFounding("max"))
    s.elect("C3", "delegate", ["pia"])
    mandate = s.latest("M")
    secret = (rite.TRUSTEES, 2) if ballot_mode == "secret" else ((), 0)
    events = s.do(c.OpenRecall("pia", mandate, "  I was elected alone.  ", ballot_mode, *secret))
    assert [e.type for e in events if e.type.startswith("recall")] == [
        "recall_opened",
        "recall_carried",
    ]
    return s


def replay(log: list[Event]) -> int:
    """The number of results recounted; raises Failure naming the entry."""
    _, recounted, skipped = replay_and_recount(
        enumerate(e.encode() for e in log), len(log), Progress(every=3600, stream=None)
    )
    assert skipped == 0
    return recounted


@pytest.mark.parametrize("ballot_mode", ["open", "secret"])
def test_a_recall_carried_as_it_opens_is_done_again_and_verifies(ballot_mode: str) -> None:
    s = pia_recalls_herself(ballot_mode)
    # pia's election, and her recall.
    assert replay(s.log) == 2


@pytest.mark.parametrize(
    ("event_type", "forge", "named"),
    [
        ("recall_carried", {"yes": 2, "constituency": 3}, "the published constituency is 3"),
        ("mandate_ended", {"reason": "resigned"}, "the published reason is 'resigned'"),
    ],
)
@pytest.mark.parametrize("ballot_mode", ["open", "secret"])
def test_a_forgery_in_the_opening_command_is_named(
    ballot_mode: str, event_type: str, forge: dict[str, object], named: str
) -> None:
    s = pia_recalls_herself(ballot_mode)
    (at,) = [i for i, e in enumerate(s.log) if e.type == event_type and i > len(s.log) - 6]
    log = list(s.log)
    log[at] = replace(log[at], data={**log[at].data, **forge})
    with pytest.raises(Failure) as failed:
        replay(log)
    assert failed.value.where == f"entry {at}"
    assert event_type in failed.value.reason and named in failed.value.reason
