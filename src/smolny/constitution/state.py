"""The federation's state, folded from its events.

Entities are plain mutable dataclasses that ``apply`` updates in place: replaying a record of a
million events must not copy a million-member dictionary per event.  ``decide`` only reads the
state; the tests check that a refused command leaves ``snapshot(state)`` unchanged.

Every timestamp in the state comes from an event (``at``), never from a clock, so replaying the
same events gives the same state on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .params import Params

if TYPE_CHECKING:
    from .secret import SecretBallot

OFFICES = ("chair", "secretary", "executive", "control_commission")
"""Offices every council fills by its own election (DESIGN: no office is filled from above)."""


@dataclass
class Council:
    id: str
    name: str
    parent: str | None
    base: bool
    founded_at: datetime
    seats: int = 0
    """Seats this council holds in its parent, as last apportioned."""
    children: list[str] = field(default_factory=list)
    members: set[str] = field(default_factory=set)
    """Active members (base councils only)."""
    powers: dict[str, list[str]] = field(default_factory=dict)
    """Powers the council has granted to each of its offices."""
    seceded: bool = False


@dataclass
class Member:
    id: str
    name: str
    council: str | None
    joined_at: datetime
    left_at: datetime | None = None
    history: list[tuple[str, str, datetime]] = field(default_factory=list)
    """(what, council, when): joined, transferred-from, transferred-to, left."""

    @property
    def active(self) -> bool:
        return self.council is not None


@dataclass
class Mandate:
    id: str
    holder: str
    kind: str
    """``delegate`` (a seat in ``body`` for ``constituency``) or ``office``."""
    body: str
    """The council the holder sits in or serves."""
    constituency: str
    """The council whose voters elected the holder and may recall her."""
    office: str | None
    election: str
    start: datetime
    term_end: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None

    @property
    def seat_key(self) -> str:
        return seat_key(self.kind, self.body, self.constituency, self.office)


def seat_key(kind: str, body: str, constituency: str, office: str | None) -> str:
    """The seat a rotation limit counts terms in: a delegation, or one office of one council."""
    if kind == "delegate":
        return f"delegate:{constituency}->{body}"
    return f"office:{body}:{office}"


@dataclass
class Election:
    id: str
    council: str
    """The electing body: its voters cast the ballots."""
    kind: str
    office: str | None
    body: str
    """Where the winners will sit (the parent for delegates, the council itself for offices)."""
    seats: int
    method: str
    ballot_mode: str
    by_election: bool
    called_by: str
    called_at: datetime
    nominations_close: datetime
    voting_close: datetime
    candidates: list[str] = field(default_factory=list)
    ballots: dict[str, list[str]] = field(default_factory=dict)
    closed_at: datetime | None = None
    result: dict[str, Any] | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass
class Recall:
    id: str
    mandate: str
    opened_by: str
    opened_at: datetime
    grounds: str
    signatures: list[str] = field(default_factory=list)
    status: str = "petition"
    """petition -> ballot -> carried | failed; or moot if the mandate ended another way.  A
    secret recall ballot made void fails with ``outcome == {"void": reason}``."""
    ballot_opened_at: datetime | None = None
    ballot_close: datetime | None = None
    votes: dict[str, str] = field(default_factory=dict)
    decided_at: datetime | None = None
    outcome: dict[str, Any] | None = None


@dataclass
class Motion:
    id: str
    council: str
    title: str
    text: str
    effect: dict[str, Any] | None
    ballot_mode: str
    filed_by: str
    filed_at: datetime
    sponsors: list[str] = field(default_factory=list)
    status: str = "filed"
    """filed -> agenda -> carried | lost | void (a secret ballot that could not be decided);
    or withdrawn (only before it reaches the agenda)."""
    on_agenda_at: datetime | None = None
    vote_opens: datetime | None = None
    vote_closes: datetime | None = None
    votes: dict[str, str] = field(default_factory=dict)
    decided_at: datetime | None = None
    result: dict[str, Any] | None = None
    amended_by: list[str] = field(default_factory=list)


@dataclass
class Document:
    id: str
    body: str
    author: str
    title: str
    text: str
    filed_at: datetime
    recipients: list[str]


@dataclass
class ExecutiveAct:
    id: str
    council: str
    office: str
    actor: str
    power: str
    title: str
    text: str
    at: datetime
    reversed_by: str | None = None


@dataclass
class Tendency:
    """A registered group of members with a platform (freedoms: tendencies.py).

    Founders are public; supporters are counted, and only those who chose to be named are
    known to the state: a private support is a salted commitment (see tendencies.py)."""

    id: str
    scope: str
    """The council whose subtree the tendency addresses (the congress: the whole federation)."""
    name: str
    platform: str
    founders: list[str]
    filed_by: str
    filed_at: datetime
    confirmed: list[str] = field(default_factory=list)
    status: str = "forming"
    """forming -> active (once every founder has confirmed)."""
    founded_at: datetime | None = None
    commitments: list[str] = field(default_factory=list)
    """Live private supports: hex SHA-256 commitments, in the order declared."""
    named: list[str] = field(default_factory=list)
    """Live supporters who chose to be named."""

    @property
    def supporters(self) -> int:
        return len(self.commitments) + len(self.named)


@dataclass
class Publication:
    """A bulletin item addressed to every member of a scope; permanent (press.py)."""

    id: str
    scope: str
    publisher: str
    """A tendency id (the press right) or a council id (published by its officers)."""
    author: str
    title: str
    text: str
    words: int
    mailing: bool
    at: datetime
    reach: int
    """Members of the scope when it was published: each of them receives it."""
    kind: str = "publication"
    """publication, correction or retraction."""
    corrects: str | None = None
    corrections: list[str] = field(default_factory=list)
    retracted_by: str | None = None


@dataclass
class ShareRound:
    """The fair shares of one scope for one period, recomputed by an explicit event."""

    scope: str
    period: int
    starts: datetime
    ends: datetime
    at: datetime
    supporters: dict[str, int]
    totals: dict[str, int]
    shares: dict[str, dict[str, int]]
    """quantity -> tendency -> share."""
    used: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Rule:
    """A rule of the federation's code: a charge must cite one (cases.py)."""

    id: str
    title: str
    text: str
    enacted_at: datetime
    motion: str | None = None
    repealed_at: datetime | None = None


