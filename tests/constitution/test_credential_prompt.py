"""Who must still register a voting credential for a secret ballot, and until when.

``secret.credential_due`` is the rule the home page and the booth ask: a member must register
when she is a voter of the ballot's council, has no credential, and the roll (frozen when the
trustees finish the key ceremony) is not frozen yet; the deadline is the earliest moment the
roll can freeze, in words.

GIVEN the scene federation (tests/constitution/scene.py): clara, leo, nadia and vera are
dockers (C3), ivan a teacher (C4); trustees karl, ivan and olga (threshold 2).
"""

from __future__ import annotations

from datetime import timedelta

from smolny.ballot import parse_manifest, trustee_init
from smolny.constitution import Event, apply
from smolny.constitution import commands as c
from smolny.constitution.events import fmt_time
from smolny.constitution.secret import (
    ceremony_too_late,
    credential_due,
    credentials_due,
    may_cast,
)
from smolny.constitution.words import when
from tests.constitution.scene import Scene, federation
from tests.secret import rite


def secret_election(s: Scene) -> str:
    s.do(
        c.CallElection("clara", "C3", "office", "secretary", "approval", "secret", rite.TRUSTEES, 2)
    )
    election = s.latest("E")
    s.do(c.Nominate("clara", election, "clara"))
    s.do(c.Nominate("leo", election, "leo"))
    return election


def register(s: Scene, who: str, seed: int) -> None:
    s.do(c.RegisterCredential(who, bytes(rite.credential(seed).verify_key).hex()))


def test_a_voter_without_a_credential_is_told_to_register_before_nominations_close() -> None:
    """GIVEN a secret election of the Dockers' secretary, nominations open for an hour, WHEN
    clara has no credential, THEN she must register before nominations close, in words."""
    s = federation()
    election = secret_election(s)
    closes = s.state.elections[election].nominations_close
    due = credential_due(s.state, election, "clara", s.now)
    assert due is not None
    assert (due.subject, due.kind, due.council, due.earliest) == (
        election,
        "election",
        "C3",
        closes,
    )
    assert due.deadline.startswith(f"before {when(closes)}: nominations close then")
    assert "key ceremony" in due.deadline and "2026-" not in due.deadline
    assert credentials_due(s.state, "clara", s.now) == [due]


def test_a_member_of_another_council_or_nobody_is_never_told_to_register() -> None:
    s = federation()
    election = secret_election(s)
    for who in ("ivan", "max", "nobody", ""):
        assert credential_due(s.state, election, who, s.now) is None, who
        assert credentials_due(s.state, who, s.now) == [], who
    assert credential_due(s.state, "E99", "clara", s.now) is None


def test_an_open_election_asks_for_no_credential() -> None:
    s = federation()
    s.do(c.CallElection("clara", "C3", "office", "secretary"))
    assert credential_due(s.state, s.latest("E"), "clara", s.now) is None
    assert credentials_due(s.state, "clara", s.now) == []


def test_once_she_registers_she_is_no_longer_asked_and_the_rule_changes_nothing() -> None:
    s = federation()
    election = secret_election(s)
    before = s.digest()
    assert credential_due(s.state, election, "clara", s.now) is not None
    assert s.digest() == before  # asking is pure
    register(s, "clara", 1)
    assert credential_due(s.state, election, "clara", s.now) is None
    assert credential_due(s.state, election, "leo", s.now) is not None


def test_after_nominations_close_the_roll_may_freeze_at_any_moment() -> None:
    s = federation()
    election = secret_election(s)
    s.tick(hours=1)
    due = credential_due(s.state, election, "leo", s.now)
    assert due is not None and due.earliest is None
    assert due.deadline.startswith("now: ") and "at any moment" in due.deadline
    s.do(c.PublishManifest("vera", election))
    due = credential_due(s.state, election, "leo", s.now)
    assert due is not None and due.deadline.startswith("now: ")


def test_the_promise_holds_whoever_registers_while_told_is_on_the_frozen_roll() -> None:
    """GIVEN leo and nadia are told to register, WHEN leo does before the ceremony finishes
    and nadia does not, THEN leo is on the frozen roll and may cast; nadia is not, and is no
    longer told to register (it is too late for this ballot)."""
    s = federation()
    election = secret_election(s)
    s.tick(hours=1)
    s.do(c.PublishManifest("vera", election))
    assert credential_due(s.state, election, "leo", s.now) is not None
    register(s, "leo", 2)
    rite.ceremony(lambda: s.state, s.do, election)
    assert s.state.secret[election].phase == "voting"
    assert may_cast(s.state, election, "leo", s.now)
    assert not may_cast(s.state, election, "nadia", s.now)
    assert credential_due(s.state, election, "nadia", s.now) is None
    assert credentials_due(s.state, "nadia", s.now) == []


