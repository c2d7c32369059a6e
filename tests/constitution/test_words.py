"""Refusals say times and offices in words a member reads, not in the record's spelling.

The record writes ``2026-11-30T14:57:46.187328Z`` and ``control_commission``; a member told
"Voting is open until 2026-11-30T14:57:46.187328Z" has to decode it.  ``constitution.words``
writes "30 November 2026 at 14:57 UTC" and "control commission" instead, for every refusal
that names a time (and a secret ballot's manifest, tests/secret)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from smolny.constitution import OFFICES, fmt_time
from smolny.constitution import commands as c
from smolny.constitution.words import office, when

from .scene import federation

RECORD_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def test_a_time_in_words() -> None:
    moment = datetime(2026, 11, 30, 14, 57, 46, 187328, tzinfo=UTC)
    assert when(moment) == "30 November 2026 at 14:57 UTC"
    assert when(fmt_time(moment)) == "30 November 2026 at 14:57 UTC"  # the record's spelling
    east = moment.astimezone(timezone(timedelta(hours=3)))
    assert when(east) == "30 November 2026 at 14:57 UTC"  # always said in UTC
    assert when(datetime(2027, 1, 2, 0, 5, tzinfo=UTC)) == "2 January 2027 at 00:05 UTC"


def test_every_office_has_words() -> None:
    assert office("control_commission") == "control commission"
    assert office("executive") == "executive committee"
    assert office(None) == ""
    for key in OFFICES:
        assert office(key) and "_" not in office(key), key


def _in_words(message: str, moment: datetime) -> None:
    assert not RECORD_TIME.search(message), f"a raw time in {message!r}"
    assert when(moment) in message, message


def test_the_refusals_of_an_election_name_its_times_in_words() -> None:
    s = federation()
    s.do(c.CallElection("clara", "C3", "office", "chair"))
    election = s.state.elections[s.latest("E")]
    s.do(c.Nominate("clara", election.id, "clara"))
    error = s.refused(c.CastBallot("leo", election.id, ("clara",)), "voting_not_open")
    _in_words(error.message, election.nominations_close)
    s.tick(hours=1)
    error = s.refused(c.Nominate("leo", election.id, "leo"), "nominations_closed")
    _in_words(error.message, election.nominations_close)
    s.do(c.CastBallot("leo", election.id, ("clara",)))
    error = s.refused(c.CloseElection("leo", election.id), "voting_still_open")
    _in_words(error.message, election.voting_close)


def test_the_refusal_to_close_a_recall_early_names_its_close_in_words() -> None:
    s = federation()
    s.do(c.OpenRecall("karl", "M1", "She voted against our mandate."))
    recall = s.latest("R")
    s.do(c.SignRecall("clara", recall))
    error = s.refused(c.CloseRecall("leo", recall), "ballot_still_open")
    close = s.state.recalls[recall].ballot_close
    assert close is not None
    _in_words(error.message, close)
