"""Executing a command: decide against the current state, append, project — one transaction.

The state is kept in memory per database and caught up from the entries at the start of every
command, under the lock of the ``Head`` row (SQLite's write lock is taken by the IMMEDIATE
transaction; PostgreSQL's by SELECT ... FOR UPDATE), so several server processes can share one
database and each still decides against the latest record.  The cached state is checked against
the bytes of the last entry it folded, so a rolled-back or foreign history is never mistaken
for its own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from smolny.constitution import Command, Event, State, apply, decide
from smolny.constitution.scope import councils_of
from smolny.readmodels.projections import project

from . import clock
from .models import Entry, Head


@dataclass
class _Cached:
    state: State
    last: bytes | None


_cache: dict[str, _Cached] = {}
_local = threading.Lock()


def _load(using: str, size: int) -> State:
    cached = _cache.get(using)
    if cached is not None and cached.state.seq <= size:
        seq = cached.state.seq
        if seq == 0 or _body(using, seq - 1) == cached.last:
            if seq < size:
                last = cached.last
                for entry in Entry.objects.using(using).filter(seq__gte=seq).order_by("seq"):
                    apply(cached.state, Event.decode(bytes(entry.body)))
                    last = bytes(entry.body)
                cached.last = last
                cached.state.dirty.clear()
            return cached.state
    state = State()
    last: bytes | None = None
    for entry in Entry.objects.using(using).order_by("seq").iterator(chunk_size=2000):
        last = bytes(entry.body)
        apply(state, Event.decode(last))
    state.dirty.clear()
    _cache[using] = _Cached(state, last)
    return state


def _scope(state: State, event: Event) -> str:
    councils = councils_of(state, event)
    return f" {' '.join(councils)} " if councils else ""


def _body(using: str, seq: int) -> bytes | None:
    row = Entry.objects.using(using).filter(seq=seq).values_list("body", flat=True).first()
    return bytes(row) if row is not None else None


def forget(using: str = "default") -> None:
    """Drop the cached state (after a restore, or when tests swap databases)."""
    _cache.pop(using, None)


def current_state(using: str = "default") -> State:
    """The state as of the last committed entry (read-only use: do not mutate)."""
    with _local, transaction.atomic(using=using):
        head = Head.objects.using(using).filter(id=1).first()
        return _load(using, head.size if head else 0)


def execute(command: Command, *, using: str = "default") -> list[Entry]:
    """Decide ``command`` now; append its events and update the read models, or raise
    ``DomainError`` having written nothing."""
    return execute_batch([(command, None)], using=using)


def execute_batch(
    items: Sequence[tuple[Command, datetime | None]], *, using: str = "default"
) -> list[Entry]:
    """Decide and append several commands in one transaction (all or nothing).

    Each command is decided against the state its predecessors left, at its own time (or the
    clock's).  Used to seed a federation with its history and to group concurrent actions
    into one commit.
    """
    with _local:
        folded = False
        try:
            with transaction.atomic(using=using, durable=True):
                head, _ = Head.objects.using(using).select_for_update().get_or_create(id=1)
                state = _load(using, head.size)
                state.dirty.clear()
                entries: list[Entry] = []
                for command, at in items:
                    events = decide(state, command, at if at is not None else clock.now())
                    folded = True
                    for event in events:
                        entries.append(
                            Entry(
                                seq=head.size + len(entries),
                                type=event.type,
                                actor=event.actor,
                                at=event.at,
                                body=event.encode(),
                                scope=_scope(state, event),
                            )
                        )
                        apply(state, event)
                Entry.objects.using(using).bulk_create(entries, batch_size=1000)
                project(state, set(state.dirty), using)
                state.dirty.clear()
                head.size += len(entries)
                head.save(using=using, update_fields=["size"])
                if entries:
                    _cache[using].last = bytes(entries[-1].body)
        except BaseException:
            # Once events are folded into the cached state, a failure to commit them makes
            # that state a lie: drop it and rebuild from the record next time.  (A refused
            # command raises in decide, before anything of it is folded.)
            if folded:
                forget(using)
            raise
    return entries


def entries(using: str = "default", start: int = 0) -> list[Event]:
    return [
        Event.decode(bytes(e.body))
        for e in Entry.objects.using(using).filter(seq__gte=start).order_by("seq")
    ]
