"""A debate on a motion through its page and the action view (Django's test client, real
database, the real store).

GIVEN the Harbour federation (tests/harbour.py): the Dockers (C3) are rosa, karl, clara, leo,
nadia and vera; here karl is elected their chair, nadia, clara and vera found the tendency
"Rank and File" (T1) and clara supports it by name; clara's motion MO1 is on the Dockers'
agenda.  ivan is a teacher: not a voter of the Dockers.  Every action has its wrong-person
twin, refused with nothing recorded.
"""

from __future__ import annotations

import html
import json
import re

import harbour
import pytest
from django.test import Client
from django.utils.html import strip_tags
from harbour import client_for

from smolny.constitution import Event
from smolny.constitution import commands as c
from smolny.pages import entry_names, happenings
from smolny.readmodels.models import DebateRow, RulingRow, SpeakerRow
from smolny.readmodels.replay import differences
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, execute
from tests.freedoms.scene import key as support_key

pytestmark = pytest.mark.django_db(transaction=True)

DEBATE_TYPES = (
    "speaker_requested",
    "speaker_withdrawn",
    "floor_given",
    "speech_ended",
    "chair_ruled",
    "ruling_challenged",
    "challenge_voted",
    "challenge_decided",
    "speaker_list_reopened",
    "speaker_restored",
)


def seed_debate() -> None:
    harbour.seed()
    called = execute(c.CallElection("karl", "C3", "office", "chair"))
    election = json.loads(bytes(called[0].body))["data"]["id"]
    execute(c.Nominate("karl", election, "karl"))
    clock.advance(hours=1)
    for voter in harbour.DOCKERS:
        execute(c.CastBallot(voter, election, ("karl",)))
    execute(c.CloseElection("karl", election))
    execute(
        c.ProposeTendency("nadia", "C3", "Rank and File", "The rank decide.", ("clara", "vera"))
    )
    execute(c.ConfirmFounding("clara", "T1"))
    execute(c.ConfirmFounding("vera", "T1"))
    execute(c.DeclareSupport("clara", "T1", support_key("clara"), named=True))
    execute(c.FileMotion("clara", "C3", "Safety rota", "Two stewards per shift."))
    execute(c.CoSponsor("leo", "MO1"))


@pytest.fixture
def debate() -> None:
    seed_debate()


def act(who: str, name: str, **fields: str) -> tuple[int, str]:
    response = client_for(who).post(f"/act/{name}", {**fields, "next": "/motions/MO1"})
    if response.status_code == 302:
        return 302, client_for(who).get("/motions/MO1").content.decode()
    return response.status_code, response.content.decode()


def text(page: str) -> str:
    """What a reader sees: tags dropped (each as a space, so table cells stay apart)."""
    return " ".join(html.unescape(strip_tags(re.sub(r"<(td|th)\b", r" <\1", page))).split())


def seqs() -> list[int]:
    return list(Entry.objects.order_by("seq").values_list("seq", flat=True))


def test_the_motion_page_shows_the_debate_to_everyone(debate: None) -> None:
    execute(c.AskToSpeak("clara", "MO1", "for", "T1"))
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    page = text(Client().get("/motions/MO1").content.decode())
    assert "No one has the floor." in page
    assert "Clara — for, for Rank and File · next" in page
    assert "Rosa — against, for herself" in page
    assert "The chair (Karl) gives the floor" in page
    # a visitor is offered no form of the debate
    assert "Ask to speak" not in page and "Give the floor" not in page


def test_a_voter_asks_to_speak_for_her_tendency_from_the_page(debate: None) -> None:
    page = client_for("clara").get("/motions/MO1").content.decode()
    assert '<option value="T1">Rank and File</option>' in page
    status, page = act("clara", "ask_to_speak", motion="MO1", side="for", tendency="T1")
    assert status == 302 and "Clara — for, for Rank and File" in text(page)
    place = SpeakerRow.objects.get()
    assert (place.member, place.side, place.tendency, place.status) == (
        "clara",
        "for",
        "T1",
        "waiting",
    )
    # without a tendency she speaks for herself (the select's empty option)
    status, page = act("rosa", "ask_to_speak", motion="MO1", side="against", tendency="")
    assert status == 302 and SpeakerRow.objects.get(member="rosa").tendency is None