@dataclass
class Case:
    """A disciplinary case: one respondent, her own acts, heard by a control commission."""

    id: str
    council: str
    respondent: str
    rule: str
    acts: list[dict[str, str]]
    witnesses: list[str]
    filed_by: str
    filed_at: datetime
    reply_until: datetime
    stage: str = "notified"
    """notified -> replied -> heard -> decided -> (appealed -> upheld | overturned)."""
    reply: str | None = None
    replied_at: datetime | None = None
    hearing: dict[str, Any] | None = None
    votes: dict[str, dict[str, Any]] = field(default_factory=dict)
    decision: dict[str, Any] | None = None
    appeal: dict[str, Any] | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Sanction:
    case: str
    member: str
    kind: str
    """warning, suspension or expulsion."""
    starts: datetime
    until: datetime
    lifted_at: datetime | None = None

    def in_force(self, now: datetime) -> bool:
        return self.lifted_at is None and self.starts <= now < self.until


@dataclass
class Witness:
    """A mirror whose cosignatures count towards a checkpoint's finality (witnesses.py).

    Not to be confused with a case's witnesses (people named in a charge)."""

    name: str
    """The key's name, as its cosignature lines carry it."""
    key: str
    """The C2SP verifier key, ``name+keyid+base64(0x04 || public key)``."""
    admitted_at: datetime
    motion: str | None
    """The congress's motion that admitted it (None: given at the founding)."""


@dataclass
class Speaker:
    """A place on a motion's speaker list (debate.py): asked for, then given the floor, then
    ended; or withdrawn.  The order is the constitution's (``debate.order``), not the chair's."""

    id: str
    motion: str
    member: str
    side: str
    """``for`` or ``against`` the motion."""
    tendency: str | None
    """The tendency she speaks for (she supports it by name), or None: for herself."""
    asked_at: datetime
    status: str = "waiting"
    """waiting -> speaking -> spoke | called_to_order; or withdrawn (by her, or lapsed)."""
    seconds: int | None = None
    """Time granted ahead of the floor: the rest of a speech the floor restored; None: the
    federation's ``speech_minutes``, fixed when the floor is given."""
    restored_by: str | None = None
    """The ruling whose overturn restored her speech: she is at the head of the list."""
    started: datetime | None = None
    granted: int | None = None
    """Seconds she was given when she got the floor."""
    ended: datetime | None = None
    held: int | None = None
    """Seconds she held the floor."""
    ended_by: str | None = None
    """The ruling that called her to order, if one did."""


@dataclass
class Ruling:
    """A ruling of the chair in a debate: recorded with its reason, challengeable by the floor."""

    id: str
    motion: str
    council: str
    chair: str
    kind: str
    """close_list, call_to_order or point_of_order."""
    reason: str
    at: datetime
    speaker: str | None = None
    """For a call to order: the place on the list of the speaker called to order."""
    status: str = "standing"
    """standing -> challenged -> upheld | overturned."""
    challenged_by: str | None = None
    challenged_at: datetime | None = None
    closes: datetime | None = None
    votes: dict[str, str] = field(default_factory=dict)
    """Member -> uphold or overturn: an open roll call."""
    decided_at: datetime | None = None
    outcome: dict[str, Any] | None = None


@dataclass
class Debate:
    """The debate on one motion: its speaker list, who has the floor, its rulings."""

    motion: str
    council: str
    speakers: list[str] = field(default_factory=list)
    """Places on the list, in the order they were asked for (restorations included)."""
    speaking: str | None = None
    last_side: str | None = None
    """The side of the last speaker given the floor: the next one comes from the other."""
    closed_by: str | None = None
    """The ruling that closed the list, while it stands."""
    rulings: list[str] = field(default_factory=list)


