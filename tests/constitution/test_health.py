"""The health report computed from the state (DESIGN: signs of a captured democracy)."""

from __future__ import annotations

from smolny.constitution import commands as c
from smolny.constitution.health import health

from .scene import federation


def test_health_counts_uncontested_elections_and_recalls() -> None:
    s = federation()
    figures = health(s.state)
    assert figures["elections_closed"] == 2 and figures["uncontested"] == 2
    assert figures["uncontested_elections"] == "1"
    assert figures["offices_held_without_election"] == []
    s.do(c.OpenRecall("clara", s.mandate_of("rosa"), "Broke the mandate."))
    assert health(s.state)["recalls_opened"] == 1


def test_health_flags_a_mandate_that_no_election_gave() -> None:
    s = federation()
    mandate = s.state.mandates[s.mandate_of("rosa")]
    mandate.election = "E999"  # as if someone had written a seat into the state by hand
    assert health(s.state)["offices_held_without_election"] == [mandate.id]
