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
nothing) is committed in a group of its own.

**Deciding ahead.**  A group's time is partly Python (deciding, folding, hashing, signing) and
partly the database's (locking, writing, flushing), and done one after the other neither the
core running Python nor the database is busy more than half the time.  So once a leader has
decided its group it hands the lead to the first caller still waiting, and that caller decides
the next group while the first is being written: on the cached state, which already holds the
first group's events.  The next group commits only after the first, and only if the first was
committed and the record still ends with the entry it was decided to follow (checked under
the ``Head`` lock); otherwise it is decided again, under the lock, against the record.  At most
one group is decided ahead, and only while this process has seen no other process append for
``FOREIGN_PAUSE`` seconds: the state cannot unfold a group, so finding another process's
entries costs a replay of the whole record.  A group decided with nothing being written is
decided under the lock as before, and catches up with other processes' entries cheaply.
``current_state`` waits for the groups being written, so readers see only committed state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from contextlib import ExitStack
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
_local = threading.Condition(threading.Lock())
"""Held while the cached states are read or changed (deciding a group, ``current_state``);
waited on for the groups being written to finish."""


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
                _foreign_at[using] = time.monotonic()  # another process appended
                cached.frontier = {}
                last = cached.last
                for entry in Entry.objects.using(using).filter(seq__gte=seq).order_by("seq"):
                    apply(cached.state, Event.decode(bytes(entry.body)))
                    last = bytes(entry.body)
                cached.last = last
                cached.state.dirty.clear()
            return cached.state
    if cached is not None:
        _foreign_at[using] = time.monotonic()  # a history this process did not write
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
    _drop(using)
    _foreign_at.pop(using, None)


def _drop(using: str) -> None:
    _cache.pop(using, None)
    _tree_checked.discard(using)


def current_state(using: str = "default") -> State:
    """The state as of the last committed entry (read-only use: do not mutate).

    Waits for the groups being written (the cached state holds them before they are committed),
    and no group is decided meanwhile.
    """
    queue = _queue(using)
    with _local:
        queue.readers += 1
        try:
            while queue.inflight:
                _local.wait()
            with transaction.atomic(using=using):
                head = Head.objects.using(using).filter(id=1).first()
                return _load(using, head.size if head else 0)
        finally:
            queue.readers -= 1
            _local.notify_all()


def execute(command: Command, *, using: str = "default") -> list[Entry]:
    """Decide ``command`` now; append its events and update the read models, or raise
    ``DomainError`` having written nothing.  Returns once the entries are on disk."""
    return execute_batch([(command, None)], using=using)


# --- group commit ---------------------------------------------------------------------------


@dataclass
class _Request:
    items: list[tuple[Command, datetime | None]]
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    entries: list[Entry] | None = None
    error: BaseException | None = None


@dataclass
class _Group:
    """The commands of one commit, decided: what to write, and what each caller is told."""

    requests: list[_Request]
    previous: _Group | None
    """The group decided just before this one and not yet committed (``None`` in "now" mode):
    this group's state includes it, so this group commits only after it and only if it did."""
    base: int
    """The record's size before this group (its first entry's index)."""
    base_last: bytes | None
    """The body of entry ``base - 1``, which the record must still end with at commit."""
    entries: list[Entry] = field(default_factory=list)
    accepted: list[tuple[_Request, int, int]] = field(default_factory=list)
    refused: list[tuple[_Request, BaseException]] = field(default_factory=list)
    writes: Writes | None = None
    done: threading.Event = field(default_factory=threading.Event)
    committed: bool = False


@dataclass
class _Queue:
    lock: threading.Lock = field(default_factory=threading.Lock)
    pending: list[_Request] = field(default_factory=list)
    leading: bool = False
    inflight: list[_Group] = field(default_factory=list)
    """Groups decided and not yet committed or abandoned, oldest first (at most two)."""
    readers: int = 0
    """``current_state`` calls waiting for the committed state: no group is decided meanwhile."""
    redecided: int = 0
    """Groups decided a second time (their predecessor failed, or another process appended)."""
    pipelined: int = 0
    """Groups decided while the group before them was being written."""


_queues: dict[str, _Queue] = {}
_queues_lock = threading.Lock()
_foreign_at: dict[str, float] = {}
"""When this process last found entries it had not written (``time.monotonic()``)."""
FOREIGN_PAUSE = 10.0
"""Seconds after seeing another process's append during which no group is decided ahead."""


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
            request.lead = False
            _lead(queue, using)
        else:
            request.done.wait()
            request.done.clear()
        if request.error is not None:
            raise request.error
        if request.entries is not None:
            return request.entries
        # Woken without a result: the previous leader handed the lead to this caller.


def _take(queue: _Queue) -> list[_Request]:
    """The requests of the next group: everyone waiting, up to ``GROUP_LIMIT`` commands; a
    multi-command batch (all or nothing) alone."""
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
    return group


