"""The harness itself: settings, both databases, the browser, the scripts.

scripts/test runs this file on SQLite and on PostgreSQL; a test about one of
them skips on the other, so each run shows which half it checked.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, connections, transaction

from smolny.web.settings import check_configuration, database_from_url
from tests.browser.axe import assert_no_serious_axe_violations

REPO_ROOT = Path(__file__).resolve().parents[1]

# --- Helpers ----------------------------------------------------------------------


def settings_with_env(tmp_path: Path, **env: str) -> dict[str, Any]:
    """Load the settings in a new interpreter with only these SMOLNY_/DATABASE_
    variables set, and return a few of them."""
    script = """
import json
import django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "ENGINE": db["ENGINE"],
    "NAME": str(db.get("NAME", "")),
    "OPTIONS": db.get("OPTIONS", {}),
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE", 0),
    "SECRET_KEY": s.SECRET_KEY,
    "SMOLNY_KEY_DIR": str(s.SMOLNY_KEY_DIR),
    "DEBUG": s.DEBUG,
    "ERRORS": s.SMOLNY_CONFIGURATION_ERRORS,
}))
"""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SMOLNY_", "DATABASE_"))}
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "smolny.web.settings", "SMOLNY_DATA_DIR": str(tmp_path)}
    )
    clean.update(env)
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


# Tests about one database carry ``@pytest.mark.vendor(NAME)``: tests/conftest.py collects
# them only in the run on that database (scripts/test runs the suite once on each).


# --- SQLite -----------------------------------------------------------------------


@pytest.mark.vendor("sqlite")
def test_sqlite_connections_use_wal_and_full_sync(db: None) -> None:
    assert not connection.is_in_memory_db(), "tests must run on a file, where the pragmas apply"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


@pytest.mark.vendor("sqlite")
def test_sqlite_transactions_take_the_write_lock_when_they_begin(transactional_db: None) -> None:
    """GIVEN an atomic block that has not written yet, THEN another writer is
    already locked out: BEGIN IMMEDIATE, so the block cannot fail halfway with
    "database is locked" on its first write."""
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        with transaction.atomic(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the block commits
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_without_database_url_sqlite_lives_in_the_data_dir(tmp_path: Path) -> None:
    loaded = settings_with_env(tmp_path)
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["NAME"] == str(tmp_path / "smolny.sqlite3")
    assert "PRAGMA journal_mode=WAL" in loaded["OPTIONS"]["init_command"]
    assert "PRAGMA synchronous=FULL" in loaded["OPTIONS"]["init_command"]
    assert loaded["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert loaded["SMOLNY_KEY_DIR"] == str(tmp_path / "keys")
    assert loaded["DEBUG"] is False
    assert loaded["ERRORS"] == []


def test_each_server_thread_keeps_its_database_connection_on_either_database(
    tmp_path: Path,
) -> None:
    """Not one connection per request (Django's default): bench/congress.py measured that
    costing most of a vote's time, a new backend and authentication each time on PostgreSQL."""
    url = "postgres://smolny:secret@127.0.0.1:5432/smolny"
    assert settings_with_env(tmp_path)["CONN_MAX_AGE"] == 600
    assert settings_with_env(tmp_path, DATABASE_URL=url)["CONN_MAX_AGE"] == 600
    assert settings_with_env(tmp_path, SMOLNY_DB_CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0
    assert database_from_url(url)["CONN_HEALTH_CHECKS"] is True


# --- PostgreSQL -------------------------------------------------------------------


@pytest.mark.vendor("postgresql")
def test_postgresql_sessions_commit_synchronously(db: None) -> None:
    """synchronous_commit is on, and set by our connection (source "client"),
    so a server configured with it off does not weaken the record's durability."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting, source FROM pg_settings WHERE name = 'synchronous_commit'")
        assert cursor.fetchone() == ("on", "client")
        cursor.execute("SHOW fsync")
        assert cursor.fetchone()[0] == "on"


def test_database_url_is_parsed_with_escapes_and_options() -> None:
    db = database_from_url(
        "postgres://smol%40ny:p%40ss%3Aw%2Frd@db.example:6543/smolny%5Fprod?sslmode=require&connect_timeout=5"
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "smol@ny",
        "p@ss:w/rd",
        "db.example",
        "6543",
        "smolny_prod",
    )
    assert db["OPTIONS"]["sslmode"] == "require"
    assert db["OPTIONS"]["connect_timeout"] == "5"
    assert db["OPTIONS"]["options"] == "-c synchronous_commit=on"


def test_database_url_may_name_a_socket_directory_and_keep_its_own_options() -> None:
    db = database_from_url("postgresql://%2Frun%2Fpostgresql/smolny?options=-c%20work_mem%3D64MB")
    assert (db["HOST"], db["PORT"], db["USER"], db["PASSWORD"]) == ("/run/postgresql", "", "", "")
    # Ours come last, so the operator cannot turn synchronous commits off by URL.
    assert db["OPTIONS"]["options"] == "-c work_mem=64MB -c synchronous_commit=on"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://u:p@h/db", "only postgres:// and postgresql://"),
        ("localhost:5432/smolny", "only postgres:// and postgresql://"),
        ("postgres://u:p@h:port/db", "port is not valid"),
        ("postgres://u:p@h:99999/db", "port is not valid"),
        ("postgres://u:p@h:5432", "names no database"),
        ("postgres://u:p@h/a/b", "names no database"),
        ("postgres://u:p@h/db?sslmode", "query string is not valid"),
    ],
)
def test_malformed_database_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        database_from_url(url)


def test_a_malformed_database_url_fails_the_system_check_and_never_falls_back_to_sqlite(
    tmp_path: Path,
) -> None:
    url = "postgres://smolny@db:notaport/smolny"
    loaded = settings_with_env(tmp_path, DATABASE_URL=url)
    assert loaded["ENGINE"] == "django.db.backends.dummy"

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMOLNY_", "DATABASE_"))}
    env.update(
        DATABASE_URL=url,
        SMOLNY_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="smolny.web.settings",
    )
    check = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode != 0
    assert "(smolny.E001) DATABASE_URL cannot be used: the port is not valid" in check.stderr
    assert not (tmp_path / "smolny.sqlite3").exists()


# --- Other settings -----------------------------------------------------------------


def test_argon2_hashes_new_passwords() -> None:
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert get_hasher().algorithm == "argon2"
    assert make_password("correct horse battery staple").startswith("argon2$argon2id$")


def test_configuration_errors_stop_the_check(settings: Any) -> None:
    settings.SMOLNY_CONFIGURATION_ERRORS = [
        ("smolny.E002", "SMOLNY_DEBUG='maybe' is not a yes/no value.", "")
    ]
    with pytest.raises(SystemCheckError, match=r"smolny\.E002"):
        call_command("check")


def test_unreadable_values_are_reported_not_guessed(tmp_path: Path) -> None:
    loaded = settings_with_env(tmp_path, SMOLNY_DEBUG="maybe", SMOLNY_SQLITE_TIMEOUT="soon")
    assert loaded["DEBUG"] is False
    assert [e[0] for e in loaded["ERRORS"]] == ["smolny.E002", "smolny.E002"]


def test_the_secret_key_is_generated_once_into_a_private_file(tmp_path: Path) -> None:
    first = settings_with_env(tmp_path)["SECRET_KEY"]
    second = settings_with_env(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 50
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_with_env(tmp_path, SMOLNY_SECRET_KEY="from-env")["SECRET_KEY"] == "from-env"


def test_a_key_directory_open_to_others_is_a_warning(settings: Any, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    settings.SMOLNY_KEY_DIR = keys
    assert check_configuration() == []
    keys.chmod(0o755)
    assert [m.id for m in check_configuration()] == ["smolny.W001"]


def test_healthz_answers_ok_without_the_database(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert client.post("/healthz").status_code == 405


# --- Network guard ----------------------------------------------------------------


def test_tests_may_reach_loopback_only() -> None:
    """The guard refuses before the real connect runs. The sockets are closed
    first, so that even a broken guard could send nothing anywhere."""
    if os.environ.get("SMOLNY_ALLOW_NETWORK"):
        # Whoever lifted the guard on purpose gets no guard to test; say so, don't pretend.
        assert socket.socket.connect is _real_connect_in_conftest()
        return
    for address in [("192.0.2.10", 80), ("example.org", 80), ("::ffff:192.0.2.10", 80)]:
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        sock = socket.socket(family)
        sock.close()
        with pytest.raises(RuntimeError, match="only connect to loopback"):
            sock.connect(address)
    for address in [("127.0.0.1", 80), ("localhost", 80), ("::1", 80), ("::ffff:127.0.0.1", 80)]:
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        sock = socket.socket(family)
        sock.close()
        with pytest.raises(OSError):  # passed the guard, then failed on the closed socket
            sock.connect(address)


# --- Browser ------------------------------------------------------------------------


def test_chromium_reaches_the_live_server(page: Any, live_server: Any) -> None:
    response = page.goto(live_server.url + "/healthz")
    assert response is not None and response.status == 200
    assert page.text_content("body") == "ok"


def test_between_browser_calls_the_test_is_plain_synchronous_code(page: Any, db: None) -> None:
    """Django keeps separate connections for code running under an event loop;
    Playwright's loop must not be registered as running once a call returns,
    or the test's ORM calls would leave the ``db`` fixture's transaction (see
    _Playwright in conftest.py)."""
    before = connections["default"]
    with page.expect_console_message() as message:
        page.evaluate("() => console.log('hello')")
    assert message.value.text == "hello"
    assert asyncio.events._get_running_loop() is None
    assert connections["default"] is before
    assert connection.in_atomic_block  # still inside the db fixture's transaction


def test_the_live_server_sees_what_the_test_wrote(
    page: Any, live_server: Any, django_user_model: Any
) -> None:
    """GIVEN a user created by the test, WHEN she signs in to the admin in
    Chromium, THEN the live server (another thread, its own connection) finds
    her: the test database is shared for real on SQLite as on PostgreSQL."""
    django_user_model.objects.create_superuser(
        "operator", "op@example.org", "a long passphrase 2026"
    )
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("a long passphrase 2026")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Site administration").wait_for()
    assert django_user_model.objects.get(username="operator").last_login is not None


SAMPLE_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Recall petition</title></head>
<body>
<main>
  <h1>Recall petition</h1>
  <form>
    <label for="reason">Reason</label>
    <textarea id="reason" name="reason"></textarea>
    <button type="submit">Sign</button>
  </form>
</main>
</body>
</html>"""


def test_axe_passes_an_accessible_page_even_under_a_strict_csp(page: Any, live_server: Any) -> None:
    url = live_server.url + "/sample"
    page.route(
        url,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"},
            body=SAMPLE_PAGE,
        ),
    )
    page.goto(url)
    assert_no_serious_axe_violations(page)


def test_axe_lists_each_serious_violation_with_its_help_and_target(page: Any) -> None:
    page.set_content(
        """<!doctype html><html><head><title>Bad</title></head><body>
        <img id="logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <button id="empty"></button>
        </body></html>"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_serious_axe_violations(page)
    message = str(failure.value)
    assert "image-alt" in message and "#logo" in message
    assert "button-name" in message and "#empty" in message
    assert "Images must have alternative text" in message


# --- Scripts --------------------------------------------------------------------------


def test_ci_runs_the_test_script() -> None:
    lines = (REPO_ROOT / ".ci" / "run").read_text().splitlines()
    assert lines[-1] == "exec bash scripts/test"


@pytest.mark.parametrize("script", ["setup", "test", "demo", "with-postgres"])
def test_scripts_parse(script: str) -> None:
    subprocess.run(["bash", "-n", str(REPO_ROOT / "scripts" / script)], check=True)


def _real_connect_in_conftest() -> Any:
    import conftest

    return conftest._real_connect
