"""Due process, rule by rule: one respondent, a rule, her own acts, notice and reply, a
hearing, a vote of the commission without those recused, an end date, an appeal."""

from __future__ import annotations

from smolny.constitution import commands as c

from .scene import federation, with_commission

ACT = {
    "date": "2026-01-04",
    "conduct": "Kept the strike fund's cash at home.",
    "evidence": "Minutes of 4 Jan.",
}


def _case(s, filer: str = "karl", respondent: str = "rosa", witnesses: tuple[str, ...] = ()) -> str:  # type: ignore[no-untyped-def]
    s.do(c.FileCharge(filer, "C3", respondent, "RU1", (ACT,), witnesses))  # type: ignore[arg-type]
    return s.latest("K")


def _heard(s, **kwargs) -> str:  # type: ignore[no-untyped-def]
    case = _case(s, **kwargs)
    s.tick(hours=24)
    s.do(c.RecordHearing("leo", case, "Rosa and Karl were heard; the minutes were read."))
    return case


def test_a_charge_opens_a_case_and_notifies_the_respondent() -> None:
    s = with_commission(federation())
    events = s.do(c.FileCharge("karl", "C3", "rosa", "RU1", (ACT,)))  # type: ignore[arg-type]
    assert s.types(events) == ["case_opened"]
    data = events[0].data
    assert data["respondent"] == "rosa" and data["notified"] == "rosa" and data["acts"] == [ACT]
    assert s.state.cases["K1"].stage == "notified"


def test_a_charge_naming_two_respondents_is_refused() -> None:
    s = with_commission(federation())
    s.refused(c.FileCharge("karl", "C3", "rosa, vera", "RU1", (ACT,)), "one_respondent")  # type: ignore[arg-type]
    s.refused(c.FileCharge("karl", "C3", "rosa and vera", "RU1", (ACT,)), "one_respondent")  # type: ignore[arg-type]


def test_a_charge_without_a_rule_is_refused() -> None:
    s = with_commission(federation())
    s.refused(c.FileCharge("karl", "C3", "rosa", "", (ACT,)), "no_such_rule")  # type: ignore[arg-type]
    s.refused(c.FileCharge("karl", "C3", "rosa", "RU9", (ACT,)), "no_such_rule")  # type: ignore[arg-type]


def test_a_charge_without_acts_of_her_own_is_refused() -> None:
    s = with_commission(federation())
    s.refused(c.FileCharge("karl", "C3", "rosa", "RU1", ()), "no_acts")


def test_relationships_recommendations_silence_and_others_acts_have_no_place() -> None:
    s = with_commission(federation())
    for extra in (
        {"relationship": "Sister of Vera, who was expelled."},
        {"recommended_by": "ivan"},
        {"silence": "Did not denounce Vera."},
        {"by": "vera"},
    ):
        error = s.refused(
            c.FileCharge("karl", "C3", "rosa", "RU1", (ACT | extra,)),  # type: ignore[arg-type]
            "grounds_not_personal",
        )
        assert "not a ground" in error.message


def test_an_act_needs_a_date_a_conduct_and_evidence() -> None:
    s = with_commission(federation())
    s.refused(
        c.FileCharge("karl", "C3", "rosa", "RU1", (ACT | {"date": "last year"},)), "invalid_date"
    )  # type: ignore[arg-type]
    s.refused(c.FileCharge("karl", "C3", "rosa", "RU1", (ACT | {"evidence": " "},)), "missing_text")  # type: ignore[arg-type]
    s.refused(
        c.FileCharge("karl", "C3", "rosa", "RU1", (ACT | {"date": "2099-01-01"},)), "act_in_future"
    )  # type: ignore[arg-type]


def test_no_case_without_an_elected_commission() -> None:
    s = federation()
    s.refused(c.FileCharge("karl", "C3", "rosa", "RU1", (ACT,)), "no_commission")  # type: ignore[arg-type]


def test_a_teacher_cannot_charge_before_the_dockers_commission() -> None:
    s = with_commission(federation())
    s.refused(c.FileCharge("ivan", "C3", "rosa", "RU1", (ACT,)), "not_in_scope")  # type: ignore[arg-type]