def test_a_teacher_cannot_ask_to_speak_in_the_dockers(debate: None) -> None:
    assert "Ask to speak" not in client_for("ivan").get("/motions/MO1").content.decode()
    before = seqs()
    status, page = act("ivan", "ask_to_speak", motion="MO1", side="for", tendency="")
    assert status == 403 and "Only the members of Dockers can ask to speak" in text(page)
    assert seqs() == before and not SpeakerRow.objects.exists()


def test_a_speaker_withdraws_but_no_one_else_withdraws_her(debate: None) -> None:
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    before = seqs()
    status, page = act("leo", "withdraw_request_to_speak", motion="MO1")
    assert status == 409 and "only a speaker can take her own name off" in text(page)
    assert seqs() == before
    status, page = act("rosa", "withdraw_request_to_speak", motion="MO1")
    assert status == 302 and "No one is waiting to speak." in text(page)


def test_the_chair_gives_the_floor_and_the_page_says_until_when(debate: None) -> None:
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    page = client_for("karl").get("/motions/MO1").content.decode()
    assert "Give the floor to Rosa, the next speaker" in text(page)
    status, page = act("karl", "give_floor", motion="MO1")
    assert status == 302
    shown = text(page)
    assert "Rosa has the floor, speaking against the motion for herself, since" in shown
    assert DebateRow.objects.get().speaking == "SP1"
    # she ends her own speech; the record shows who spoke, for which side, from when to when
    status, page = act("rosa", "end_speech", motion="MO1")
    shown = text(page)
    assert "Non-aligned (speaking for themselves)" in shown
    assert "Speaker Side For When Held Rosa against herself" in shown


def test_only_the_chair_gives_the_floor(debate: None) -> None:
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    assert "Give the floor" not in client_for("rosa").get("/motions/MO1").content.decode()
    before = seqs()
    status, page = act("rosa", "give_floor", motion="MO1")
    assert status == 403 and "Only the chair of Dockers (Karl) can give the floor." in text(page)
    assert seqs() == before and DebateRow.objects.get().speaking is None


def test_the_chair_cannot_end_a_speech_before_its_time(debate: None) -> None:
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    execute(c.GiveFloor("karl", "MO1"))
    assert "End the speech" not in client_for("karl").get("/motions/MO1").content.decode()
    before = seqs()
    status, page = act("karl", "end_speech", motion="MO1")
    assert status == 409 and "only she can end her speech before then" in text(page)
    assert seqs() == before
    # once her five minutes are up, the chair (or any voter) is offered the button, and it works
    clock.advance(hours=6 / 60)
    page = text(client_for("leo").get("/motions/MO1").content.decode())
    assert "her time is up" in page and "End the speech (her time is up)" in page
    status, page = act("karl", "end_speech", motion="MO1")
    assert status == 302 and "No one has the floor." in text(page)


def test_a_ruling_challenged_and_overturned_is_shown_and_counted(debate: None) -> None:
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    execute(c.GiveFloor("karl", "MO1"))
    status, page = act(
        "karl", "make_ruling", motion="MO1", kind="call_to_order", reason="Off the motion."
    )
    assert status == 302
    shown = text(page)
    assert "CR1: Karl" in shown and "Called the speaker to order (Rosa)" in shown
    assert "Reason: “Off the motion.” The ruling stands: no one has challenged it." in shown
    status, page = act("vera", "challenge_ruling", ruling="CR1")
    assert status == 302 and "Challenged by Vera; the floor is voting: 0 to overturn" in text(page)
    for voter in ("vera", "rosa", "leo", "nadia"):
        status, _ = act(voter, "vote_on_challenge", ruling="CR1", choice="overturn")
        assert status == 302
    status, page = act("karl", "vote_on_challenge", ruling="CR1", choice="uphold")
    assert "You voted to uphold it" in text(page)
    clock.advance(hours=11 / 60)
    status, page = act("clara", "close_challenge", ruling="CR1")
    shown = text(page)
    assert (
        "Challenged by Vera; the ruling was overturned by the floor: 4 to overturn, 1 to uphold, of 6 voters."
        in shown
    )
    assert "Rosa — against, for herself (her speech restored by the floor" in shown
    assert RulingRow.objects.get().status == "overturned"
    health = text(Client().get("/health").content.decode())
    assert "1 rulings, 1 challenged, 1 overturned" in health
    # the read models are what a replay of the record gives
    assert differences(current_state()) == []


