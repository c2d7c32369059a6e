"""What the page tests share: Harbour seeded through the real store (tests/harbour.py)."""

from __future__ import annotations

import harbour
import pytest


@pytest.fixture
def federation() -> None:
    harbour.seed()