def test_only_the_respondent_replies() -> None:
    s = with_commission(federation())
    case = _case(s)
    s.refused(c.ReplyToCharge("vera", case, "She is innocent."), "not_respondent")
    events = s.do(c.ReplyToCharge("rosa", case, "The cash was in the union safe."))
    assert s.types(events) == ["charge_replied"] and s.state.cases[case].stage == "replied"


def test_a_hearing_before_the_reply_period_ends_is_refused() -> None:
    s = with_commission(federation())
    case = _case(s)
    s.tick(hours=23)
    s.refused(c.RecordHearing("leo", case, "Heard."), "reply_period")
    s.tick(hours=1)
    s.do(c.RecordHearing("leo", case, "Heard."))


def test_only_a_commissioner_not_recused_hears_and_votes() -> None:
    s = with_commission(federation())
    case = _case(s, filer="clara", witnesses=("nadia",))
    s.tick(hours=24)
    s.refused(c.RecordHearing("vera", case, "Heard."), "not_commissioner")
    s.refused(c.RecordHearing("clara", case, "Heard."), "recused")
    s.refused(c.RecordHearing("nadia", case, "Heard."), "recused")
    s.do(c.RecordHearing("leo", case, "Heard."))
    s.refused(c.VoteOnCase("clara", case, "warning", "Guilty.", "2026-02-01"), "recused")
    # leo alone is the bench: his vote is the majority of those not recused.
    events = s.do(
        c.VoteOnCase("leo", case, "warning", "The cash must stay in the safe.", "2026-02-01")
    )
    assert s.types(events) == ["case_vote_cast", "case_decided"]
    assert events[-1].data["bench"] == ["leo"]


def test_a_commissioner_who_filed_the_charge_cannot_vote_on_it() -> None:
    s = with_commission(federation())
    case = _heard(s, filer="clara")
    s.refused(c.VoteOnCase("clara", case, "suspension", "Guilty.", "2026-02-01"), "recused")


def test_no_vote_before_the_hearing() -> None:
    s = with_commission(federation())
    case = _case(s)
    s.refused(c.VoteOnCase("leo", case, "warning", "Guilty.", "2026-02-01"), "not_heard")


def test_a_sanction_without_an_end_date_is_refused() -> None:
    s = with_commission(federation())
    case = _heard(s)
    s.refused(c.VoteOnCase("leo", case, "suspension", "Guilty.", None), "sanction_needs_end")
    s.refused(c.VoteOnCase("leo", case, "suspension", "Guilty.", "2027-06-01"), "sanction_too_long")
    s.refused(
        c.VoteOnCase("leo", case, "dismiss", "Innocent.", "2026-02-01"), "dismissal_has_no_end"
    )


def test_a_majority_of_the_commission_decides_and_a_suspension_suspends_until_its_end() -> None:
    s = with_commission(federation())
    case = _heard(s)
    assert s.types(
        s.do(c.VoteOnCase("leo", case, "suspension", "Kept the fund.", "2026-01-20"))
    ) == ["case_vote_cast"]
    events = s.do(
        c.VoteOnCase("nadia", case, "suspension", "The fund is the members'.", "2026-01-20")
    )
    assert s.types(events) == ["case_vote_cast", "case_decided"]
    assert s.state.cases[case].decision["reasons"] == [
        "Kept the fund.",
        "The fund is the members'.",
    ]  # type: ignore[index]
    s.refused(c.FileMotion("rosa", "C3", "A motion", "Text."), "suspended")
    s.refused(c.ProposeTendency("rosa", "C3", "Rosa's", "Text.", ("vera",)), "suspended")
    s.tick(days=30)  # past 2026-01-20: nothing renewed it
    s.do(c.FileMotion("rosa", "C3", "A motion", "Text."))


def test_an_expulsion_ends_membership_and_mandates_and_refuses_rejoining_until_its_end() -> None:
    s = with_commission(federation())
    case = _heard(s)
    s.do(c.VoteOnCase("leo", case, "expulsion", "Kept the fund.", "2026-02-01"))
    events = s.do(c.VoteOnCase("nadia", case, "expulsion", "Kept the fund.", "2026-02-01"))
    assert "member_expelled" in s.types(events) and "mandate_ended" in s.types(events)
    assert not s.state.members["rosa"].active
    s.refused(c.Join("rosa", "Rosa", "C3"), "expelled")
    s.tick(days=30)
    s.do(c.Join("rosa", "Rosa", "C3"))


