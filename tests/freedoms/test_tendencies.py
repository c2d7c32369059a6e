"""Tendencies: founded by named founders, supported privately by commitments, counted from the
record without a list of names."""

from __future__ import annotations

import hashlib

from smolny.constitution import commands as c
from smolny.constitution.tendencies import count_from_record, my_commitment, support_salt

from .scene import federation, key, support, tendency


def test_karl_and_clara_can_found_a_tendency_in_the_district() -> None:
    s = federation()
    events = s.do(c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)))
    assert s.types(events) == ["tendency_proposed"]
    assert s.state.tendencies["T1"].status == "forming"
    events = s.do(c.ConfirmFounding("clara", "T1"))
    assert s.types(events) == ["tendency_founding_confirmed", "tendency_founded"]
    assert s.state.tendencies["T1"].status == "active"


def test_a_tendency_needs_the_founders_minimum() -> None:
    s = federation(tendency_founders=3)
    s.refused(
        c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)), "too_few_founders"
    )


def test_a_founder_outside_the_scope_is_refused() -> None:
    s = federation()
    s.refused(
        c.ProposeTendency("karl", "C3", "Left", "Strike funds.", ("ivan",)), "founder_not_in_scope"
    )


def test_a_teacher_cannot_found_a_tendency_among_the_dockers() -> None:
    s = federation()
    s.refused(c.ProposeTendency("ivan", "C3", "Left", "Strike funds.", ("olga",)), "not_in_scope")


def test_only_a_named_founder_can_confirm() -> None:
    s = federation()
    s.do(c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)))
    s.refused(c.ConfirmFounding("leo", "T1"), "not_a_founder")
    s.do(c.ConfirmFounding("clara", "T1"))
    s.refused(c.ConfirmFounding("clara", "T1"), "already_founded")


def test_a_name_is_taken_once_per_scope() -> None:
    s = federation()
    tendency(s)
    s.refused(c.ProposeTendency("leo", "C2", "left", "Other.", ("vera",)), "name_taken")


def test_a_private_support_names_nobody_in_the_record() -> None:
    """GIVEN a founded tendency, WHEN leo supports it privately, THEN the entry's actor is the
    tendency and its data hold only the commitment leo can recompute with his salt."""
    s = federation()
    t = tendency(s)
    events = s.do(c.DeclareSupport("leo", t, key("leo")))
    assert len(events) == 1
    event = events[0]
    assert event.actor == t
    assert b"leo" not in event.encode()
    salt = support_salt(key("leo"), t)
    assert len(salt) == 32
    expected = hashlib.sha256(
        b"smolny/support/v1\x00leo\x00" + t.encode() + b"\x00" + salt
    ).hexdigest()
    assert event.data == {"tendency": t, "commitment": expected, "named": False}
    assert s.state.tendencies[t].supporters == 1
    assert "leo" not in repr(s.state.tendencies[t])


def test_a_supporter_may_choose_to_be_named() -> None:
    s = federation()
    t = tendency(s)
    events = s.do(c.DeclareSupport("leo", t, key("leo"), True))
    assert events[0].actor == "leo" and events[0].data["member"] == "leo"
    assert s.state.tendencies[t].named == ["leo"]


def test_one_tendency_per_scope_even_privately() -> None:
    s = federation()
    left = tendency(s)
    right = tendency(s, founders=("rosa", "ivan"), name="Right")
    support(s, "leo", left)
    s.refused(c.DeclareSupport("leo", right, key("leo")), "one_per_scope")
    s.refused(c.DeclareSupport("leo", left, key("leo")), "already_supporting")
    s.do(c.WithdrawSupport("leo", left, key("leo")))
    support(s, "leo", right)
    assert s.state.tendencies[left].supporters == 0
    assert s.state.tendencies[right].supporters == 1


def test_a_member_may_support_one_tendency_in_each_scope() -> None:
    s = federation()
    district = tendency(s)
    dockers = tendency(s, scope="C3", founders=("rosa", "vera"), name="Dock left")
    support(s, "leo", district)
    support(s, "leo", dockers)
    assert s.state.tendencies[dockers].supporters == 1


def test_withdrawing_a_support_one_does_not_have_is_refused() -> None:
    s = federation()
    t = tendency(s)
    s.refused(c.WithdrawSupport("leo", t, key("leo")), "not_supporting")
    support(s, "nadia", t)
    # Another key (someone pretending) finds no commitment of leo's.
    s.refused(c.WithdrawSupport("leo", t, key("nadia")), "not_supporting")


def test_a_malformed_key_is_refused() -> None:
    s = federation()
    t = tendency(s)
    s.refused(c.DeclareSupport("leo", t, "not-a-key"), "invalid_support_key")


def test_support_before_the_founding_is_complete_is_refused() -> None:
    s = federation()
    s.do(c.ProposeTendency("karl", "C2", "Left", "Strike funds.", ("clara",)))
    s.refused(c.DeclareSupport("leo", "T1", key("leo")), "not_founded")


def test_a_member_outside_the_scope_cannot_support() -> None:
    s = federation()
    t = tendency(s, scope="C3", founders=("rosa", "vera"))
    s.refused(c.DeclareSupport("ivan", t, key("ivan")), "not_in_scope")


def test_the_count_is_verifiable_from_the_record_without_the_names() -> None:
    """Anyone replaying the record gets the count; no entry names a private supporter; each
    supporter finds her own commitment."""
    s = federation()
    t = tendency(s)
    for person in ("leo", "nadia", "vera", "rosa"):
        support(s, person, t)
    support(s, "ivan", t, named=True)
    s.do(c.WithdrawSupport("vera", t, key("vera")))
    assert count_from_record(s.log, t) == 4 == s.state.tendencies[t].supporters
    supports = [e for e in s.log if e.type.startswith("support_") and e.data["tendency"] == t]
    private = [e for e in supports if not e.data.get("named") and "member" not in e.data]
    for person in ("leo", "nadia", "vera", "rosa"):
        assert all(person.encode() not in e.encode() for e in private)
    mine = my_commitment("nadia", t, key("nadia"))
    assert any(e.data.get("commitment") == mine for e in private)
    assert s.replayed().tendencies[t].commitments == s.state.tendencies[t].commitments


def test_supports_of_members_who_left_lapse_in_a_batch_naming_nobody() -> None:
    """GIVEN leo and vera support privately and ivan by name, WHEN leo leaves and ivan moves
    out of the Dockers, THEN a prune with their keys withdraws exactly their supports, sorted,
    with the tendency as actor for private ones; vera's stays."""
    s = federation()
    t = tendency(s, scope="C3", founders=("rosa", "karl"))
    support(s, "leo", t)
    support(s, "vera", t)
    support(s, "clara", t, named=True)
    s.do(c.Leave("leo"))
    s.do(c.Transfer("clara", "C4"))
    s.refused(c.PruneSupports("server", (("vera", key("vera")),)), "nothing_to_prune")
    events = s.do(
        c.PruneSupports(
            "server", (("leo", key("leo")), ("clara", key("clara")), ("vera", key("vera")))
        )
    )
    assert sorted(e.type for e in events) == ["support_withdrawn", "support_withdrawn"]
    private = [e for e in events if "commitment" in e.data]
    assert len(private) == 1 and private[0].actor == t and b"leo" not in private[0].encode()
    assert s.state.tendencies[t].supporters == 1
    assert count_from_record(s.log, t) == 1
    # A forged key opens nothing.
    support(s, "nadia", t)
    s.do(c.Leave("nadia"))
    s.refused(c.PruneSupports("server", (("nadia", key("leo")),)), "nothing_to_prune")
