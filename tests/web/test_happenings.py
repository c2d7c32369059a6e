"""An entry's page says in words what happened (``pages/happenings.py``).

GIVEN entries made by real commands through the store (the Harbour personas of
tests/harbour.py: rosa and karl are the Dockers' delegates, clara, leo, nadia and vera their
constituents; ivan and olga the Teachers'), WHEN their sentences are read as the entry page
reads them (names looked up in the read models by ``entry_names``), THEN people and councils
are named, never shown by id, times are in words, every event type of the constitution has a
sentence, and a secret ballot's sentence never says or implies what was chosen.
"""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from typing import Any

import harbour
import pytest
from django.test import Client
from django.utils.html import escape, strip_tags

from smolny.constitution import Event, replay
from smolny.constitution import commands as c
from smolny.constitution.apply import FOLDERS
from smolny.constitution.exit import secession_record
from smolny.demo import seed_demo
from smolny.pages import entry_names, happenings
from smolny.readmodels.models import ElectionRow, MandateRow, MemberRow
from smolny.record.note import SIG_COSIGNATURE_V1, SignerKey
from smolny.store import clock
from smolny.store.models import Entry
from smolny.store.service import current_state, entries, execute, forget
from tests.freedoms import seeded
from tests.freedoms.scene import key as support_key
from tests.secret import rite

pytestmark = pytest.mark.django_db(transaction=True)

PERSONA = re.compile(r"\b(" + "|".join(harbour.DOCKERS + harbour.TEACHERS) + r")\b")
COUNCIL_ID = re.compile(r"\bC\d+\b")
RECORD_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
FALLBACK = "An entry of type"
ROSAS_SEAT = "Rosa as delegate of Dockers to Harbour District"


def sentence_of(entry: Entry) -> str:
    """The sentence as the entry page builds it: the names from the read models."""
    event = Event.decode(bytes(entry.body))
    return str(happenings.sentence(event, entry_names.names_for(event)))


def words(entry: Entry) -> str:
    """The sentence as a reader sees it (tags dropped, entities decoded)."""
    return html.unescape(strip_tags(sentence_of(entry)))


def of_type(type_: str) -> list[Entry]:
    return list(Entry.objects.filter(type=type_).order_by("seq"))


def last(type_: str) -> Entry:
    found = Entry.objects.filter(type=type_).order_by("-seq").first()
    assert found is not None, f"no {type_} entry"
    return found


def data(entry: Entry) -> dict[str, Any]:
    return dict(json.loads(bytes(entry.body))["data"])


def assert_every_entry_reads_as_names(since: int = 0) -> None:
    """Every entry from ``since`` on has its own sentence, with people and councils named and
    times in words."""
    for entry in Entry.objects.filter(seq__gte=since).order_by("seq"):
        text = words(entry)
        assert not text.startswith(FALLBACK), (entry.type, text)
        assert not PERSONA.search(text), f"a member id in {entry.type}: {text}"
        assert not COUNCIL_ID.search(text), f"a council id in {entry.type}: {text}"
        assert not RECORD_TIME.search(text), f"a raw time in {entry.type}: {text}"


def carry_in_dockers(title: str, effect: dict[str, Any]) -> str:
    """Clara files a motion in the Dockers (C3) and all six carry it; returns its id."""
    filed = execute(c.FileMotion("clara", "C3", title, "The council resolves.", effect))
    motion = str(data(filed[0])["id"])
    execute(c.CoSponsor("leo", motion))
    clock.advance(hours=1)
    for voter in harbour.DOCKERS:
        execute(c.CastVote(voter, motion, "yes"))
    execute(c.CloseVote("clara", motion))
    return motion


# --- every event type ---------------------------------------------------------------------------


