"""The demo federation that ``smolny demo`` seeds.

GIVEN a fresh database, WHEN the demo is seeded, THEN it is a believable federation (a
congress, three districts, nine base councils, about 300 members with accounts, contested
elections, motions won and lost, a recall carried and its by-election), things are open for
whoever explores it now, its record replays to exactly its read models, and seeding again adds
nothing.

Seeding takes seconds, so the module seeds once (``demo``) and every test reads inside the
``db`` fixture's transaction; the module deletes what it seeded when it is done.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils.html import strip_tags

from smolny.cli import main as smolny
from smolny.constitution import DomainError, State, apply, parse_time, replay
from smolny.constitution import commands as c
from smolny.constitution.cases import bench
from smolny.demo import PASSWORD, PERSONAS, URL, DemoRefused, seed_demo, sign_ins
from smolny.demo import cast as k
from smolny.demo.debate import TITLE as DEBATED
from smolny.demo.secret import TRUSTEE_DIR, VOTER_DIR, public_key
from smolny.readmodels.models import (
    ActRow,
    BallotRow,
    CaseRow,
    CouncilRow,
    DebateRow,
    DocumentRow,
    ElectionRow,
    FederationRow,
    MandateRow,
    MemberRow,
    MotionRow,
    PublicationRow,
    RecallRow,
    RuleRow,
    RulingRow,
    SpeakerRow,
    TendencyRow,
)
from smolny.readmodels.replay import differences
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, entries, execute, forget
from smolny.verify.recount import recount

SEED_BUDGET_SECONDS = 60
"""Generous, for a loaded CI machine; it takes a few seconds on a laptop."""


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock():
        forget()
        started = time.perf_counter()
        text = seed_demo(fresh=True)
        elapsed = time.perf_counter() - started
        print(f"\nseed_demo(fresh=True): {Entry.objects.count()} entries in {elapsed:.2f}s")
        assert elapsed < SEED_BUDGET_SECONDS
        yield text
        call_command("flush", interactive=False, verbosity=0)
        forget()


@pytest.fixture
def seeded(demo: str, db: None) -> Iterator[str]:
    yield demo
    forget()  # a test that wrote (and was rolled back) must not leave its state cached


def delegates_of(constituency: str) -> list[str]:
    return sorted(
        MandateRow.objects.filter(
            constituency=constituency, kind="delegate", active=True
        ).values_list("holder", flat=True)
    )


def council(name: str) -> CouncilRow:
    return CouncilRow.objects.get(name=name)


# --- the shape of the federation -------------------------------------------------------------


def test_it_seeds_a_congress_three_districts_and_nine_base_councils(seeded: str) -> None:
    congress = CouncilRow.objects.get(parent=None)
    assert congress.name == k.CONGRESS
    districts = CouncilRow.objects.filter(parent=congress.key)
    assert sorted(d.name for d in districts) == sorted(k.DISTRICTS)
    assert all(not d.base for d in districts)
    bases = CouncilRow.objects.filter(base=True)
    assert bases.count() == 9
    assert {b.parent for b in bases} == {d.key for d in districts}
    assert FederationRow.objects.get().founding is False


def test_it_has_about_300_members_each_with_an_account(seeded: str) -> None:
    active = MemberRow.objects.filter(active=True).count()
    assert 280 <= active <= 320
    User = get_user_model()
    members = set(MemberRow.objects.values_list("key", flat=True))
    accounts = set(User.objects.values_list("username", flat=True))
    assert members <= accounts
    assert accounts - members == {k.OPERATOR}
    for member in MemberRow.objects.all()[:5]:
        assert "." in member.key and member.key == member.key.lower()


def test_every_account_signs_in_with_the_demo_password(seeded: str) -> None:
    User = get_user_model()
    for who, _ in PERSONAS:
        assert User.objects.get(username=who).check_password(PASSWORD), who
    assert not User.objects.get(username=k.DELEGATE).check_password("wrong")


def test_the_operator_runs_the_server_but_is_no_member(seeded: str) -> None:
    operator = get_user_model().objects.get(username=k.OPERATOR)
    assert operator.is_staff and operator.is_superuser
    assert not MemberRow.objects.filter(key=k.OPERATOR).exists()
    assert not MandateRow.objects.filter(holder=k.OPERATOR).exists()


def test_seats_add_up(seeded: str) -> None:
    congress = CouncilRow.objects.get(parent=None)
    for row in CouncilRow.objects.exclude(key=congress.key):
        assert len(delegates_of(row.key)) <= row.seats, row.name
    for base in CouncilRow.objects.filter(base=True):
        assert 2 <= base.seats <= 3, base.name
    for district in CouncilRow.objects.filter(parent=congress.key):
        assert 4 <= district.seats <= 6, district.name
        voters = sum(
            len(delegates_of(b.key)) for b in CouncilRow.objects.filter(parent=district.key)
        )
        assert voters > district.seats, f"{district.name}: its congress election had no contest"


# --- its history ------------------------------------------------------------------------------


def test_every_council_elected_its_delegation_and_officers_in_contested_elections(
    seeded: str,
) -> None:
    closed = ElectionRow.objects.exclude(closed_at=None)
    contested = [e for e in closed if e.result["contested"]]
    assert len(contested) >= 15
    for base in CouncilRow.objects.filter(base=True):
        elections = closed.filter(council=base.key)
        delegation = elections.get(kind="delegate", by_election=False)
        assert delegation.method == "scottish-stv" and delegation.result["contested"], base.name
        assert {e.office for e in elections.filter(kind="office")} >= {"chair", "secretary"}
        assert all(e.method == "plurality" for e in elections.filter(office="chair"))
        ballots = [tuple(b.choices) for b in BallotRow.objects.filter(owner=delegation.key)]
        assert len(set(ballots)) > 3, f"{base.name}: ballots should vary"
    congress = CouncilRow.objects.get(parent=None)
    assert {e.office for e in closed.filter(council=congress.key)} == {
        "chair",
        "secretary",
        "executive",
    }


def test_a_recall_carried_and_a_by_election_seated_a_new_delegate(seeded: str) -> None:
    recall = RecallRow.objects.get(status="carried")
    assert recall.holder == k.RECALLED
    assert recall.grounds
    assert recall.outcome["yes"] * 2 > recall.outcome["constituency"]
    by_election = ElectionRow.objects.get(
        council=recall.constituency, kind="delegate", by_election=True
    )
    assert by_election.called_at >= recall.opened_at
    assert by_election.result["elected"] == [k.BY_ELECTED]
    assert by_election.result["contested"]
    new = MandateRow.objects.get(election=by_election.key)
    assert new.constituency == recall.constituency and new.active
    assert k.BY_ELECTED in delegates_of(recall.constituency)
    assert k.RECALLED not in delegates_of(recall.constituency)
    old = MandateRow.objects.get(key=recall.mandate)
    assert old.end_reason == "recalled" and old.ended_at <= new.start


def test_motions_were_carried_and_lost_and_the_congress_amended_the_constitution(
    seeded: str,
) -> None:
    decided = MotionRow.objects.filter(status__in=("carried", "lost"))
    outcomes = Counter(decided.values_list("status", flat=True))
    assert outcomes["carried"] >= 5 and outcomes["lost"] >= 1
    amendment = decided.get(effect__kind="amend_params")
    assert amendment.status == "carried" and amendment.result["majority"] == "two_thirds"
    yes, no = amendment.result["yes"], amendment.result["no"]
    assert 3 * yes >= 2 * (yes + no) and yes < yes + no, "two thirds, not unanimity"
    assert FederationRow.objects.get().params["recall_share"] == "1/5"
    grant = decided.get(effect__kind="grant_power")
    assert grant.status == "carried"
    act = ActRow.objects.get()
    assert (act.council, act.office) == (grant.council, grant.effect["office"])
    assert act.at > grant.vote_opens, "the chair acted on the power once it was granted"
    assert DocumentRow.objects.values("body").distinct().count() >= 4


def test_the_history_is_in_order_and_in_the_past(seeded: str) -> None:
    times = [parse_time(at) for at in Entry.objects.order_by("seq").values_list("at", flat=True)]
    assert times == sorted(times)
    now = clock.now()  # the server's clock, which other tests in this process may have moved
    assert times[-1] < now
    assert timedelta(days=100) < now - times[0] < timedelta(days=130)


# --- open now ---------------------------------------------------------------------------------


def test_things_are_open_for_whoever_explores_it_now(seeded: str) -> None:
    now = clock.now()  # the server's clock, which other tests in this process may have moved
    petition = RecallRow.objects.get(status="petition")
    assert petition.holder == k.DELEGATE
    open_elections = ElectionRow.objects.filter(closed_at=None)
    assert any(now < parse_time(e.nominations_close) for e in open_elections)
    assert any(
        parse_time(e.nominations_close) <= now < parse_time(e.voting_close) and e.ballots_cast
        for e in open_elections
    )
    assert MotionRow.objects.filter(status="filed").exists()
    voting = [
        m
        for m in MotionRow.objects.filter(status="agenda")
        if parse_time(m.vote_opens) <= now < parse_time(m.vote_closes)
    ]
    assert len(voting) >= 2


def test_the_personas_are_who_the_sign_in_table_says(seeded: str) -> None:
    assert seeded == sign_ins()
    assert URL in seeded and PASSWORD in seeded
    for who, _ in PERSONAS:
        assert who in seeded
    nurses = council(k.NURSES).key
    assert k.DELEGATE in delegates_of(nurses)
    petition = RecallRow.objects.get(status="petition")
    assert petition.constituency == nurses
    assert MemberRow.objects.get(key=k.CONSTITUENT).council == nurses
    assert k.CONSTITUENT not in petition.signatures
    assert MandateRow.objects.filter(
        holder=k.CHAIR, kind="office", office="chair", active=True, body=council(k.DOCKERS).key
    ).exists()
    lena = MemberRow.objects.get(key=k.OTHER_MEMBER)
    assert lena.council == council(k.STUDENTS).key
    assert not MandateRow.objects.filter(holder=k.OTHER_MEMBER).exists()
    congress = CouncilRow.objects.get(parent=None).key
    assert MandateRow.objects.filter(
        holder=k.CONGRESS_DELEGATE, kind="delegate", body=congress, active=True
    ).exists()


def test_the_personas_can_act_on_what_is_open(seeded: str) -> None:
    """The open items are really open: the constitution accepts the personas' commands."""
    petition = RecallRow.objects.get(status="petition")
    execute(c.SignRecall(k.CONSTITUENT, petition.key))
    filed = MotionRow.objects.get(status="filed")
    execute(c.CoSponsor(k.CONSTITUENT, filed.key))
    dockers = council(k.DOCKERS).key
    election = ElectionRow.objects.get(council=dockers, closed_at=None)
    execute(c.CastBallot(k.CHAIR, election.key, tuple(election.candidates[:2])))
    congress = CouncilRow.objects.get(parent=None).key
    for who, where in ((k.CONGRESS_DELEGATE, congress), (k.OTHER_MEMBER, council(k.STUDENTS).key)):
        motion = MotionRow.objects.get(status="agenda", council=where)
        execute(c.CastVote(who, motion.key, "yes"))


