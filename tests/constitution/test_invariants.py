"""Random histories: any sequence of commands, by anyone, keeps the constitution's invariants.

Hypothesis drives the scene's federation with random commands from random actors (members,
strangers, the founder) against random targets, with random advances of the clock, through
``decide`` and ``apply`` as the store does.  A refused command must leave the state
byte-identical; after every step:

- no seat is filled beyond its seats at the moment of seating (checked at ``mandate_started``:
  reapportionment may lower a delegation's seats while its mandates run), and nobody holds the
  same seat twice;
- every mandate's constituency and body exist, and every active mandate is held by an active
  member who is a voter of her constituency;
- nobody has served more than ``rotation_limit`` consecutive terms in a seat;
- under ``fixed_house`` every apportionment fills the house exactly;
- every event decodes from its canonical bytes to itself, and the state folded from the decoded
  record is the live state (and, at the end, a replay from scratch is too).

Half the runs use ``per_members`` seats, half ``fixed_house``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from smolny.constitution import DomainError, Event, State, apply, decide, replay
from smolny.constitution import commands as c
from smolny.constitution.motions import POWERS
from smolny.constitution.snapshot import digest_bytes
from smolny.constitution.state import OFFICES
from smolny.record.note import SIG_COSIGNATURE_V1, SignerKey

from .scene import DOCKERS, TEACHERS, Scene, assert_actionable, federation

PEOPLE = (*DOCKERS, *TEACHERS, "boris", "dora")
TICKS = (0.5, 1, 2, 3, 24, 24 * 30, 24 * 30)
SAFE_AMENDMENTS = (
    {"members_per_delegate": 1},
    {"members_per_delegate": 2},
    {"members_per_delegate": 4},
    {"executive_seats": 1},
    {"executive_seats": 2},
    {"recall_share": "1/2"},
    {"cosponsor_share": "1/5"},
    {"house_size": 3},
    {"house_size": 6},
    {"witness_quorum": 0},
    {"witness_quorum": 1},
    {"witness_quorum": 2},
)
WITNESS_KEYS = (
    *(
        SignerKey(f"mirror.{n}", SIG_COSIGNATURE_V1, bytes([n]) * 32).verifier().encode()
        for n in (1, 2, 3)
    ),
    "not-a-key",
)

SETTINGS = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

Data = Any  # the object st.data() draws from


class Federation(RuleBasedStateMachine):
    seat_rule = "per_members"

    def __init__(self) -> None:
        super().__init__()
        overrides = (
            {"seat_rule": "fixed_house", "house_size": 4} if self.seat_rule != "per_members" else {}
        )
        self.scene: Scene = federation(**overrides)
        self.shadow: State = replay(Event.decode(e.encode()) for e in self.scene.log)
        self.refusals: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        for event in self.scene.log:
            self._check_event(event)

    # --- running a command, as the store will ---------------------------------------------

    @property
    def state(self) -> State:
        return self.scene.state

    def run(self, command: c.Command) -> list[Event] | None:
        """Decide and apply one command; a refusal must leave the state as it was.

        "As it was" is the shadow: the state folded from the decoded record, which ``decide``
        never sees.  The two are compared as dataclass values here (field by field, the same
        information the canonical snapshot holds; encoding the snapshot on every step would make
        the run too slow for CI); ``teardown`` and the scene tests compare the bytes themselves.
        """
        s = self.scene
        try:
            events = decide(s.state, command, s.now)
        except DomainError as error:
            assert s.state == self.shadow, f"refused {command} ({error.code}) but the state moved"
            assert_actionable(error.message)
            self.refusals[error.code] += 1
            return None
        for event in events:
            encoded = event.encode()
            decoded = Event.decode(encoded)
            assert decoded == event and decoded.encode() == encoded
            apply(s.state, event)
            apply(self.shadow, decoded)
            s.log.append(event)
            self._check_event(event)
        self.accepted[c.command_name(command)] += 1
        s.tick(hours=0.001)
        return events

    def _check_event(self, event: Event) -> None:
        state = self.state
        if event.type == "mandate_started":
            mandate = state.mandates[event.data["id"]]
            same_seat = [
                m
                for m in state.active_mandates(body=mandate.body, constituency=mandate.constituency)
                if m.kind == mandate.kind and m.office == mandate.office
            ]
            if mandate.kind == "delegate":
                seats = state.councils[mandate.constituency].seats
            else:
                seats = state.office_seats(mandate.office or "")
            assert len(same_seat) <= seats, (
                f"{event.data} seats {mandate.holder} as holder {len(same_seat)} of a seat "
                f"{mandate.seat_key} that has {seats} seat(s)"
            )
            holders = [m.holder for m in same_seat]
            assert len(holders) == len(set(holders)), (
                f"{mandate.holder} holds {mandate.seat_key} twice"
            )
        if (
            event.type == "seats_apportioned"
            and event.data["rule"] == "fixed_house"
            and event.data["seats"]
        ):
            assert sum(event.data["seats"].values()) == state.params.house_size, event.data

    # --- choosing actors and targets -------------------------------------------------------

    def actor(self, data: Data, likely: list[str] | tuple[str, ...] = ()) -> str:
        """Mostly someone plausible, often anyone at all (members, strangers, the founder)."""
        if likely and data.draw(st.booleans()):
            return str(data.draw(st.sampled_from(sorted(likely))))
        return str(data.draw(st.sampled_from(PEOPLE)))

    def pick(self, data: Data, ids: list[str], bogus: str) -> str:
        """One of ``ids``, now and then one that does not exist."""
        if not ids or data.draw(st.integers(0, 9)) == 0:
            return bogus
        return str(data.draw(st.sampled_from(ids)))

    def council(self, data: Data) -> str:
        return self.pick(data, sorted(self.state.councils), "C99")

    def open_elections(self) -> list[str]:
        return [e.id for e in self.state.elections.values() if e.open]

    def active_mandates(self) -> list[str]:
        return [m.id for m in self.state.active_mandates()]

    def live_recalls(self) -> list[str]:
        return [r.id for r in self.state.recalls.values() if r.status in ("petition", "ballot")]

    def live_motions(self) -> list[str]:
        return [m.id for m in self.state.motions.values() if m.status in ("filed", "agenda")]

    def voters_of(self, council_id: str) -> list[str]:
        return self.state.voters(council_id) if council_id in self.state.councils else []

    # --- time --------------------------------------------------------------------------------

    @rule(hours=st.sampled_from(TICKS))
    def time_passes(self, hours: float) -> None:
        self.scene.tick(hours=hours)

    # --- founding (closed: the founder is refused like anyone) ------------------------------

    @rule(data=st.data(), what=st.sampled_from(["create_council", "close_founding"]))
    def founding_acts(self, data: Data, what: str) -> None:
        actor = self.actor(data, ["max"])
        if what == "create_council":
            self.run(c.CreateCouncil(actor, self.council(data), "New", True))
        else:
            self.run(c.CloseFounding(actor))

    @rule(data=st.data())
    def reapportion(self, data: Data) -> None:
        self.run(c.Reapportion(self.actor(data), self.council(data)))

    # --- membership --------------------------------------------------------------------------

    @rule(data=st.data(), what=st.sampled_from(["join", "join", "transfer", "leave"]))
    def membership(self, data: Data, what: str) -> None:
        """Joining is drawn as often as moving and leaving together, so councils stay alive."""
        if what == "join":
            person = self.actor(data, ["boris", "dora", *PEOPLE[:2]])
            self.run(c.Join(person, person.title(), self.council(data)))
        elif what == "transfer":
            self.run(c.Transfer(self.actor(data), self.council(data)))
        else:
            self.run(c.Leave(self.actor(data)))

    @rule(data=st.data())
    def exodus(self, data: Data) -> None:
        """Several members of one base council leave or move at once."""
        council = self.council(data)
        if council not in self.state.councils or not self.state.councils[council].base:
            return
        members = sorted(self.state.councils[council].members)
        if not members:
            return
        for person in data.draw(st.lists(st.sampled_from(members), max_size=3, unique=True)):
            if data.draw(st.booleans()):
                self.run(c.Leave(person))
            else:
                self.run(c.Transfer(person, self.council(data)))

    # --- elections ---------------------------------------------------------------------------

    @rule(
        data=st.data(),
        kind=st.sampled_from(["delegate", "office"]),
        office=st.sampled_from([*OFFICES, None]),
    )
    def call_election(self, data: Data, kind: str, office: str | None) -> None:
        council = self.council(data)
        self.run(c.CallElection(self.actor(data, self.voters_of(council)), council, kind, office))

    def _election_voters(self, election: str) -> list[str]:
        known = self.state.elections.get(election)
        return self.voters_of(known.council) if known else []

    @precondition(lambda self: bool(self.open_elections()))
    @rule(data=st.data())
    def nominate(self, data: Data) -> None:
        election = self.pick(data, self.open_elections(), "E99")
        voters = self._election_voters(election)
        self.run(c.Nominate(self.actor(data, voters), election, self.actor(data, voters)))

    @precondition(lambda self: bool(self.open_elections()))
    @rule(data=st.data())
    def withdraw_candidacy(self, data: Data) -> None:
        election = self.pick(data, self.open_elections(), "E99")
        known = self.state.elections.get(election)
        self.run(c.WithdrawCandidacy(self.actor(data, known.candidates if known else []), election))

    @precondition(lambda self: bool(self.open_elections()))
    @rule(data=st.data())
    def cast_ballot(self, data: Data) -> None:
        election = self.pick(data, self.open_elections(), "E99")
        known = self.state.elections.get(election)
        candidates = known.candidates if known else []
        choices = data.draw(st.lists(st.sampled_from([*candidates, "nobody"]), max_size=3))
        self.run(
            c.CastBallot(
                self.actor(data, self._election_voters(election)), election, tuple(choices)
            )
        )

    @precondition(lambda self: bool(self.open_elections()))
    @rule(data=st.data())
    def close_election(self, data: Data) -> None:
        self.run(c.CloseElection(self.actor(data), self.pick(data, self.open_elections(), "E99")))

    @precondition(lambda self: bool(self.open_elections()))
    @rule(data=st.data())
    def hold_elections(self, data: Data) -> None:
        """Some open elections run through to their counts side by side: nominations,
        ballots, close (so the same person may stand, and win, in two at once)."""
        elections = data.draw(
            st.lists(st.sampled_from(self.open_elections()), min_size=1, max_size=3, unique=True)
        )
        for election in elections:
            voters = self._election_voters(election)
            if voters:
                nominees = st.lists(st.sampled_from(voters), min_size=1, max_size=3, unique=True)
                for person in data.draw(nominees):
                    self.run(c.Nominate(person, election, person))
        self.scene.tick(hours=1)
        for election in elections:
            known = self.state.elections[election]
            for voter in self._election_voters(election):
                if known.candidates:
                    most = 1 if known.method == "plurality" else len(known.candidates)
                    choices = st.lists(
                        st.sampled_from(known.candidates), min_size=1, max_size=most, unique=True
                    )
                    self.run(c.CastBallot(voter, election, tuple(data.draw(choices))))
        self.scene.tick(hours=2)
        for election in elections:
            self.run(c.CloseElection(self.actor(data, self._election_voters(election)), election))

    @precondition(lambda self: bool(self.active_mandates()))
    @rule(data=st.data())
    def resign(self, data: Data) -> None:
        mandate = self.pick(data, self.active_mandates(), "M99")
        known = self.state.mandates.get(mandate)
        self.run(c.Resign(self.actor(data, [known.holder] if known else []), mandate))

    @rule(data=st.data())
    def end_terms(self, data: Data) -> None:
        council = self.council(data)
        self.run(c.EndTerms(self.actor(data, self.voters_of(council)), council))

    # --- recall ------------------------------------------------------------------------------

    def _recall_voters(self, recall: str) -> list[str]:
        known = self.state.recalls.get(recall)
        return self.voters_of(self.state.mandates[known.mandate].constituency) if known else []

    @precondition(lambda self: bool(self.active_mandates()))
    @rule(data=st.data())
    def open_recall(self, data: Data) -> None:
        mandate = self.pick(data, self.active_mandates(), "M99")
        known = self.state.mandates.get(mandate)
        voters = self.voters_of(known.constituency) if known else []
        self.run(c.OpenRecall(self.actor(data, voters), mandate, "Grounds."))

    @precondition(lambda self: bool(self.live_recalls()))
    @rule(data=st.data())
    def sign_recall(self, data: Data) -> None:
        recall = self.pick(data, self.live_recalls(), "R99")
        self.run(c.SignRecall(self.actor(data, self._recall_voters(recall)), recall))

    @precondition(lambda self: bool(self.live_recalls()))
    @rule(data=st.data(), choice=st.sampled_from(["yes", "no", "yes", "abstain"]))
    def vote_recall(self, data: Data, choice: str) -> None:
        recall = self.pick(data, self.live_recalls(), "R99")
        self.run(c.VoteRecall(self.actor(data, self._recall_voters(recall)), recall, choice))

    @precondition(lambda self: bool(self.active_mandates()))
    @rule(data=st.data())
    def recall_campaign(self, data: Data) -> None:
        """A recall run through: opened, signed by some, voted on by some, closed."""
        mandate = self.state.mandates[data.draw(st.sampled_from(self.active_mandates()))]
        voters = self.voters_of(mandate.constituency)
        if not voters:
            return
        events = self.run(c.OpenRecall(data.draw(st.sampled_from(voters)), mandate.id, "Grounds."))
        if events is None:
            return
        recall = events[0].data["id"]
        for signer in data.draw(st.lists(st.sampled_from(voters), unique=True)):
            self.run(c.SignRecall(signer, recall))
        for voter in data.draw(st.lists(st.sampled_from(voters), unique=True)):
            self.run(c.VoteRecall(voter, recall, data.draw(st.sampled_from(["yes", "no"]))))
        self.scene.tick(hours=data.draw(st.sampled_from([0, 2])))
        self.run(c.CloseRecall(voters[0], recall))

    @precondition(lambda self: bool(self.live_recalls()))
    @rule(data=st.data())
    def close_recall(self, data: Data) -> None:
        self.run(c.CloseRecall(self.actor(data), self.pick(data, self.live_recalls(), "R99")))

    # --- motions, documents, acts ------------------------------------------------------------

    def _effect(self, data: Data, council: str) -> dict[str, Any] | None:
        kind = data.draw(
            st.sampled_from(
                [
                    None,
                    "reapportion",
                    "grant_power",
                    "revoke_power",
                    "reverse_act",
                    "amend_text",
                    "amend_params",
                    "create_council",
                    "admit_witness",
                    "remove_witness",
                ]
            )
        )
        if kind is None:
            return None
        if kind in ("grant_power", "revoke_power"):
            return {
                "kind": kind,
                "office": data.draw(st.sampled_from(OFFICES)),
                "power": data.draw(st.sampled_from(POWERS)),
            }
        if kind == "reverse_act":
            return {"kind": kind, "act": self.pick(data, sorted(self.state.acts), "A99")}
        if kind == "amend_text":
            return {
                "kind": kind,
                "motion": self.pick(data, self.live_motions(), "MO99"),
                "text": "Amended.",
            }
        if kind == "amend_params":
            return {"kind": kind, "changes": data.draw(st.sampled_from(SAFE_AMENDMENTS))}
        if kind == "admit_witness":
            return {"kind": kind, "key": data.draw(st.sampled_from(WITNESS_KEYS))}
        if kind == "remove_witness":
            return {"kind": kind, "name": data.draw(st.sampled_from(["mirror.1", "mirror.2"]))}
        if kind == "create_council":
            return {
                "kind": kind,
                "name": data.draw(st.sampled_from(["Nurses", "Miners"])),
                "base": True,
            }
        return {"kind": kind}

    @rule(data=st.data())
    def file_motion(self, data: Data) -> None:
        council = self.council(data)
        actor = self.actor(data, self.voters_of(council))
        self.run(c.FileMotion(actor, council, "Motion", "Text.", self._effect(data, council)))

    def _motion_voters(self, motion: str) -> list[str]:
        known = self.state.motions.get(motion)
        return self.voters_of(known.council) if known else []

    @precondition(lambda self: bool(self.live_motions()))
    @rule(data=st.data())
    def cosponsor(self, data: Data) -> None:
        motion = self.pick(data, self.live_motions(), "MO99")
        self.run(c.CoSponsor(self.actor(data, self._motion_voters(motion)), motion))

    @precondition(lambda self: bool(self.live_motions()))
    @rule(data=st.data())
    def withdraw_motion(self, data: Data) -> None:
        motion = self.pick(data, self.live_motions(), "MO99")
        known = self.state.motions.get(motion)
        self.run(c.WithdrawMotion(self.actor(data, [known.filed_by] if known else []), motion))

    @precondition(lambda self: bool(self.live_motions()))
    @rule(data=st.data(), choice=st.sampled_from(["yes", "yes", "no", "abstain", "maybe"]))
    def cast_vote(self, data: Data, choice: str) -> None:
        motion = self.pick(data, self.live_motions(), "MO99")
        self.run(c.CastVote(self.actor(data, self._motion_voters(motion)), motion, choice))

    @precondition(lambda self: bool(self.live_motions()))
    @rule(data=st.data())
    def close_vote(self, data: Data) -> None:
        self.run(c.CloseVote(self.actor(data), self.pick(data, self.live_motions(), "MO99")))

    @rule(data=st.data(), reapportion=st.booleans())
    def pass_motion(self, data: Data, reapportion: bool) -> None:
        """A motion carried by its council: filed, co-sponsored onto the agenda, voted, closed.
        Half of them reapportion the council's seats (which may cut seats still held)."""
        council = self.council(data)
        voters = self.voters_of(council)
        if not voters:
            return
        effect = {"kind": "reapportion"} if reapportion else self._effect(data, council)
        events = self.run(c.FileMotion(voters[0], council, "Motion", "Text.", effect))
        if events is None:
            return
        motion = events[0].data["id"]
        for voter in voters[1:]:
            if self.state.motions[motion].status != "filed":
                break
            self.run(c.CoSponsor(voter, motion))
        self.scene.tick(hours=1)
        for voter in voters:
            self.run(c.CastVote(voter, motion, "yes"))
        self.run(c.CloseVote(voters[0], motion))

    @rule(data=st.data())
    def file_document(self, data: Data) -> None:
        self.run(c.FileDocument(self.actor(data), self.council(data), "Letter", "Text."))

    @rule(data=st.data(), office=st.sampled_from(OFFICES), power=st.sampled_from(POWERS))
    def perform_act(self, data: Data, office: str, power: str) -> None:
        empowered = [
            (m.holder, m.body, m.office, granted)
            for m in self.state.active_mandates()
            if m.kind == "office" and m.office is not None
            for granted in self.state.councils[m.body].powers.get(m.office, [])
        ]
        if empowered and data.draw(st.booleans()):
            actor, council, office, power = data.draw(st.sampled_from(empowered))
        else:
            council = self.council(data)
            officers = [
                m.holder for m in self.state.active_mandates(body=council) if m.kind == "office"
            ]
            actor = self.actor(data, officers)
        self.run(c.PerformAct(actor, council, office, power, "Act", "Text."))

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def mandates_belong_to_constituencies_that_exist_and_to_their_voters(self) -> None:
        state = self.state
        for mandate in state.mandates.values():
            assert mandate.constituency in state.councils, mandate
            assert mandate.body in state.councils, mandate
            if not mandate.active:
                continue
            member = state.members.get(mandate.holder)
            assert member is not None and member.active, f"{mandate} held by a non-member"
            assert state.is_voter(mandate.constituency, mandate.holder), (
                f"{mandate.holder} holds {mandate.id} but is no voter of {mandate.constituency}"
            )

    @invariant()
    def nobody_serves_more_consecutive_terms_than_the_limit(self) -> None:
        state = self.state
        limit = state.params.rotation_limit
        for key, terms in state.seat_terms.items():
            for person in {p for term in terms for p in term[1:]}:
                assert state.consecutive_terms(key, person) <= limit, (
                    f"{person} has {state.consecutive_terms(key, person)} consecutive terms in "
                    f"{key}: {terms}"
                )

    @invariant()
    def the_witness_quorum_can_always_be_met(self) -> None:
        assert self.state.params.witness_quorum <= len(self.state.witnesses), (
            f"quorum {self.state.params.witness_quorum} of {sorted(self.state.witnesses)}"
        )

    @invariant()
    def the_record_folds_to_the_live_state(self) -> None:
        assert self.state == self.shadow

    def teardown(self) -> None:
        replayed = replay(Event.decode(e.encode()) for e in self.scene.log)
        assert digest_bytes(replayed) == digest_bytes(self.state) == digest_bytes(self.shadow)


class FixedHouseFederation(Federation):
    seat_rule = "fixed_house"


TestPerMembers = Federation.TestCase
TestPerMembers.settings = SETTINGS
TestFixedHouse = FixedHouseFederation.TestCase
TestFixedHouse.settings = SETTINGS
