"""What every test run shares: the test database, the network guard, Hypothesis
profiles, and the browser fixtures.

Browser fixtures (docs/operations.md has the details):

- ``page``: a fresh Chromium tab in its own browser context (no cookies shared
  between tests). Use it with pytest-django's ``live_server``::

      def test_it_shows_the_record(page, live_server):
          page.goto(live_server.url + "/record/")

- ``context``: the page's browser context, for a second tab or for cookies.
- ``browser``: the worker's Chromium, for tests that need several contexts
  (two members side by side).

They live here rather than in tests/browser/conftest.py so that any test
directory can drive a page; every test that uses one is marked ``browser``
(deselect with ``-m "not browser"``).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import ipaddress
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SMOLNY_CHROMIUM", "/usr/bin/chromium")

# Headless Chromium as root needs --no-sandbox. The rest keep it from reaching
# for Google's services, which this closed network refuses by the dozen.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]

BROWSER_FIXTURES = frozenset({"page", "context", "browser"})


# --- Hypothesis -----------------------------------------------------------------

# No deadline anywhere: two xdist workers share two cores with a database server
# and a browser, and a timing failure there says nothing about the code.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile(
    "ci", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


# --- Network guard --------------------------------------------------------------


class NonLoopbackConnection(RuntimeError):
    """A test tried to reach a host other than this machine.

    Not an OSError on purpose: code that retries or swallows connection errors
    must not hide it.
    """


def is_loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded(real: Any) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address):
            raise NonLoopbackConnection(
                f"tests may only connect to loopback addresses, not {address!r}"
                " (set SMOLNY_ALLOW_NETWORK=1 to lift this)"
            )
        return real(self, address)

    return connect


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("SMOLNY_ALLOW_NETWORK"):
        socket.socket.connect = _guarded(_real_connect)  # type: ignore[method-assign]
        socket.socket.connect_ex = _guarded(_real_connect_ex)  # type: ignore[method-assign]

    # scripts/test names the database each run is meant for, so that a run
    # that silently fell back to SQLite cannot pass as the PostgreSQL run.
    expected = os.environ.get("SMOLNY_TEST_EXPECT_VENDOR")
    if expected:
        from django.db import connection

        if connection.vendor != expected:
            raise pytest.UsageError(
                f"this run is meant for {expected}, but the settings give {connection.vendor}"
                f" (DATABASE_URL={'set' if os.environ.get('DATABASE_URL') else 'unset'})"
            )

    # Tests never write signing keys into the working tree's ./var: each
    # process gets a directory of its own, removed at the end.
    from django.conf import settings

    scratch = Path(tempfile.mkdtemp(prefix="smolny-test-"))
    config.stash[_scratch_key] = scratch
    settings.SMOLNY_KEY_DIR = scratch / "keys"
    settings.STATIC_ROOT = scratch / "static"
    # The demo leaves its simulated trustees' and voters' key files in the data directory.
    settings.DATA_DIR = scratch / "data"


_scratch_key = pytest.StashKey[Path]()


def pytest_unconfigure(config: pytest.Config) -> None:
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
    scratch = config.stash.get(_scratch_key, None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    # A test about one database runs in the run on that database only (scripts/test runs the
    # suite on each); in the other run it is not collected, rather than skipped.
    from django.db import connection

    keep, other = [], []
    for item in items:
        marker = item.get_closest_marker("vendor")
        (other if marker and marker.args[0] != connection.vendor else keep).append(item)
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = keep


# --- Test database ---------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Put the SQLite test database in a file, not in memory.

    With a file the test database runs with the pragmas of production (WAL,
    synchronous=FULL: an in-memory database reports journal_mode "memory"), and
    the live server's thread opens a connection of its own, as a real server
    does, instead of sharing the test's. Each xdist worker, and each of several
    people's concurrent runs, gets its own file under pytest's temporary
    directory. On PostgreSQL nothing changes (test_<name>_gw0, ...).
    """
    from django.conf import settings

    for alias, db in settings.DATABASES.items():
        if db["ENGINE"] == "django.db.backends.sqlite3":
            db.setdefault("TEST", {})["NAME"] = str(
                tmp_path_factory.mktemp("sqlite") / f"test_{alias}.sqlite3"
            )


# --- The store's clock ----------------------------------------------------------


