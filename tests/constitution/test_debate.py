"""Debate on a motion: the speaker list's order is the constitution's, the chair's rulings are
recorded and the floor can overturn them (DESIGN: "Speaker lists alternate for and against and
give each tendency equal time; every ruling of the chair is recorded and can be overturned by
the floor").

GIVEN the Harbour scene (tests/constitution/scene.py): the Dockers (C3) are rosa, karl, clara,
leo, nadia and vera; karl is elected their chair.  Two tendencies of the Dockers exist: nadia
founded "Rank and File" (T1) and clara supports it by name; vera founded "Harbour Left" (T2)
and leo supports it by name.  Clara's motion MO1 is on the Dockers' agenda.  ivan is a teacher:
he is not a voter of the Dockers.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from smolny.constitution import COMMANDS, debate, snapshot
from smolny.constitution import commands as c
from smolny.constitution.debate import duration, group, order, time_used
from smolny.constitution.decide import HANDLERS
from smolny.constitution.health import health

from .scene import Scene, federation, with_chair

KEY = "ab" * 32
"""A support key (the web layer derives one per member; any 64 hex digits do here)."""
MINUTE = 1 / 60  # of an hour, for Scene.tick


def debate_scene(**overrides: object) -> Scene:
    s = federation(tendency_founders=1, **overrides)
    with_chair(s, "C3", "karl")
    s.do(c.ProposeTendency("nadia", "C3", "Rank and File", "The rank and file decide."))
    s.do(c.ProposeTendency("vera", "C3", "Harbour Left", "The harbour, to the left."))
    s.do(c.DeclareSupport("clara", "T1", KEY, named=True))
    s.do(c.DeclareSupport("nadia", "T1", "cd" * 32, named=True))
    s.do(c.DeclareSupport("leo", "T2", KEY, named=True))
    s.do(c.DeclareSupport("vera", "T2", "ef" * 32, named=True))
    s.do(c.FileMotion("clara", "C3", "Safety rota", "Two stewards per shift."))
    s.do(c.CoSponsor("leo", "MO1"))
    assert s.state.motions["MO1"].status == "agenda"
    return s


def speaking(s: Scene) -> str | None:
    speaker = s.state.debates["MO1"].speaking
    return s.state.speakers[speaker].member if speaker else None


def queue(s: Scene) -> list[str]:
    return [sp.member for sp in order(s.state, "MO1")]


def speak(s: Scene, minutes: float = 1) -> str:
    """The chair gives the floor; the speaker speaks ``minutes`` and ends; returns who spoke."""
    s.do(c.GiveFloor("karl", "MO1"))
    who = speaking(s)
    assert who is not None
    s.tick(hours=minutes * MINUTE)
    s.do(c.EndSpeech(who, "MO1"))
    return who


# --- asking to speak --------------------------------------------------------------------------


def test_a_voter_asks_to_speak_for_herself_or_for_a_tendency_she_supports_by_name() -> None:
    s = debate_scene()
    events = s.do(c.AskToSpeak("rosa", "MO1", "against"))
    assert s.types(events) == ["speaker_requested"]
    assert events[0].data == {
        "motion": "MO1",
        "speaker": "SP1",
        "member": "rosa",
        "side": "against",
        "tendency": None,
    }
    events = s.do(c.AskToSpeak("clara", "MO1", "for", "T1"))
    assert events[0].data["tendency"] == "T1"
    assert queue(s) == ["clara", "rosa"]  # for opens


def test_a_member_of_another_council_cannot_ask_to_speak() -> None:
    s = debate_scene()
    error = s.refused(c.AskToSpeak("ivan", "MO1", "for"), "not_a_voter")
    assert "Dockers" in error.message


def test_a_private_supporter_speaks_for_herself_not_for_the_tendency() -> None:
    s = debate_scene()
    s.do(c.DeclareSupport("rosa", "T1", "12" * 32))  # private
    error = s.refused(c.AskToSpeak("rosa", "MO1", "for", "T1"), "not_a_named_supporter")
    assert "speak for yourself" in error.message
    events = s.do(c.AskToSpeak("rosa", "MO1", "for"))
    assert events[0].data["tendency"] is None


def test_asking_is_refused_outside_the_debate_and_twice() -> None:
    s = debate_scene()
    s.do(c.FileMotion("clara", "C3", "Second motion", "Not yet on the agenda."))
    s.refused(c.AskToSpeak("rosa", "MO2", "for"), "not_on_agenda")
    s.refused(c.AskToSpeak("rosa", "MO1", "sideways"), "invalid_side")
    s.refused(c.AskToSpeak("rosa", "MO1", "for", "T9"), "no_such_tendency")
    s.do(c.AskToSpeak("rosa", "MO1", "for"))
    s.refused(c.AskToSpeak("rosa", "MO1", "against"), "already_listed")
    s.tick(hours=3)
    error = s.refused(c.AskToSpeak("leo", "MO1", "for"), "debate_over")
    assert "January 2026" in error.message  # the close, in words


def test_a_speaker_withdraws_her_own_request() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("rosa", "MO1", "for"))
    events = s.do(c.WithdrawRequestToSpeak("rosa", "MO1"))
    assert s.types(events) == ["speaker_withdrawn"]
    assert queue(s) == []
    # and may ask again, on the other side
    s.do(c.AskToSpeak("rosa", "MO1", "against"))
    assert queue(s) == ["rosa"]


def test_no_one_withdraws_a_request_that_is_not_hers() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("rosa", "MO1", "for"))
    s.refused(c.WithdrawRequestToSpeak("leo", "MO1"), "not_on_list")
    assert queue(s) == ["rosa"]


# --- the floor --------------------------------------------------------------------------------


def test_the_chair_gives_the_floor_to_the_speaker_the_rules_designate() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("rosa", "MO1", "against"))
    s.do(c.AskToSpeak("leo", "MO1", "for", "T2"))
    events = s.do(c.GiveFloor("karl", "MO1"))
    assert s.types(events) == ["floor_given"]
    assert events[0].data == {
        "motion": "MO1",
        "speaker": "SP2",
        "member": "leo",
        "side": "for",
        "tendency": "T2",
        "seconds": 300,
    }
    assert speaking(s) == "leo"
    s.refused(c.GiveFloor("karl", "MO1"), "floor_taken")


def test_only_the_chair_gives_the_floor() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("rosa", "MO1", "against"))
    error = s.refused(c.GiveFloor("rosa", "MO1"), "not_chair")
    assert "Karl" in error.message
    s.refused(c.GiveFloor("ivan", "MO1"), "not_chair")


def test_a_council_without_a_chair_is_told_to_elect_one() -> None:
    s = federation()
    s.do(c.FileMotion("clara", "C3", "Safety rota", "Two stewards per shift."))
    s.do(c.CoSponsor("leo", "MO1"))
    s.do(c.AskToSpeak("rosa", "MO1", "for"))
    s.refused(c.GiveFloor("karl", "MO1"), "no_chair")


def test_the_chair_cannot_give_the_floor_to_an_empty_list() -> None:
    s = debate_scene()
    s.refused(c.GiveFloor("karl", "MO1"), "list_empty")


def test_the_speaker_ends_her_speech_when_she_likes_and_the_record_keeps_its_times() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("rosa", "MO1", "against"))
    s.do(c.GiveFloor("karl", "MO1"))
    s.tick(hours=2 * MINUTE)
    events = s.do(c.EndSpeech("rosa", "MO1"))
    assert s.types(events) == ["speech_ended"]
    held = events[0].data["seconds"]
    assert 120 <= held < 125  # each command of the scene takes its few seconds
    spoke = s.state.speakers["SP1"]
    assert spoke.status == "spoke" and spoke.held == held
    assert spoke.started is not None and spoke.ended is not None
    assert (spoke.ended - spoke.started).total_seconds() // 1 == held
    assert time_used(s.state, "MO1") == {"": held}


def test_the_chair_cannot_cut_a_speech_short_except_by_a_ruling() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("rosa", "MO1", "against"))
    s.do(c.GiveFloor("karl", "MO1"))
    s.tick(hours=2 * MINUTE)
    error = s.refused(c.EndSpeech("karl", "MO1"), "time_not_up")
    assert "call her to order" in error.message
    s.refused(c.EndSpeech("ivan", "MO1"), "not_a_voter")
    # once her five minutes are up, the chair ends it (or any voter: a chair cannot let an
    # ally run on)
    s.tick(hours=4 * MINUTE)
    events = s.do(c.EndSpeech("clara", "MO1"))
    assert events[0].actor == "clara" and events[0].data["seconds"] >= 300
    s.refused(c.EndSpeech("karl", "MO1"), "no_one_speaking")


def test_a_speaker_who_left_the_council_lapses_and_the_next_one_speaks() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("vera", "MO1", "for"))
    s.do(c.AskToSpeak("rosa", "MO1", "against"))
    s.do(c.Transfer("vera", "C4"))
    events = s.do(c.GiveFloor("karl", "MO1"))
    assert s.types(events) == ["speaker_withdrawn", "floor_given"]
    assert events[0].data["lapsed"] is True and events[1].data["member"] == "rosa"


# --- the order ---------------------------------------------------------------------------------


def test_sides_alternate_and_one_side_continues_when_the_other_is_empty() -> None:
    s = debate_scene()
    for who in ("rosa", "leo", "nadia"):
        s.do(c.AskToSpeak(who, "MO1", "for"))
    s.do(c.AskToSpeak("vera", "MO1", "against"))
    assert [speak(s) for _ in range(4)] == ["rosa", "vera", "leo", "nadia"]


def test_the_tendency_that_has_spoken_least_goes_first_within_a_side() -> None:
    s = debate_scene()
    # Rank and File speaks first and long; then three for-speakers wait: two of Rank and File
    # (first come), one of Harbour Left, and one non-aligned.
    s.do(c.AskToSpeak("clara", "MO1", "for", "T1"))
    assert speak(s, minutes=4) == "clara"
    s.do(c.AskToSpeak("nadia", "MO1", "for", "T1"))
    s.do(c.AskToSpeak("clara", "MO1", "for", "T1"))
    s.do(c.AskToSpeak("leo", "MO1", "for", "T2"))
    s.do(c.AskToSpeak("rosa", "MO1", "for"))
    # Harbour Left and the non-aligned have used nothing: first come among them (leo), then
    # the non-aligned (rosa), then Rank and File, first come (nadia, then clara).
    assert queue(s) == ["leo", "rosa", "nadia", "clara"]
    assert speak(s, minutes=1) == "leo"
    assert speak(s, minutes=1) == "rosa"
    assert speak(s, minutes=1) == "nadia"
    used = time_used(s.state, "MO1")
    assert sorted(used) == ["", "T1", "T2"] and used["T1"] > 300 > 2 * used["T2"]


# --- rulings ---------------------------------------------------------------------------------


def test_the_chair_closes_the_list_with_a_reason_and_no_one_more_is_added() -> None:
    s = debate_scene()
    events = s.do(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    assert s.types(events) == ["chair_ruled"]
    assert events[0].data["reason"] == "We have heard both sides."
    error = s.refused(c.AskToSpeak("rosa", "MO1", "for"), "list_closed")
    assert "challenge" in error.message
    s.refused(c.MakeRuling("karl", "MO1", "close_list", "Again."), "list_closed")


def test_only_the_chair_rules() -> None:
    s = debate_scene()
    s.refused(c.MakeRuling("rosa", "MO1", "close_list", "Enough."), "not_chair")
    s.refused(c.MakeRuling("karl", "MO1", "adjourn", "Enough."), "invalid_ruling")
    s.refused(c.MakeRuling("karl", "MO1", "point_of_order", "  "), "missing_text")
    s.refused(c.MakeRuling("karl", "MO1", "call_to_order", "Order."), "no_one_speaking")


def test_a_call_to_order_ends_the_speech_and_is_recorded_with_it() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("leo", "MO1", "against", "T2"))
    s.do(c.GiveFloor("karl", "MO1"))
    s.tick(hours=1 * MINUTE)
    events = s.do(c.MakeRuling("karl", "MO1", "call_to_order", "Off the motion."))
    assert s.types(events) == ["chair_ruled", "speech_ended"]
    assert events[1].data["ruling"] == "CR1" and 60 <= events[1].data["seconds"] < 65
    assert s.state.speakers["SP1"].status == "called_to_order"
    assert speaking(s) is None


def test_a_point_of_order_is_a_ruling_in_words_only() -> None:
    s = debate_scene()
    events = s.do(c.MakeRuling("karl", "MO1", "point_of_order", "The amendment is in order."))
    assert s.state.rulings["CR1"].kind == "point_of_order"
    assert s.types(events) == ["chair_ruled"]


def closed_and_challenged(s: Scene) -> None:
    s.do(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    s.do(c.ChallengeRuling("rosa", "CR1"))


def test_any_voter_challenges_a_ruling_once() -> None:
    s = debate_scene()
    s.do(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    events = s.do(c.ChallengeRuling("rosa", "CR1"))
    assert s.types(events) == ["ruling_challenged"]
    assert s.state.rulings["CR1"].status == "challenged"
    s.refused(c.ChallengeRuling("leo", "CR1"), "already_challenged")
    s.refused(c.ChallengeRuling("rosa", "CR9"), "no_such_ruling")


def test_a_member_of_another_council_cannot_challenge_nor_vote() -> None:
    s = debate_scene()
    s.do(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    s.refused(c.ChallengeRuling("ivan", "CR1"), "not_a_voter")
    s.do(c.ChallengeRuling("rosa", "CR1"))
    s.refused(c.VoteOnChallenge("ivan", "CR1", "overturn"), "not_a_voter")


def test_voting_on_a_challenge() -> None:
    s = debate_scene()
    s.do(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    s.refused(c.VoteOnChallenge("leo", "CR1", "overturn"), "not_challenged")
    s.do(c.ChallengeRuling("rosa", "CR1"))
    events = s.do(c.VoteOnChallenge("leo", "CR1", "overturn"))
    assert s.types(events) == ["challenge_voted"]
    s.refused(c.VoteOnChallenge("leo", "CR1", "maybe"), "invalid_choice")
    s.tick(hours=11 * MINUTE)
    s.refused(c.VoteOnChallenge("vera", "CR1", "overturn"), "challenge_closed")


def test_the_floor_overturns_closing_the_list_and_it_reopens() -> None:
    s = debate_scene()
    closed_and_challenged(s)
    for voter in ("rosa", "leo", "vera", "nadia"):
        s.do(c.VoteOnChallenge(voter, "CR1", "overturn"))
    s.do(c.VoteOnChallenge("karl", "CR1", "uphold"))
    s.refused(c.CloseChallenge("karl", "CR1"), "challenge_open")
    s.tick(hours=10 * MINUTE)
    events = s.do(c.CloseChallenge("karl", "CR1"))
    assert s.types(events) == ["challenge_decided", "speaker_list_reopened"]
    assert events[0].data | {} == {
        "ruling": "CR1",
        "motion": "MO1",
        "overturned": True,
        "overturn": 4,
        "uphold": 1,
        "electorate": 6,
    }
    assert s.state.rulings["CR1"].status == "overturned"
    s.do(c.AskToSpeak("clara", "MO1", "for"))
    s.refused(c.CloseChallenge("karl", "CR1"), "challenge_decided")
    assert health(s.state)["rulings_overturned"] == 1


def test_a_ruling_the_floor_upholds_stands_and_a_tie_upholds() -> None:
    s = debate_scene()
    closed_and_challenged(s)
    s.do(c.VoteOnChallenge("rosa", "CR1", "overturn"))
    s.do(c.VoteOnChallenge("karl", "CR1", "uphold"))
    s.tick(hours=10 * MINUTE)
    events = s.do(c.CloseChallenge("clara", "CR1"))
    assert s.types(events) == ["challenge_decided"]
    assert events[0].data["overturned"] is False
    assert s.state.rulings["CR1"].status == "upheld"
    s.refused(c.AskToSpeak("clara", "MO1", "for"), "list_closed")
    figures = health(s.state)
    assert (figures["rulings_of_the_chair"], figures["rulings_challenged"]) == (1, 1)
    assert figures["rulings_overturned"] == 0


def test_every_voter_having_voted_closes_a_challenge_early_but_not_a_stranger() -> None:
    s = debate_scene()
    closed_and_challenged(s)
    for voter in s.state.voters("C3"):
        s.do(c.VoteOnChallenge(voter, "CR1", "uphold"))
    s.refused(c.CloseChallenge("stranger", "CR1"), "not_a_member")
    events = s.do(c.CloseChallenge("ivan", "CR1"))
    assert events[0].data["uphold"] == 6


def test_the_count_of_a_challenge_is_offered_only_when_it_would_be_counted() -> None:
    """GIVEN a closed list challenged by rosa, THEN no one may count the votes while the floor
    is voting and some have not voted (nor before a challenge, nor a stranger ever); once the
    time is up anyone who is a member may, and so could a visitor who signs in."""
    s = debate_scene()
    s.do(c.MakeRuling("karl", "MO1", "close_list", "We have heard both sides."))
    assert not debate.may_close_challenge(s.state, "CR1", s.now, "karl")  # not challenged
    s.do(c.ChallengeRuling("rosa", "CR1"))
    s.do(c.VoteOnChallenge("leo", "CR1", "overturn"))
    for who in ("karl", "rosa", "ivan", None):
        assert not debate.may_close_challenge(s.state, "CR1", s.now, who)
    s.refused(c.CloseChallenge("karl", "CR1"), "challenge_open")
    s.tick(hours=10 * MINUTE)
    for who in ("karl", "ivan", None):
        assert debate.may_close_challenge(s.state, "CR1", s.now, who)
    assert not debate.may_close_challenge(s.state, "CR1", s.now, "stranger")
    assert not debate.may_close_challenge(s.state, "CR9", s.now, "karl")
    s.do(c.CloseChallenge("ivan", "CR1"))
    assert not debate.may_close_challenge(s.state, "CR1", s.now, "karl")  # decided


def test_overturning_a_call_to_order_gives_her_the_rest_of_her_time_at_the_head() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("leo", "MO1", "against", "T2"))
    s.do(c.AskToSpeak("clara", "MO1", "for", "T1"))
    s.do(c.AskToSpeak("rosa", "MO1", "for"))
    assert speak(s, minutes=1) == "clara"
    s.do(c.GiveFloor("karl", "MO1"))
    assert speaking(s) == "leo"
    s.tick(hours=2 * MINUTE)
    s.do(c.MakeRuling("karl", "MO1", "call_to_order", "Off the motion."))
    s.do(c.ChallengeRuling("vera", "CR1"))
    for voter in ("vera", "leo", "nadia", "clara"):
        s.do(c.VoteOnChallenge(voter, "CR1", "overturn"))
    s.tick(hours=10 * MINUTE)
    events = s.do(c.CloseChallenge("vera", "CR1"))
    assert s.types(events) == ["challenge_decided", "speaker_restored"]
    left = events[1].data["seconds"]
    assert 175 < left <= 180 and events[1].data["member"] == "leo"
    assert left == 300 - s.state.speakers["SP1"].held
    # Leo is back first, though rosa (for) would be next by alternation.
    assert queue(s) == ["leo", "rosa"]
    events = s.do(c.GiveFloor("karl", "MO1"))
    assert events[0].data["member"] == "leo" and events[0].data["seconds"] == left


def test_a_challenge_is_made_while_the_motion_is_debated() -> None:
    s = debate_scene()
    s.do(c.MakeRuling("karl", "MO1", "point_of_order", "In order."))
    s.tick(hours=3)
    s.refused(c.ChallengeRuling("rosa", "CR1"), "debate_over")


# --- the record ------------------------------------------------------------------------------


def test_a_debate_replays_to_the_same_state() -> None:
    s = debate_scene()
    s.do(c.AskToSpeak("leo", "MO1", "against", "T2"))
    s.do(c.AskToSpeak("clara", "MO1", "for", "T1"))
    speak(s, minutes=3)
    s.do(c.GiveFloor("karl", "MO1"))
    s.do(c.MakeRuling("karl", "MO1", "call_to_order", "Off the motion."))
    s.do(c.ChallengeRuling("vera", "CR1"))
    s.do(c.VoteOnChallenge("vera", "CR1", "overturn"))
    s.tick(hours=10 * MINUTE)
    s.do(c.CloseChallenge("vera", "CR1"))
    assert snapshot(s.replayed()) == snapshot(s.state)


def test_durations_read_as_words() -> None:
    assert duration(0) == "0 seconds"
    assert duration(61) == "1 minute 1 second"
    assert duration(300) == "5 minutes"


def test_speech_minutes_are_a_parameter_with_bounds() -> None:
    s = debate_scene(speech_minutes=2)
    s.do(c.AskToSpeak("rosa", "MO1", "for"))
    events = s.do(c.GiveFloor("karl", "MO1"))
    assert events[0].data["seconds"] == 120
    from smolny.constitution import DomainError, Params

    for bad in (0, 121):
        try:
            Params.from_dict({"speech_minutes": bad})
        except DomainError as error:
            assert error.code == "invalid_parameter"
        else:
            raise AssertionError(f"speech_minutes={bad} accepted")


# --- the property: for any requests, the rule's order -----------------------------------------

EXTRA = tuple(f"m{n}" for n in range(1, 7))


def _base() -> Scene:
    s = federation(tendency_founders=1, voting_hours=200)
    for name in EXTRA:
        s.do(c.Join(name, name.upper(), "C3"))
    with_chair(s, "C3", "karl")
    s.do(c.ProposeTendency("nadia", "C3", "Rank and File", "The rank and file decide."))
    s.do(c.ProposeTendency("vera", "C3", "Harbour Left", "The harbour, to the left."))
    s.do(c.ProposeTendency("m1", "C3", "Dockside", "The docks."))
    for n, (member, tendency) in enumerate(
        [
            ("clara", "T1"),
            ("nadia", "T1"),
            ("m2", "T1"),
            ("leo", "T2"),
            ("vera", "T2"),
            ("m1", "T3"),
            ("m3", "T3"),
        ]
    ):
        s.do(c.DeclareSupport(member, tendency, f"{n:02x}" * 32, named=True))
    s.do(c.FileMotion("clara", "C3", "Safety rota", "Two stewards per shift."))
    for sponsor in ("leo", "vera", "m1"):
        s.do(c.CoSponsor(sponsor, "MO1"))
    assert s.state.motions["MO1"].status == "agenda"
    return s


BASE = _base()
MEMBERS = ("rosa", "clara", "leo", "nadia", "vera", *EXTRA)
NAMED = {
    "clara": "T1",
    "nadia": "T1",
    "m2": "T1",
    "leo": "T2",
    "vera": "T2",
    "m1": "T3",
    "m3": "T3",
}

asks = st.tuples(
    st.just("ask"), st.sampled_from(MEMBERS), st.sampled_from(("for", "against")), st.booleans()
)
speeches = st.tuples(st.just("speak"), st.integers(1, 420), st.just(""), st.just(False))


@settings(max_examples=60)
@given(st.lists(st.one_of(asks, speeches), max_size=40))
def test_any_requests_get_the_floor_alternately_and_least_spoken_tendency_first(
    steps: list[tuple[str, object, str, bool]],
) -> None:
    s = copy.deepcopy(BASE)
    steps = [*steps, *[("speak", 60, "", False)] * 30]  # then the list is drained
    for kind, arg, side, for_tendency in steps:
        if kind == "ask":
            member = str(arg)
            debate = s.state.debates.get("MO1")
            listed = debate is not None and any(
                s.state.speakers[x].member == member
                and s.state.speakers[x].status in ("waiting", "speaking")
                for x in debate.speakers
            )
            if not listed:
                tendency = NAMED.get(member) if for_tendency else None
                s.do(c.AskToSpeak(member, "MO1", side, tendency))
            continue
        if not order(s.state, "MO1"):
            continue
        debate = s.state.debates["MO1"]
        waiting = [
            s.state.speakers[x] for x in debate.speakers if s.state.speakers[x].status == "waiting"
        ]
        used = time_used(s.state, "MO1")
        last = debate.last_side
        events = s.do(c.GiveFloor("karl", "MO1"))
        chosen = s.state.speakers[events[-1].data["speaker"]]
        sides = {w.side for w in waiting}
        if len(sides) == 2:
            assert chosen.side == ("against" if last == "for" else "for")
        same_side = [w for w in waiting if w.side == chosen.side]
        assert all(used.get(group(w), 0) >= used.get(group(chosen), 0) for w in same_side)
        same_group = [w for w in same_side if group(w) == group(chosen)]
        assert chosen is same_group[0], "first come within a group"
        s.tick(hours=int(str(arg)) / 3600)
        s.do(c.EndSpeech(chosen.member, "MO1"))
    assert order(s.state, "MO1") == []


# --- every debate command has its "can" and its wrong-person twin -----------------------------

DEBATE = sorted(
    name for name, kind in COMMANDS.items() if HANDLERS[kind].__module__ == debate.__name__
)
"""The commands the debate module decides (derived, so a new one cannot be left out)."""
WRONG_PERSON = {"not_a_voter", "not_chair", "not_on_list", "not_a_member", "not_a_named_supporter"}


def test_every_debate_command_has_a_can_test_and_a_wrong_person_test() -> None:
    tree = ast.parse(Path(__file__).read_text())
    can: set[str] = set()
    cannot: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute)):
            continue
        name = first.func.attr
        if node.func.attr == "do":
            can.add(name)
        if (
            node.func.attr == "refused"
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in WRONG_PERSON
        ):
            cannot.add(name)
    for command in DEBATE:
        cls = COMMANDS[command].__name__
        assert cls in can, f"no 'can' test for {command}"
        assert cls in cannot, f"no wrong-person test for {command}"
