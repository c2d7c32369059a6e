"""Group commit: concurrent actions share one transaction, and a refusal harms no other.

GIVEN many threads executing commands at once, WHEN their commands are decided in one group
(the test holds the commit lock so that they queue up behind a first leader), THEN each valid
command gets its own entries, each refused one gets its DomainError and writes nothing, the
group is one checkpoint, and the record still verifies and equals a replay.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connections

from smolny.constitution import DomainError, Event, replay
from smolny.constitution import commands as c
from smolny.readmodels.replay import differences
from smolny.store import service
from smolny.store.models import Checkpoint, Entry, Head

from .conftest import smolny

pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = [f"m{i}" for i in range(24)]


def seed() -> None:
    service.execute_batch(
        [
            (c.FoundFederation("f0", "Group Federation", "Congress", {}), None),
            (c.CreateCouncil("f0", "C1", "Dockers", True), None),
        ]
        + [(c.Join(m, m.upper(), "C2"), None) for m in MEMBERS]
    )


def run_all(commands: list[Any]) -> list[Any]:
    """Execute every command in its own thread while the commit lock is held, then release."""
    results: list[Any] = [None] * len(commands)

    def worker(n: int, command: Any) -> None:
        try:
            if isinstance(command, list):
                results[n] = service.execute_batch([(x, None) for x in command])
            else:
                results[n] = service.execute(command)
        except DomainError as error:
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n, x)) for n, x in enumerate(commands)]
    with service._local:  # the first leader waits here; everyone else queues behind it
        for thread in threads:
            thread.start()
        queue = service._queue("default")
        deadline = time.monotonic() + 30
        while len(queue.pending) < len(commands) - 1 and time.monotonic() < deadline:
            time.sleep(0.01)
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_actions_are_committed_together_and_refusals_alone_fail() -> None:
    seed()
    before = Checkpoint.objects.count()
    commands: list[Any] = []
    for n, member in enumerate(MEMBERS):
        commands.append(c.FileDocument(member, "C2", f"Report {n}", "All well."))
        if n % 4 == 0:
            commands.append(c.FileDocument("outsider", "C2", "Forged", "Not a member."))
    results = run_all(commands)
    refused = [r for r in results if isinstance(r, DomainError)]
    accepted = [r for r in results if isinstance(r, list)]
    assert len(refused) == len(MEMBERS) // 4
    assert len(accepted) == len(MEMBERS)
    seqs = sorted(entry.seq for entries in accepted for entry in entries)
    assert seqs == list(range(seqs[0], seqs[0] + len(MEMBERS)))
    assert Entry.objects.filter(type="document_filed").count() == len(MEMBERS)
    assert not Entry.objects.filter(actor="outsider").exists()
    # One leader alone, then everyone who queued behind it in one group: two commits.
    assert Checkpoint.objects.count() - before <= 2
    assert Head.objects.get().size == Entry.objects.count()
    assert differences(replay(service.entries())) == []
    code, out = smolny("verify")
    assert code == 0, out


def test_an_all_or_nothing_batch_is_committed_alone() -> None:
    seed()
    size = Head.objects.get().size
    batch = [
        c.FileDocument("m1", "C2", "Part one", "..."),
        c.FileDocument("outsider", "C2", "Part two", "..."),
    ]
    results = run_all([c.FileDocument("m2", "C2", "Alone", "..."), batch, c.Leave("m3")])
    assert isinstance(results[1], DomainError)
    assert isinstance(results[0], list) and isinstance(results[2], list)
    titles = [bytes(e.body) for e in Entry.objects.filter(seq__gte=size)]
    assert not any(b"Part one" in body for body in titles)
    assert Head.objects.get().size == size + 2
    code, out = smolny("verify")
    assert code == 0, out


def test_an_entry_too_large_to_serve_is_refused_and_nothing_written() -> None:
    """C2SP bundles frame entries with 16 bits: a text the record could not serve is refused
    before anything is written (by the constitution's cap on recorded text size, and behind it
    by the store's own check of every entry), and the record still verifies."""
    seed()
    size = Head.objects.get().size
    with pytest.raises(DomainError) as refused:
        service.execute(c.FileDocument("m1", "C2", "Minutes", "x" * 70_000))
    assert refused.value.code == "text_too_long"
    assert Head.objects.get().size == size == Entry.objects.count()
    # The store's guard refuses an event that would slip past the rules.
    big = Event("document_filed", "m1", "2026-01-01T00:00:00.000000Z", {"text": "x" * 70_000})
    with pytest.raises(DomainError) as guarded:
        service._body_of(big)
    assert guarded.value.code == "entry_too_large"
    service.execute(c.FileDocument("m1", "C2", "Minutes", "x" * 12_000))
    code, out = smolny("verify")
    assert code == 0, out