def test_the_appeal_to_the_district_can_overturn_the_decision() -> None:
    s = with_commission(federation())
    case = _heard(s)
    s.do(c.VoteOnCase("leo", case, "suspension", "Kept the fund.", "2026-02-01"))
    s.do(c.VoteOnCase("nadia", case, "suspension", "Kept the fund.", "2026-02-01"))
    s.refused(c.AppealCase("karl", case, "Too harsh."), "not_respondent")
    events = s.do(c.AppealCase("rosa", case, "The fund was in the union safe all along."))
    assert events[0].data["body"] == "C2"
    s.refused(c.VoteOnAppeal("leo", case, "overturn"), "not_a_voter")
    s.do(c.VoteOnAppeal("karl", case, "overturn"))
    s.do(c.VoteOnAppeal("ivan", case, "overturn"))
    s.refused(c.CloseAppeal("karl", case), "appeal_still_open")
    s.do(c.VoteOnAppeal("olga", case, "uphold"))
    events = s.do(c.CloseAppeal("karl", case))
    assert events[0].data["overturned"] is True and s.state.cases[case].stage == "overturned"
    s.do(c.FileMotion("rosa", "C3", "Back", "My rights are back."))


def test_an_overturned_expulsion_reinstates_the_member() -> None:
    s = with_commission(federation())
    case = _heard(s)
    s.do(c.VoteOnCase("leo", case, "expulsion", "Kept the fund.", "2026-02-01"))
    s.do(c.VoteOnCase("nadia", case, "expulsion", "Kept the fund.", "2026-02-01"))
    s.do(c.AppealCase("rosa", case, "Wrong."))
    for voter in ("karl", "ivan", "olga"):
        s.do(c.VoteOnAppeal(voter, case, "overturn"))
    events = s.do(c.CloseAppeal("ivan", case))
    assert s.types(events) == ["appeal_decided", "member_reinstated"]
    assert s.state.members["rosa"].council == "C3"


def test_a_dismissal_cannot_be_appealed() -> None:
    s = with_commission(federation())
    case = _heard(s)
    s.do(c.VoteOnCase("leo", case, "dismiss", "No breach."))
    s.do(c.VoteOnCase("nadia", case, "dismiss", "No breach."))
    s.refused(c.AppealCase("rosa", case, "Clear my name."), "nothing_to_appeal")


def test_the_code_is_seeded_at_the_founding_and_amended_by_the_congress_by_two_thirds() -> None:
    from constitution.scene import with_congress

    s = with_congress(with_commission(federation()))
    s.refused(c.EnactRule("max", "Late rule", "Text."), "founding_closed")
    s.refused(
        c.FileMotion(
            "karl", "C3", "A rule", "Text.", {"kind": "amend_code", "title": "T", "text": "X"}
        ),
        "congress_only",
    )
    s.pass_motion("C1", {"kind": "amend_code", "title": "Secrecy", "text": "Keep ballots secret."})
    assert s.state.code["RU2"].title == "Secrecy"
    s.pass_motion("C1", {"kind": "amend_code", "action": "repeal", "rule": "RU1"})
    assert s.state.code["RU1"].repealed_at is not None
    s.refused(c.FileCharge("karl", "C3", "rosa", "RU1", (ACT,)), "no_such_rule")  # type: ignore[arg-type]


def test_restricted_evidence_reaches_the_record_only_as_its_digest() -> None:
    from smolny.constitution.cases import evidence_digest

    s = with_commission(federation())
    case = _case(s)
    events = s.do(c.AddEvidence("karl", case, "Bank statement", "Account 1234: no payment.", True))
    assert events[0].data["text"] is None
    assert events[0].data["digest"] == evidence_digest(case, "Account 1234: no payment.")
    assert b"1234" not in events[0].encode()
    events = s.do(c.AddEvidence("rosa", case, "Receipt", "Paid in cash, 3 Jan.", False))
    assert events[0].data["text"] == "Paid in cash, 3 Jan."
    s.refused(c.AddEvidence("vera", case, "Gossip", "I heard things.", False), "not_a_party")


def test_a_suspended_member_cannot_stand_until_the_end_date() -> None:
    s = with_commission(federation())
    case = _heard(s, respondent="vera")
    s.do(c.VoteOnCase("leo", case, "suspension", "Kept the fund.", "2026-01-20"))
    s.do(c.VoteOnCase("nadia", case, "suspension", "Kept the fund.", "2026-01-20"))
    s.do(c.CallElection("karl", "C3", "office", "chair"))
    election = s.latest("E")
    s.refused(c.Nominate("karl", election, "vera"), "candidate_suspended")
    s.do(c.Nominate("karl", election, "karl"))