# --- the freedoms: a commission and its cases, tendencies and the press, secret ballots ----------


def test_the_dockers_elected_a_control_commission_and_cases_are_before_it(seeded: str) -> None:
    dockers = council(k.DOCKERS).key
    commission = MandateRow.objects.filter(
        body=dockers, kind="office", office="control_commission", active=True
    )
    assert commission.count() == 3
    assert k.COMMISSIONER in {m.holder for m in commission}
    assert RuleRow.objects.filter(repealed_at=None).count() >= 2, "charges cite the code"
    cases = {row.key: row for row in CaseRow.objects.filter(council=dockers)}
    outcomes = sorted((row.decision or {}).get("outcome", "open") for row in cases.values())
    assert outcomes == ["dismiss", "open", "warning"]
    warning = next(
        row for row in cases.values() if (row.decision or {}).get("outcome") == "warning"
    )
    assert warning.decision["until"], "every sanction has an end date"
    assert warning.hearing and warning.reply
    # One waits for its hearing now: replied, the reply period over, the commissioner sits.
    waiting = next(row for row in cases.values() if row.decision is None)
    assert waiting.stage == "replied" and parse_time(waiting.reply_until) < clock.now()
    state = current_state()
    assert k.COMMISSIONER in bench(state, state.cases[waiting.key])