def test_a_failed_ceremony_asks_nobody_to_register() -> None:
    s = federation()
    election = secret_election(s)
    s.tick(hours=1)
    s.do(c.PublishManifest("vera", election))
    failed = Event(
        "secret_ceremony_failed", "olga", fmt_time(s.now), {"subject": election, "failures": ["x"]}
    )
    apply(s.state, failed)
    assert credential_due(s.state, election, "leo", s.now) is None


def test_a_secret_motion_asks_before_its_vote_opens_and_not_once_withdrawn() -> None:
    s = federation()
    s.do(c.FileMotion("clara", "C3", "Strike fund", "Dues.", None, "secret", rite.TRUSTEES, 2))
    motion = s.latest("MO")
    due = credential_due(s.state, motion, "vera", s.now)
    assert due is not None and due.earliest is None and due.kind == "motion"
    assert "1 hour after it reaches the agenda" in due.deadline
    s.do(c.CoSponsor("leo", motion))
    opens = s.state.motions[motion].vote_opens
    assert opens is not None
    due = credential_due(s.state, motion, "vera", s.now)
    assert due is not None and due.earliest == opens
    assert due.deadline.startswith(f"before {when(opens)}: its vote opens then")
    s.tick(hours=1)
    due = credential_due(s.state, motion, "vera", s.now)
    assert due is not None and due.deadline.startswith("now: ")
    assert credential_due(s.state, motion, "ivan", s.now) is None

    s.do(c.FileMotion("clara", "C3", "Second", "Text.", None, "secret", rite.TRUSTEES, 2))
    second = s.latest("MO")
    assert credential_due(s.state, second, "vera", s.now) is not None
    s.do(c.WithdrawMotion("clara", second))
    assert credential_due(s.state, second, "vera", s.now) is None
    assert [d.subject for d in credentials_due(s.state, "vera", s.now)] == [motion]


def test_a_secret_recall_asks_now_while_the_petition_is_signed() -> None:
    s = federation()
    s.do(
        c.OpenRecall(
            "clara", s.mandate_of("rosa"), "Broke the mandate.", "secret", rite.TRUSTEES, 2
        )
    )
    recall = s.latest("R")
    due = credential_due(s.state, recall, "nadia", s.now)
    assert due is not None and due.kind == "recall" and due.earliest is None
    assert due.deadline.startswith("now: the recall ballot opens as soon as enough")
    s.do(c.SignRecall("leo", recall))
    assert s.state.recalls[recall].status == "ballot"
    due = credential_due(s.state, recall, "nadia", s.now)
    assert due is not None and "at any moment" in due.deadline
    assert credential_due(s.state, recall, "ivan", s.now) is None


def test_a_member_who_leaves_or_moves_away_is_no_longer_asked() -> None:
    s = federation()
    election = secret_election(s)
    s.do(c.Leave("nadia"))
    assert credential_due(s.state, election, "nadia", s.now) is None
    s.do(c.Transfer("vera", "C4"))
    assert credential_due(s.state, election, "vera", s.now) is None
    # ... and a teacher who moves to the Dockers is asked from then on.
    s.do(c.Transfer("pavel", "C3"))
    due = credential_due(s.state, election, "pavel", s.now)
    assert due is not None and due.earliest == s.state.elections[election].nominations_close
    assert due.earliest - s.now < timedelta(hours=1)


def test_nobody_is_told_to_register_once_the_ceremony_ran_past_the_time_voting_was_to_close() -> (
    None
):
    """GIVEN a secret election whose trustees never finished the key ceremony, WHEN the time
    voting was to close has passed, THEN the roll will never freeze: clara is no longer told
    to register (until then she was), no ceremony document is taken any more (ivan's identity
    is refused, nothing recorded), and the ballot can only be closed as void."""
    s = federation()
    election = secret_election(s)
    s.tick(hours=1)  # nominations close
    s.do(c.PublishManifest("vera", election))
    manifest = parse_manifest(s.state.secret[election].manifest)
    assert credential_due(s.state, election, "clara", s.now) is not None
    closes = s.state.elections[election].voting_close
    just_before = closes - timedelta(minutes=1)
    assert credential_due(s.state, election, "clara", just_before) is not None
    assert not ceremony_too_late(s.state, s.state.secret[election], just_before)
    s.tick(hours=2)
    assert ceremony_too_late(s.state, s.state.secret[election], s.now)
    assert credential_due(s.state, election, "clara", s.now) is None
    assert credentials_due(s.state, "clara", s.now) == []
    _, identity = trustee_init(manifest, 2)
    s.refused(c.UploadTrusteeDocument("ivan", election, identity), "ceremony_too_late")
    (event,) = s.do(c.CloseElection("clara", election))
    assert event.type == "secret_ballot_void"
