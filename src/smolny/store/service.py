"""Executing a command: decide against the current state, append, project — one transaction.

The state is kept in memory per database and caught up from the entries at the start of every
commit, under the lock of the ``Head`` row (SQLite's write lock is taken by the IMMEDIATE
transaction; PostgreSQL's by SELECT ... FOR UPDATE), so several server processes can share one
database and each still decides against the latest record.  The cached state is checked against
the bytes of the last entry it folded, so a rolled-back or foreign history is never mistaken
for its own.

**The record in the same transaction.**  Each commit appends the new entries' leaf hashes to
the Merkle tree (``store_node``, :mod:`.tree`), and signs a C2SP checkpoint of the new size with
the federation's key (:mod:`.keys`): entries, tree nodes, read models and checkpoint are
committed together or not at all, so a crash never leaves entries without nodes or the reverse.

**Group commit.**  An action is acknowledged only once its entry is on disk (SQLite
synchronous=FULL, PostgreSQL synchronous_commit=on), and a disk makes a few hundred to a few
thousand such flushes a second.  So concurrent callers queue: one of them (the *leader*) takes
every command waiting, decides them one after another against the folded state, and commits
them in one transaction — one flush for the whole group.  A refused command gets its
``DomainError`` and contributes nothing; ``decide`` never writes to the state, so a refusal
cannot disturb the commands decided after it.  A multi-command ``execute_batch`` (all or
nothing) is committed in a group of its own.  When the leader's group is committed it wakes the
callers and hands the lead to the first caller still waiting, so no caller waits for more than
its own group and the one before it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connections, transaction

from smolny.ballot.election import canonical_bytes
from smolny.constitution import Command, DomainError, Event, State, apply, decide
from smolny.constitution.scope import councils_of
from smolny.record.checkpoint import Checkpoint as SignedHead
from smolny.record.checkpoint import sign_checkpoint
from smolny.record.hashstore import append, subtree_keys
from smolny.record.merkle import hash_leaf
from smolny.record.tiles import MAX_ENTRY_SIZE

from . import clock, keys
from .models import Checkpoint, Entry, Head
from .projection import project_group
from .sql import Writes, fetch_first
from .tree import DatabaseHashStore

GROUP_LIMIT = 2000
"""Commands per group commit at most: bounds a transaction's time and memory."""

_ENTRY = Entry._meta.db_table
_HEAD = Head._meta.db_table
_CHECKPOINT = Checkpoint._meta.db_table
_ENTRY_COLUMNS = ("seq", "type", "actor", "at", "body", "scope")


@dataclass
class _Cached:
    state: State
    last: bytes | None
    frontier: dict[tuple[int, int], bytes] = field(default_factory=dict)
    """The tree's complete subtrees at ``state.seq`` (``subtree_keys``), when this process
    wrote them: the only stored hashes the next append reads, so it need not read them."""


_cache: dict[str, _Cached] = {}
_tree_checked: set[str] = set()
_local = threading.Lock()
"""Held while the cached states are read or changed (a commit, or ``current_state``)."""


def _load(using: str, size: int, last_body: bytes | None = None) -> State:
    """The state at ``size`` entries: the cached one caught up, or folded from the record.

    ``last_body`` is the body of entry ``size - 1`` when the caller has read it already.
    """
    cached = _cache.get(using)
    if cached is not None and cached.state.seq <= size:
        seq = cached.state.seq
        if seq == size and last_body is not None:
            same = last_body == cached.last
        else:
            same = seq == 0 or _body(using, seq - 1) == cached.last
        if same:
            if seq < size:
                cached.frontier = {}
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
    # Raw SQL: this runs at every commit, and the ORM's query building was most of its cost.
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT body FROM {_ENTRY} WHERE seq = %s", [seq])
        row = cursor.fetchone()
    return bytes(row[0]) if row is not None else None


def forget(using: str = "default") -> None:
    """Drop the cached state (after a restore, or when tests swap databases)."""
    _cache.pop(using, None)
    _tree_checked.discard(using)


def current_state(using: str = "default") -> State:
    """The state as of the last committed entry (read-only use: do not mutate)."""
    with _local, transaction.atomic(using=using):
        head = Head.objects.using(using).filter(id=1).first()
        return _load(using, head.size if head else 0)


def execute(command: Command, *, using: str = "default") -> list[Entry]:
    """Decide ``command`` now; append its events and update the read models, or raise
    ``DomainError`` having written nothing.  Returns once the entries are on disk."""
    return execute_batch([(command, None)], using=using)


# --- group commit ---------------------------------------------------------------------------