def test_every_event_type_of_the_constitution_has_a_sentence() -> None:
    """FOLDERS is the constitution's own list: apply() must be total over every event type
    ever written, so a type without a fold cannot be in the record."""
    assert sorted(set(FOLDERS) - set(happenings.SENTENCES)) == []
    assert sorted(set(happenings.SENTENCES) - set(FOLDERS)) == []  # no sentence for a typo


def test_an_unknown_or_malformed_entry_falls_back_to_its_data() -> None:
    names = happenings.Names()
    unknown = Event("storm_the_winter_palace", "rosa", "2026-11-07T02:10:00.000000Z", {})
    assert str(happenings.sentence(unknown, names)).startswith(FALLBACK)
    broken = Event("member_joined", "rosa", "2026-11-07T02:10:00.000000Z", {"name": "Rosa"})
    assert str(happenings.sentence(broken, names)).startswith(FALLBACK)


def test_a_word_of_the_entry_is_escaped_never_taken_for_markup_or_a_template() -> None:
    odd = {"case": "K1", "outcome": "<b>{respondent}</b>", "until": None, "majority": ["leo"]}
    event = Event("case_decided", "leo", "2026-11-07T02:10:00.000000Z", odd | {"bench": ["leo"]})
    said = str(happenings.sentence(event, happenings.Names()))
    assert "&lt;b&gt;{respondent}&lt;/b&gt;" in said and "<b>" not in said


def test_a_failed_key_ceremony_says_why_in_the_trustees_words() -> None:
    """No scene makes a ceremony fail through the store (the server refuses every bad
    document it can check); the entry's shape is the one secret.py emits."""
    event = Event(
        "secret_ceremony_failed",
        "olga",
        "2026-11-07T02:10:00.000000Z",
        {"subject": "E3", "failures": ["trustee 2 (shares): the share for trustee 1 is wrong"]},
    )
    names = happenings.Names(
        councils={"C3": happenings.Council("Dockers", True)},
        elections={"E3": happenings.Election("C3", "office", "secretary", "C3", "plurality")},
    )
    assert str(happenings.sentence(event, names)) == (
        "The key ceremony of the secret ballot on election E3 (secretary of Dockers) failed, so "
        "its voting cannot open: trustee 2 (shares): the share for trustee 1 is wrong."
    )


# --- sentences of entries made through the store ---------------------------------------------


def test_an_election_names_its_council_candidates_and_voters(federation: None) -> None:
    assert words(of_type("election_called")[0]).startswith(
        "Election E1 was called: Dockers elects 2 delegates to Harbour District, by open "
        "ballot, counted by single transferable vote (Scottish rules). Nominations close on "
    )
    assert words(of_type("candidate_nominated")[0]) == (
        "Rosa stood as a candidate in election E1 (delegates of Dockers to Harbour District)."
    )
    clara = next(e for e in of_type("ballot_cast") if data(e)["voter"] == "clara")
    assert words(clara) == (
        "Clara voted in election E1 (delegates of Dockers to Harbour District), ranking "
        "1. Rosa, 2. Karl."
    )
    assert words(of_type("election_closed")[0]).startswith(
        "Election E1 (delegates of Dockers to Harbour District) was counted: Rosa and Karl "
        "elected (2 seats, 2 candidates, "
    )
    assert words(of_type("mandate_started")[0]).startswith(
        "Rosa took up a mandate as delegate of Dockers to Harbour District, won in election E1; "
        "it runs until "
    )
    assert words(of_type("seats_apportioned")[0]) == (
        "The seats in Harbour District were divided among the councils below it (one seat for "
        "every so many members): Dockers 2 seats for 6 members; Teachers 2 seats for 5 members."
    )
    assert words(of_type("member_joined")[0]) == "Rosa joined Dockers."
    assert_every_entry_reads_as_names()


