"""Secession: a council's own voters take it, and its subtree, out of the federation; the
federation's record says so, and the departing council leaves with a record of its own whose
first entry checks against the federation's record at that moment."""

from __future__ import annotations

from pathlib import Path

import pytest
from constitution.scene import with_congress

from smolny.cli import main
from smolny.constitution import DomainError
from smolny.constitution import commands as c
from smolny.secession import build, check_continuation
from smolny.store import clock
from smolny.store.models import Checkpoint, Entry
from smolny.store.service import current_state, execute

from .scene import federation
from .seeded import seed, unchanged


def test_the_dockers_secede_and_their_seats_above_are_refilled() -> None:
    s = with_congress(federation())
    events = s.pass_motion("C3", {"kind": "secede"})
    types = s.types(events)
    assert types[-1] == "council_seceded"
    assert events[-1].data["councils"] == ["C3"]
    gone = ("rosa", "karl", "clara", "leo", "nadia", "vera")
    assert all(s.state.members[p].history[-1][0] == "seceded" for p in gone)
    assert s.state.councils["C3"].seceded and not s.state.members["rosa"].active
    # rosa's seat in the congress was the district's (which stays): a by-election is called
    # there; the Dockers' own seats in the district go with them.
    called = [e.data for e in events if e.type == "election_called"]
    assert [(e["council"], e["kind"]) for e in called] == [("C2", "delegate")]
    s.refused(c.FileMotion("karl", "C3", "Back", "Text."), "no_such_council")
    assert s.replayed().councils["C3"].seceded


def test_the_congress_cannot_secede_and_a_member_outside_cannot_move_it() -> None:
    s = with_congress(federation())
    s.refused(
        c.FileMotion("rosa", "C1", "Leave", "Text.", {"kind": "secede"}), "congress_cannot_secede"
    )
    s.refused(c.FileMotion("ivan", "C3", "Leave", "Text.", {"kind": "secede"}), "not_a_voter")


def test_the_new_record_continues_the_old_in_pure_form() -> None:
    s = federation()
    s.pass_motion("C3", {"kind": "secede"})
    bodies = s.log_bytes()
    entries = build(bodies, "C3", {}, "harbour")
    assert check_continuation(bodies, entries[0])["size"] == len(bodies)


pytestmark_db = pytest.mark.django_db(transaction=True)


def _secede_district() -> None:
    """The district's four delegates carry a motion with the effect ``secede``."""
    entries = execute(
        c.FileMotion("karl", "C2", "Leave the federation", "We go.", {"kind": "secede"})
    )
    motion = next(e for e in entries if e.type == "motion_filed")
    key = __import__("json").loads(bytes(motion.body))["data"]["id"]
    execute(c.CoSponsor("olga", key))
    clock.advance(hours=1)
    for voter in ("karl", "olga", "rosa", "ivan"):
        execute(c.CastVote(voter, key, "yes"))
    execute(c.CloseVote("karl", key))


@pytestmark_db
def test_a_district_secedes_and_both_records_verify(tmp_path: Path) -> None:
    seed()
    with unchanged(), pytest.raises(DomainError):
        execute(c.FileMotion("leo", "C2", "Leave", "We go.", {"kind": "secede"}))
    _secede_district()
    state = current_state()
    assert all(state.councils[k].seceded for k in ("C2", "C3", "C4"))
    assert not any(m.active for m in state.members.values())
    assert main(["verify"]) == 0
    target = tmp_path / "district"
    assert main(["secede-export", "C2", str(target)]) == 0
    assert main(["verify", str(target)]) == 0
    parent = [bytes(b) for b in Entry.objects.order_by("seq").values_list("body", flat=True)]
    first = (target / "entries.jsonl").read_text().splitlines()[0]
    genesis = __import__("json").loads(first)["entry"].encode()
    reference = check_continuation(parent, genesis)
    assert reference["size"] == len(parent)
    signed = Checkpoint.objects.filter(size=reference["size"]).first()
    assert signed is not None and reference["checkpoint"] == signed.note