@pytest.fixture(autouse=True)
def _the_clock_is_given_back() -> Iterator[None]:
    """The store's clock (``smolny.store.clock``) is process-wide, and scenes move it forward to
    close votes; every test gives it back, so the next test in the worker sees the real time."""
    from smolny.store import clock

    offset, last = clock._offset, clock._last
    yield
    with clock._lock:
        clock._offset, clock._last = offset, last


# --- Browser --------------------------------------------------------------------


class _Playwright:
    """The worker's Playwright and Chromium, started on first use.

    Playwright's sync API runs an asyncio loop in a greenlet and, between
    calls, leaves that loop registered as this thread's *running* loop. Django
    then takes the test for async code: every ORM call raises
    SynchronousOnlyOperation; and with DJANGO_ALLOW_ASYNC_UNSAFE set (the usual
    advice) it is worse, since Django keeps separate connections for async
    code: the test's writes go through a second connection, outside the
    transaction of the ``db`` fixture, and that connection is still open when
    the test database is dropped.

    So here the loop is registered as running only while a Playwright call is
    in progress: every public method and property of the sync API, and the
    function through which a call waits for the loop, register it on the way
    in and unregister it on the way out when the caller is ordinary test code.
    Between calls a test is plain synchronous code, with Django's own
    connection and its async-safety check intact. test_harness.py checks this
    on every run, so a Playwright upgrade that changes these internals fails
    there first.
    """

    def __init__(self) -> None:
        from playwright import sync_api
        from playwright._impl import _sync_base
        from playwright.sync_api import _generated, sync_playwright

        if not os.access(CHROMIUM, os.X_OK):
            pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/setup test` (Debian's chromium)")
        self._patched: list[tuple[Any, str, Any]] = []
        self.playwright = sync_playwright().start()
        self.loop = asyncio.events._get_running_loop()
        try:
            self._patch(_sync_base, "wait_for_future", self._registered(_sync_base.wait_for_future))
            classes = {
                c
                for module in (_sync_base, _generated, sync_api)
                for c in vars(module).values()
                if isinstance(c, type) and c.__module__ == module.__name__
            }
            for cls in classes:
                for name, attr in list(vars(cls).items()):
                    if name.startswith("_") and name not in ("__enter__", "__exit__", "__call__"):
                        continue
                    if isinstance(attr, property):
                        wrapped = property(
                            attr.fget and self._registered(attr.fget),
                            attr.fset and self._registered(attr.fset),
                            attr.fdel,
                            attr.__doc__,
                        )
                        self._patch(cls, name, wrapped)
                    elif inspect.isfunction(attr):
                        self._patch(cls, name, self._registered(attr))
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except BaseException:
            self.stop()
            raise
        asyncio.events._set_running_loop(None)

    def _patch(self, owner: Any, name: str, value: Any) -> None:
        self._patched.append((owner, name, getattr(owner, "__dict__", {}).get(name)))
        setattr(owner, name, value)

    def _registered(self, fn: Any) -> Any:
        loop = self.loop

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            if asyncio.events._get_running_loop() is not None:
                return fn(*args, **kwargs)  # inside the loop: a handler, or a nested call
            asyncio.events._set_running_loop(loop)
            try:
                return fn(*args, **kwargs)
            finally:
                asyncio.events._set_running_loop(None)

        return call

    def stop(self) -> None:
        asyncio.events._set_running_loop(self.loop)
        try:
            if hasattr(self, "browser"):
                self.browser.close()
        finally:
            for owner, name, original in reversed(self._patched):
                setattr(owner, name, original)
            self._patched.clear()
            self.playwright.stop()
            asyncio.events._set_running_loop(None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The worker's headless Chromium (playwright.sync_api.Browser), started on first use."""
    session = _Playwright()
    yield session.browser
    session.stop()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context: its own cookies and storage, closed after the test."""
    ctx = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A new tab. When the test fails, a screenshot is saved and its path printed."""
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "_smolny_call_report", None)
    if report is not None and report.failed and not tab.is_closed():
        shots = (
            Path(os.environ.get("SMOLNY_SCREENSHOT_DIR", tempfile.gettempdir()))
            / "smolny-screenshots"
        )
        shots.mkdir(parents=True, exist_ok=True)
        path = shots / (request.node.nodeid.replace("/", "_").replace("::", "__") + ".png")
        try:
            tab.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failed page: {path}")
        except Exception as exc:  # the page may have crashed with the test
            print(f"no screenshot of the failed page: {exc}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item._smolny_call_report = report  # type: ignore[attr-defined]
    return report