def test_a_commissioner_can_hear_the_open_case_and_a_member_elsewhere_cannot(
    seeded: str,
) -> None:
    waiting = CaseRow.objects.get(decision__isnull=True)
    with pytest.raises(DomainError) as refused:
        execute(c.RecordHearing(k.CONSTITUENT, waiting.key, "Heard."))
    assert refused.value.code == "not_commissioner"
    assert "control commission of Harbour Dockers" in refused.value.message
    execute(c.RecordHearing(k.COMMISSIONER, waiting.key, "Heard with both parties."))
    assert CaseRow.objects.get(key=waiting.key).stage == "heard"


def test_tendencies_were_founded_and_one_published_to_every_member(seeded: str) -> None:
    congress = CouncilRow.objects.get(parent=None).key
    tendencies = TendencyRow.objects.filter(scope=congress, status="active")
    assert tendencies.count() >= 2
    press = FederationRow.objects.get().params.get("press_threshold", 5)
    publishing = PublicationRow.objects.get(kind="publication")
    tendency = tendencies.get(key=publishing.publisher)
    assert len(tendency.founders) >= 3 and set(tendency.confirmed) >= set(tendency.founders)
    assert tendency.supporters >= press
    assert tendency.commitments, "most supporters are private: commitments, not names"
    assert publishing.scope == congress
    # Delivered to every member of the federation as it then was (one has left since).
    assert abs(publishing.reach - MemberRow.objects.filter(active=True).count()) <= 2


