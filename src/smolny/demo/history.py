"""Four months of the Bay Federation, ending a few minutes before the demo starts.

Day 0: the founding assembly lays out the tree and members join over two weeks; day 14 the
seats are apportioned and the founding closes.  Days 16-22 every base council elects its
delegation to its district (approval, contested), its chair and its secretary (plurality);
days 24-28 the districts elect their delegations to the congress and their chairs; days 31-37
the congress elects its officers.  Then motions: the congress lowers the recall share by a
two-thirds vote and lets its chair issue statements (the chair issues one); councils vote rent
strikes, levies and strikes, and lose two motions.  Days 61-72 the Eastgate warehouse workers
recall their delegate, who voted against the strike they had called, and elect another in the
by-election.  Members join, leave and transfer along the way.  Around day 105 the Harbour
District accepts the hospital's staffing plan, carried by the vote of the nurses' delegate
against the mandate her council gave her.

And open when the demo starts: a petition to recall the Harbour Nurses' delegate, who voted
against her council's mandate; an executive election with voting open and one taking
nominations; a motion gathering co-sponsors; two motions with voting open; and a debate in
Harbour Dockers with speakers waiting for the chair to give the floor (``debate``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from smolny.constitution import Command
from smolny.constitution import commands as c

from . import cast as k
from .debate import Debate
from .freedoms import RULES, Freedoms, _no_key
from .secret import Files
from .stories import contest, election, minutes, motion
from .timeline import Story, StoryError, Timeline, created, hours, spread

NO_ROLE = {k.CONSTITUENT, k.OTHER_MEMBER, k.RECALL_OPENER}
FIXED_DELEGATES = {
    k.NURSES: [k.DELEGATE, k.CONGRESS_SECRETARY],
    k.WAREHOUSE: [k.RECALLED],
    k.VALLEY_TENANTS: [k.FOUNDER, k.CONGRESS_DELEGATE],
}
FIXED_LOSERS = {k.WAREHOUSE: [k.BY_ELECTED]}
FIXED_CHAIRS = {k.DOCKERS: k.CHAIR}
UNCONTESTED_CHAIRS = {k.CARE, k.NORTHGATE}
CONGRESS_ROLES = {k.FOUNDER, k.CONGRESS_SECRETARY, k.CONGRESS_DELEGATE}


@dataclass
class Roles:
    """Who stands for what in one base council, and who is free for walk-on parts."""

    delegates: list[str]
    delegate_losers: list[str]
    chair: str
    chair_losers: list[str]
    secretary: str
    secretary_losers: list[str]
    others: list[str]


def assign_roles(people: k.Cast) -> dict[str, Roles]:
    rng = random.Random("roles")
    late = {p.id for p in people.people if p.late}
    roles: dict[str, Roles] = {}
    for base in k.BASES:
        pool = [m for m in people.by_council[base.name] if m not in k.CAST and m not in late]
        rng.shuffle(pool)
        free = iter(pool)

        def take(n: int, it: Iterator[str] = free) -> list[str]:
            return [next(it) for _ in range(max(0, n))]

        fixed = FIXED_DELEGATES.get(base.name, [])
        fixed_losers = FIXED_LOSERS.get(base.name, [])
        delegates = fixed + take(base.seats - len(fixed))
        losers = fixed_losers + take(rng.choice((1, 2)) - len(fixed_losers))
        chair = FIXED_CHAIRS.get(base.name) or take(1)[0]
        chair_losers = take(0 if base.name in UNCONTESTED_CHAIRS else 1)
        secretary = take(1)[0]
        secretary_losers = take(rng.choice((0, 1)))
        roles[base.name] = Roles(
            delegates, losers, chair, chair_losers, secretary, secretary_losers, list(free)
        )
    return roles


class Script:
    def __init__(
        self,
        now: datetime,
        files: Files | None = None,
        support_key: Callable[[str], str] | None = None,
    ) -> None:
        self.now = now
        self.files = files or Files()
        self.support_key = support_key
        first = (now - timedelta(days=120)).date()
        self.start = datetime(first.year, first.month, first.day, 17, 0, tzinfo=UTC)
        self.tl = Timeline()
        self.cast = k.cast()
        self.roles = assign_roles(self.cast)

    def day(self, n: float, hour: float = 0) -> datetime:
        """``hour`` hours after 17:00 UTC on day ``n`` of the federation."""
        return self.start + timedelta(days=n, hours=hour)

    def rng(self, name: str) -> random.Random:
        # One generator per story: the stories' draws do not depend on how they interleave,
        # which moves with the time of day the demo is started.
        return random.Random(f"demo:{name}")

    def write(self) -> list[tuple[Command, datetime]]:
        stories: list[Story] = [
            self.founding(),
            *self.base_elections(),
            *self.district_elections(),
            *self.congress_officers(),
            *self.motions(),
            self.recall(),
            self.documents(),
            self.comings_and_goings(),
            *self.open_now(),
            *Freedoms(self, self.support_key).stories(),
            *Debate(self, self.support_key or _no_key).stories(),
        ]
        self.tl.run(stories)
        assert self.tl.last is not None and self.tl.last < self.now
        return self.tl.items

    # --- day 0-14: the founding assembly -----------------------------------------------------

    def founding(self) -> Story:
        rng = self.rng("founding")
        tl = self.tl
        t = self.day(0, 1)
        yield t, c.FoundFederation(k.FOUNDER, k.FEDERATION, k.CONGRESS, dict(k.PARAMS))
        congress = tl.council(k.CONGRESS)
        districts: dict[str, str] = {}
        for name in k.DISTRICTS:
            t += minutes(4)
            events = yield t, c.CreateCouncil(k.FOUNDER, congress, name, False)
            districts[name] = created(events, "council_created")
        for base in k.BASES:
            t += minutes(3)
            yield t, c.CreateCouncil(k.FOUNDER, districts[base.district], base.name, True)
        for title, text in RULES:
            t += minutes(2)
            yield t, c.EnactRule(k.FOUNDER, title, text)
        t += minutes(5)
        yield t, c.Join(k.FOUNDER, self.cast.name(k.FOUNDER), tl.council(k.VALLEY_TENANTS))
        founders = [p for p in self.cast.people if not p.late and p.id != k.FOUNDER]
        rng.shuffle(founders)
        at_assembly = len(founders) * 11 // 20
        times = spread(rng, t + minutes(5), self.day(0, 4.5), at_assembly, gap=20)
        times += spread(rng, self.day(1, -8), self.day(13, 5), len(founders) - at_assembly)
        for when, person in zip(times, founders, strict=True):
            yield when, c.Join(person.id, person.name, tl.council(person.council))
        t = self.day(14, 2)
        yield t, c.Reapportion(k.FOUNDER, congress)
        for name in k.DISTRICTS:
            t += minutes(2)
            yield t, c.Reapportion(k.FOUNDER, districts[name])
        yield t + minutes(10), c.CloseFounding(k.FOUNDER)
        for base in k.BASES:
            seats = tl.state.councils[tl.council(base.name)].seats
            if seats != base.seats:
                raise StoryError(f"{base.name} got {seats} seats, the script planned {base.seats}")

    # --- days 16-37: elections -------------------------------------------------------------------

    def base_elections(self) -> Iterator[Story]:
        for n, base in enumerate(k.BASES):
            r = self.roles[base.name]
            rng = self.rng(f"elections:{base.name}")
            turnout = rng.uniform(0.6, 0.9)
            at = self.day(16, 1) + minutes(12 * n)
            yield election(
                self.tl, self.rng(f"delegates:{base.name}"), at=at, council=base.name,
                kind="delegate", winners=r.delegates, losers=r.delegate_losers, turnout=turnout,
            )  # fmt: skip
            yield election(
                self.tl, self.rng(f"chair:{base.name}"), at=at + minutes(4), council=base.name,
                kind="office", office="chair", winners=[r.chair], losers=r.chair_losers,
                turnout=turnout,
            )  # fmt: skip
            yield election(
                self.tl, self.rng(f"secretary:{base.name}"), at=at + minutes(8),
                council=base.name, kind="office", office="secretary", winners=[r.secretary],
                losers=r.secretary_losers, turnout=turnout - 0.05,
            )  # fmt: skip

    def district_elections(self) -> Iterator[Story]:
        for n, district in enumerate(k.DISTRICTS):
            yield self._district(district, self.day(24, 2) + minutes(15 * n))

    def _district(self, district: str, at: datetime) -> Story:
        """A district elects its congress delegation, then its chair, from its delegates."""
        rng = self.rng(f"district:{district}")
        tl = self.tl
        yield at, None
        voters = tl.state.voters(tl.council(district))
        special = {k.DELEGATE, k.RECALLED, *CONGRESS_ROLES}
        plain = [v for v in voters if v not in special]
        rng.shuffle(plain)
        seats = tl.state.councils[tl.council(district)].seats
        if district == k.HARBOUR:
            losers = [k.DELEGATE]
        elif district == k.NORTH_SHORE:
            losers = [k.RECALLED]
        else:
            losers = plain[:1]
            voters = [v for v in voters if v != plain[1]]  # one delegate does not stand
        winners = [v for v in voters if v not in losers]
        if len(winners) != seats:
            raise StoryError(f"{district}: {len(winners)} winners for {seats} seats")
        delegation = election(
            tl, rng, at=at, council=district, kind="delegate", winners=winners, losers=losers,
            turnout=1,
        )  # fmt: skip
        chair = election(
            tl, self.rng(f"district-chair:{district}"), at=at + minutes(5), council=district,
            kind="office", office="chair", winners=plain[-1:], losers=plain[-2:-1], turnout=1,
        )  # fmt: skip
        # Both run side by side; this story relays the chair election's steps after its own.
        yield from _interleave(delegation, chair)

    def congress_officers(self) -> Iterator[Story]:
        tl = self.tl
        at = self.day(31, 2)

        def officers() -> Story:
            yield at, None
            plain = [v for v in tl.state.voters(tl.council(k.CONGRESS)) if v not in CONGRESS_ROLES]
            rng = self.rng("congress-officers")
            rng.shuffle(plain)
            yield from _interleave(
                election(
                    tl, self.rng("congress-chair"), at=at, council=k.CONGRESS, kind="office",
                    office="chair", winners=[k.FOUNDER], losers=plain[:1], turnout=1,
                ),
                election(
                    tl, self.rng("congress-secretary"), at=at + minutes(3), council=k.CONGRESS,
                    kind="office", office="secretary", winners=[k.CONGRESS_SECRETARY],
                    turnout=1,
                ),
                election(
                    tl, self.rng("congress-executive"), at=at + minutes(6), council=k.CONGRESS,
                    kind="office", office="executive", winners=plain[1:4], losers=plain[4:6],
                    turnout=0.9,
                ),
            )  # fmt: skip

        yield officers()

    # --- days 35-107: motions ---------------------------------------------------------------------

    def motions(self) -> Iterator[Story]:
        tl = self.tl
        r = self.roles
        yield motion(
            tl, self.rng("amendment"), at=self.day(35, 1), council=k.CONGRESS, mover=k.FOUNDER,
            title="Lower the recall threshold to one fifth",
            text=(
                "The founding assembly set the share of a constituency whose signatures open a "
                "recall ballot at one quarter. In the larger councils that is hard to reach "
                "between meetings, and a delegate who ignores her mandate should not be safe "
                "because her constituents work nights. This Congress amends the constitution: "
                "a recall ballot opens when one fifth of the constituency has signed."
            ),
            effect={"kind": "amend_params", "changes": {"recall_share": "1/5"}},
            roll=(11, 5, 0), carried=True,
        )  # fmt: skip

        def grant_then_act() -> Story:
            yield from motion(
                tl, self.rng("grant"), at=self.day(36, 2), council=k.CONGRESS,
                mover=k.CONGRESS_SECRETARY,
                title="Let the chair issue statements between sessions",
                text=(
                    "The Congress meets every few weeks; lockouts and evictions do not wait. "
                    "The chair of the Congress may issue public statements on behalf of the "
                    "Congress between sessions, within the policy the Congress has adopted. "
                    "Every statement is published in the record, and the Congress may reverse "
                    "it by motion."
                ),
                effect={"kind": "grant_power", "office": "chair", "power": "issue_statement"},
                roll=(13, 2, 1), carried=True,
            )  # fmt: skip
            yield (
                self.day(45, 3),
                c.PerformAct(
                    k.FOUNDER,
                    tl.council(k.CONGRESS),
                    "chair",
                    "issue_statement",
                    "Statement on the lockout at the container terminal",
                    "The Federal Congress stands with the Harbour Dockers, locked out since Monday "
                    "for refusing unsafe double shifts. We call on every council of the federation "
                    "to send a delegation to the picket line at Gate 4 and to give to the "
                    "solidarity fund. An injury to one is an injury to all.",
                ),
            )

        yield grant_then_act()
        yield motion(
            tl, self.rng("rent-strike"), at=self.day(38, 1), council=k.VALLEY_TENANTS,
            mover=k.CONGRESS_DELEGATE, title="Rent strike at Birchfield Court until the repairs are done",
            text=(
                "Sixty-three repair requests at Birchfield Court have been open for more than "
                "six months, among them the heating in two stairwells. From the first of next "
                "month, the households of Birchfield Court who choose to join pay their rent "
                "into the association's escrow account instead of to the landlord, until every "
                "outstanding repair is done. The association gives legal support to every "
                "striking household."
            ),
            roll=(0.62, 0.12, 0.06), carried=True,
        )  # fmt: skip
        yield motion(
            tl, self.rng("levy"), at=self.day(41, 2), council=k.DOCKERS, mover=r[k.DOCKERS].secretary,
            title="A monthly solidarity levy for the Birchfield Court rent strike",
            text=(
                "Every member of Harbour Dockers is asked to give two hours' pay a month to the "
                "Birchfield Court escrow fund for as long as the rent strike lasts. The "
                "secretary reports the total at each council meeting."
            ),
            roll=(0.55, 0.2, 0.05), carried=True,
        )  # fmt: skip
        yield motion(
            tl, self.rng("trades-council"), at=self.day(44, 1), council=k.TEACHERS,
            mover=r[k.TEACHERS].chair, title="Affiliate to the City Trades Council",
            text=(
                "North Shore Teachers affiliates to the City Trades Council and pays the "
                "affiliation fee from council funds."
            ),
            roll=(0.3, 0.45, 0.08), carried=False,
        )  # fmt: skip
        yield motion(
            tl, self.rng("staffing-mandate"), at=self.day(46, 2), council=k.NURSES,
            mover=r[k.NURSES].chair, title="Mandate our delegates to oppose the Trust's staffing plan",
            text=(
                "The Hospital Trust's staffing plan would take the night-shift ratio on general "
                "wards from one nurse for eight patients to one for eleven. Harbour Nurses "
                "instructs its delegates to the Harbour District Council to vote against any "
                "motion that accepts this plan, whole or as a basis for negotiation."
            ),
            roll=(0.7, 0.08, 0.04), carried=True,
            fixed={k.DELEGATE: "abstain", k.CONGRESS_SECRETARY: "yes", k.CONSTITUENT: "yes"},
        )  # fmt: skip
        yield motion(
            tl, self.rng("warehouse-strike"), at=self.day(47, 1), council=k.WAREHOUSE,
            mover=k.RECALL_OPENER, title="Strike against the new pick-rate targets",
            text=(
                "Eastgate Warehouse Workers strikes from the first of next month against the "
                "new pick-rate targets unless management withdraws them, and asks the North "
                "Shore District Council to open a strike fund."
            ),
            roll=(0.65, 0.15, 0.05), carried=True, fixed={k.RECALLED: "no", k.BY_ELECTED: "yes"},
        )  # fmt: skip
        yield motion(
            tl, self.rng("staffing-plan"), at=self.day(104, 1), council=k.HARBOUR,
            mover=r[k.DOCKERS].delegates[0],
            title="Accept the Trust's staffing plan as a basis for negotiation",
            text=(
                "The Harbour District Council accepts the Hospital Trust's staffing plan as a "
                "basis for negotiation, on condition that the Trust reviews the ratios after "
                "six months."
            ),
            roll=(4, 3, 0), carried=True,
            fixed={k.DELEGATE: "yes", k.CONGRESS_SECRETARY: "no"},
        )  # fmt: skip
        yield motion(
            tl, self.rng("strike-fund"), at=self.day(52, 2), council=k.NORTH_SHORE,
            mover=r[k.WAREHOUSE].delegates[1], title="A strike fund for the Eastgate warehouse",
            text=(
                "The North Shore District Council opens a strike fund for the Eastgate "
                "warehouse workers, who have voted to strike against the new pick-rate "
                "targets, and asks each council of the district to contribute."
            ),
            roll=(5, 1, 0), carried=True, fixed={k.RECALLED: "no"},
        )  # fmt: skip
        yield motion(
            tl, self.rng("online"), at=self.day(55, 1), council=k.STUDENTS,
            mover=r[k.STUDENTS].secretary, title="Hold all general meetings online",
            text=(
                "To save the cost of the hall, Valley College Students' Union holds its "
                "general meetings online only."
            ),
            roll=(0.2, 0.5, 0.05), carried=False, fixed={k.OTHER_MEMBER: "no"},
        )  # fmt: skip
        yield motion(
            tl, self.rng("surgery"), at=self.day(58, 2), council=k.NORTHGATE,
            mover=r[k.NORTHGATE].chair, title="A tenants' advice surgery every Saturday",
            text=(
                "Northgate Estate Tenants runs an advice surgery every Saturday morning in the "
                "community room, staffed by volunteers on a rota kept by the secretary."
            ),
            roll=(0.6, 0.1, 0.1), carried=True,
        )  # fmt: skip

    # --- days 61-72: a recall and its by-election ------------------------------------------------

    def recall(self) -> Story:
        rng = self.rng("recall")
        tl = self.tl
        at = self.day(61, -5)
        yield at, None
        warehouse = tl.council(k.WAREHOUSE)
        mandate = tl.mandate(k.RECALLED)
        grounds = (
            "Our council voted to strike against the new pick-rate targets and asked the "
            "North Shore District Council for a strike fund. Derek voted against the strike "
            "fund in the district all the same, and he has not reported back to us once since "
            "we elected him. A delegate carries the council's mandate; we want one who does."
        )
        events = yield at + minutes(3), c.OpenRecall(k.RECALL_OPENER, mandate, grounds)
        recall_id = created(events, "recall_opened")
        recall = tl.state.recalls[recall_id]
        voters = tl.state.voters(warehouse)
        signers = [v for v in voters if v not in (k.RECALLED, k.RECALL_OPENER)]
        rng.shuffle(signers)
        t = at
        while recall.status == "petition":
            t += minutes(rng.randint(30, 360))
            yield t, c.SignRecall(signers.pop(), recall_id)
        assert recall.ballot_close is not None
        # The ballot: a few vote to keep him (Derek among them), and it carries at once when
        # a majority of the whole constituency has voted yes.
        voters = tl.state.voters(warehouse)
        keep = {k.RECALLED, *rng.sample([v for v in voters if v not in recall.signatures], 5)}
        order = [v for v in voters if v != k.RECALLED]
        rng.shuffle(order)
        order.insert(rng.randint(0, 6), k.RECALLED)
        times = spread(rng, t + minutes(40), t + hours(50), len(order), gap=120)
        for when, voter in zip(times, order, strict=True):
            choice = "no" if voter in keep else "yes"
            events = yield when, c.VoteRecall(voter, recall_id, choice)
            if recall.status == "carried":
                break
        else:
            raise StoryError("the recall ballot did not carry")
        by_election = created(events, "election_called")
        others = [
            v
            for v in tl.state.voters(warehouse)
            if v not in (k.BY_ELECTED, k.RECALLED, k.RECALL_OPENER)
            and not tl.state.active_mandates(holder=v)
        ]
        yield from contest(tl, rng, by_election, [k.BY_ELECTED], [rng.choice(others)], turnout=0.75)

    # --- documents, and members coming and going --------------------------------------------------

    def documents(self) -> Story:
        tl = self.tl
        r = self.roles
        papers = [
            (self.day(38, 3), k.CONGRESS_SECRETARY, k.CONGRESS,
             "Minutes of the first session of the Federal Congress",
             "Present: the sixteen delegates of the three districts. The Congress elected its "
             "chair, its secretary and its executive committee (the results and every ballot "
             "are in the record). Items for the next session: the recall threshold, statements "
             "between sessions, and a federation-wide day of action on rents."),
            (self.day(39, 2), r[k.VALLEY_TENANTS].others[0], k.VALLEY_TENANTS,
             "Birchfield Court repairs log",
             "Sixty-three open repair requests, the oldest from last winter: heating in "
             "stairwells B and D, damp in twenty-one flats, the lift in block C out of order "
             "for eleven weeks. The full list with dates is attached to the minutes."),
            (self.day(44, 3), r[k.DOCKERS].others[0], k.DOCKERS,
             "Safety report: the Berth 7 crane",
             "The spreader on the Berth 7 crane failed its inspection twice this quarter and "
             "was returned to service both times without repair. We ask the council to demand "
             "the inspection records and to support any member who refuses to work under it."),
            (self.day(49, 4), r[k.NURSES].others[0], k.HARBOUR,
             "Survey of ward staffing at Harbour General",
             "Answers from 29 nurses on 11 wards: on 9 wards the night shift ran below the "
             "safe ratio at least once a week last month; on 4 wards every night. Comments "
             "are attached anonymised."),
            (self.day(60, 1), k.RECALL_OPENER, k.WAREHOUSE,
             "Report from the picket line, week one",
             "Forty pickets on the first morning, twenty-five every day since. Two delivery "
             "drivers refused to cross. Management has asked for talks on Thursday."),
            (self.day(76, 2), r[k.STUDENTS].others[0], k.VALLEY,
             "Open letter on hall fees",
             "The college has doubled the fee for the great hall. Every union, tenants' and "
             "community group of the valley that meets there is affected; we propose that the "
             "district ask the college to restore the old fee for not-for-profit groups."),
            (self.now - hours(90), k.DELEGATE, k.NURSES,
             "Report back from the Harbour District Council",
             "The district met on the Trust's staffing plan and on hall fees. On the staffing "
             "plan I voted to accept it as a basis for negotiation: I believe a review in six "
             "months is the best we can win now. I know many of you disagree, and I will "
             "answer questions at the next meeting."),
        ]  # fmt: skip
        for at, author, body, title, text in papers:
            yield at, None
            yield at + minutes(1), c.FileDocument(author, tl.council(body), title, text)

    def comings_and_goings(self) -> Story:
        """Members join late, two leave, a care worker moves to the buses."""
        rng = self.rng("membership")
        tl = self.tl
        yield self.day(40), None
        late = [p for p in self.cast.people if p.late]
        rng.shuffle(late)
        times = spread(rng, self.day(40, 1), self.day(100), len(late), gap=3600)
        moves: list[tuple[datetime, Command]] = [
            (when, c.Join(p.id, p.name, tl.council(p.council)))
            for when, p in zip(times, late, strict=True)
        ]
        moves.append((self.day(88, 3), c.Leave(self.roles[k.TEACHERS].others[-1])))
        moves.append(
            (self.day(92, 1), c.Transfer(self.roles[k.CARE].others[-1], tl.council(k.BUSES)))
        )
        moves.append((self.day(97, 2), c.Leave(self.roles[k.CARE].others[-2])))
        moves.sort(key=lambda move: move[0])
        # Not ``yield from``: the timeline sends each step's events back, which a list cannot take.
        for when, command in moves:  # noqa: UP028
            yield when, command

    # --- open when the demo starts ---------------------------------------------------------------

    def open_now(self) -> Iterator[Story]:
        tl = self.tl
        now = self.now
        r = self.roles

        def petition() -> Story:
            rng = self.rng("open-recall")
            at = now - hours(30)
            yield at, None
            nurses = tl.council(k.NURSES)
            opener = r[k.NURSES].others[1]
            events = yield (
                at + minutes(2),
                c.OpenRecall(
                    opener,
                    tl.mandate(k.DELEGATE),
                    "On the Harbour District Council Rosa voted to accept the Trust's staffing plan "
                    "as a basis for negotiation, against the mandate this council gave its "
                    "delegates to oppose it; her vote carried the motion by four to three, and "
                    "her report back defends the vote instead of the mandate. We ask the "
                    "council to recall her and elect a delegate who will carry our mandate.",
                ),
            )
            recall_id = created(events, "recall_opened")
            exclude = {k.DELEGATE, k.CONGRESS_SECRETARY, k.CONSTITUENT, opener}
            signers = [v for v in tl.state.voters(nurses) if v not in exclude]
            rng.shuffle(signers)
            for when, signer in zip(
                spread(rng, at + hours(1), now - hours(2), 4, gap=1800), signers, strict=False
            ):
                yield when, c.SignRecall(signer, recall_id)
            if tl.state.recalls[recall_id].status != "petition":
                raise StoryError("the open recall petition was meant to be still gathering")

        yield petition()
        yield election(
            tl, self.rng("dockers-executive"), at=now - hours(100), council=k.DOCKERS,
            kind="office", office="executive", winners=r[k.DOCKERS].others[1:4],
            losers=r[k.DOCKERS].others[4:6], turnout=0.35, stage="voting",
            until=now - hours(1), abstainers=[k.CHAIR],
        )  # fmt: skip
        yield election(
            tl, self.rng("teachers-executive"), at=now - hours(20), council=k.TEACHERS,
            kind="office", office="executive", winners=r[k.TEACHERS].others[:2],
            stage="nominations", until=now - hours(2),
        )  # fmt: skip
        yield motion(
            tl, self.rng("report-back"), at=now - hours(10), council=k.NURSES,
            mover=r[k.NURSES].others[1], title="Delegates report back after every district meeting",
            text=(
                "Harbour Nurses' delegates report in writing to this council within a week of "
                "every meeting of the Harbour District Council: what was decided, how they "
                "voted, and why."
            ),
            roll=(0, 0, 0), stage="sponsors", sponsors=1, abstainers=[k.CONSTITUENT, k.DELEGATE],
        )  # fmt: skip
        yield motion(
            tl, self.rng("day-of-action"), at=now - hours(62), council=k.CONGRESS,
            mover=k.FOUNDER, title="A federation-wide day of action on rents",
            text=(
                "Rents in the three districts have risen by a fifth in two years. The Federal "
                "Congress calls a day of action on the last Saturday of next month: every "
                "tenants' council holds an open meeting, every workplace council sends a "
                "delegation, and the districts march together to the city hall."
            ),
            roll=(5, 1, 1), stage="voting", sponsor_gap=(20, 50), until=now - hours(1),
            abstainers=[k.CONGRESS_DELEGATE],
        )  # fmt: skip
        yield motion(
            tl, self.rng("walkout"), at=now - hours(66), council=k.STUDENTS,
            mover=r[k.STUDENTS].chair, title="Join the day of action with a walkout at noon",
            text=(
                "If the Congress calls the day of action on rents, Valley College Students' "
                "Union walks out of classes at noon that day and joins the Valley march, and "
                "asks the college not to penalise anyone who does."
            ),
            roll=(6, 2, 1), stage="voting", sponsor_gap=(15, 60), until=now - hours(1),
            abstainers=[k.OTHER_MEMBER],
        )  # fmt: skip


def _interleave(*stories: Story) -> Story:
    """Run several stories as one, always taking the earliest next step."""
    pending: list[tuple[datetime, Command | None, Story]] = []
    for story in stories:
        try:
            at, command = next(story)
        except StopIteration:
            continue
        pending.append((at, command, story))
    while pending:
        pending.sort(key=lambda item: item[0])
        at, command, story = pending.pop(0)
        sent = yield at, command
        try:
            nxt, command = story.send(sent)
        except StopIteration:
            continue
        pending.append((nxt, command, story))


def history(
    now: datetime,
    files: Files | None = None,
    support_key: Callable[[str], str] | None = None,
) -> list[tuple[Command, datetime]]:
    """The demo's commands with their times, oldest first, all before ``now``.

    ``files`` is where the trustees and voters the seed plays leave their key files (see
    ``secret``); ``support_key`` derives a member's support key from the server's secret, so
    that a member who signs in finds her private support (without it, supports are named)."""
    return Script(now, files, support_key).write()