def test_a_motion_reads_from_filing_to_its_counted_vote(federation: None) -> None:
    effect = {"kind": "grant_power", "office": "chair", "power": "convene"}
    start = Entry.objects.count()
    execute(c.FileMotion("clara", "C3", "Safety rota", "Two stewards per shift.", effect))
    execute(c.CoSponsor("leo", "MO1"))
    clock.advance(hours=1)
    votes = {"clara": "yes", "leo": "yes", "nadia": "yes", "vera": "yes", "karl": "no"}
    for voter, choice in (votes | {"rosa": "abstain"}).items():
        execute(c.CastVote(voter, "MO1", choice))
    execute(c.CloseVote("clara", "MO1"))

    assert words(last("motion_filed")) == (
        "Clara filed motion MO1 “Safety rota” in Dockers. If it carries: The chair of Dockers "
        "gets the power to convene the council."
    )
    assert words(last("motion_cosponsored")) == "Leo co-sponsored motion MO1 “Safety rota”."
    assert words(last("motion_on_agenda")).startswith(
        "Motion MO1 “Safety rota” went on the agenda of Dockers with 2 sponsors (2 needed): "
        "voting opens on "
    )
    cast = {data(e)["member"]: words(e) for e in of_type("vote_cast")}
    assert cast["karl"] == "Karl voted against motion MO1 “Safety rota”."
    assert cast["rosa"] == "Rosa abstained on motion MO1 “Safety rota”."
    assert cast["vera"] == "Vera voted for motion MO1 “Safety rota”."
    assert words(last("motion_decided")) == (
        "The members of Dockers voted on motion MO1 “Safety rota”: 4 for, 1 against, "
        "1 abstaining, of 6 entitled to vote — carried."
    )
    assert words(last("power_granted")) == (
        "By motion MO1 “Safety rota”, the chair of Dockers was given the power to convene the "
        "council."
    )
    assert_every_entry_reads_as_names(since=start)


def test_a_document_reads_as_who_filed_what_where(federation: None) -> None:
    execute(c.FileDocument("clara", "C3", "Minutes of 3 March", "Present: all six."))
    assert words(last("document_filed")) == (
        "Clara filed the document “Minutes of 3 March” in Dockers."
    )


def test_a_recall_names_whom_it_would_recall_and_how_it_ended(federation: None) -> None:
    start = Entry.objects.count()
    mandate = MandateRow.objects.get(holder="rosa", active=True).key
    execute(c.OpenRecall("clara", mandate, "She voted against the mandate."))
    execute(c.SignRecall("leo", "R1"))
    for voter in ("clara", "leo", "nadia", "vera"):
        execute(c.VoteRecall(voter, "R1", "yes"))

    assert words(last("recall_opened")) == (
        f"Clara opened a petition to recall {ROSAS_SEAT} (R1), on these grounds: “She voted "
        "against the mandate.”"
    )
    assert words(last("recall_signed")) == (
        f"Leo signed the petition for the recall of {ROSAS_SEAT} (R1)."
    )
    assert words(last("recall_ballot_opened")).startswith(
        f"The petition for the recall of {ROSAS_SEAT} (R1) has 2 valid signatures of the 2 "
        "needed: a recall ballot is open until "
    )
    assert words(last("recall_voted")) == f"Vera voted for the recall of {ROSAS_SEAT} (R1)."
    assert words(last("recall_carried")) == (
        f"The recall of {ROSAS_SEAT} (R1) carried by ballot: 4 for, 0 against, of 6 in the "
        "constituency."
    )
    assert words(last("mandate_ended")) == (
        "Rosa's mandate as delegate of Dockers to Harbour District ended: recalled by Dockers."
    )
    assert words(last("election_called")).startswith(
        "Election E3 was called (a by-election): Dockers elects 1 delegate to Harbour District"
    )
    assert_every_entry_reads_as_names(since=start)


