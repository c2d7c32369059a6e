"""Response schemas of the reads.  Times are record-format UTC strings, as in the events."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field

Time = str


class Person(Schema):
    id: str
    name: str


class CouncilRef(Schema):
    id: str
    name: str


class Holder(Schema):
    mandate: str
    holder: str
    name: str
    kind: str = Field(description="delegate or office")
    office: str | None
    term_end: Time


class Mandate(Schema):
    id: str
    holder: str
    kind: str = Field(description="delegate (a seat in body for constituency) or office")
    body: str = Field(description="The council the holder sits in or serves.")
    constituency: str = Field(
        description="The council whose voters elected her and may recall her."
    )
    office: str | None
    election: str
    start: Time
    term_end: Time
    ended_at: Time | None
    end_reason: str | None
    active: bool


class CouncilNode(Schema):
    id: str
    name: str
    base: bool
    seats: int = Field(description="Seats this council holds in its parent.")
    members: int = Field(description="Members it represents (its subtree's, above the base).")
    delegates: list[Holder] = Field(description="Whom it sends to its parent now.")
    officers: list[Holder]
    children: list[CouncilNode]


class Witness(Schema):
    name: str = Field(description="The witness key's name, as its cosignature lines carry it.")
    key: str = Field(description="C2SP verifier key, type 0x04 (cosignature/v1).")
    admitted_at: Time
    motion: str | None = Field(
        description="The congress motion that admitted it (None: at the founding)."
    )


class Federation(Schema):
    name: str
    founder: str
    founding: bool = Field(description="True while the founding assembly is open.")
    root: str | None = Field(description="The congress's council id.")
    params: dict[str, Any] = Field(description="The federation's parameters in force.")
    amendments: list[dict[str, Any]]
    witnesses: list[Witness] = Field(
        description="The mirrors whose cosignatures count: params.witness_quorum of them make "
        "a checkpoint final (/record/checkpoint?final=1)."
    )
    tree: CouncilNode | None


class Council(Schema):
    id: str
    name: str
    parent: str | None
    base: bool
    seats: int
    members: int
    seceded: bool
    founded_at: Time


class Election(Schema):
    id: str
    council: str = Field(description="The electing council: its voters cast the ballots.")
    kind: str
    office: str | None
    body: str = Field(description="Where the winners will sit.")
    seats: int
    method: str
    ballot_mode: str
    by_election: bool
    called_by: str
    called_at: Time
    nominations_close: Time
    voting_close: Time
    candidates: list[str]
    ballots_cast: int
    closed_at: Time | None
    result: dict[str, Any] | None = Field(description="The count, once closed (method-specific).")


class Ballot(Schema):
    member: str
    choices: list[str]


class ElectionDetail(Election):
    ballots: list[Ballot] = Field(description="Open ballots: who voted for whom.")


class Recall(Schema):
    id: str
    mandate: str
    holder: str
    constituency: str
    opened_by: str
    opened_at: Time
    grounds: str
    status: str = Field(description="petition, ballot, carried, failed or moot")
    signatures: list[str]
    ballot_close: Time | None
    votes: dict[str, str] = Field(description="Member id -> yes or no, in the recall ballot.")
    outcome: dict[str, Any] | None


class Motion(Schema):
    id: str
    council: str
    title: str
    text: str
    effect: dict[str, Any] | None
    ballot_mode: str
    filed_by: str
    filed_at: Time
    sponsors: list[str]
    status: str = Field(
        description="filed, agenda, carried, lost, withdrawn or void (a secret ballot nobody could decide, closed as void)"
    )
    on_agenda_at: Time | None
    vote_opens: Time | None
    vote_closes: Time | None
    result: dict[str, Any] | None
    amended_by: list[str]


class RollCallVote(Schema):
    member: str
    choice: str


class MotionDetail(Motion):
    roll_call: list[RollCallVote] = Field(description="Each voter's vote, in open ballots.")


class Document(Schema):
    id: str
    body: str = Field(description="The council it is addressed to.")
    author: str
    title: str
    text: str
    filed_at: Time


class Act(Schema):
    id: str
    council: str
    office: str
    actor: str
    power: str
    title: str
    text: str
    at: Time
    reversed_by: str | None


class CouncilDetail(Council):
    powers: dict[str, list[str]] = Field(description="Powers granted to each office.")
    children: list[CouncilRef]
    voters: list[Person] = Field(description="Its members (base) or its delegates (above).")
    delegates: list[Holder] = Field(description="Whom it sends to its parent now.")
    officers: list[Holder]
    open_elections: list[Election]
    motions: list[Motion]
    recalls: list[Recall]
    documents: list[Document]
    acts: list[Act]


class Member(Schema):
    id: str
    name: str
    council: str | None = Field(description="Her base council; null once she has left.")
    active: bool


class MemberPage(Schema):
    total: int
    start: int
    limit: int
    items: list[Member]


class MemberDetail(Member):
    council_name: str | None
    joined_at: Time
    left_at: Time | None
    mandates: list[Mandate]


class RecordEntry(Schema):
    seq: int
    type: str
    actor: str
    at: Time
    event: dict[str, Any] = Field(
        description="The event as recorded: type, actor, at and data (the entry's canonical "
        "JSON bytes, decoded)."
    )


class RecordPage(Schema):
    size: int = Field(description="Entries in the record now.")
    start: int
    limit: int
    next: int | None = Field(description="The start of the next page, or null at the end.")
    entries: list[RecordEntry]


class DelegateVotes(Schema):
    mandate: str
    holder: str
    name: str
    body: str = Field(description="The council she sits in for you.")
    constituency: str
    votes: list[DelegateVote]


class DelegateVote(Schema):
    motion: str
    title: str
    status: str
    choice: str


class Petition(Schema):
    recall: str
    mandate: str
    holder: str
    status: str
    signatures: int


class BallotToCast(Schema):
    kind: str = Field(description="election, recall or motion")
    id: str
    council: str
    title: str
    opens: Time | None
    closes: Time | None
    open_now: bool


class Home(Schema):
    member: MemberDetail | None = Field(description="Null when the user is not a member.")
    councils: list[CouncilRef] = Field(description="The councils she votes in.")
    delegates: list[DelegateVotes] = Field(
        description="The delegates her councils elected, and how they voted in roll calls."
    )
    petitions: list[Petition] = Field(description="Recall petitions she can sign.")
    ballots: list[BallotToCast] = Field(
        description="Elections, recalls and motions she can vote in."
    )
    documents: list[Document] = Field(description="Documents addressed to her.")


class Share(Schema):
    count: int
    of: int
    share: str | None = Field(description="count/of as an exact fraction, null when of is 0.")


class Results(Schema):
    """What the pages show as decided, read in one snapshot (smolny.verify.published)."""

    size: int = Field(description="The entries of the record these rows reflect.")
    elections: dict[str, dict[str, Any]] = Field(description="closed_at and result, by id.")
    motions: dict[str, dict[str, Any]] = Field(description="status and result, by id.")
    recalls: dict[str, dict[str, Any]] = Field(description="status and outcome, by id.")
    mandates: dict[str, dict[str, Any]] = Field(
        description="holder, active, ended_at and end_reason, by id."
    )


class Health(Schema):
    unanimous_votes: Share = Field(
        description="Decided motions where every vote cast was the same."
    )
    uncontested_elections: Share = Field(
        description="Closed elections with no more candidates than seats."
    )
    recalls_carried: Share = Field(description="Recalls opened that ended the mandate.")
    recalls_opened: int
    mandates_recalled: int
    mandates: int


DelegateVotes.model_rebuild()
CouncilNode.model_rebuild()
