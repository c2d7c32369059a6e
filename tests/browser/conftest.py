"""Browser tests: headless Debian Chromium driven by Playwright.

The fixtures ``page``, ``context`` and ``browser`` are defined in tests/conftest.py,
so that tests anywhere can use them; this directory is for tests that are about
the browser side above all (the ballot booth's JavaScript, accessibility,
keyboard use). Every test here is marked ``browser``, whether or not it takes a
page, so ``-m "not browser"`` skips the directory.

Use pytest-django's ``live_server`` for the server (a test using it runs as a
transactional test, on SQLite as on PostgreSQL: see docs/operations.md), and
tests/browser/axe.py on every page a test visits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