def _hand_over(queue: _Queue) -> None:
    """Make the first caller still waiting the leader (the one to take the next group)."""
    with queue.lock:
        if queue.pending:
            successor = queue.pending[0]
            successor.lead = True
            successor.done.set()
        else:
            queue.leading = False


def _ahead(queue: _Queue, using: str) -> bool:
    """May the next group be decided now, on top of the one being written ("next" mode)?

    Only while this process is the only one appending: the cached state then already holds
    everything the record will hold when the group before commits.  Another process's append
    found at commit costs a replay of the whole record (the state cannot unfold a group), so
    after seeing one this process decides only under the lock for ``FOREIGN_PAUSE`` seconds.
    """
    if len(queue.inflight) != 1 or queue.readers:
        return False
    cached = _cache.get(using)
    if cached is None or time.monotonic() - _foreign_at.get(using, -FOREIGN_PAUSE) < FOREIGN_PAUSE:
        return False
    size = cached.state.seq
    if any(key not in cached.frontier for key in subtree_keys(size)):
        return False  # the tree's hashes the append reads are not all in memory
    with queue.lock:
        return bool(queue.pending) and len(queue.pending[0].items) == 1


def _lead(queue: _Queue, using: str) -> None:
    """Decide the next group, hand the lead on, commit the group.

    Two ways to decide (module docstring): *now*, when no group is being written, under the
    record's lock in the group's own transaction; and *ahead*, while one group is being
    written, on the cached state that already holds it, checked against the record at commit.
    """
    group: _Group | None = None
    with _local:
        while not _ahead(queue, using) and (queue.inflight or queue.readers):
            _local.wait()
        ahead = bool(queue.inflight)
        if ahead:
            requests = _take(queue)
            try:
                group = _decide_ahead(requests, queue, using)
            except BaseException as error:  # not a refusal (those are kept per request)
                _tell(requests, error)
    if not ahead:
        _commit_now(None, queue, using)
        return
    _hand_over(queue)
    if group is not None:
        _commit_ahead(group, queue, using)


def _commit_now(
    requests: list[_Request] | None,
    queue: _Queue,
    using: str,
    *,
    landed: _Group | None = None,
) -> None:
    """Wait until no group is being written; lock the record, catch the state up, decide
    ``requests`` (``None``: the next group of the queue, handing the lead on once decided)
    and commit them in one transaction.

    ``landed``: a group whose commit failed without saying whether it was committed; if the
    record holds its entries, its callers are told so instead of their commands being redone.
    """
    lead = requests is None
    taken: list[_Request] = requests or []
    group: _Group | None = None
    try:
        with ExitStack() as stack:
            with _local:
                while queue.inflight or queue.readers:
                    _local.wait()
                if lead:
                    taken = _take(queue)
                stack.enter_context(transaction.atomic(using=using, durable=True))
                size, last_body = _lock_head(using)
                if landed is not None and _holds(using, size, landed):
                    group = landed
                    queue.inflight.append(group)
                    raise _Landed
                state = _load(using, size, last_body)
                state.dirty.clear()
                store = DatabaseHashStore(using)
                if using not in _tree_checked:
                    _catch_up_tree(store, size, using)
                cached = _cache[using]
                if cached.frontier:
                    store.known(cached.frontier)
                else:
                    store.prefetch(subtree_keys(size))
                group = _decide(_Group(taken, None, size, last_body), state, store, using)
                queue.inflight.append(group)
            if lead:
                lead = False
                _hand_over(queue)
            if group.writes is not None:
                group.writes.flush()
    except _Landed:
        pass
    except BaseException as error:
        if lead:
            _hand_over(queue)
        _abandon(group, queue, using, error, taken)
        return
    assert group is not None
    _settle(group, queue)


class _Landed(Exception):
    """Leaves the transaction of a redo without writing: the group was committed after all."""


def _holds(using: str, size: int, group: _Group) -> bool:
    """Does the record of ``size`` entries hold ``group``'s entries where they were to go?"""
    if not group.entries or size < group.base + len(group.entries):
        return False
    stop = group.base + len(group.entries)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT body FROM {_ENTRY} WHERE seq >= %s AND seq < %s ORDER BY seq",
            [group.base, stop],
        )
        bodies = [bytes(row[0]) for row in cursor.fetchall()]
    return bodies == [bytes(e.body) for e in group.entries]


def _decide_ahead(requests: list[_Request], queue: _Queue, using: str) -> _Group:
    """Decide ``requests`` on the cached state, which holds the group being written."""
    cached = _cache[using]
    store = DatabaseHashStore(using)
    store.known(cached.frontier)
    group = _Group(requests, queue.inflight[-1], cached.state.seq, cached.last)
    group = _decide(group, cached.state, store, using)
    queue.inflight.append(group)
    queue.pipelined += 1
    return group


