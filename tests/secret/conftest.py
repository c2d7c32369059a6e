"""The store's clock is process-wide and only moves forward; these tests move it (nominations
closing, voting closing), so each gives the offset back when it ends, and the tests that share
its worker afterwards see no drift."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smolny.store import clock


@pytest.fixture(autouse=True)
def _clock_given_back() -> Iterator[None]:
    offset, last = clock._offset, clock._last
    yield
    with clock._lock:
        clock._offset, clock._last = offset, last
