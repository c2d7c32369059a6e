"""The server withdraws lapsed private supports once, at the start of each share period.

GIVEN a tendency in the Dockers with leo's and nadia's private supports, and the server's
pruner having pruned this period, WHEN leo leaves, THEN his support still counts for the rest of
the period (a withdrawal now would name him), a restarted server does not prune within the
period, and at the start of the next period one tick withdraws it — once: the next ticks and
another server process change nothing.  A pruner that finds no federation does nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smolny.constitution.press import period_of
from smolny.pages.pruning import CHECK_SECONDS, Pruner
from smolny.readmodels.models import TendencyRow
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state

from .seeded import act, found, seed, support, unchanged

pytestmark = pytest.mark.django_db(transaction=True)


def lapsed() -> int:
    return Entry.objects.filter(type="support_withdrawn").count()


def test_lapsed_supports_are_withdrawn_at_the_next_period_and_only_then(tmp_path: Path) -> None:
    seed()
    key = found()
    support("leo", key)
    support("nadia", key)
    pruner = Pruner(tmp_path / "last-prune-period")
    assert pruner.last() == -1
    pruner.tick()  # the first look prunes the period it finds (nothing is stale yet)
    number, _, ends = period_of(current_state(), clock.now())
    assert pruner.last() == number
    act("leo", "leave", {})
    assert TendencyRow.objects.get(key=key).supporters == 2
    with unchanged():  # within the period: no prune, not even by a restarted server
        wait = pruner.tick()
        Pruner(tmp_path / "last-prune-period").tick()
    assert 0 < wait <= CHECK_SECONDS
    clock.advance(hours=(ends - clock.now()).total_seconds() / 3600 + 0.01)
    pruner.tick()
    assert pruner.last() == number + 1
    assert TendencyRow.objects.get(key=key).supporters == 1
    assert lapsed() == 1
    with unchanged():  # once per period, whoever looks
        pruner.tick()
        Pruner(tmp_path / "other-process").tick()  # another process: nothing left to withdraw


def test_a_server_with_no_federation_yet_waits(tmp_path: Path) -> None:
    pruner = Pruner(tmp_path / "last-prune-period")
    assert pruner.tick() == CHECK_SECONDS
    assert pruner.last() == -1
    assert not Entry.objects.exists()