@dataclass
class State:
    federation: str | None = None
    name: str = ""
    founder: str | None = None
    founding: bool = False
    root: str | None = None
    params: Params = field(default_factory=Params)
    councils: dict[str, Council] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    mandates: dict[str, Mandate] = field(default_factory=dict)
    elections: dict[str, Election] = field(default_factory=dict)
    recalls: dict[str, Recall] = field(default_factory=dict)
    motions: dict[str, Motion] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    acts: dict[str, ExecutiveAct] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    seat_terms: dict[str, list[list[str]]] = field(default_factory=dict)
    """Per seat, each term in order as [id of the regular election that opened it, holders...];
    by-election winners join the term in course."""
    amendments: list[dict[str, Any]] = field(default_factory=list)
    apportionments: list[dict[str, Any]] = field(default_factory=list)
    tendencies: dict[str, Tendency] = field(default_factory=dict)
    publications: dict[str, Publication] = field(default_factory=dict)
    shares: dict[str, ShareRound] = field(default_factory=dict)
    """Per scope, the latest round of fair shares."""
    code: dict[str, Rule] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    sanctions: dict[str, list[Sanction]] = field(default_factory=dict)
    """Per member, every sanction decided against her (lifted ones included)."""
    secret: dict[str, SecretBallot] = field(default_factory=dict)
    """Secret ballots (secret.py), by the id of their election, motion or recall."""
    witnesses: dict[str, Witness] = field(default_factory=dict)
    """The record's witnesses in force, by name; ``params.witness_quorum`` of them must
    cosign a checkpoint before it is final."""
    credentials: dict[str, str] = field(default_factory=dict)
    """Each member's registered voter credential (Ed25519 public key, hex)."""
    debates: dict[str, Debate] = field(default_factory=dict)
    """Debates, by the id of the motion debated (debate.py)."""
    speakers: dict[str, Speaker] = field(default_factory=dict)
    rulings: dict[str, Ruling] = field(default_factory=dict)
    """Rulings of the chair in debates, challenged or not: never removed."""
    lineage: dict[str, Any] | None = None
    """For a record that began with a secession: the parent record's checkpoint it continues."""
    seq: int = 0
    """Number of events folded into this state."""
    dirty: set[tuple[str, str]] = field(default_factory=set)
    """(kind, id) of entities changed since the projector last looked; not part of the state."""

    # --- derived views ------------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        """The id the next entity of this kind will get (the event carries it)."""
        return f"{prefix}{self.counters.get(prefix, 0) + 1}"

    def active_mandates(
        self, *, body: str | None = None, holder: str | None = None, constituency: str | None = None
    ) -> list[Mandate]:
        return [
            m
            for m in self.mandates.values()
            if m.active
            and (body is None or m.body == body)
            and (holder is None or m.holder == holder)
            and (constituency is None or m.constituency == constituency)
        ]

    def voters(self, council_id: str) -> list[str]:
        """Who votes in a council: its members if it is a base council, else its delegates."""
        council = self.councils[council_id]
        if council.base:
            return sorted(council.members)
        return sorted(
            {m.holder for m in self.active_mandates(body=council_id) if m.kind == "delegate"}
        )

    def is_voter(self, council_id: str, person: str) -> bool:
        council = self.councils.get(council_id)
        if council is None:
            return False
        if council.base:
            return person in council.members
        return any(
            m.kind == "delegate" and m.body == council_id
            for m in self.active_mandates(holder=person)
        )

    def members_represented(self, council_id: str) -> int:
        council = self.councils[council_id]
        if council.base:
            return len(council.members)
        return sum(self.members_represented(child) for child in council.children)

    def ancestors(self, council_id: str) -> list[str]:
        out: list[str] = []
        parent = self.councils[council_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.councils[parent].parent
        return out

    def office_seats(self, office: str) -> int:
        if office == "control_commission":
            return self.params.control_commission_seats
        return self.params.executive_seats if office == "executive" else 1

    def sanction_in_force(self, person: str, kind: str, now: datetime) -> Sanction | None:
        """The sanction of ``kind`` in force against ``person`` at ``now``, if any."""
        for sanction in self.sanctions.get(person, []):
            if sanction.kind == kind and sanction.in_force(now):
                return sanction
        return None

    def in_scope(self, scope: str, person: str) -> bool:
        """Whether ``person`` is an active member of a base council in ``scope``'s subtree."""
        member = self.members.get(person)
        if member is None or member.council is None:
            return False
        return member.council == scope or scope in self.ancestors(member.council)

    def members_in_scope(self, scope: str) -> list[str]:
        council = self.councils[scope]
        if council.base:
            return sorted(council.members)
        out: list[str] = []
        for child in council.children:
            if not self.councils[child].seceded:
                out.extend(self.members_in_scope(child))
        return sorted(out)

    def offices_of(self, person: str, council_id: str) -> list[str]:
        return [
            m.office
            for m in self.active_mandates(holder=person, body=council_id)
            if m.kind == "office" and m.office is not None
        ]

    def consecutive_terms(self, key: str, person: str) -> int:
        count = 0
        for term in reversed(self.seat_terms.get(key, [])):
            if person not in term[1:]:  # term[0] is the id of the election that opened it
                break
            count += 1
        return count
