"""``smolny verify URL`` compares what the server shows as decided with what the record gives.

GIVEN the Harbour federation served by a live server (its two delegate elections closed, four
delegates seated), WHEN an auditor runs ``smolny verify`` against the server's address, THEN
the record verifies and the decisions the server's pages draw on (``/api/results``: elections,
motions, recalls, mandates) equal those of the record replayed to the very entries they
reflect.  WHEN someone with access to the server's database leaves the record honest but
changes what the pages show (a seat given to someone else, an election's winners, an election
hidden), THEN verify fails and names the decision and the field.  A plain file server holding
only the tiles is verified too, and verify says that nothing shown was compared.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import harbour
import pytest

from smolny.readmodels import models as rm
from smolny.record.checkpoint import Checkpoint
from smolny.record.note import parse_note
from smolny.store.models import Checkpoint as CheckpointRow
from smolny.verify import Failure, Progress, verify
from smolny.verify.sources import HttpFetch, bundle_entries, verifier_key

from .conftest import smolny

pytestmark = pytest.mark.usefixtures("harbour")


def rosas_seat() -> str:
    return harbour.district_seat("rosa")


def test_what_the_server_shows_is_what_the_record_gives(live_server: Any) -> None:
    decisions = sum(model.objects.count() for model in (rm.ElectionRow, rm.MandateRow))
    assert decisions >= 6  # two elections, four delegates
    code, out = smolny("verify", live_server.url)
    assert code == 0, out
    assert f"what the server shows as decided ({decisions} elections" in out, out
    assert "is what the record gives" in out


def give_rosas_seat_to_leo() -> None:
    rm.MandateRow.objects.filter(key=rosas_seat()).update(holder="leo")


def change_the_first_elections_winners() -> None:
    row = rm.ElectionRow.objects.get(key="E1")
    assert row.result is not None
    rm.ElectionRow.objects.filter(key="E1").update(result={**row.result, "elected": ["leo"]})


def hide_the_second_election() -> None:
    rm.ElectionRow.objects.filter(key="E2").delete()


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (
            give_rosas_seat_to_leo,
            'mandate {seat}: it shows holder "leo", but the record gives "rosa"',
        ),
        (change_the_first_elections_winners, "election E1: it shows result"),
        (hide_the_second_election, "it does not show election E2, which the record holds"),
    ],
    ids=["a seat given to another", "an election's winners", "an election hidden"],
)
def test_a_page_that_shows_other_than_the_record_is_named(
    live_server: Any, tamper: Callable[[], None], named: str
) -> None:
    seat = rosas_seat()
    tamper()
    code, out = smolny("verify", live_server.url)
    assert code == 1, out
    assert f"FAILED at what the server shows: {named.format(seat=seat)}" in out, out


@pytest.fixture
def tiles_only(tmp_path: Path) -> Iterator[str]:
    """The record exported and served by a plain file server under /record/ (no API)."""
    code, out = smolny("export", "--dir", str(tmp_path / "site" / "record"))
    assert code == 0, out
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site")
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_plain_file_server_is_verified_and_nothing_shown_is_compared(tiles_only: str) -> None:
    code, out = smolny("verify", tiles_only)
    assert code == 0, out
    assert "publishes no results (/api/results), so what it shows was not compared" in out, out


def test_results_newer_than_the_signed_record_are_refused(live_server: Any) -> None:
    """A server showing decisions from entries no checkpoint it signed covers: the record
    cannot back them.  (``verify`` given the results and the older signed record.)"""
    fetch = HttpFetch(live_server.url)
    shown = fetch.results()
    assert shown is not None
    latest = CheckpointRow.objects.order_by("-size").first()
    assert latest is not None
    older = [c for c in fetch.checkpoints() if c.size < latest.size]
    size = older[-1].size
    assert Checkpoint.parse(parse_note(older[-1].note).text).size == size
    with pytest.raises(Failure) as failed:
        verify(
            lambda: bundle_entries(fetch, size),
            older,
            verifier_key(fetch),
            progress=Progress(every=3600, stream=None),
            shown=shown,
        )
    assert failed.value.where == "what the server shows"
    assert f"it reflects {shown['size']} entries, but the signed record has {size}" in str(
        failed.value.reason
    )
