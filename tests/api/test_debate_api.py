"""Every debate command through the API: the right actor can, a wrong one is refused with the
constitution's code as a problem document, and the refusal changes neither the record nor any
read model.

GIVEN the API's federation (tests/api/conftest.py) with karl elected chair of the Dockers (C3)
and rosa's motion on their agenda; ivan is a teacher, zoe is no member at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from smolny.constitution import commands as c
from smolny.readmodels.models import DebateRow, RulingRow
from smolny.store import clock

from .conftest import (
    DEBATE,
    ApiClient,
    Case,
    Federation,
    a_wrong_actor_is_refused,
    assert_problem,
    json_of,
    the_right_actor_can,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _debate(fed: Federation, *, speaking: bool = False, ruling: bool = False) -> str:
    fed.elect("C3", "office", ["karl"], office="chair")
    motion = fed.motion_on_agenda("C3", "rosa", "karl")
    fed.do(c.AskToSpeak("clara", motion, "for"))
    if speaking:
        fed.do(c.GiveFloor("karl", motion))
    if ruling:
        fed.do(c.MakeRuling("karl", motion, "close_list", "We have heard enough."))
    return motion


def ask_to_speak(fed: Federation) -> Case:
    motion = _debate(fed)
    return Case("leo", {"motion": motion, "side": "against"}, "ivan", "not_a_voter", 403)


def withdraw_request_to_speak(fed: Federation) -> Case:
    motion = _debate(fed)
    return Case("clara", {"motion": motion}, "leo", "not_on_list", 409)


def give_floor(fed: Federation) -> Case:
    motion = _debate(fed)
    return Case("karl", {"motion": motion}, "rosa", "not_chair", 403)


def end_speech(fed: Federation) -> Case:
    motion = _debate(fed, speaking=True)
    return Case("clara", {"motion": motion}, "ivan", "not_a_voter", 403)


def make_ruling(fed: Federation) -> Case:
    motion = _debate(fed)
    body = {"motion": motion, "kind": "point_of_order", "reason": "The amendment is in order."}
    return Case("karl", body, "rosa", "not_chair", 403)


def challenge_ruling(fed: Federation) -> Case:
    _debate(fed, ruling=True)
    return Case("rosa", {"ruling": "CR1"}, "ivan", "not_a_voter", 403)


def vote_on_challenge(fed: Federation) -> Case:
    _debate(fed, ruling=True)
    fed.do(c.ChallengeRuling("rosa", "CR1"))
    return Case("leo", {"ruling": "CR1", "choice": "overturn"}, "ivan", "not_a_voter", 403)


def close_challenge(fed: Federation) -> Case:
    _debate(fed, ruling=True)
    fed.do(c.ChallengeRuling("rosa", "CR1"))
    clock.advance(hours=11 / 60)
    return Case("leo", {"ruling": "CR1"}, "zoe", "not_a_member", 403)


SCENES: dict[str, Callable[[Federation], Case]] = {
    f.__name__: f
    for f in (
        ask_to_speak,
        withdraw_request_to_speak,
        give_floor,
        end_speech,
        make_ruling,
        challenge_ruling,
        vote_on_challenge,
        close_challenge,
    )
}


def test_every_debate_command_has_an_api_scene() -> None:
    assert set(SCENES) == set(DEBATE)


@pytest.mark.parametrize("name", sorted(SCENES))
def test_the_right_actor_can(name: str, federation: Federation, api: ApiClient) -> None:
    the_right_actor_can(api, name, SCENES[name](federation))


@pytest.mark.parametrize("name", sorted(SCENES))
def test_a_wrong_actor_is_refused_and_nothing_changes(
    name: str, federation: Federation, api: ApiClient
) -> None:
    a_wrong_actor_is_refused(api, name, SCENES[name](federation))


def test_a_ruling_overturned_through_the_api_reopens_the_list(
    federation: Federation, api: ApiClient
) -> None:
    motion = _debate(federation, ruling=True)
    assert DebateRow.objects.get(key=motion).closed_by == "CR1"
    assert json_of(api.as_("vera").command("challenge_ruling", ruling="CR1"))["entries"]
    for voter in ("rosa", "clara", "leo", "nadia"):
        api.as_(voter).command("vote_on_challenge", ruling="CR1", choice="overturn")
    clock.advance(hours=11 / 60)
    response: Any = api.as_("karl").command("close_challenge", ruling="CR1")
    assert [e["type"] for e in json_of(response)["entries"]] == [
        "challenge_decided",
        "speaker_list_reopened",
    ]
    assert RulingRow.objects.get(key="CR1").status == "overturned"
    assert DebateRow.objects.get(key=motion).closed_by is None
    assert_problem(
        api.as_("leo").command("ask_to_speak", motion=motion, side="sideways"), 422, "invalid_side"
    )