def _signal() -> threading.Lock:
    """A one-shot wake-up: created held; the caller waits by acquiring it, the leader wakes
    her by releasing it.  (A ``threading.Event`` is a condition variable, a lock and a flag:
    several times the cost, paid twice per action in a congress's group commits.)"""
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass
class _Request:
    items: list[tuple[Command, datetime | None]]
    done: threading.Lock = field(default_factory=_signal)
    """Released once per wait: to hand her the lead, or with her result."""
    lead: bool = False
    entries: list[Entry] | None = None
    error: BaseException | None = None


@dataclass
class _Queue:
    lock: threading.Lock = field(default_factory=threading.Lock)
    pending: list[_Request] = field(default_factory=list)
    leading: bool = False


_queues: dict[str, _Queue] = {}
_queues_lock = threading.Lock()


def _queue(using: str) -> _Queue:
    with _queues_lock:
        return _queues.setdefault(using, _Queue())


def execute_batch(
    items: Sequence[tuple[Command, datetime | None]], *, using: str = "default"
) -> list[Entry]:
    """Decide and append several commands in one transaction (all or nothing).

    Each command is decided against the state its predecessors left, at its own time (or the
    clock's).  Used to seed a federation with its history; ``execute`` calls it with one
    command, and concurrent calls are grouped into one commit (see the module docstring).
    """
    request = _Request(list(items))
    queue = _queue(using)
    with queue.lock:
        queue.pending.append(request)
        request.lead = not queue.leading
        queue.leading = True
    while True:
        if request.lead:
            _lead(queue, using)
        else:
            request.done.acquire()
        if request.error is not None:
            raise request.error
        if request.entries is not None:
            return request.entries
        # Woken without a result: the previous leader handed the lead to this caller.


def _lead(queue: _Queue, using: str) -> None:
    """Commit one group (the callers waiting now), then pass the lead on or give it up."""
    with queue.lock:
        group: list[_Request] = []
        count = 0
        for request in queue.pending:
            if group and (len(request.items) > 1 or len(group[0].items) > 1):
                break
            if count + len(request.items) > GROUP_LIMIT and group:
                break
            group.append(request)
            count += len(request.items)
        del queue.pending[: len(group)]
    try:
        _commit(group, using)
    except BaseException as error:  # the whole group failed to commit: each caller learns why
        for request in group:
            if request.error is None:
                request.entries = None
                request.error = error
    with queue.lock:
        for request in group:
            request.lead = False
            request.done.release()
        if queue.pending:
            successor = queue.pending[0]
            successor.lead = True
            successor.done.release()
        else:
            queue.leading = False


def _commit(group: list[_Request], using: str) -> None:
    """Decide every request of ``group`` and commit the accepted ones in one transaction."""
    with _local:
        folded = False
        try:
            with transaction.atomic(using=using, durable=True):
                size, last_body = _lock_head(using)
                state = _load(using, size, last_body)
                state.dirty.clear()
                store = DatabaseHashStore(using)
                if using not in _tree_checked:
                    _catch_up_tree(store, size, using)
                entries: list[Entry] = []
                accepted: list[tuple[_Request, int, int]] = []
                for request in group:
                    first = len(entries)
                    for command, at in request.items:
                        try:
                            events = decide(state, command, at if at is not None else clock.now())
                            bodies = [_body_of(event) for event in events]
                        except Exception as error:
                            if len(request.items) > 1:
                                raise  # all or nothing: nothing of the group is written
                            request.error = error
                            break
                        folded = True
                        for event, body in zip(events, bodies, strict=True):
                            # Positional arguments, in the fields' order: the ORM's fast path.
                            entries.append(
                                Entry(
                                    size + len(entries),
                                    event.type,
                                    event.actor,
                                    event.at,
                                    body,
                                    _scope(state, event),
                                )
                            )
                            apply(state, event)
                    if request.error is None:
                        accepted.append((request, first, len(entries)))
                if entries:
                    cached = _cache[using]
                    if cached.frontier:
                        store.known(cached.frontier)
                    else:
                        store.prefetch(subtree_keys(size))
                    result = append(store, size, [hash_leaf(e.body) for e in entries])
                    writes = Writes(connections[using])
                    _insert_entries(entries, writes)
                    project_group(state, set(state.dirty), using, writes)
                    store.put_many(result.nodes, writes)
                    _sign(writes, result.size, result.root, state)
                    writes.statement(f"UPDATE {_HEAD} SET size = %s WHERE id = 1", [result.size])
                    writes.flush()
                    state.dirty.clear()
                    cached.last = bytes(entries[-1].body)
                    cached.frontier = store.frontier(result)
        except BaseException:
            # Once events are folded into the cached state, a failure to commit them makes
            # that state a lie: drop it and rebuild from the record next time.  (A refused
            # command raises in decide, before anything of it is folded.)
            if folded:
                forget(using)
            raise
    for request, first, stop in accepted:
        request.entries = entries[first:stop]


