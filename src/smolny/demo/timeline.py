"""Writing a history: stories that run side by side, merged into one record in time order.

A *story* is a generator that yields ``(at, command)`` and is sent back the events its command
caused (or yields ``(at, None)`` just to wake up at ``at`` and look at the state).  Several
stories run at once, as elections in nine councils do; ``Timeline.run`` always takes the
earliest next command, so the record is in increasing time order.

Each command is decided and applied against the timeline's own state as it is written, so a
story knows the ids the rules gave (E7, M12, R1...) and reads the state as it then stood; a
story that breaks a rule fails here, naming the command, rather than inside the store's
batch.  The store then decides every command again, for real, in one transaction.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Generator, Iterable, Sequence
from datetime import datetime, timedelta

from smolny.constitution import Command, DomainError, Event, State, apply, decide

Story = Generator[tuple[datetime, Command | None], list[Event], None]


class StoryError(RuntimeError):
    """The demo's script asked for something the rules refuse: a bug in the script."""


class Timeline:
    def __init__(self) -> None:
        self.state = State()
        self.items: list[tuple[Command, datetime]] = []
        self.last: datetime | None = None

    def do(self, at: datetime, command: Command) -> list[Event]:
        try:
            events = decide(self.state, command, at)
        except DomainError as exc:
            raise StoryError(f"{command!r} at {at:%Y-%m-%d %H:%M}: {exc.code}: {exc}") from exc
        for event in events:
            apply(self.state, event)
        self.items.append((command, at))
        return events

    def run(self, stories: Iterable[Story]) -> None:
        heap: list[tuple[datetime, int, Command | None, Story]] = []
        order = itertools.count()

        def resume(story: Story, sent: list[Event] | None) -> None:
            try:
                at, command = story.send(sent) if sent is not None else next(story)
            except StopIteration:
                return
            if self.last is not None and at < self.last:
                name = getattr(story, "__name__", "a story")
                raise StoryError(f"{name} went back in time, to {at} from {self.last}")
            heapq.heappush(heap, (at, next(order), command, story))

        for story in stories:
            resume(story, None)
        while heap:
            at, _, command, story = heapq.heappop(heap)
            self.last = at
            resume(story, self.do(at, command) if command is not None else [])

    def at_least(self, moment: datetime) -> datetime:
        """``moment``, or the time the timeline has reached if that is later."""
        return moment if self.last is None or moment > self.last else self.last

    # --- look-ups for stories ------------------------------------------------------------------

    def council(self, name: str) -> str:
        return next(k.id for k in self.state.councils.values() if k.name == name)

    def mandate(self, holder: str, kind: str = "delegate", office: str | None = None) -> str:
        return next(
            m.id
            for m in self.state.active_mandates(holder=holder)
            if m.kind == kind and m.office == office
        )


def created(events: Sequence[Event], type_: str, key: str = "id") -> str:
    """The id of the entity the first event of ``type_`` created."""
    return str(next(e.data[key] for e in events if e.type == type_))


def spread(
    rng: random.Random, start: datetime, end: datetime, n: int, *, gap: float = 60
) -> list[datetime]:
    """``n`` sorted moments between ``start`` and ``end``, at least ``gap`` seconds apart."""
    span = (end - start).total_seconds()
    if n == 0:
        return []
    if span < gap * n:
        raise StoryError(f"{n} acts do not fit between {start} and {end}")
    slack = span - gap * n
    points = sorted(rng.uniform(0, slack) for _ in range(n))
    return [start + timedelta(seconds=p + gap * i) for i, p in enumerate(points)]


def hours(h: float) -> timedelta:
    return timedelta(hours=h)