def _secret(kind: str) -> Any:
    return next(sb for sb in current_state().secret.values() if sb.kind == kind)


def test_a_secret_strike_ballot_is_open_with_amaras_credential_on_its_roll(seeded: str) -> None:
    sb = _secret("motion")
    assert sb.phase == "voting" and sb.threshold == 2 and len(sb.trustees) == 3
    assert clock.now() < parse_time(MotionRow.objects.get(key=sb.subject).vote_closes)
    assert sb.roll[public_key(k.CONSTITUENT)] == k.CONSTITUENT
    assert k.CONSTITUENT not in {b["member"] for b in sb.ballots}
    assert 5 <= len(sb.ballots) < len(sb.roll)
    # The simulated trustees' key files and the voters' credentials are under the data dir.
    data = settings.DATA_DIR
    keys = sorted((data / TRUSTEE_DIR / sb.subject).iterdir())
    assert [p.name.split("-")[1] for p in keys] == ["1", "2", "3"]
    assert all(p.stat().st_mode & 0o077 == 0 for p in keys), "key files are private"
    assert (
        "simulated on the server ONLY because this is a demo"
        in (data / TRUSTEE_DIR / "README.txt").read_text()
    )
    credential = json.loads((data / VOTER_DIR / f"{k.CONSTITUENT}.json").read_text())
    assert credential["public_key"] == public_key(k.CONSTITUENT)


