"""The freedoms in the demo's history: a control commission elected by secret ballot, cases
before it, tendencies with a publication to every member, and a strike ballot held in secret.

- Days 54-62: Harbour Dockers elect their control commission (three seats, approval) by secret
  ballot.  Trustees 1 and 3 of three decrypt the tally, so the result page shows a threshold of
  two at work and the proofs of each partial decryption.
- Days 64-82: two cases before that commission.  One ends in a warning with its end date; the
  other is dismissed after the respondent's reply shows the work she was charged for was agreed
  by the picket committee (disagreement, or a charge someone believes, is not a breach).
- Days 78-96: two tendencies are founded federation-wide; members support them, most privately;
  the larger one publishes to every member (its press right) and the shares are divided.
- Open now: a third case waits for its hearing (the reply period is over), and Harbour Nurses
  hold a secret ballot on refusing overtime on understaffed night shifts, voting open, with some
  ballots already cast and Amara Nwosu's credential on the roll.

Who plays what is in ``cast``; the trustees and voters the seed plays are in ``secret``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smolny.constitution import commands as c

from . import cast as k
from . import secret
from .stories import minutes
from .timeline import Story, StoryError, created, hours, spread

if TYPE_CHECKING:
    from .history import Script

RULES = (
    (
        "Money held for a council",
        "A member who collects or holds money for a council, or for a fund a council has set "
        "up, pays it into that council's or that fund's account within fourteen days and gives "
        "the council's secretary a written account of it.",
    ),
    (
        "Picket lines",
        "A member does not work behind a picket line that her own council, or a council above "
        "it, has called or endorsed, unless the picket committee has agreed to that work.",
    ),
)
"""The code of rules the founding assembly enacts: every charge must cite one of them."""


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


class Freedoms:
    def __init__(self, script: Script, support_key: Callable[[str], str] | None) -> None:
        self.s = script
        self.tl = script.tl
        self.files = script.files
        self.support_key = support_key
        self.dockers = script.roles[k.DOCKERS]
        others = self.dockers.others
        # Dockers with no other part (others[0:6] play in the history already).
        self.commission_winners = [k.COMMISSIONER, others[6], others[7]]
        self.commission_loser = others[8]
        self.trustees = [k.CHAIR, self.dockers.secretary, others[9]]
        self.respondents = others[10], others[11], others[12]
        self.filers = self.dockers.secretary, others[13], others[14]
        self.witness = others[15]

    def stories(self) -> Iterator[Story]:
        yield self.commission()
        yield self.warning_case()
        yield self.dismissed_case()
        yield self.open_case()
        yield self.tendencies()
        yield self.strike_ballot()

    # --- the control commission, by secret ballot -----------------------------------------

    def commission(self) -> Story:
        tl, s = self.tl, self.s
        rng = s.rng("commission")
        at = s.day(54, 2)
        yield at, None
        dockers = tl.council(k.DOCKERS)
        events = yield (
            at + minutes(1),
            c.CallElection(
                k.CHAIR, dockers, "office", "control_commission", "approval",
                ballot_mode="secret", trustees=tuple(self.trustees), threshold=2,
            ),
        )  # fmt: skip
        subject = created(events, "election_called")
        e = tl.state.elections[subject]
        candidates = [*self.commission_winners, self.commission_loser]
        rng.shuffle(candidates)
        times = spread(rng, at + minutes(30), at + hours(20), len(candidates), gap=900)
        for when, candidate in zip(times, candidates, strict=True):
            yield when, c.Nominate(candidate, subject, candidate)
        voters = tl.state.voters(dockers)
        registering = sorted(v for v in voters if rng.random() < 0.75 or v in self.trustees)
        yield from secret.register(
            tl, self.files, rng, registering, at + hours(21), e.nominations_close - hours(1)
        )
        t = e.nominations_close + minutes(12)
        yield t, c.PublishManifest(k.CHAIR, subject)
        keys = yield from secret.ceremony(tl, self.files, subject, t)
        sb = tl.state.secret[subject]
        roll = sorted(sb.roll.values())
        ballots = secret.approvals(rng, roll, candidates, self.commission_winners, turnout=0.8)
        opened = tl.last or t
        yield from secret.cast(
            tl, rng, subject, ballots, opened + minutes(20), e.voting_close - hours(2)
        )
        close = e.voting_close + minutes(25)
        yield close, c.CloseElection(self.dockers.secretary, subject)
        # Two of the three trustees decrypt: the threshold, not unanimity, gives the result.
        yield from secret.decrypt(
            tl, self.files, subject, keys, (1, 3), (close + hours(3), close + hours(7))
        )
        result = tl.state.elections[subject].result
        if result is None or sorted(result["elected"]) != sorted(self.commission_winners):
            raise StoryError(f"the commission election {subject} elected {result}")

    # --- cases ---------------------------------------------------------------------------

    def _charge(
        self, at: datetime, filer: str, respondent: str, rule: int, acts: list[c.ChargedAct],
        witnesses: tuple[str, ...] = (),
    ) -> Story:  # fmt: skip
        tl = self.tl
        yield at, None
        if not tl.state.code:
            raise StoryError("the code of rules is empty")
        rule_id = sorted(tl.state.code)[rule]
        events = yield (
            at + minutes(1),
            c.FileCharge(filer, tl.council(k.DOCKERS), respondent, rule_id, tuple(acts), witnesses),
        )
        return created(events, "case_opened")

    def _bench(self, case: str) -> list[str]:
        from smolny.constitution.cases import bench

        return bench(self.tl.state, self.tl.state.cases[case])

    def warning_case(self) -> Story:
        s = self.s
        respondent = self.respondents[0]
        case = yield from self._charge(
            s.day(66, 3), self.filers[0], respondent, 0,
            [{
                "date": _date(s.day(47)),
                "conduct": "Collected the solidarity levy for the Birchfield Court rent strike "
                "from the night shift at Berth 4, £212, and paid it into the escrow fund only "
                "twenty-six days later, without an account to the secretary.",
                "evidence": "The levy book, signed by the two collectors; the escrow fund's "
                "statement showing £212 paid in on " + _date(s.day(73)) + ".",
            }],
        )  # fmt: skip
        case_row = self.tl.state.cases[case]
        yield s.day(69, 1), c.ReplyToCharge(
            respondent, case,
            "I did collect the money and I paid it in late. The fund's paying-in book was with "
            "the secretary for three weeks and I did not want to go to the bank without it. "
            "Every pound is in the fund; I should have written the account at once.",
        )  # fmt: skip
        heard = case_row.reply_until + hours(20)
        commission = self._bench(case)
        yield heard, c.RecordHearing(
            commission[0], case,
            "Heard in the union room. Present: the three commissioners, the respondent, the "
            "secretary who filed the charge. The respondent agreed with the facts charged. The "
            "secretary confirmed the paying-in book was with her for part of the time.",
        )  # fmt: skip
        until = _date(heard + timedelta(days=60))
        reasons = (
            "The money was paid in, all of it, but twelve days late and with no written "
            "account; the rule exists so that members can see where their levy is. A warning, "
            "ending in sixty days; the delay with the paying-in book is a reason to go easy, "
            "not a reason the rule did not apply."
        )
        second = "As above: a warning for sixty days. The written account is the point of the rule."
        for n, (who, why) in enumerate(zip(commission[:2], (reasons, second), strict=True)):
            yield heard + hours(24 + 5 * n), c.VoteOnCase(who, case, "warning", why, until)
        if self.tl.state.cases[case].stage != "decided":
            raise StoryError(f"{case} was meant to be decided")

    def dismissed_case(self) -> Story:
        s = self.s
        respondent = self.respondents[1]
        case = yield from self._charge(
            s.day(64, 4), self.filers[1], respondent, 1,
            [{
                "date": _date(s.day(45)),
                "conduct": "Worked a shift on the Berth 7 crane on the second day of the "
                "lockout, behind the picket line the Federal Congress had endorsed.",
                "evidence": "The terminal's shift roster for that day, which has her name.",
            }],
            witnesses=(self.witness,),
        )  # fmt: skip
        yield s.day(66, 2), c.ReplyToCharge(
            respondent, case,
            "I was on the safety crew the picket committee agreed with the terminal that "
            "morning, to secure the Berth 7 crane whose spreader had failed its inspection. "
            "The picket committee's minutes of that morning say so; I have added them.",
        )  # fmt: skip
        yield s.day(66, 3), c.AddEvidence(
            respondent, case, "Picket committee minutes, second morning of the lockout",
            "Agreed with the terminal's duty manager: a safety crew of two (named) secures the "
            "Berth 7 crane before the picket goes up at 06:00; no other work. Passed 7-0.",
        )  # fmt: skip
        case_row = self.tl.state.cases[case]
        heard = case_row.reply_until + hours(30)
        commission = self._bench(case)
        yield heard, c.RecordHearing(
            commission[1], case,
            "Heard with the respondent, the member who filed the charge and the witness. The "
            "witness confirmed the roster. The chair of the picket committee confirmed the "
            "minutes and that the respondent did only the agreed work.",
        )  # fmt: skip
        reasons = (
            "The rule excepts work the picket committee has agreed to, and its minutes show it "
            "agreed to exactly this work. The member who filed the charge acted in good faith "
            "on the roster; there was no breach."
        )
        second = (
            "Dismiss. Charging a member was fair on what the roster showed; hearing her reply "
            "is what the hearing is for."
        )
        for n, (who, why) in enumerate(zip(commission[1:3], (reasons, second), strict=True)):
            yield heard + hours(20 + 6 * n), c.VoteOnCase(who, case, "dismiss", why)
        if self.tl.state.cases[case].decision is None:
            raise StoryError(f"{case} was meant to be dismissed")

    def open_case(self) -> Story:
        """Filed seventeen days ago, replied to, the reply period over: awaiting its hearing."""
        s = self.s
        now = s.now
        respondent = self.respondents[2]
        case = yield from self._charge(
            now - timedelta(days=17, hours=5), self.filers[2], respondent, 0,
            [{
                "date": _date(now - timedelta(days=24)),
                "conduct": "Took home the cash from the gate collection for the Birchfield Court "
                "strike, £145, and has not paid it into the escrow fund.",
                "evidence": "The collection sheet for that day, signed by her and two others; "
                "the fund's statement, with no payment of £145 since.",
            }],
        )  # fmt: skip
        yield now - timedelta(days=15, hours=2), c.ReplyToCharge(
            respondent, case,
            "The money is not at my home: it is in a sealed envelope in the office safe, signed "
            "for. The escrow account needs two signatories to pay in cash and the second was on "
            "leave. I will pay it in the day she is back, with the account.",
        )  # fmt: skip
        if self.tl.state.cases[case].reply_until >= now:
            raise StoryError(f"{case}: its reply period should be over by now")

    # --- tendencies and the press ----------------------------------------------------------

    def tendencies(self) -> Story:
        tl, s = self.tl, self.s
        rng = s.rng("tendencies")
        at = s.day(78, 3)
        yield at, None
        congress = tl.council(k.CONGRESS)
        nurses = s.roles[k.NURSES]
        founders = [k.RECALL_OPENER, k.BY_ELECTED, nurses.others[1]]
        events = yield at + minutes(2), c.ProposeTendency(
            founders[0], congress, "Mandate First",
            "A delegate carries her council's mandate, not her own. We stand for: written "
            "report-backs within a week of every meeting; recall used without fear whenever a "
            "delegate votes against her mandate; no delegate above a base council for more "
            "than two terms running.",
            tuple(founders[1:]),
        )  # fmt: skip
        first = created(events, "tendency_proposed")
        for n, who in enumerate(founders[1:]):
            yield at + hours(5 + 9 * n), c.ConfirmFounding(who, first)
        other_founders = [
            s.roles[k.VALLEY_TENANTS].others[2],
            s.roles[k.TEACHERS].others[2],
            s.roles[k.BUSES].others[2],
        ]
        events = yield s.day(83, 1), c.ProposeTendency(
            other_founders[0], congress, "One Federation",
            "Workplaces, tenants and students are stronger together than apart: every district "
            "should hold joint meetings of its councils each quarter, and the Congress should "
            "keep one strike and rent-strike fund for the whole federation.",
            tuple(other_founders[1:]),
        )  # fmt: skip
        second = created(events, "tendency_proposed")
        for n, who in enumerate(other_founders[1:]):
            yield s.day(83, 4 + 6 * n), c.ConfirmFounding(who, second)
        # Supporters, named (the founders of the first) and private (everyone else): the
        # record keeps only a commitment for each private one, the actor being the tendency.
        taken = {*founders, *other_founders, k.CONSTITUENT, k.OTHER_MEMBER, k.DELEGATE}
        leaving = {s.roles[k.TEACHERS].others[-1], *s.roles[k.CARE].others[-2:]}
        pool = [
            m
            for base in (k.WAREHOUSE, k.NURSES, k.VALLEY_TENANTS, k.STUDENTS, k.NORTHGATE)
            for m in s.roles[base].others[3:12]
            if m not in taken and m not in leaving
        ]
        rng.shuffle(pool)
        supports: list[tuple[str, str, bool]] = [(f, first, True) for f in founders]
        if self.support_key is not None:
            supports += [(m, first, False) for m in pool[:8]]
            supports += [(m, second, False) for m in pool[8:12]]
            supports += [(m, second, True) for m in other_founders[:1]]
        else:  # no server secret to derive keys from (the history alone): named supports only
            supports += [(m, first, True) for m in pool[:3]]
            supports += [(m, second, True) for m in other_founders[:2]]
        key = self.support_key or _no_key
        times = spread(rng, s.day(84, 2), s.day(95), len(supports), gap=1800)
        for when, (member, tendency, named) in zip(times, supports, strict=True):
            yield when, c.DeclareSupport(member, tendency, key(member), named)
        found = tl.state.tendencies[first]
        if found.supporters < tl.state.params.press_threshold:
            raise StoryError(f"{found.name} has {found.supporters} supporters: no press right")
        yield s.day(96, 2), c.Publish(
            founders[0], first, "Every delegate reports back in writing",
            "To every member of the federation, from Mandate First. In the last four months "
            "one delegate was recalled for voting against the strike his council had called, "
            "and a petition is open against another who voted against her council's mandate. "
            "Recall is there to be used, but it should be the last resort, not the only way a "
            "council learns how its delegate voted. We propose that every delegate reports to "
            "her council in writing within a week of every meeting above it: what was decided, "
            "how she voted, and why. Any member can read every roll call in the record today; "
            "a report back puts the reasons beside the votes. If you agree, support us from "
            "our page, privately if you prefer: the record keeps a commitment, not your name.",
        )  # fmt: skip

    # --- the strike ballot, open now -------------------------------------------------------

    def strike_ballot(self) -> Story:
        tl, s = self.tl, self.s
        rng = s.rng("strike-ballot")
        now = s.now
        nurses = s.roles[k.NURSES]
        at = now - hours(60)
        yield at, None
        council = tl.council(k.NURSES)
        trustees = (nurses.others[2], nurses.others[3], nurses.others[4])
        events = yield at + minutes(1), c.FileMotion(
            nurses.chair, council,
            "Refuse overtime on understaffed night shifts",
            "From the first night after this ballot is carried, members of Harbour Nurses "
            "refuse overtime on any night shift that runs below one nurse for eight patients, "
            "until the Hospital Trust restores that ratio on every general ward. The council "
            "holds this vote by secret ballot, as an industrial action ballot should be.",
            None, "secret", trustees, 2,
        )  # fmt: skip
        motion_id = created(events, "motion_filed")
        m = tl.state.motions[motion_id]
        voters = tl.state.voters(council)
        pool = [v for v in voters if v not in (nurses.chair, k.CONSTITUENT, k.DELEGATE)]
        rng.shuffle(pool)
        t = at + minutes(1)
        while m.status == "filed":
            t += minutes(rng.randint(15, 50))
            yield t, c.CoSponsor(pool.pop(), motion_id)
        assert m.vote_opens is not None and m.vote_closes is not None
        registering = sorted(
            v for v in voters if rng.random() < 0.7 or v in (k.CONSTITUENT, k.DELEGATE, *trustees)
        )
        yield from secret.register(
            tl, self.files, rng, registering, t + minutes(30), m.vote_opens - hours(1)
        )
        t = m.vote_opens + minutes(4)
        yield t, c.PublishManifest(nurses.chair, motion_id)
        yield from secret.ceremony(tl, self.files, motion_id, t)
        roll = sorted(tl.state.secret[motion_id].roll.values())
        voting = [v for v in roll if v not in (k.CONSTITUENT, k.DELEGATE)]
        rng.shuffle(voting)
        ballots = {
            v: [rng.choices(("yes", "no", "abstain"), (0.7, 0.2, 0.1))[0]]
            for v in voting[: len(voting) // 2]
        }
        yield from secret.cast(
            tl, rng, motion_id, ballots, (tl.last or t) + minutes(15), now - hours(1)
        )
        sb = tl.state.secret[motion_id]
        if sb.phase != "voting" or k.CONSTITUENT not in sb.roll.values():
            raise StoryError(
                f"the strike ballot {motion_id} was meant to be open, Amara on its roll"
            )


def _no_key(member: str) -> str:
    """A well-formed key for named supports when there is no server secret to derive one."""
    return hashlib.sha256(b"smolny-demo/no-support-secret\x00" + member.encode()).hexdigest()
