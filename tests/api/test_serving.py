"""What the web stack does for an API request beyond the view, and how ``smolny serve`` sends.

These are the changes that made a congress voting through the API cheaper for the server
(bench/congress.py): each test shows that what was removed was waste, and that what it served
elsewhere still works.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel

from bench import congress
from smolny.cli import PatientChannel

from .conftest import ApiClient, Federation


def test_the_api_builds_no_message_store_but_the_pages_do(
    federation: Federation, api: ApiClient
) -> None:
    """GIVEN Django's one-time messages middleware, narrowed to the pages,
    WHEN an API request and a page request are served, THEN only the page has a message store,
    and an API command still works with a session and a token alike."""
    client = Client()
    assert not hasattr(client.get("/api/me").wsgi_request, "_messages")
    assert hasattr(client.get("/").wsgi_request, "_messages")
    rosa = api.as_("rosa")
    answer = rosa.client.get("/api/me")
    assert answer.status_code == 200
    assert not hasattr(answer.wsgi_request, "_messages")


def test_waitress_does_not_log_each_request_that_waits_for_a_thread() -> None:
    """A congress queues by design: "Task queue depth is N" for nearly every vote was noise;
    errors of waitress's queue, and everything else at INFO, are still logged."""
    queue = logging.getLogger("waitress.queue")
    assert not queue.isEnabledFor(logging.WARNING)
    assert queue.isEnabledFor(logging.ERROR)
    assert logging.getLogger("waitress").isEnabledFor(logging.INFO)
    assert logging.getLogger("django.request").isEnabledFor(logging.WARNING)


class _Server:
    """What a waitress channel asks of its server, for a channel on a socket pair."""

    def __init__(self) -> None:
        self.triggers = 0
        self.active_channels: dict[int, Any] = {}

    def pull_trigger(self) -> None:
        self.triggers += 1

    def add_task(self, channel: Any) -> None:
        pass


@pytest.fixture
def channel() -> Any:
    ours, theirs = socket.socketpair()
    made = PatientChannel(_Server(), ours, ("127.0.0.1", 1), Adjustments(), map={})
    yield made
    ours.close()
    theirs.close()


def _holding(lock: Any) -> tuple[threading.Event, threading.Event, threading.Thread]:
    """A thread that holds ``lock`` (as a request thread does while it sends) until released."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    return held, release, thread


def test_a_connection_is_not_writable_while_its_request_thread_sends(channel: Any) -> None:
    """GIVEN output pending on a connection whose request is running, WHEN the request thread
    holds the output lock (it is sending), THEN the I/O loop does not wait for the socket (it
    could not send anyway: waitress's own rule says writable, and its loop spins); once the
    thread lets go, the pending output is writable again."""
    channel.outbufs[-1].append(b"HTTP/1.1 201 Created\r\n")
    channel.total_outbufs_len = 22
    channel.requests = [object()]
    _, release, thread = _holding(channel.outbuf_lock)
    try:
        assert HTTPChannel.writable(channel)  # waitress: writable, though it cannot send
        assert not channel.writable()
    finally:
        release.set()
        thread.join()
    assert channel.writable()


def test_output_with_no_request_running_or_a_close_is_writable(channel: Any) -> None:
    assert not channel.writable()  # nothing to send
    channel.outbufs[-1].append(b"left over")
    channel.total_outbufs_len = 9
    assert channel.writable()  # no request running: the loop sends it
    channel.requests = [object()]
    _, release, thread = _holding(channel.outbuf_lock)
    try:
        channel.will_close = True
        assert channel.writable()  # a connection to close is always handled
        channel.will_close = False
        channel.close_when_flushed = True
        assert channel.writable()
    finally:
        release.set()
        thread.join()


@pytest.mark.slow
def test_the_server_sends_large_answers_to_slow_readers_while_answering_others(
    tmp_path: Path,
) -> None:
    """GIVEN ``smolny serve`` with its channel, WHEN clients with small receive buffers ask for
    the OpenAPI document (146 kB: more than a socket takes at once, so the request thread
    leaves output for the I/O loop) and read it only later, THEN other clients are answered
    meanwhile, and each slow client then gets the whole document, on a connection that stays
    open for its next request."""
    with congress.database(connection.vendor, tmp_path) as env:
        server = congress.Server(env, 4, tmp_path / "server.log")
        try:
            whole = _get(server.port, "/api/openapi.json")
            assert len(whole) > 100_000
            slow = []
            for _ in range(6):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.connect(("127.0.0.1", server.port))
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                conn.sock = sock
                conn.request("GET", "/api/openapi.json")
                slow.append(conn)
            time.sleep(0.5)  # the slow clients read nothing yet
            started = time.monotonic()
            for _ in range(20):
                assert _get(server.port, "/healthz") == b"ok"
            assert time.monotonic() - started < 10
            for conn in slow:
                answer = conn.getresponse()
                assert (answer.status, answer.read()) == (200, whole)
                conn.request("GET", "/healthz")
                again = conn.getresponse()
                assert (again.status, again.read()) == (200, b"ok")
                conn.close()
        finally:
            server.stop()


def _get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        assert answer.status == 200
        return answer.read()
    finally:
        conn.close()
