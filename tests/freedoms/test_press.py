"""The press right, the bulletin, corrections that keep the original, and the fair shares."""

from __future__ import annotations

from smolny.constitution import commands as c
from smolny.constitution.apportionment import sainte_lague
from smolny.counting import apportion

from .scene import federation, support, tendency


def _with_press(s, t: str = "", people=("leo", "nadia", "vera")) -> str:  # type: ignore[no-untyped-def]
    t = t or tendency(s)
    for person in people:
        support(s, person, t)
    return t


def test_a_tendency_at_the_threshold_publishes_to_the_whole_district_with_no_officer() -> None:
    s = federation()
    t = _with_press(s)
    events = s.do(c.Publish("karl", t, "Strike fund now", "Every docker gives an hour."))
    assert s.types(events) == ["shares_recomputed", "publication_issued"]
    published = events[-1].data
    assert published["scope"] == "C2" and published["reach"] == 11 and published["words"] == 5
    assert s.state.shares["C2"].used["bulletin_words"][t] == 5


def test_below_the_press_threshold_publishing_is_refused_saying_how_many_are_missing() -> None:
    s = federation()
    t = _with_press(s, people=("leo",))
    error = s.refused(c.Publish("karl", t, "Title", "Text here."), "below_press_threshold")
    assert "2 more" in error.message


def test_only_a_founder_publishes_in_the_tendency_s_name() -> None:
    s = federation()
    t = _with_press(s)
    s.refused(c.Publish("leo", t, "Title", "Text here."), "not_a_founder")


def test_an_officer_cannot_retract_a_tendency_s_publication() -> None:
    s = federation()
    s.elect("C2", "office", ["rosa"], office="chair")
    t = _with_press(s)
    s.do(c.Publish("karl", t, "Strike fund now", "Every docker gives an hour."))
    s.refused(
        c.CorrectPublication("rosa", "P1", "retraction", "Withdrawn by the chair."), "not_publisher"
    )


def test_a_retraction_is_a_new_entry_and_the_original_stays_marked() -> None:
    s = federation()
    t = _with_press(s)
    s.do(c.Publish("karl", t, "Strike fund now", "Every docker gives an hour."))
    events = s.do(c.CorrectPublication("clara", "P1", "retraction", "We got the figure wrong."))
    assert events[0].data["corrects"] == "P1" and events[0].data["kind"] == "retraction"
    original = s.state.publications["P1"]
    assert original.text == "Every docker gives an hour." and original.retracted_by == "P2"
    s.refused(c.CorrectPublication("clara", "P1", "retraction", "Again."), "already_retracted")


def test_a_correction_is_linked_to_the_original() -> None:
    s = federation()
    t = _with_press(s)
    s.do(c.Publish("karl", t, "Strike fund now", "Every docker gives an hour."))
    s.do(c.CorrectPublication("karl", "P1", "correction", "Two hours, not one."))
    assert s.state.publications["P1"].corrections == ["P2"]
    s.refused(c.CorrectPublication("karl", "P1", "erasure", "Gone."), "invalid_kind")


def test_publishing_past_the_share_is_refused_with_what_is_left() -> None:
    s = federation()
    t = _with_press(s)
    # Alone in the district, the tendency's share is the whole 100 words.
    s.do(c.Publish("karl", t, "First", " ".join(["word"] * 90)))
    error = s.refused(c.Publish("karl", t, "Second", " ".join(["word"] * 11)), "over_share")
    assert "10 words left" in error.message
    s.do(c.Publish("karl", t, "Second", " ".join(["word"] * 10)))


def test_a_council_publishes_through_an_officer_with_the_power() -> None:
    s = federation()
    s.elect("C3", "office", ["rosa"], office="chair")
    s.refused(c.Publish("rosa", "C3", "Notice", "Meeting on Friday."), "no_power")
    s.pass_motion("C3", {"kind": "grant_power", "office": "chair", "power": "issue_statement"})
    events = s.do(c.Publish("rosa", "C3", "Notice", "Meeting on Friday."))
    assert events[-1].data["publisher"] == "C3" and events[-1].data["reach"] == 6
    s.refused(c.Publish("leo", "C3", "Notice", "Not an officer."), "no_power")