def test_a_case_reads_from_the_charge_to_the_reinstatement() -> None:
    """GIVEN the Dockers' control commission (clara, leo, nadia), WHEN karl charges rosa, the
    commission expels her and the district overturns it on appeal, THEN each step names the
    people, the rule and the outcome, and restricted evidence is not quoted."""
    seeded.seed()
    start = Entry.objects.count()
    day = (clock.now() - timedelta(days=2)).strftime("%Y-%m-%d")
    act = {"date": day, "conduct": "Kept the fund's cash at home.", "evidence": "Its ledger."}
    execute(c.FileCharge("karl", "C3", "rosa", "RU1", (act,), ("vera",)))
    execute(c.ReplyToCharge("rosa", "K1", "The cash was in the union safe all along."))
    execute(c.AddEvidence("karl", "K1", "Bank statement", "Account 0042: no deposit.", True))
    clock.advance(hours=1)
    execute(c.RecordHearing("leo", "K1", "Both were heard; the ledger was read."))
    until = (clock.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    execute(c.VoteOnCase("leo", "K1", "expulsion", "She kept the fund.", until))
    execute(c.VoteOnCase("nadia", "K1", "expulsion", "She kept the fund.", until))
    execute(c.AppealCase("rosa", "K1", "The fund was in the union safe."))
    for voter in ("karl", "ivan", "olga"):
        execute(c.VoteOnAppeal(voter, "K1", "overturn"))
    execute(c.CloseAppeal("ivan", "K1"))

    assert words(last("case_opened")).startswith(
        "Karl charged Rosa under rule RU1 “Dues” with 1 act, before the control commission of "
        "Dockers (case K1, naming Vera as witness); Rosa was notified and may reply until "
    )
    assert words(last("charge_replied")) == "Rosa replied to the charge in case K1."
    evidence = words(last("evidence_added"))
    assert evidence == (
        "Karl added evidence to case K1: “Bank statement”, restricted to the parties and the "
        "control commission: the record holds only its digest."
    )
    assert words(last("case_heard")) == "Leo recorded the hearing of case K1, against Rosa."
    assert words(last("case_vote_cast")).startswith(
        "Nadia, of the control commission, voted in case K1 to expel Rosa until "
    )
    assert re.fullmatch(
        r"The control commission of Dockers decided case K1: Rosa is expelled until "
        r"\d+ \w+ \d{4} at 00:00 UTC, 2 of the 3 commissioners sitting agreeing\.",
        words(last("case_decided")),
    )
    assert words(last("member_expelled")) == (
        "Rosa was expelled from Dockers and the federation by the decision in case K1."
    )
    assert words(last("case_appealed")).startswith(
        "Rosa appealed the decision in case K1 to Harbour District; its voters may vote on the "
        "appeal until "
    )
    assert words(last("appeal_voted")) == "Olga voted to overturn the decision in case K1."
    assert words(last("appeal_decided")) == (
        "The appeal in case K1 was decided: the decision is overturned, 3 to overturn and 0 to "
        "uphold, of 3 entitled to vote."
    )
    assert words(last("member_reinstated")) == (
        "Rosa is a member of Dockers again: the appeal in case K1 overturned the expulsion."
    )
    assert_every_entry_reads_as_names(since=start)


def test_rarer_entries_read_too(federation: None) -> None:
    """Withdrawals, a resignation that makes a recall moot, a private support, an amendment
    and a lapsed one, an executive act reversed, and the Dockers seceding."""
    start = Entry.objects.count()
    execute(c.FileMotion("vera", "C3", "Paint the hall", "Blue."))
    execute(c.WithdrawMotion("vera", "MO1"))
    assert words(last("motion_withdrawn")) == "Vera withdrew motion MO1 “Paint the hall”."

    execute(c.CallElection("clara", "C3", "office", "chair"))
    chair = str(data(last("election_called"))["id"])
    execute(c.Nominate("vera", chair, "vera"))
    execute(c.WithdrawCandidacy("vera", chair))
    execute(c.Nominate("clara", chair, "clara"))
    assert words(last("candidacy_withdrawn")) == (
        f"Vera withdrew as a candidate in election {chair} (chair of Dockers)."
    )

    mandate = MandateRow.objects.get(holder="rosa", active=True).key
    execute(c.OpenRecall("clara", mandate, "She voted against the mandate."))
    execute(c.Resign("rosa", mandate))
    assert words(last("mandate_ended")) == (
        "Rosa's mandate as delegate of Dockers to Harbour District ended: Rosa resigned."
    )
    assert words(last("recall_moot")) == (
        f"The recall of {ROSAS_SEAT} (R1) was dropped: the mandate ended first (Rosa resigned)."
    )

    execute(c.ProposeTendency("clara", "C3", "Rank and File", "Strike funds.", ("leo", "nadia")))
    execute(c.ConfirmFounding("leo", "T1"))
    execute(c.ConfirmFounding("nadia", "T1"))
    execute(c.DeclareSupport("vera", "T1", support_key("vera"), False))
    execute(c.DeclareSupport("karl", "T1", support_key("karl"), True))
    execute(c.WithdrawSupport("karl", "T1", support_key("karl")))
    private = next(e for e in of_type("support_declared") if not data(e)["named"])
    assert words(private) == (
        "A member declared support for the tendency “Rank and File” in private: the record "
        "holds a sealed commitment, not who."
    )
    assert words(last("support_withdrawn")) == (
        "Karl withdrew support from the tendency “Rank and File”."
    )

    target = str(
        data(execute(c.FileMotion("clara", "C3", "Strike fund", "An hour's pay."))[0])["id"]
    )
    amend = {"kind": "amend_text", "motion": target, "text": "Two hours' pay."}
    first = str(data(execute(c.FileMotion("leo", "C3", "Double it", "Double.", amend))[0])["id"])
    late = str(data(execute(c.FileMotion("nadia", "C3", "Triple it", "Triple.", amend))[0])["id"])
    for motion in (target, first, late):
        execute(c.CoSponsor("vera", motion))
    clock.advance(hours=1)
    for motion in (first, target, late):
        for voter in harbour.DOCKERS:  # rosa resigned her seat above, not her membership
            execute(c.CastVote(voter, motion, "yes"))
        execute(c.CloseVote("clara", motion))
    assert words(last("motion_amended")) == (
        f"The amendment motion {first} “Double it” carried, so the text of motion {target} "
        "“Strike fund” was replaced by the amended text."
    )
    assert words(last("effect_lapsed")) == (
        f"Motion {late} “Triple it” carried, but its effect lapsed: the amended motion was "
        "decided first."
    )

    for voter in harbour.DOCKERS:  # nominations closed with the motions' notice hour
        execute(c.CastBallot(voter, chair, ("clara",)))
    execute(c.CloseElection("clara", chair))
    power = {"kind": "grant_power", "office": "chair", "power": "issue_statement"}
    carry_in_dockers("Let the chair speak", power)
    execute(c.PerformAct("clara", "C3", "chair", "issue_statement", "On the lockout", "We stand."))
    assert words(last("act_performed")) == (
        "Clara, chair of Dockers, performed the executive act “On the lockout”, under the power "
        "to issue statements between sessions."
    )
    reversal = carry_in_dockers("Not in our name", {"kind": "reverse_act", "act": "A1"})
    assert words(last("act_reversed")) == (
        f"By motion {reversal} “Not in our name”, the executive act “On the lockout” was reversed."
    )

    leave = carry_in_dockers("Leave", {"kind": "secede"})
    assert words(last("council_seceded")) == (
        f"By motion {leave} “Leave”, Dockers left the federation with its record."
    )
    assert_every_entry_reads_as_names(since=start)

    # The seceding council's new record begins by continuing this one.
    record = entries()
    at = next(i for i, event in enumerate(record) if event.type == "council_seceded")
    parent = {"origin": "harbour.example/record", "size": at + 1, "root": "00" * 32}
    genesis = secession_record(replay(record[:at]), record[at], parent)[0]
    said = html.unescape(str(happenings.sentence(genesis, entry_names.names_for(genesis))))
    assert said.startswith(
        "This record continues that of the federation “Harbour Federation”, which Dockers left "
        f"by motion {leave} “Leave” after its first {at + 1} entries;"
    )


def test_the_congress_amends_the_code_and_admits_and_removes_a_witness(federation: None) -> None:
    harbour.with_congress()
    start = Entry.objects.count()
    enacted = harbour.carry(
        {"kind": "amend_code", "action": "enact", "title": "Dues", "text": "Pay monthly."}
    )
    rule = str(data(last("rule_enacted"))["id"])
    repealed = harbour.carry({"kind": "amend_code", "action": "repeal", "rule": rule})
    key = SignerKey("mirror.alpha", SIG_COSIGNATURE_V1, bytes([1]) * 32).verifier().encode()
    admitted = harbour.carry({"kind": "admit_witness", "key": key})
    removed = harbour.carry({"kind": "remove_witness", "name": "mirror.alpha"})

    assert words(last("rule_enacted")) == (
        f"By motion {enacted} “Resolution”, rule {rule} “Dues” was added to the code of rules."
    )
    assert words(last("rule_repealed")) == (
        f"By motion {repealed} “Resolution”, rule {rule} “Dues” of the code of rules was repealed."
    )
    assert words(last("witness_admitted")) == (
        f"By motion {admitted} “Resolution”, the mirror mirror.alpha became a witness of the "
        "record: its cosignatures count toward making a checkpoint final."
    )
    assert words(last("witness_removed")) == (
        f"By motion {removed} “Resolution”, the mirror mirror.alpha stopped being a witness of "
        "the record."
    )
    assert_every_entry_reads_as_names(since=start)


# --- secret ballots -------------------------------------------------------------------------


def test_a_secret_ballot_entry_says_a_ballot_was_cast_never_its_choice(federation: None) -> None:
    """GIVEN a secret motion in the Dockers, WHEN clara casts "yes" and then replaces it with
    "no", THEN both entries read the same but for their trackers: nothing of the choice is in
    the entry, so nothing of it is in the sentence."""
    voters = {who: rite.credential(n) for n, who in enumerate(harbour.DOCKERS, start=1)}
    rite.register(execute, voters)
    execute(
        c.FileMotion("clara", "C3", "Strike fund", "Raise dues.", None, "secret", rite.TRUSTEES, 2)
    )
    execute(c.CoSponsor("leo", "MO1"))
    clock.advance(hours=1)
    execute(c.PublishManifest("vera", "MO1"))
    rite.ceremony(current_state, execute, "MO1")
    for seq, choice in ((1, "yes"), (2, "no")):
        ballot = rite.ballot(current_state(), "MO1", voters["clara"], [choice], seq)
        execute(c.CastSecretBallot("clara", "MO1", ballot))

    cast = of_type("secret_ballot_cast")
    said = [words(e) for e in cast]
    trackers = [str(data(e)["tracker"])[:16] for e in cast]
    assert said[0] == (
        "Clara cast an encrypted ballot on motion MO1 “Strike fund”; what it says is secret. "
        f"Its tracker begins with {trackers[0]}."
    )
    assert said[0].replace(trackers[0], "T") == said[1].replace(trackers[1], "T")
    for text in said:
        assert not re.search(r"\b(yes|no|abstain\w*|for|against|approv\w*)\b", text, re.I), text
    assert words(last("secret_ballot_set")) == (
        "Motion MO1 “Strike fund” is to be decided by secret ballot: 2 of its 3 trustees "
        "(Karl, Ivan and Olga) are needed to decrypt the result."
    )
    assert_every_entry_reads_as_names()


# --- the page -------------------------------------------------------------------------------


def test_the_entry_page_says_what_happened_and_keeps_the_exact_data(federation: None) -> None:
    execute(c.FileDocument("clara", "C3", "Minutes of 3 March", "Present: all six."))
    entry = last("document_filed")
    page = Client().get(f"/record/entries/{entry.seq}").content.decode()
    assert '<p id="happened">Clara filed the document “Minutes of 3 March” in Dockers.</p>' in page
    event = json.loads(bytes(entry.body))
    pretty = json.dumps(event["data"], indent=2, ensure_ascii=False)
    assert (
        f"<details><summary>The entry's data</summary><pre>{escape(pretty)}</pre></details>" in page
    )
    assert f'<pre id="entry-bytes">{escape(bytes(entry.body).decode())}</pre>' in page
    for anchor in ('id="check-entry"', 'id="check-size"', 'id="check-result"'):
        assert anchor in page
    assert page.index('id="happened"') < page.index("<details>") < page.index('id="entry-bytes"')


def test_a_title_is_escaped_in_the_sentence_and_on_the_page(federation: None) -> None:
    execute(c.FileMotion("clara", "C3", "<script>alert(1)</script> & dues", "Text."))
    entry = last("motion_filed")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; dues" in sentence_of(entry)
    page = Client().get(f"/record/entries/{entry.seq}").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; dues" in page


# --- the demo: every kind of entry it holds ----------------------------------------------------


def test_every_kind_of_entry_in_the_demo_names_people_not_ids() -> None:
    """GIVEN the demo federation (about 300 members with ids such as ``ines.carvalho``, 48
    kinds of entry), THEN the first entries of each kind read as sentences with no member id,
    no raw time, and a secret ballot's entries name no candidate but the voter herself."""
    forget()
    try:
        seed_demo(fresh=True)
        member = re.compile(
            r"(?<![\w.])("
            + "|".join(re.escape(k) for k in MemberRow.objects.values_list("key", flat=True))
            + r")(?![\w.])"
        )
        kinds = sorted(set(Entry.objects.values_list("type", flat=True)))
        assert len(kinds) >= 40
        for kind in kinds:
            for entry in of_type(kind)[:3]:
                text = words(entry)
                assert not text.startswith(FALLBACK), (kind, text)
                assert not member.search(text), (kind, text)
                assert not RECORD_TIME.search(text), (kind, text)
        for entry in of_type("secret_ballot_cast"):
            election = ElectionRow.objects.filter(key=data(entry)["subject"]).first()
            if election is None:
                continue
            voter = data(entry)["member"]
            others = MemberRow.objects.filter(key__in=election.candidates).exclude(key=voter)
            text = words(entry)
            assert others.exists() and not any(m.name in text for m in others), text
    finally:
        forget()


def test_a_council_page_says_its_part_of_the_record_in_words() -> None:
    """The Dockers' page lists its latest entries as their own pages say them: people and
    councils by name, no event type, no ids; each links to its entry."""
    harbour.seed()
    page = Client().get("/councils/C3").content.decode()
    part = page[page.index('id="h-record"') :]
    part = part[: part.index("</section>")]
    words = html.unescape(strip_tags(part))
    assert "Vera joined Dockers." in words, words
    assert "elected" in words and "Rosa" in words, words
    assert "member_joined" not in part and "election_closed" not in part
    assert not PERSONA.search(words) and not COUNCIL_ID.search(words), words
    latest = Entry.objects.filter(scope__contains=" C3 ").order_by("-seq").first()
    assert latest is not None and f'href="/record/entries/{latest.seq}"' in part


def test_the_record_page_says_each_entry_in_words_with_its_type_beside_it() -> None:
    harbour.seed()
    page = Client().get("/record").content.decode()
    table = html.unescape(strip_tags(page[page.index("<table") : page.index("</table>")]))
    assert "Vera joined Dockers. (member_joined)" in " ".join(table.split()), table
    assert not PERSONA.search(table.replace("member_joined", "")), table
    latest = Entry.objects.order_by("-seq").first()
    assert latest is not None and f'href="/record/entries/{latest.seq}"' in page