def test_a_closed_secret_election_was_decrypted_by_two_of_three_trustees_and_verifies(
    seeded: str, tmp_path: Any, capsys: Any
) -> None:
    sb = _secret("election")
    assert sb.phase == "decided" and sb.result is not None
    assert sb.result["trustees"] == [1, 3] and sorted(sb.decryptions) == [1, 3]
    election = ElectionRow.objects.get(key=sb.subject)
    assert election.office == "control_commission" and election.method == "approval"
    assert k.COMMISSIONER in election.result["elected"]
    assert smolny(["election", "export", sb.subject, str(tmp_path)]) == 0
    assert smolny(["verify-election", str(tmp_path)]) == 0, capsys.readouterr().out


# --- a debate -----------------------------------------------------------------------------------


def _debated() -> MotionRow:
    return MotionRow.objects.get(title=DEBATED)


def _page(who: str | None, path: str) -> str:
    """What a reader signed in as ``who`` (or no one) sees: tags dropped."""
    client = Client()
    if who is not None:
        assert client.login(username=who, password=PASSWORD)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    return " ".join(html.unescape(strip_tags(re.sub(r"<(td|th|li)\b", r" <\1", page))).split())


def test_the_dockers_debate_a_motion_for_and_against_with_two_rulings_of_the_chair(
    seeded: str,
) -> None:
    motion = _debated()
    dockers = council(k.DOCKERS).key
    assert motion.council == dockers and motion.status == "agenda"
    assert clock.now() < parse_time(motion.vote_closes), "still debated when the demo starts"
    assert MandateRow.objects.filter(
        holder=k.CHAIR, body=dockers, kind="office", office="chair", active=True
    ).exists()
    places = SpeakerRow.objects.filter(motion=motion.key)
    spoke = places.exclude(held=None)
    assert Counter(spoke.values_list("side", flat=True)) == {"for": 3, "against": 3}
    assert places.filter(status="withdrawn").count() == 1
    # Some spoke on behalf of the tendencies, each one a supporter by name; the others for
    # themselves.
    tendencies = {t.key: t for t in TendencyRow.objects.all()}
    on_behalf = {p.tendency for p in spoke if p.tendency}
    assert {tendencies[t].name for t in on_behalf} == {"Mandate First", "One Federation"}
    assert all(p.member in tendencies[p.tendency].named for p in places if p.tendency)
    assert spoke.filter(tendency=None).count() == 3
    debate = DebateRow.objects.get(key=motion.key)
    assert set(debate.time_used) == {*on_behalf, ""}

    rulings = {r.kind: r for r in RulingRow.objects.filter(motion=motion.key)}
    assert set(rulings) == {"call_to_order", "point_of_order"}
    assert all(r.chair == k.CHAIR and r.reason for r in rulings.values())
    # The call to order: challenged, overturned, the speaker back at the head of the list with
    # the time he had left, and he finished his speech.
    called = rulings["call_to_order"]
    assert called.status == "overturned" and called.challenged_by
    assert called.outcome["overturn"] > called.outcome["uphold"]
    cut = SpeakerRow.objects.get(key=called.speaker)
    assert cut.status == "called_to_order" and cut.ended_by == called.key
    restored = places.get(restored_by=called.key)
    assert restored.member == cut.member and restored.status == "spoke"
    assert restored.seconds == cut.granted - cut.held
    assert restored.asked_at <= restored.started
    # The point of order: challenged too, and upheld by the floor.
    point = rulings["point_of_order"]
    assert point.status == "upheld" and point.outcome["uphold"] > point.outcome["overturn"]

    # Now no one has the floor and two wait, in the rules' order: the tendency that has spoken
    # less comes first though its speaker asked later.
    assert debate.speaking is None and debate.closed_by is None
    waiting = [SpeakerRow.objects.get(key=key) for key in debate.queue]
    assert [p.side for p in waiting] == ["against", "against"]
    assert waiting[0].tendency and not waiting[1].tendency
    assert waiting[0].asked_at > waiting[1].asked_at