def _commit_ahead(group: _Group, queue: _Queue, using: str) -> None:
    """Commit a group decided ahead, once the group before it is committed; decide it again
    if that group was not committed or if this one fails to commit.

    The group's writes end with an update of the ``Head`` row that must find the record still
    ending where the group was decided to follow it (``Writes.statement(one=True)``), so the
    lock, the check, the writes and the commit are one round trip on PostgreSQL.
    """
    assert group.previous is not None
    group.previous.done.wait()
    if not group.previous.committed:
        _redo(group, queue, using, failed=False)
        return
    try:
        if group.writes is not None:
            group.writes.commit()
    except Exception:  # the record moved on, or the database failed: decide again
        _redo(group, queue, using, failed=True)
        return
    _settle(group, queue)


def _decide(group: _Group, state: State, store: DatabaseHashStore, using: str) -> _Group:
    """Decide every request of ``group`` in turn, folding the accepted ones into ``state`` (the
    cached state), and work out the group's writes.  Called holding ``_local``."""
    entries = group.entries
    size = group.base
    folded = False
    try:
        for request in group.requests:
            first = len(entries)
            for command, at in request.items:
                try:
                    events = decide(state, command, at if at is not None else clock.now())
                    bodies = [_body_of(event) for event in events]
                except Exception as error:
                    if len(request.items) > 1:
                        raise  # all or nothing: nothing of the group is written
                    group.refused.append((request, error))
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
            else:
                group.accepted.append((request, first, len(entries)))
        if entries:
            result = append(store, size, [hash_leaf(e.body) for e in entries])
            writes = Writes(connections[using])
            _insert_entries(entries, writes)
            project_group(state, set(state.dirty), using, writes)
            store.put_many(result.nodes, writes)
            _sign(writes, result.size, result.root, state)
            if group.previous is None:  # decided under the lock
                writes.statement(f"UPDATE {_HEAD} SET size = %s WHERE id = 1", [result.size])
            else:  # decided ahead: commits only if the record still ends where it was decided
                guard = f"UPDATE {_HEAD} SET size = %s WHERE id = 1 AND size = %s"
                params: list[object] = [result.size, size]
                if size:
                    guard += f" AND EXISTS (SELECT 1 FROM {_ENTRY} WHERE seq = %s AND body = %s)"
                    params += [size - 1, group.base_last]
                writes.statement(guard, params, one=True)
            group.writes = writes
            cached = _cache[using]
            cached.last = bytes(entries[-1].body)
            cached.frontier = store.frontier(result)
        state.dirty.clear()
    except BaseException:
        # Once events are folded into the cached state, failing to commit them makes that
        # state a lie: drop it and rebuild from the record next time.  (A refused command
        # raises in decide, before anything of it is folded.)
        if folded:
            _drop(using)
        raise
    return group


def _settle(group: _Group, queue: _Queue) -> None:
    """The group is committed: let the next group commit, then tell each caller."""
    group.committed = True
    group.done.set()
    for request, first, stop in group.accepted:
        request.entries = group.entries[first:stop]
    for request, error in group.refused:
        request.error = error
    for request in group.requests:
        request.done.set()
    with _local:
        queue.inflight.remove(group)
        _local.notify_all()


def _abandon(
    group: _Group | None, queue: _Queue, using: str, error: BaseException, requests: list[_Request]
) -> None:
    """The group failed to commit (or to be decided): each caller learns why."""
    with _local:
        if group is not None:
            if group.entries:
                _drop(using)  # its events are folded into the cached state, not in the record
            queue.inflight.remove(group)
            group.done.set()
            _local.notify_all()
    refused = {id(request): e for request, e in group.refused} if group is not None else {}
    for request in requests:
        request.error = refused.get(id(request), error)
        request.done.set()


def _tell(requests: list[_Request], error: BaseException) -> None:
    for request in requests:
        request.error = error
        request.done.set()


def _redo(group: _Group, queue: _Queue, using: str, *, failed: bool) -> None:
    """Drop a group decided ahead and decide its requests again, now, under the lock.

    ``failed``: its own commit failed, which most likely means another process appended (no
    group is then decided ahead for ``FOREIGN_PAUSE`` seconds); if the failure was only in
    hearing back, the group may be in the record after all, and is then not decided again.
    """
    with _local:
        _drop(using)  # the cached state holds this group's events
        if failed:
            _foreign_at[using] = time.monotonic()
        queue.inflight.remove(group)
        queue.redecided += 1
        group.done.set()  # not committed: a group decided on top of this one is redone too
        _local.notify_all()
    _commit_now(group.requests, queue, using, landed=group if failed else None)


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
    queue = _queue(using)
    with _local:
        queue.readers += 1
        try:
            while queue.inflight:
                _local.wait()
            return _ensure_checkpoint(using)
        finally:
            queue.readers -= 1
            _local.notify_all()


def _ensure_checkpoint(using: str) -> Checkpoint | None:
    from smolny.record.proofs import tree_root

    with transaction.atomic(using=using, durable=True):
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
