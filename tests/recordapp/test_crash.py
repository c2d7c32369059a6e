"""Durability: a server killed with SIGKILL mid-stream loses no acknowledged action.

GIVEN ``smolny serve`` on a fresh SQLite database (WAL, synchronous=FULL) as a subprocess, and
eight API clients filing documents as fast as the server answers, WHEN the server process is
killed with SIGKILL while requests are in flight, THEN after a restart every action that was
acknowledged (201 with its entry index) is in the record at that index with its bytes, and
``smolny verify`` passes: entries, tree, checkpoints and read models agree.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .conftest import PYTHON, subprocess_env

pytestmark = pytest.mark.slow

MEMBERS = [f"m{i}" for i in range(8)]
PASSWORD = "crash-test-solidarity-2026"

SEED = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from smolny.constitution import commands as c
from smolny.store.service import execute_batch
members = {MEMBERS!r}
execute_batch(
    [(c.FoundFederation("f0", "Crash Federation", "Congress", {{}}), None),
     (c.CreateCouncil("f0", "C1", "Dockers", True), None)]
    + [(c.Join(m, m.upper(), "C2"), None) for m in members]
)
hashed = make_password({PASSWORD!r})
User.objects.bulk_create([User(username=m, password=hashed) for m in members])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(url: str, body: dict[str, Any], token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "smolny.cli", "serve", "--port", str(self.port), "--threads", "16"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def test_no_acknowledged_action_is_lost_to_sigkill(tmp_path: Path) -> None:
    env = subprocess_env(
        SMOLNY_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="smolny.web.settings",
        SMOLNY_LOG_LEVEL="ERROR",
    )
    env.pop("DATABASE_URL", None)
    subprocess.run([PYTHON, "-c", SEED], env=env, check=True, timeout=300)
    server = Server(env)
    tokens = {}
    for member in MEMBERS:
        status, body = call(
            server.url + "/api/tokens", {"username": member, "password": PASSWORD, "name": "crash"}
        )
        assert status == 201, body
        tokens[member] = body["token"]

    acknowledged: list[tuple[int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(member: str) -> None:
        n = 0
        while not stop.is_set():
            title = f"{member}-{n}"
            n += 1
            try:
                status, body = call(
                    server.url + "/api/commands/file_document",
                    {"body": "C2", "title": title, "text": "Minutes of the meeting."},
                    tokens[member],
                )
            except (OSError, http.client.HTTPException):
                # The server is gone (refused, reset, or cut off mid-answer):
                # this request was never acknowledged.
                return
            if status == 201:
                with lock:
                    acknowledged.append((body["entries"][0]["seq"], title))

    threads = [threading.Thread(target=client, args=(m,)) for m in MEMBERS]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # in the middle of the stream: requests are in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert len(acknowledged) >= 150

    database = sqlite3.connect(tmp_path / "data" / "smolny.sqlite3")
    stored = dict(database.execute("SELECT seq, body FROM store_entry").fetchall())
    database.close()
    for seq, title in acknowledged:
        assert seq in stored, f"acknowledged entry #{seq} ({title}) was lost"
        assert json.loads(stored[seq])["data"]["title"] == title

    restarted = Server(env)
    try:
        status, body = call(
            restarted.url + "/api/commands/file_document",
            {"body": "C2", "title": "after the crash", "text": "We carry on."},
            tokens["m0"],
        )
        assert status == 201, body
        assert body["entries"][0]["seq"] == len(stored)
    finally:
        restarted.process.terminate()
        restarted.process.wait(timeout=30)
    verify = subprocess.run(
        [PYTHON, "-m", "smolny.cli", "verify"], env=env, capture_output=True, text=True, timeout=300
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"{len(stored) + 1} entries" in verify.stdout
