"""The event store and the read models, against the real database (SQLite or PostgreSQL).

GIVEN commands executed through the store, THEN entries hold the events' canonical bytes in
order, the read models equal a replay of the record, a refused command leaves every table
byte-for-byte as it was, and ``smolny replay`` names a row edited behind the app's back.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps

from smolny import cli
from smolny.constitution import DomainError, Event, replay, snapshot
from smolny.constitution import commands as c
from smolny.readmodels.models import BallotRow, MemberRow, MotionRow, VoteRow
from smolny.readmodels.replay import differences
from smolny.store import service
from smolny.store.models import Checkpoint, Cosignature, Entry, Head, Node

pytestmark = pytest.mark.django_db(transaction=True)


def seed() -> None:
    service.execute(
        c.FoundFederation("max", "Harbour Federation", "Congress", {"members_per_delegate": 2})
    )
    service.execute(c.CreateCouncil("max", "C1", "Dockers", True))
    for name in ("rosa", "karl", "clara"):
        service.execute(c.Join(name, name.title(), "C2"))
    service.execute(c.FileMotion("karl", "C2", "Strike fund", "One hour's pay a month."))


def dump() -> dict[str, Any]:
    """Every row of every table the record feeds, as plain values."""
    out: dict[str, Any] = {}
    for label in ("store", "readmodels"):
        for model in apps.get_app_config(label).get_models():
            rows = list(model.objects.order_by("pk").values())
            for row in rows:
                for key, value in row.items():
                    if isinstance(value, memoryview | bytes):
                        row[key] = bytes(value).hex()
            out[model.__name__] = json.dumps(rows, sort_keys=True, default=str)
    return out


def test_entries_are_the_events_canonical_bytes_in_order() -> None:
    seed()
    entries = list(Entry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(len(entries)))
    assert Head.objects.get().size == len(entries)
    events = [Event.decode(bytes(e.body)) for e in entries]
    assert [e.encode() for e in events] == [bytes(e.body) for e in entries]
    assert [e.type for e in events][:3] == [
        "federation_founded",
        "council_created",
        "council_created",
    ]
    assert entries[-1].scope == " C2 "


def test_read_models_equal_a_replay_of_the_record() -> None:
    seed()
    state = replay(service.entries())
    assert differences(state) == []
    assert snapshot(state) == snapshot(service.current_state())


@pytest.mark.parametrize(
    "command",
    [
        c.Join("rosa", "Rosa again", "C2"),  # already a member
        c.CoSponsor("outsider", "MO1"),  # not a member at all
        c.CreateCouncil("karl", "C1", "Karl's own council", True),  # not the founder
        c.CastVote("rosa", "MO1", "yes"),  # not on the agenda
    ],
)
def test_a_refused_command_leaves_every_table_unchanged(command: c.Command) -> None:
    seed()
    before = dump()
    with pytest.raises(DomainError):
        service.execute(command)
    assert dump() == before


def test_a_refused_batch_writes_none_of_its_commands() -> None:
    seed()
    before = dump()
    with pytest.raises(DomainError):
        service.execute_batch(
            [(c.Join("ann", "Ann", "C2"), None), (c.Join("ann", "Ann", "C2"), None)]
        )
    assert dump() == before
    # ... and the next command is decided against the committed state, not the folded one.
    service.execute(c.Join("ann", "Ann", "C2"))
    assert MemberRow.objects.get(key="ann").active
    assert MotionRow.objects.get(key="MO1").sponsors == ["karl"]


def test_the_cached_state_is_not_trusted_across_a_foreign_history() -> None:
    seed()
    state = service.current_state()
    size = state.seq
    # Someone replaces the record with another of the same length behind the app's back.
    Entry.objects.all().delete()
    Head.objects.all().delete()
    Cosignature.objects.all().delete()
    Checkpoint.objects.all().delete()
    Node.objects.all().delete()
    MemberRow.objects.all().delete()
    service.execute(c.FoundFederation("ann", "Other Federation", "Congress", {}))
    assert service.current_state().name == "Other Federation"
    assert service.current_state().seq < size


def test_smolny_replay_reports_equality(capsys: pytest.CaptureFixture[str]) -> None:
    seed()
    assert cli.main(["replay"]) == 0
    assert "every read model equals the record" in capsys.readouterr().out


def test_smolny_replay_names_a_row_edited_behind_the_apps_back(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed()
    MemberRow.objects.filter(key="karl").update(name="Karl the Deserter")
    assert cli.main(["replay"]) == 1
    out = capsys.readouterr().out
    assert (
        "MemberRow karl: name is 'Karl the Deserter' in the table but 'Karl' in the record" in out
    )
    # Rebuilding rewrites the read models from the record.
    assert cli.main(["replay", "--rebuild"]) == 0
    assert MemberRow.objects.get(key="karl").name == "Karl"
    assert cli.main(["replay"]) == 0


def test_smolny_replay_names_a_deleted_and_an_invented_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed()
    MemberRow.objects.filter(key="clara").delete()
    MemberRow.objects.create(
        key="ghost",
        name="Ghost",
        council="C2",
        active=True,
        joined_at="2026-01-01T00:00:00.000000Z",
    )
    assert cli.main(["replay"]) == 1
    out = capsys.readouterr().out
    assert "MemberRow clara: missing from the table" in out
    assert "MemberRow ghost: in the table but not in the record" in out


def test_smolny_export_writes_every_entry_as_a_json_line(tmp_path: Any) -> None:
    seed()
    target = tmp_path / "record.jsonl"
    assert cli.main(["export", str(target)]) == 0
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["seq"] for line in lines] == list(range(Entry.objects.count()))
    assert lines[0]["entry"].encode() == bytes(Entry.objects.get(seq=0).body)


def test_a_vote_rewrites_its_voters_row_and_no_other_row_of_the_roll() -> None:
    """A congress votes one by one: each vote (and each change of vote) writes the voter's own
    row; the rows of everyone who voted before keep their identity, so a vote's cost does not
    grow with the roll (the whole roll was rewritten at every vote)."""
    import harbour

    harbour.seed()
    entries = service.execute(c.FileMotion("rosa", "C3", "Strike fund", "An hour's pay."))
    motion = json.loads(bytes(entries[0].body))["data"]["id"]
    for sponsor in harbour.DOCKERS[1:]:
        try:
            service.execute(c.CoSponsor(sponsor, motion))
        except DomainError:
            break  # on the agenda already
    harbour.clock.advance(hours=1)
    ids: dict[str, int] = {}
    for voter in harbour.DOCKERS:
        service.execute(c.CastVote(voter, motion, "yes"))
        rows = {r.member: r.id for r in VoteRow.objects.filter(owner=motion)}
        assert {m: rows[m] for m in ids} == ids  # nobody else's row was touched
        ids[voter] = rows[voter]
    service.execute(c.CastVote(harbour.DOCKERS[0], motion, "no"))
    rows = {r.member: (r.id, r.choice) for r in VoteRow.objects.filter(owner=motion)}
    assert rows[harbour.DOCKERS[0]][1] == "no"
    assert all(rows[m][0] == ids[m] for m in harbour.DOCKERS[1:])
    assert differences(service.current_state()) == []


def test_a_ballot_rewrites_its_voters_row_and_no_other() -> None:
    import harbour

    harbour.seed()
    entries = service.execute(c.CallElection("rosa", "C3", "office", "secretary"))
    election = next(json.loads(bytes(e.body)) for e in entries if e.type == "election_called")
    election_id = election["data"]["id"]
    service.execute(c.Nominate("rosa", election_id, "rosa"))
    harbour.clock.advance(hours=1)
    ids: dict[str, int] = {}
    for voter in harbour.DOCKERS:
        service.execute(c.CastBallot(voter, election_id, ("rosa",)))
        rows = {r.member: r.id for r in BallotRow.objects.filter(owner=election_id)}
        assert {m: rows[m] for m in ids} == ids
        ids[voter] = rows[voter]
    assert differences(service.current_state()) == []