def test_the_motion_page_shows_the_debate_and_only_the_chair_is_offered_the_floor(
    seeded: str,
) -> None:
    motion = _debated()
    debate = DebateRow.objects.get(key=motion.key)
    nxt = MemberRow.objects.get(key=SpeakerRow.objects.get(key=debate.queue[0]).member).name
    path = f"/motions/{motion.key}"
    chair = _page(k.CHAIR, path)
    assert "No one has the floor." in chair
    assert f"Give the floor to {nxt}, the next speaker" in chair
    assert f"{nxt} — against, for Mandate First · next" in chair
    assert "Called the speaker to order" in chair and "overturned by the floor" in chair
    assert "Ruled on a point of order" in chair and "upheld by the floor" in chair
    assert "Mandate First" in chair and "One Federation" in chair
    assert "Non-aligned (speaking for themselves)" in chair
    # Another docker may ask to speak, but is offered no floor to give.
    commissioner = _page(k.COMMISSIONER, path)
    assert "Ask to speak" in commissioner and "Give the floor" not in commissioner
    assert "overturned by the floor" in commissioner
    # A member of another council, and a visitor, see the debate and are offered neither.
    for who in (k.OTHER_MEMBER, None):
        page = _page(who, path)
        assert "Ask to speak" not in page and "Give the floor" not in page
        assert f"{nxt} — against, for Mandate First · next" in page


def test_the_chair_gives_the_floor_to_the_next_speaker_and_another_docker_cannot(
    seeded: str,
) -> None:
    motion = _debated()
    debate = DebateRow.objects.get(key=motion.key)
    nxt = SpeakerRow.objects.get(key=debate.queue[0])
    before = Entry.objects.count()
    with pytest.raises(DomainError) as refused:
        execute(c.GiveFloor(k.COMMISSIONER, motion.key))
    assert refused.value.code == "not_chair"
    assert Entry.objects.count() == before
    execute(c.AskToSpeak(k.COMMISSIONER, motion.key, "for"))
    execute(c.GiveFloor(k.CHAIR, motion.key))
    debate.refresh_from_db()
    assert debate.speaking == nxt.key
    assert SpeakerRow.objects.get(key=nxt.key).status == "speaking"


def test_the_floors_votes_on_the_chairs_rulings_recount_by_the_rules(seeded: str) -> None:
    """What ``smolny verify`` checks of the debate: each challenge decided, re-decided by
    ``CloseChallenge`` on the state the record held then, gives the published result."""
    state = State()
    recounted = 0
    for event in entries():
        if event.type == "challenge_decided":
            assert recount(state, event) is None, event.data
            recounted += 1
        apply(state, event)
    assert recounted == 2


def test_smolny_verify_passes_on_the_demo(seeded: str, capsys: Any) -> None:
    """Every hash, signature and recount of the demo's record checks, including its recall
    carried by the vote that made the majority (done again from the state before that vote)."""
    assert smolny(["verify"]) == 0, capsys.readouterr().out


# --- the record, and seeding again ---------------------------------------------------------------


def test_the_record_replays_to_exactly_the_read_models(seeded: str) -> None:
    assert differences(replay(entries())) == []


def test_seeding_again_adds_nothing(seeded: str) -> None:
    before = (Entry.objects.count(), get_user_model().objects.count())
    assert seed_demo(False) == ""
    assert (Entry.objects.count(), get_user_model().objects.count()) == before


def test_fresh_refuses_to_delete_a_federation_that_is_not_the_demo(seeded: str) -> None:
    call_command("flush", interactive=False, verbosity=0)
    forget()
    execute(c.FoundFederation("someone", "A Real Federation"))
    with pytest.raises(DemoRefused):
        seed_demo(True)
    assert current_state().name == "A Real Federation"
    assert Entry.objects.count() == 2
