"""``smolny verify``: recompute the whole record and name the first thing that does not hold.

Pure (no Django): an exported record, a mirror directory or a server's tiles are checked by
the same code, so an outside auditor needs only this package, ``smolny.record`` and the
constitution.  The local database is read through :mod:`smolny.verify.database`, which adds
the stored tree and the read models to compare.

Order of the checks, and why:

1. every checkpoint's signature (the federation's key) and origin, sizes increasing;
2. every entry in index order: no index missing or repeated; its leaf hash compared with the
   stored one (database tree or level-0 tiles); the tree rebuilt from the entries and its
   root compared with every checkpoint at that checkpoint's size.  One rebuilt tree checked
   against every signed root *is* every consistency step: each checkpoint is a prefix of
   one history.  A leaf that differs from the stored tree is blamed on the entry if a signed
   root also disagrees with the entries, and on the stored tree otherwise;
3. every stored node above the leaves (or every hash tile) against the rebuilt tree;
4. every event replayed through the constitution, each entry's bytes canonical, and every
   published result (election counts, motion tallies) recounted from the state before it;
5. (database) the read models against the replayed state; (server) what the server shows as
   decided (:mod:`.published`) against the state replayed to the entries it reflects.

The first failure is raised as :class:`Failure`, naming an entry index, a checkpoint size, a
tree node or a read-model row.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from smolny import canonical
from smolny.constitution import Event, State, apply
from smolny.record.checkpoint import Checkpoint, verify_checkpoint
from smolny.record.hashstore import HashStore, MemoryHashStore, MissingHash, append
from smolny.record.merkle import HASH_SIZE, hash_leaves
from smolny.record.note import NoteError, VerifierKey
from smolny.record.tiles import TileError, TileNotFound, read_tile, tiles_for_size

from . import published
from .recount import NOT_RECOUNTED, RESULTS, recount, reenact

CHUNK = 4096
EVENT_FIELDS = ("type", "actor", "at", "data")


class Failure(Exception):
    """Verification failed at ``where`` (``entry 12``, ``checkpoint 40``, ``tree node (3, 1)``,
    ``read model``...) because of ``reason``."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class Progress:
    """Progress lines on stderr, at most one every ``every`` seconds (and a final one)."""

    def __init__(self, every: float = 2.0, stream=None) -> None:  # type: ignore[no-untyped-def]
        self.every = every
        self.stream = stream if stream is not None else sys.stderr
        self._last = time.monotonic()

    def __call__(self, what: str, done: int, total: int | None, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            of = f" of {total:,}" if total is not None else ""
            print(f"verify: {what}: {done:,}{of}", file=self.stream, flush=True)


@dataclass
class Report:
    size: int
    checkpoints: int
    root: bytes
    state: State
    results_recounted: int = 0
    results_not_recounted: int = 0
    """Results no closing command re-decides (secret ballots: ``smolny verify-election``)."""
    notes: list[str] = field(default_factory=list)
    shown_compared: int | None = None
    """Decisions the server shows, compared with the replay (None: none were given)."""


@dataclass(frozen=True)
class SignedCheckpoint:
    size: int
    """The size under which the checkpoint is stored (must equal the one it states)."""
    note: str


def check_checkpoints(
    checkpoints: Sequence[SignedCheckpoint], key: VerifierKey
) -> list[Checkpoint]:
    """Step 1: signatures, origin and increasing sizes."""
    opened: list[Checkpoint] = []
    previous = 0
    for row in checkpoints:
        where = f"checkpoint {row.size}"
        try:
            checkpoint = verify_checkpoint(row.note, [key], origin=key.name).checkpoint
        except NoteError as error:
            raise Failure(where, f"its signature does not verify: {error}") from None
        if checkpoint.size != row.size:
            raise Failure(where, f"it is stored as size {row.size} but states {checkpoint.size}")
        if checkpoint.size <= previous and opened:
            raise Failure(where, f"sizes must increase (after {previous})")
        previous = checkpoint.size
        opened.append(checkpoint)
    return opened


def _numbered(entries: Iterable[tuple[int, bytes]]) -> Iterator[bytes]:
    for expected, (seq, body) in enumerate(entries):
        if seq != expected:
            if seq > expected:
                raise Failure(f"entry {expected}", f"it is missing (the next entry is #{seq})")
            raise Failure(f"entry {seq}", "it appears twice or out of order")
        yield body


def check_tree(
    entries: Iterable[tuple[int, bytes]],
    checkpoints: Sequence[Checkpoint],
    stored: HashStore | None,
    progress: Progress,
) -> tuple[MemoryHashStore, int]:
    """Step 2: rebuild the tree from the entries, compare leaves and every signed root."""
    tree = MemoryHashStore()
    size = 0
    marks = [c.size for c in checkpoints]
    latest = marks[-1] if marks else 0
    next_mark = 0
    first_bad_leaf: int | None = None
    good_size = 0  # the largest checkpoint size whose root the entries reproduce
    pending: list[bytes] = []

    def flush() -> None:
        nonlocal size, first_bad_leaf, next_mark, good_size
        if not pending:
            return
        leaves = hash_leaves(pending)
        if stored is not None and first_bad_leaf is None:
            try:
                have = stored.get_range(0, size, size + len(pending))
            except (MissingHash, TileError, TileNotFound):
                have = b""
            if have != leaves:
                first_bad_leaf = size + _first_difference(have, leaves)
        result = append(tree, size, leaves)
        tree.put_many(result.nodes)
        size = result.size
        pending.clear()
        while next_mark < len(marks) and marks[next_mark] == size:
            checkpoint = checkpoints[next_mark]
            if result.root != checkpoint.root:
                if first_bad_leaf is not None and first_bad_leaf < size:
                    raise Failure(
                        f"entry {first_bad_leaf}",
                        f"its bytes are not those the stored tree and checkpoint {size} were "
                        "built from (its leaf hash differs)",
                    )
                raise Failure(
                    f"checkpoint {size}",
                    f"its root is not the root of the entries; an entry between #{good_size} "
                    f"and #{size - 1} was changed, or the checkpoint was",
                )
            good_size = size
            next_mark += 1

    for body in _numbered(entries):
        if size + len(pending) >= latest and checkpoints:
            raise Failure(
                f"entry {size + len(pending)}",
                f"it is not covered by any signed checkpoint (the latest is of size {latest})",
            )
        pending.append(body)
        boundary = marks[next_mark] if next_mark < len(marks) else None
        if len(pending) >= CHUNK or size + len(pending) == boundary:
            flush()
            progress("entries hashed", size, latest)
    flush()
    if size < latest:
        raise Failure(f"entry {size}", f"it is missing (checkpoint {latest} covers it)")
    if first_bad_leaf is not None:
        raise Failure(
            f"tree node (0, {first_bad_leaf})",
            "the stored leaf hash differs from the entry, whose signed root is right",
        )
    progress("entries hashed", size, latest, force=True)
    return tree, size


def _first_difference(got: bytes, want: bytes) -> int:
    for n in range(0, len(want), HASH_SIZE):
        if got[n : n + HASH_SIZE] != want[n : n + HASH_SIZE]:
            return n // HASH_SIZE
    return len(want) // HASH_SIZE


def check_stored_nodes(
    tree: MemoryHashStore, size: int, stored: HashStore, count: Callable[[int], int] | None
) -> None:
    """Step 3 (database): every stored node above the leaves equals the rebuilt one."""
    level = 0
    while size >> level:
        n = size >> level
        if count is not None and count(level) != n:
            raise Failure(
                f"tree node ({level}, {min(count(level), n)})",
                f"the stored tree has {count(level)} nodes at level {level}, expected {n}",
            )
        for start in range(0, n, 1 << 16):
            stop = min(n, start + (1 << 16))
            want = tree.get_range(level, start, stop)
            try:
                have = stored.get_range(level, start, stop)
            except MissingHash as missing:
                raise Failure(f"tree node ({level}, {missing.index})", "it is missing") from None
            if have != want:
                index = start + _first_difference(have, want)
                raise Failure(f"tree node ({level}, {index})", "it differs from the entries")
        level += 1
    if count is not None and count(level) != 0:
        raise Failure(f"tree node ({level}, 0)", "the stored tree has nodes above its root")


def check_tiles(tree: MemoryHashStore, size: int, fetch: Callable[[str], bytes]) -> int:
    """Step 3 (tiles): every hash tile served or held equals the rebuilt one."""
    tiles = tiles_for_size(size)
    for tile in tiles:
        try:
            data = fetch(tile.path)
        except TileNotFound:
            raise Failure(f"tile {tile.path}", "it is missing") from None
        if data != read_tile(tree, tile):
            raise Failure(f"tile {tile.path}", "it differs from the tree of the entries")
    return len(tiles)


def replay_and_recount(
    entries: Iterable[tuple[int, bytes]],
    size: int,
    progress: Progress,
    at: Callable[[State], None] | None = None,
    at_size: int = 0,
) -> tuple[State, int, int]:
    """Step 4: fold every event through the constitution, recounting every result.

    Events are taken a command at a time (the entries one command appended share its actor
    and time), so that a result decided by an act rather than a close (a recall carried by
    the vote that made the majority) is re-decided from the state before that act.  ``at`` is
    called with the state once exactly ``at_size`` entries are folded (a server's results).
    """
    state = State()
    recounted = skipped = 0
    if at is not None and at_size == 0:
        at(state)
    for group in _commands(entries):
        events = [event for _, event in group]
        try:
            reenacted = reenact(state, events)
        except Exception as error:
            raise Failure(f"entry {group[0][0]}", f"it cannot be done again: {error!r}") from None
        previous: Event | None = None
        for i, (seq, event) in enumerate(group):
            where = f"entry {seq}"
            if i in reenacted:
                problem = reenacted[i]
            else:
                try:
                    problem = recount(state, event, previous)
                except Exception as error:
                    raise Failure(where, f"its result cannot be recounted: {error!r}") from None
            if problem == NOT_RECOUNTED:
                skipped += 1
            elif problem is not None:
                raise Failure(where, f"{event.type}: {problem}")
            elif event.type in RESULTS:
                recounted += 1
            try:
                apply(state, event)
            except Exception as error:
                raise Failure(where, f"the constitution cannot apply it: {error!r}") from None
            previous = event
            if at is not None and seq + 1 == at_size:
                at(state)
            if seq % 10000 == 0:
                progress("entries replayed", seq, size)
    progress("entries replayed", size, size, force=True)
    state.dirty.clear()
    return state, recounted, skipped


def _commands(entries: Iterable[tuple[int, bytes]]) -> Iterator[list[tuple[int, Event]]]:
    """The entries, decoded, a command at a time: consecutive events with one actor and time
    (the store's clock never gives two commands the same time)."""
    group: list[tuple[int, Event]] = []
    for seq, body in entries:
        try:
            # canonical.decode refuses bytes that are not their value's canonical encoding;
            # an event is then its own canonical encoding unless the object holds more than
            # the four fields of an event (encoding it again would cost a second encoding).
            value = canonical.decode(body)
            event = Event.from_json(value)
            wrong = "" if len(value) == len(EVENT_FIELDS) else "canonical"
        except Exception as error:
            wrong = f"it is not an event: {error}"
        if wrong:
            # What came before it is checked first: the first entry that fails is named.
            if group:
                yield group
            if wrong == "canonical":
                wrong = "its bytes are not the canonical encoding (RFC 8785) of its event"
            raise Failure(f"entry {seq}", wrong)
        if group and (group[-1][1].actor, group[-1][1].at) != (event.actor, event.at):
            yield group
            group = []
        group.append((seq, event))
    if group:
        yield group


def verify(
    entries: Callable[[], Iterable[tuple[int, bytes]]],
    checkpoints: Sequence[SignedCheckpoint],
    key: VerifierKey,
    *,
    stored: HashStore | None = None,
    node_count: Callable[[int], int] | None = None,
    tile_fetch: Callable[[str], bytes] | None = None,
    progress: Progress | None = None,
    shown: Mapping[str, Any] | None = None,
) -> Report:
    """Steps 1 to 4 over any source, and 5 for what a server ``shown`` (its ``/api/results``:
    the record's size it reflects, and the decisions).  ``entries`` is called twice (hashing,
    then replay)."""
    progress = progress or Progress()
    if not checkpoints:
        raise Failure("checkpoint", "there is no signed checkpoint")
    opened = check_checkpoints(checkpoints, key)
    tree, size = check_tree(entries(), opened, stored, progress)
    if stored is not None and node_count is not None:
        check_stored_nodes(tree, size, stored, node_count)
    if tile_fetch is not None:
        check_tiles(tree, size, tile_fetch)
    compared: list[int] = []

    def compare(state: State) -> None:
        replayed = published.of_state(state)
        problem = published.first_difference(shown or {}, replayed)
        if problem is not None:
            raise Failure("what the server shows", problem)
        compared.append(published.count(replayed))

    at_size = -1
    if shown is not None:
        claimed = shown.get("size")
        at_size = claimed if isinstance(claimed, int) and not isinstance(claimed, bool) else -1
        if not 0 <= at_size <= size:
            raise Failure(
                "what the server shows",
                f"it reflects {shown.get('size')!r} entries, but the signed record has {size}",
            )
    state, recounted, skipped = replay_and_recount(
        entries(), size, progress, compare if shown is not None else None, at_size
    )
    report = Report(size, len(opened), opened[-1].root, state, recounted, skipped)
    report.shown_compared = compared[0] if compared else None
    return report
