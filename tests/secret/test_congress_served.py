"""A congress voting at once by secret ballot through a real server loses no ballot.

GIVEN 60 members of one council, each with an API token and a registered credential, and a
motion held by secret ballot (three trustees, threshold two) whose key ceremony is done, served
by ``smolny serve`` as a subprocess on this run's database, WHEN 8 clients cast every member's
encrypted ballot at once through the API and one member in ten casts a second one, THEN every
ballot is acknowledged, each is in the record at its receipt's index with its member and the
tracker her device computed, nothing else is; the tally decrypted by two trustees counts each
member's last ballot; ``smolny verify`` and ``smolny verify-election`` pass.  The seeding,
casting and checks are bench/secret_congress.py's, so the benchmark and this test cannot drift.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from django.db import connection

from bench import secret_congress

pytestmark = pytest.mark.slow


def test_a_congress_voting_by_secret_ballot_through_the_server_loses_no_ballot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(members=60, clients=8, threads=8, revote=0.1)
    failed = secret_congress.run(connection.vendor, args, tmp_path)
    out = capsys.readouterr().out
    assert failed == 0, out
    assert "errors: none" in out, out
    assert "checks: every acknowledged ballot is in the record at its index" in out, out