def test_anyone_can_recompute_the_shares_once_a_period() -> None:
    s = federation()
    t = _with_press(s)
    events = s.do(c.RecomputeShares("ivan", "C2"))
    assert events[0].data["shares"]["bulletin_words"] == {t: 100}
    s.refused(c.RecomputeShares("ivan", "C2"), "already_recomputed")
    s.tick(days=30)
    s.do(c.RecomputeShares("ivan", "C2"))


def test_the_shares_follow_sainte_lague_on_a_worked_example() -> None:
    """53, 24 and 23 supporters share 7 units: quotients 53, 24, 23, 17.7, 10.6, 8, 7.7 win,
    so 3, 2 and 2 (the textbook example where D'Hondt would give 4, 2, 1)."""
    assert sainte_lague({"A": 53, "B": 24, "C": 23}, 7) == {"A": 3, "B": 2, "C": 2}
    counted = apportion("sainte-lague", {"A": 53, "B": 24, "C": 23}, 7, seed=1)
    assert dict(counted.seats) == {"A": 3, "B": 2, "C": 2}


def test_shares_are_divided_among_tendencies_by_supporters() -> None:
    s = federation(bulletin_words=7)
    left = _with_press(s, people=("leo", "nadia", "vera"))
    right = tendency(s, founders=("ivan", "olga"), name="Right")
    support(s, "pavel", right)
    events = s.do(c.RecomputeShares("max", "C2"))
    # 3 and 1 supporters, 7 words: quotients 3, 1.0 (3/3), 1 (1/1), 0.6, 0.43, 0.33...
    assert events[0].data["shares"]["bulletin_words"] == sainte_lague({left: 3, right: 1}, 7)
    assert events[0].data["supporters"] == {left: 3, right: 1}


def test_only_the_publisher_may_correct_and_the_page_asks_the_same_rule() -> None:
    """GIVEN the Left (founders karl and clara) publishes P1 and the Dockers' chair rosa, with
    the power to issue statements, publishes P2 for the Dockers, THEN ``may_correct`` says yes
    exactly to those the decision lets correct or retract: the founders for P1, the chair for
    P2; nobody once an original is retracted, and never on a correction itself."""
    from smolny.constitution.press import may_correct

    s = federation()
    s.elect("C3", "office", ["rosa"], office="chair")
    s.pass_motion("C3", {"kind": "grant_power", "office": "chair", "power": "issue_statement"})
    t = _with_press(s)
    s.do(c.Publish("karl", t, "Strike fund now", "Every docker gives an hour."))
    s.do(c.Publish("rosa", "C3", "Notice", "Meeting on Friday."))
    assert [p for p in s.state.publications] == ["P1", "P2"]
    for who in ("karl", "clara"):
        assert may_correct(s.state, "P1", who, s.now), who
    for who in ("rosa", "leo", "ivan", "max", "", "nobody"):
        assert not may_correct(s.state, "P1", who, s.now), who
    assert may_correct(s.state, "P2", "rosa", s.now)
    for who in ("karl", "clara", "leo"):
        assert not may_correct(s.state, "P2", who, s.now), who
    assert not may_correct(s.state, "P9", "karl", s.now)
    # The refusal the page spares them, and nothing changes.
    error = s.refused(
        c.CorrectPublication("leo", "P1", "correction", "It was two."), "not_publisher"
    )
    assert "founders of Left" in error.message
    s.refused(c.CorrectPublication("karl", "P2", "retraction", "Cancelled."), "no_power")
    s.do(c.CorrectPublication("clara", "P1", "correction", "Two hours, not one."))
    assert not may_correct(s.state, "P3", "clara", s.now)  # a correction is not an original
    s.do(c.CorrectPublication("karl", "P1", "retraction", "Withdrawn."))
    assert not may_correct(s.state, "P1", "karl", s.now)
    s.refused(c.CorrectPublication("karl", "P1", "retraction", "Again."), "already_retracted")
