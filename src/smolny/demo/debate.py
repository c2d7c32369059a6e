"""A debate in the demo's history, open when the demo starts: Harbour Dockers debate pooling
their strike fund into one federation fund (docs/debate.md).

- Days before: two dockers declare their support of Mandate First by name, and the mover her
  support of One Federation, so that they can speak on the tendencies' behalf.
- Yesterday: the motion is filed and co-sponsored onto the agenda (its vote opens tomorrow);
  members ask to speak for and against, one of them takes her name off the list again.
- This evening, chaired by Tomás Reyes (elected in the base elections): the floor goes where
  the rules say, for and against in turn, the tendency that has spoken least first.  The chair
  ends one speech whose time was up, and a voter another; he calls Luis Okafor (Mandate First)
  to order, the floor overturns the ruling and Luis finishes his speech at the head of the
  list; a ruling on a point of order is challenged and upheld.
- Now: no one has the floor and two speakers wait, so the chair (signed in) can give the floor
  to the one the rules designate, and any other docker can ask to speak.

Nothing here picks who speaks: every ``GiveFloor`` goes to whoever ``debate.order`` puts first,
and the story checks that the rules chose the speaker the script's words are about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from smolny.constitution import commands as c
from smolny.constitution.debate import chairs

from . import cast as k
from .stories import minutes
from .timeline import Story, StoryError, created, hours, spread

if TYPE_CHECKING:
    from .history import Script

TITLE = "Pay our strike fund into one federation fund"
TEXT = (
    "Harbour Dockers pays its strike fund into a single strike and rent-strike fund kept by the "
    "Federal Congress, and mandates its delegates to propose at the Harbour District Council "
    "that every council of the district does the same. Every payment out of the federation "
    "fund is decided by the Congress in an open roll call."
)
CALL_TO_ORDER = (
    "Out of order: the speaker is going through the record of the district's delegates one by "
    "one instead of debating the motion. The motion is about where our strike fund is kept."
)
POINT_OF_ORDER = (
    "{asker} asks whether the time {called} spoke before he was called to order counts against "
    "Mandate First. It does: the constitution counts time held as held, and the floor gave him "
    "back only the time he had left."
)


def seconds(s: float) -> timedelta:
    return timedelta(seconds=s)


class Debate:
    def __init__(self, script: Script, key: Callable[[str], str]) -> None:
        self.s = script
        self.tl = script.tl
        self.key = key
        others = script.roles[k.DOCKERS].others
        # Dockers with no other part (others[0:16] play in the history and the freedoms).
        self.mover = others[16]  # One Federation, by name
        self.against_self = others[17]
        self.luis = others[18]  # Mandate First, by name: called to order
        self.for_self = others[19]
        self.withdraws = others[20]
        self.zofia = others[21]  # against, for herself: raises the point of order
        self.last_for = others[22]
        self.challenger = others[23]
        self.late = others[24]  # Mandate First, by name: asks during the debate
        self.speakers = {
            self.mover, self.against_self, self.luis, self.for_self, self.withdraws,
            self.zofia, self.last_for, self.challenger, self.late,
        }  # fmt: skip
        if len(self.speakers) != 9:
            raise StoryError("the debate's cast overlaps")

    def stories(self) -> Iterator[Story]:
        yield self.debate()

    def _tendency(self, name: str) -> str:
        return next(t.id for t in self.tl.state.tendencies.values() if t.name == name)

    def _floor(self, at: datetime, motion: str, who: str) -> Story:
        """The chair gives the floor; the rules must have chosen ``who``."""
        events = yield at, c.GiveFloor(k.CHAIR, motion)
        given = next(e.data["member"] for e in events if e.type == "floor_given")
        if given != who:
            raise StoryError(f"the rules gave the floor to {given}, the script expected {who}")

    def _challenge(
        self, at: datetime, ruling: str, challenger: str, overturn: int, uphold: int
    ) -> Story:
        """A voter challenges ``ruling``; the floor votes for its ten minutes; it is counted."""
        tl, s = self.tl, self.s
        rng = s.rng(f"debate:{ruling}")
        r = tl.state.rulings[ruling]
        yield at, c.ChallengeRuling(challenger, ruling)
        assert r.closes is not None
        pool = [v for v in tl.state.voters(r.council) if v not in (k.CHAIR, k.COMMISSIONER)]
        pool.remove(challenger)
        rng.shuffle(pool)
        choices = ["overturn"] * (overturn - 1) + ["uphold"] * uphold
        rng.shuffle(choices)
        voters = [(challenger, "overturn"), *zip(pool, choices, strict=False)]
        times = spread(rng, at + seconds(30), r.closes - seconds(30), len(voters), gap=15)
        for when, (voter, choice) in zip(times, voters, strict=True):
            yield when, c.VoteOnChallenge(voter, ruling, choice)
        yield r.closes + minutes(1), c.CloseChallenge(challenger, ruling)

    def debate(self) -> Story:
        tl, s = self.tl, self.s
        rng = s.rng("debate")
        now = s.now
        yield now - timedelta(days=13), None
        mandate_first = self._tendency("Mandate First")
        one_federation = self._tendency("One Federation")
        for when, who, tendency in (
            (now - timedelta(days=12, hours=3), self.mover, one_federation),
            (now - timedelta(days=9, hours=6), self.luis, mandate_first),
            (now - timedelta(days=6, hours=1), self.late, mandate_first),
        ):
            yield when, c.DeclareSupport(who, tendency, self.key(who), True)

        # Yesterday: filed and co-sponsored onto the agenda; members ask to speak.
        at = now - hours(30)
        dockers = tl.council(k.DOCKERS)
        if chairs(tl.state, dockers) != [k.CHAIR]:
            raise StoryError(f"{k.DOCKERS} was meant to have {k.CHAIR} in its chair")
        events = yield at, c.FileMotion(self.mover, dockers, TITLE, TEXT)
        motion = created(events, "motion_filed")
        m = tl.state.motions[motion]
        pool = [
            v
            for v in tl.state.voters(dockers)
            if v not in self.speakers and v not in (k.CHAIR, k.COMMISSIONER)
        ]
        rng.shuffle(pool)
        t = at
        while m.status == "filed":
            t += minutes(rng.randint(15, 50))
            yield t, c.CoSponsor(pool.pop(), motion)
        assert m.vote_opens is not None and m.vote_closes is not None
        asks: list[tuple[str, str, str | None]] = [
            (self.against_self, "against", None),
            (self.mover, "for", one_federation),
            (self.luis, "against", mandate_first),
            (self.for_self, "for", None),
            (self.withdraws, "for", None),
            (self.zofia, "against", None),
            (self.last_for, "for", None),
        ]
        times = spread(rng, t + minutes(20), now - hours(4), len(asks), gap=1800)
        for when, (who, side, tendency) in zip(times, asks, strict=True):
            yield when, c.AskToSpeak(who, motion, side, tendency)
        yield now - hours(3), c.WithdrawRequestToSpeak(self.withdraws, motion)

        # This evening's session.  The first speech is for the motion: the mover's.
        t = now - hours(2)
        yield from self._floor(t, motion, self.mover)
        yield t + seconds(290), c.EndSpeech(self.mover, motion)
        # Against: both groups have held the floor for no time, so the first to ask goes first.
        t += minutes(6)
        yield from self._floor(t, motion, self.against_self)
        t += seconds(325)  # her five minutes are up: the chair ends her speech
        yield t, c.EndSpeech(k.CHAIR, motion)
        t += minutes(1)
        yield from self._floor(t, motion, self.for_self)
        t += seconds(200)
        yield t, c.EndSpeech(self.for_self, motion)
        # Against again: Mandate First has held the floor for no time, the non-aligned (Hana,
        # Emre) for over eight minutes, so Luis speaks for Mandate First before Zofia.
        t += minutes(1)
        yield from self._floor(t, motion, self.luis)
        t += seconds(130)
        events = yield t, c.MakeRuling(k.CHAIR, motion, "call_to_order", CALL_TO_ORDER)
        called = created(events, "chair_ruled", "ruling")
        yield from self._challenge(t + seconds(40), called, self.challenger, 14, 6)
        if tl.state.rulings[called].status != "overturned":
            raise StoryError(f"{called} was meant to be overturned")
        # Restored at the head of the list, with the 2 minutes 50 seconds he had left.
        t = (tl.last or t) + minutes(1)
        yield from self._floor(t, motion, self.luis)
        yield t + seconds(160), c.EndSpeech(self.luis, motion)
        t += minutes(4)
        reason = POINT_OF_ORDER.format(asker=s.cast.name(self.zofia), called=s.cast.name(self.luis))
        events = yield t, c.MakeRuling(k.CHAIR, motion, "point_of_order", reason)
        ruled = created(events, "chair_ruled", "ruling")
        yield t + minutes(2), c.AskToSpeak(self.late, motion, "against", mandate_first)
        yield from self._challenge(t + minutes(3), ruled, self.late, 7, 12)
        if tl.state.rulings[ruled].status != "upheld":
            raise StoryError(f"{ruled} was meant to be upheld")
        # For: only the non-aligned wait on that side.  Her time runs out and a voter (not
        # the chair) ends the speech.
        t = (tl.last or t) + minutes(2)
        yield from self._floor(t, motion, self.last_for)
        yield t + seconds(318), c.EndSpeech(self.zofia, motion)
        debate = tl.state.debates[motion]
        waiting = {
            tl.state.speakers[sp].member
            for sp in debate.speakers
            if tl.state.speakers[sp].status == "waiting"
        }
        if debate.speaking is not None or waiting != {self.zofia, self.late}:
            raise StoryError(f"the debate was meant to end with two speakers waiting: {waiting}")
        if now >= m.vote_closes:
            raise StoryError("the debate was meant to be open when the demo starts")
