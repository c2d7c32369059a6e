"""A multi-seat election in the browser: ranked ballots, an STV count, its stages and chart.

GIVEN a works council of seven electing three delegates (Scottish STV by default), WHEN a
member ranks candidates with the page's preference lists and the count closes, THEN the result
page shows every stage and an SVG chart readable without JavaScript, and the record keeps the
ballots and the seed for a recount.
"""

from __future__ import annotations

from typing import Any

import harbour
import pytest
from django.contrib.auth.models import User

from smolny.constitution import commands as c
from smolny.constitution.methods import METHODS
from smolny.readmodels.models import BallotRow, ElectionRow
from smolny.store import clock
from smolny.store.service import execute

from .axe import assert_no_serious_axe_violations
from .test_scenes import done, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = ("ana", "ben", "cal", "dia", "eve", "fay", "gus")


def seed() -> None:
    execute(
        c.FoundFederation(
            "ana",
            "Works Federation",
            "Congress",
            {"members_per_delegate": 3, "nomination_hours": 1, "voting_hours": 2},
        )
    )
    execute(c.CreateCouncil("ana", "C1", "Works Council", True))
    for name in WORKERS:
        execute(c.Join(name, name.title(), "C2"))
    execute(c.Reapportion("ana", "C1"))
    execute(c.CloseFounding("ana"))
    execute(c.CallElection("ana", "C2", "delegate"))
    for person in ("ana", "ben", "cal", "gus"):
        execute(c.Nominate(person, "E1", person))
    User.objects.bulk_create([User(username=n, password=harbour._hash()) for n in WORKERS])


def test_a_ranked_ballot_is_cast_in_the_page_and_the_count_is_shown_stage_by_stage(
    page: Any, live_server: Any
) -> None:
    seed()
    base = live_server.url
    election = ElectionRow.objects.get(key="E1")
    assert election.seats == 3 and election.method == "scottish-stv"
    clock.advance(hours=1)

    sign_in(page, base, "gus")
    page.goto(f"{base}/elections/E1")
    assert_no_serious_axe_violations(page)
    page.get_by_label("1st preference").select_option("gus")
    page.get_by_label("2nd preference").select_option("cal")
    page.get_by_role("button", name="Cast my ballot").click()
    done(page)
    for voter, ranking in (
        ("ana", ("ana", "ben")),
        ("ben", ("ben", "ana")),
        ("cal", ("cal", "ana")),
        ("dia", ("ana", "cal", "ben")),
        ("eve", ("gus",)),
        ("fay", ("gus", "cal")),
    ):
        execute(c.CastBallot(voter, "E1", ranking))
    page.goto(f"{base}/elections/E1")
    page.get_by_role("button", name="Close and count").click()
    done(page)

    page.goto(f"{base}/elections/E1")
    text = page.locator("main").inner_text()
    assert "The count, stage by stage" in text and "Quota 2" in text
    stages = page.locator("table", has_text="Each candidate's total after each stage")
    assert stages.locator("thead th").count() >= 3  # candidate column + at least two stages
    assert page.locator("figure svg[role=img] rect").count() >= 8
    assert_no_serious_axe_violations(page)

    result = ElectionRow.objects.get(key="E1").result
    ballots = {b.member: b.choices for b in BallotRow.objects.filter(owner="E1")}
    assert ballots["gus"] == ["gus", "cal"] and len(ballots) == result["ballots_counted"]
    recount = METHODS["scottish-stv"].count(result["candidates"], ballots, 3, result["seed"])
    assert recount["elected"] == result["elected"] and len(result["elected"]) == 3
    assert "gus" in result["elected"]  # the minority's candidate wins a seat