def test_only_the_chair_rules_and_a_teacher_cannot_challenge_nor_vote(debate: None) -> None:
    before = seqs()
    status, page = act("rosa", "make_ruling", motion="MO1", kind="close_list", reason="Enough.")
    assert status == 403 and "Only the chair of Dockers (Karl) can rule" in text(page)
    assert seqs() == before
    execute(c.MakeRuling("karl", "MO1", "close_list", "Enough."))
    page = client_for("ivan").get("/motions/MO1").content.decode()
    assert "Challenge ruling CR1" not in page
    before = seqs()
    status, page = act("ivan", "challenge_ruling", ruling="CR1")
    assert status == 403 and "Only the members of Dockers can challenge" in text(page)
    execute(c.ChallengeRuling("rosa", "CR1"))
    status, page = act("ivan", "vote_on_challenge", ruling="CR1", choice="overturn")
    assert status == 403
    assert seqs() == [*before, before[-1] + 1]  # rosa's challenge, and nothing of ivan's


def test_every_debate_entry_reads_as_a_sentence_with_names(debate: None) -> None:
    since = Entry.objects.count()
    execute(c.AskToSpeak("clara", "MO1", "for", "T1"))
    execute(c.AskToSpeak("leo", "MO1", "against"))
    execute(c.WithdrawRequestToSpeak("leo", "MO1"))
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    execute(c.GiveFloor("karl", "MO1"))
    execute(c.EndSpeech("clara", "MO1"))
    execute(c.GiveFloor("karl", "MO1"))
    execute(c.MakeRuling("karl", "MO1", "call_to_order", "Off the motion."))
    execute(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    execute(c.ChallengeRuling("rosa", "CR1"))
    execute(c.ChallengeRuling("rosa", "CR2"))
    for voter in harbour.DOCKERS:
        execute(c.VoteOnChallenge(voter, "CR1", "overturn"))
        execute(c.VoteOnChallenge(voter, "CR2", "overturn"))
    execute(c.CloseChallenge("rosa", "CR1"))
    execute(c.CloseChallenge("rosa", "CR2"))
    sentences = {}
    for entry in Entry.objects.filter(seq__gte=since).order_by("seq"):
        event = Event.decode(bytes(entry.body))
        words = text(str(happenings.sentence(event, entry_names.names_for(event))))
        assert not words.startswith("An entry of type"), (entry.type, words)
        for persona in harbour.DOCKERS:
            assert f" {persona} " not in f" {words} ", words
        sentences[entry.type] = words
    assert sorted(sentences) == sorted(DEBATE_TYPES)
    assert sentences["speaker_requested"] == (
        "Rosa asked to speak on motion MO1 “Safety rota”, against it, for herself."
    )
    assert sentences["floor_given"] == (
        "Karl, as chair, gave the floor on motion MO1 “Safety rota” to Rosa, who speaks against "
        "it, for herself, for at most 5 minutes, as the rules of the speaker list designated."
    )
    assert sentences["challenge_decided"] == (
        "The floor overturned ruling CR2 of the chair in the debate on motion MO1 “Safety rota”: "
        "6 to overturn, 0 to uphold, of 6 entitled to vote."
    )
    assert sentences["speaker_restored"].startswith("The floor overturned ruling CR1")
    assert differences(current_state()) == []


def test_a_voter_not_on_a_closed_list_is_told_why_she_cannot_ask_to_speak(debate: None) -> None:
    execute(c.AskToSpeak("rosa", "MO1", "against"))
    execute(c.MakeRuling("karl", "MO1", "close_list", "We have heard enough."))
    leo = text(client_for("leo").get("/motions/MO1").content.decode())
    assert "Ask to speak" not in leo
    assert (
        "The chair closed the speaker list (ruling CR1), so no one can ask to speak now. Any "
        "voter may challenge that ruling below; if the floor overturns it, the list opens again."
    ) in leo
    # Rosa, already on the list, keeps her place and is not told she cannot speak.
    rosa = text(client_for("rosa").get("/motions/MO1").content.decode())
    assert "You are on the list, against the motion." in rosa
    assert "no one can ask to speak now" not in rosa
    # A teacher, who could not ask anyway, is not told about asking.
    assert "no one can ask to speak now" not in text(
        client_for("ivan").get("/motions/MO1").content.decode()
    )
