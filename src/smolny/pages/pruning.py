"""The server withdraws lapsed private supports at the start of each fair-share period.

A private support of a member who has left the tendency's scope can be withdrawn only with her
support key, which the server derives (:mod:`.supportkeys`), and doing it when she leaves would
name her as a supporter in the record (docs/freedoms.md, "Private supports").  So the server
withdraws all of them at once, at the start of each period of the fair shares, before the
shares are counted: the record then ties a lapse only to the set of members who left during the
period.  :class:`Pruner` is what runs it, in a thread of ``smolny serve``.

The number of the last period pruned is kept in a file beside the support secret, so that a
restart within a period does not prune again at an arbitrary moment (which could tie a lapse to
the one departure just before it); a server that was down when a period began prunes as soon as
it is back.  Several server processes may each run one: the second finds nothing left to
withdraw, and a ``PruneSupports`` decided against a moved record is refused, not doubled.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from django.conf import settings

from smolny.constitution.press import period_of
from smolny.store import clock

from .supportkeys import prune

log = logging.getLogger(__name__)

CHECK_SECONDS = 60.0
"""Longest sleep between two looks at the clock (the period's length is a parameter the
congress may change, so the next start is worked out again each time)."""


class Pruner:
    """Prunes once per period; ``tick`` does what is due now and says how long to sleep."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(settings.SMOLNY_KEY_DIR) / "last-prune-period"

    def last(self) -> int:
        """The number of the last period pruned (-1: none yet)."""
        try:
            return int(self.path.read_text().strip())
        except FileNotFoundError:
            return -1

    def _remember(self, number: int) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        tmp.write_text(f"{number}\n")
        tmp.replace(self.path)

    def tick(self) -> float:
        """Prune if the current period has not been pruned; seconds until the next look."""
        from smolny.store.service import current_state

        state = current_state()
        if state.root is None:  # nothing founded yet
            return CHECK_SECONDS
        now = clock.now()
        number, _, ends = period_of(state, now)
        if number > self.last():
            withdrawn = prune()
            self._remember(number)
            log.info("period %d: %d lapsed support(s) withdrawn", number, withdrawn)
        return max(0.0, min(CHECK_SECONDS, (ends - now).total_seconds()))

    def run(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set; a failure is logged and tried again a minute later."""
        while True:
            try:
                wait = self.tick()
            except Exception:
                log.exception("pruning lapsed supports failed; trying again in a minute")
                wait = CHECK_SECONDS
            if stop.wait(wait):
                return

    def start(self) -> threading.Event:
        """Run in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()
        threading.Thread(target=self.run, args=(stop,), name="smolny-pruner", daemon=True).start()
        return stop
