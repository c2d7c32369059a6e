"""A congress voting at once through a real server loses no vote.

GIVEN a federation whose General Assembly has 300 members, each with an API token, and a motion
whose roll-call vote is open, served by ``smolny serve`` as a subprocess on this run's database
(SQLite in a temporary directory, or a fresh schema of ``DATABASE_URL``'s PostgreSQL database),
WHEN 32 clients cast every member's vote at once through the API, and one member in ten then
changes hers, THEN every vote is acknowledged once, each is in the record at the entry index of
its receipt with its voter and choice, the record holds no other entry, the roll call (the API's
and the read model) shows every member exactly once with her last vote, and ``smolny verify``
passes.  Seeding, serving, the clients and the checks are bench/congress.py's, so the benchmark
and this test cannot drift apart.
"""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest
from django.db import connection

from bench import congress

pytestmark = pytest.mark.slow

MEMBERS = 300
CLIENTS = 32
THREADS = 8
"""Fewer threads than clients, so requests also queue in waitress."""


def test_a_congress_voting_at_once_through_the_server_loses_no_vote(tmp_path: Path) -> None:
    votes = congress.plan(MEMBERS, revote=0.1)
    changed = {member for member, choices in votes if len(choices) == 2}
    assert changed  # the scene includes members who change their vote
    with congress.database(connection.vendor, tmp_path) as env:
        seeded = congress.run_worker(env, "seed", members=MEMBERS)
        motion = seeded["motion"]
        server = congress.Server(env, THREADS, tmp_path / "server.log")
        try:
            outcome = congress.cast_votes(server, motion, seeded["tokens"], votes, CLIENTS)
            roll_call = server.get(f"/api/motions/{motion}")["roll_call"]
        finally:
            server.stop()
        stored = congress.run_worker(env, "record", motion=motion, first_seq=seeded["first_seq"])
        verified = congress.verify(env)

    # Every vote sent was acknowledged (201), once.
    assert outcome.errors == {}
    sent = sorted((member, choice) for member, choices in votes for choice in choices)
    assert sorted((member, choice) for member, choice, _ in outcome.acknowledged) == sent

    # Each acknowledged vote is in the record at its receipt's index, and nothing else is.
    recorded = {
        seq: (kind, actor, on, member, choice)
        for seq, kind, actor, on, member, choice in stored["entries"]
    }
    assert recorded == {
        seq: ("vote_cast", member, motion, member, choice)
        for member, choice, seq in outcome.acknowledged
    }
    assert stored["size"] == seeded["first_seq"] + len(sent)

    # A changed vote comes after the vote it changes, and is the one the roll call shows.
    seqs: dict[str, list[int]] = {}
    for member, _, seq in outcome.acknowledged:
        seqs.setdefault(member, []).append(seq)
    assert all(seqs[member][0] < seqs[member][1] for member in changed)
    last = sorted((member, choices[-1]) for member, choices in votes)
    assert sorted((vote["member"], vote["choice"]) for vote in roll_call) == last
    assert sorted(map(tuple, stored["read_model"])) == last

    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{stored['size']} entries" in verified.stdout


def test_the_server_answers_a_client_beyond_the_hundredth_open_connection(
    tmp_path: Path,
) -> None:
    """Waitress by itself stops accepting at 100 open connections: the 101st client of a
    congress would wait until another one closed (an idle one after two minutes)."""
    with congress.database(connection.vendor, tmp_path) as env:
        congress.run_worker(env, "seed", members=2)
        server = congress.Server(env, THREADS, tmp_path / "server.log")
        try:
            held = []
            for _ in range(150):
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                conn.request("GET", "/healthz")
                held.append(conn)
            # Every connection stays open (keep-alive), and every one is answered.
            answers = [conn.getresponse() for conn in held]
            assert [(a.status, a.read()) for a in answers] == [(200, b"ok")] * 150
            assert not any(a.will_close for a in answers)
        finally:
            for conn in held:
                conn.close()
            server.stop()