def _lock_head(using: str) -> tuple[int, bytes | None]:
    """Lock the ``Head`` row (creating it in an empty database); return the record's size and
    the body of its last entry (to check the cached state against, in the same query).

    ``Head.objects.select_for_update().get_or_create(id=1)`` as one raw statement when the row
    exists, which is every commit but the first: the ORM's query building cost more than the
    query.  (SQLite has no FOR UPDATE: its IMMEDIATE transaction already holds the write lock.)
    """
    connection = connections[using]
    lock = f" FOR UPDATE OF {_HEAD}" if connection.features.has_select_for_update else ""
    row = fetch_first(
        connection,
        f"SELECT {_HEAD}.size, {_ENTRY}.body FROM {_HEAD} LEFT JOIN {_ENTRY} "
        f"ON {_ENTRY}.seq = {_HEAD}.size - 1 WHERE {_HEAD}.id = 1{lock}",
    )
    if row is not None:
        return int(row[0]), bytes(row[1]) if row[1] is not None else None
    head, _ = Head.objects.using(using).select_for_update().get_or_create(id=1)
    return head.size, None


def _body_of(event: Event) -> bytes:
    """The entry bytes of ``event``; refuses what the record cannot serve (before any write).

    C2SP tlog-tiles frames each entry of a bundle with a 16-bit length, so an entry longer
    than 65,535 bytes could be committed but never served, mirrored or exported.
    """
    body = canonical_bytes(event.to_json())
    if len(body) > MAX_ENTRY_SIZE:
        raise EntryTooLarge(
            "entry_too_large",
            f"This would make a record entry of {len(body):,} bytes; the record holds entries of "
            f"at most {MAX_ENTRY_SIZE:,}. Shorten the text (or split it) and try again.",
        )
    return body


class EntryTooLarge(DomainError):
    """422 like other refusals: the API documents that status for every command."""


def _insert_entries(entries: list[Entry], writes: Writes) -> None:
    """Without the ORM (``bulk_create`` spends more per row than the database)."""
    writes.insert(
        _ENTRY,
        _ENTRY_COLUMNS,
        [(e.seq, e.type, e.actor, e.at, e.body, e.scope) for e in entries],
    )


def _sign(writes: Writes, size: int, root: bytes, state: State) -> None:
    """Sign a checkpoint of ``size`` (``Checkpoint.objects.create``, without the ORM)."""
    key = keys.signer(state.federation)
    note = sign_checkpoint(SignedHead(key.name, size, root), key)
    writes.insert(_CHECKPOINT, ("size", "note"), [(size, note)])


def _catch_up_tree(store: DatabaseHashStore, size: int, using: str) -> None:
    """Hash entries that have no tree nodes yet (written before the tree had a table)."""
    have = store.count(0)
    if have < size:
        bodies = [
            bytes(b)
            for b in Entry.objects.using(using)
            .filter(seq__gte=have, seq__lt=size)
            .order_by("seq")
            .values_list("body", flat=True)
        ]
        result = append(store, have, [hash_leaf(b) for b in bodies])
        store.put_many(result.nodes)
    _tree_checked.add(using)


def ensure_checkpoint(using: str = "default") -> Checkpoint | None:
    """Sign a checkpoint of the current size if the latest one is older (after an upgrade)."""
    from smolny.record.proofs import tree_root

    with _local, transaction.atomic(using=using, durable=True):
        head = Head.objects.using(using).select_for_update().filter(id=1).first()
        if head is None or head.size == 0:
            return None
        latest = Checkpoint.objects.using(using).order_by("-size").first()
        if latest is not None and latest.size == head.size:
            return latest
        store = DatabaseHashStore(using)
        _catch_up_tree(store, head.size, using)
        state = _load(using, head.size)
        writes = Writes(connections[using])
        _sign(writes, head.size, tree_root(store, head.size), state)
        writes.flush()
        return Checkpoint.objects.using(using).get(size=head.size)


def entries(using: str = "default", start: int = 0) -> list[Event]:
    return [
        Event.decode(bytes(e.body))
        for e in Entry.objects.using(using).filter(seq__gte=start).order_by("seq")
    ]