def test_only_the_parties_and_the_commission_may_read_restricted_evidence() -> None:
    """The rule is the constitution's (the page and the API both ask it)."""
    from smolny.constitution.cases import may_read_restricted_evidence

    s = with_commission(federation())
    case = _case(s)  # karl charges rosa before the dockers' commission (clara, leo, nadia)
    for member in ("rosa", "karl", "clara", "leo", "nadia"):
        assert may_read_restricted_evidence(s.state, case, member), member
    for member in ("vera", "ivan", "max", "", "nobody"):
        assert not may_read_restricted_evidence(s.state, case, member), member
    assert not may_read_restricted_evidence(s.state, "K999", "rosa")


def test_who_may_vote_on_an_appeal_is_one_rule_for_the_decision_and_the_page() -> None:
    """GIVEN rosa appeals her warning to Harbour District (delegates rosa, karl, ivan,
    olga), THEN ``may_vote_on_appeal`` says yes to karl, ivan and olga while the vote is open,
    and no to rosa (the respondent), to a docker who is no delegate, to anyone before the
    appeal or after its close; each "no" is the decision's refusal, which changes nothing."""
    from smolny.constitution.cases import appeal_voters, may_vote_on_appeal

    s = with_commission(federation())
    case = _heard(s)
    s.do(c.VoteOnCase("leo", case, "warning", "Kept the fund.", "2026-02-01"))
    s.do(c.VoteOnCase("nadia", case, "warning", "Kept the fund.", "2026-02-01"))
    assert not may_vote_on_appeal(s.state, case, "karl", s.now)  # nothing appealed yet
    s.refused(c.VoteOnAppeal("karl", case, "overturn"), "no_appeal")
    s.do(c.AppealCase("rosa", case, "The fund was in the union safe all along."))
    assert appeal_voters(s.state, s.state.cases[case]) == {"karl", "ivan", "olga"}
    for who in ("karl", "ivan", "olga"):
        assert may_vote_on_appeal(s.state, case, who, s.now), who
    for who in ("rosa", "leo", "vera", "max", "", "nobody"):
        assert not may_vote_on_appeal(s.state, case, who, s.now), who
    assert not may_vote_on_appeal(s.state, "K99", "karl", s.now)
    error = s.refused(c.VoteOnAppeal("rosa", case, "overturn"), "recused")
    assert "your own appeal" in error.message
    error = s.refused(c.VoteOnAppeal("leo", case, "overturn"), "not_a_voter")
    assert "Harbour District" in error.message
    s.do(c.VoteOnAppeal("karl", case, "overturn"))
    s.tick(hours=2)
    assert not may_vote_on_appeal(s.state, case, "ivan", s.now)
    s.refused(c.VoteOnAppeal("ivan", case, "overturn"), "appeal_closed")


def test_the_refusals_of_a_case_name_their_times_in_words() -> None:
    """The reply period, the appeal's close and a suspension's end, in words, not the record's
    ``2026-01-06T09:00:00.000000Z``."""
    import re

    from smolny.constitution.words import when

    raw = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
    s = with_commission(federation())
    case = _case(s)
    error = s.refused(c.RecordHearing("leo", case, "Heard."), "reply_period")
    assert when(s.state.cases[case].reply_until) in error.message
    assert not raw.search(error.message)
    s.tick(hours=24)
    s.do(c.RecordHearing("leo", case, "Heard."))
    s.do(c.VoteOnCase("leo", case, "suspension", "Kept the fund.", "2026-02-01"))
    s.do(c.VoteOnCase("nadia", case, "suspension", "Kept the fund.", "2026-02-01"))
    error = s.refused(c.FileMotion("rosa", "C3", "A motion", "Text."), "suspended")
    assert "1 February 2026 at 00:00 UTC" in error.message and not raw.search(error.message)
    s.do(c.AppealCase("rosa", case, "Too harsh."))
    error = s.refused(c.CloseAppeal("karl", case), "appeal_still_open")
    appeal = s.state.cases[case].appeal
    assert appeal is not None
    assert when(appeal["closes"]) in error.message and not raw.search(error.message)
