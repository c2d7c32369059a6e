"""Commands: what a person asks the federation to do.

Each is a frozen dataclass whose first field is the ``actor`` (the authenticated member id; the
web layer fills it in from the session, never from the request body).  ``COMMANDS`` names them
for the API, the CLI and the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from typing_extensions import TypedDict  # pydantic reads it on Python 3.11 (the API schema)


@dataclass(frozen=True)
class Command:
    actor: str


def command_name(command: Command) -> str:
    return COMMAND_NAMES[type(command)]


def arguments(command: Command) -> dict[str, Any]:
    """The command's arguments as JSON values, without the actor."""
    out: dict[str, Any] = {}
    for f in fields(command):
        if f.name == "actor":
            continue
        value = getattr(command, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


# --- the founding assembly ----------------------------------------------------------------


@dataclass(frozen=True)
class FoundFederation(Command):
    name: str
    congress_name: str = "Congress"
    params: dict[str, Any] = field(default_factory=dict)
    witnesses: tuple[str, ...] = ()
    """Verifier keys (C2SP, type 0x04 cosignature/v1) of the mirrors whose cosignatures count
    from the start; afterwards only the congress admits or removes witnesses."""


@dataclass(frozen=True)
class CreateCouncil(Command):
    parent: str
    name: str
    base: bool


@dataclass(frozen=True)
class CloseFounding(Command):
    pass


# --- membership ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Join(Command):
    name: str
    council: str


@dataclass(frozen=True)
class Transfer(Command):
    council: str


@dataclass(frozen=True)
class Leave(Command):
    pass


# --- seats and elections ------------------------------------------------------------------


@dataclass(frozen=True)
class Reapportion(Command):
    council: str
    """The higher council whose seats are divided among its children."""


@dataclass(frozen=True)
class CallElection(Command):
    council: str
    kind: str
    """``delegate`` (the council's delegation to its parent) or ``office``."""
    office: str | None = None
    method: str | None = None
    ballot_mode: str = "open"
    """``open`` (a roll call) or ``secret`` (an end-to-end verifiable secret ballot)."""
    trustees: tuple[str, ...] = ()
    """A secret ballot's trustees, in order (members; the first is trustee 1)."""
    threshold: int = 0
    """How many of the trustees must take part to decrypt a secret ballot's result."""


@dataclass(frozen=True)
class Nominate(Command):
    election: str
    candidate: str


@dataclass(frozen=True)
class WithdrawCandidacy(Command):
    election: str


@dataclass(frozen=True)
class CastBallot(Command):
    election: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class CloseElection(Command):
    election: str


@dataclass(frozen=True)
class Resign(Command):
    mandate: str


@dataclass(frozen=True)
class EndTerms(Command):
    council: str


# --- recall -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRecall(Command):
    mandate: str
    grounds: str
    ballot_mode: str = "open"
    """``open`` or ``secret``: how the recall ballot, if it opens, is cast."""
    trustees: tuple[str, ...] = ()
    """A secret ballot's trustees, in order (members; the first is trustee 1)."""
    threshold: int = 0
    """How many of the trustees must take part to decrypt a secret ballot's result."""


@dataclass(frozen=True)
class SignRecall(Command):
    recall: str


@dataclass(frozen=True)
class VoteRecall(Command):
    recall: str
    choice: str


@dataclass(frozen=True)
class CloseRecall(Command):
    recall: str


# --- motions, documents, executive acts ---------------------------------------------------


@dataclass(frozen=True)
class FileMotion(Command):
    council: str
    title: str
    text: str
    effect: dict[str, Any] | None = None
    ballot_mode: str = "open"
    trustees: tuple[str, ...] = ()
    """A secret ballot's trustees, in order (members; the first is trustee 1)."""
    threshold: int = 0
    """How many of the trustees must take part to decrypt a secret ballot's result."""


@dataclass(frozen=True)
class CoSponsor(Command):
    motion: str


@dataclass(frozen=True)
class WithdrawMotion(Command):
    motion: str


@dataclass(frozen=True)
class CastVote(Command):
    motion: str
    choice: str


@dataclass(frozen=True)
class CloseVote(Command):
    motion: str


@dataclass(frozen=True)
class FileDocument(Command):
    body: str
    title: str
    text: str


@dataclass(frozen=True)
class PerformAct(Command):
    council: str
    office: str
    power: str
    title: str
    text: str


# --- freedoms: tendencies, the press, fair shares (tendencies.py, press.py) ---------------


@dataclass(frozen=True)
class ProposeTendency(Command):
    """File a tendency's founding: its scope, name, platform and co-founders.

    The filer is its first founder; it exists once every founder named has confirmed and they
    number at least the federation's ``tendency_founders``."""

    scope: str
    """The council whose members the tendency addresses (the congress: the whole federation)."""
    name: str
    platform: str
    founders: tuple[str, ...] = ()
    """The other founders' member ids; each must confirm."""


@dataclass(frozen=True)
class ConfirmFounding(Command):
    """Confirm that you are a founder of a tendency being formed."""

    tendency: str


@dataclass(frozen=True)
class DeclareSupport(Command):
    """Support a tendency (one per scope).  Built only by the web layer, which derives the
    ``support_key`` from the server's secret; it is therefore not in ``COMMANDS``."""

    tendency: str
    support_key: str
    """64 hex digits: the member's key, from which each support's salt is derived."""
    named: bool = False


@dataclass(frozen=True)
class WithdrawSupport(Command):
    """Withdraw a support (built by the web layer, like ``DeclareSupport``)."""

    tendency: str
    support_key: str


@dataclass(frozen=True)
class PruneSupports(Command):
    """Remove the supports of members no longer within a tendency's scope (they left, moved,
    were expelled or seceded).  Run by the server at the start of a period with each such
    member's key, so removals are batched, not tied to any one departure; not in ``COMMANDS``."""

    openings: tuple[tuple[str, str], ...]
    """(member id, support key) pairs."""


@dataclass(frozen=True)
class Publish(Command):
    """Publish to every member of a scope: for a tendency with the press right (one of its
    founders files it), or for a council (one of its officers given ``issue_statement``)."""

    publisher: str
    """A tendency id (T...) or a council id (C...)."""
    title: str
    text: str
    mailing: bool = False
    """Also mail it to every member (counts against the mailing quota)."""


@dataclass(frozen=True)
class CorrectPublication(Command):
    """A correction or retraction: a new, visible entry linked to the original."""

    publication: str
    kind: str
    """correction or retraction."""
    text: str


@dataclass(frozen=True)
class RecomputeShares(Command):
    """Divide the period's means of speaking among the scope's tendencies (Sainte-Laguë)."""

    scope: str


# --- freedoms: the code and due process (cases.py) -------------------------------------------


@dataclass(frozen=True)
class EnactRule(Command):
    """During the founding only: the founder seeds the code of rules (later: congress motion)."""

    title: str
    text: str


class ChargedAct(TypedDict):
    """One act of the respondent's own: nothing else can be a ground of a charge."""

    date: str
    """The day she did it, YYYY-MM-DD."""
    conduct: str
    """What the respondent herself did."""
    evidence: str
    """What shows it (documents, entries of the record, witnesses' statements)."""


# Unknown keys are refused by the API schema (pydantic reads this), and by the constitution.
setattr(ChargedAct, "__pydantic_config__", {"extra": "forbid"})  # noqa: B010


@dataclass(frozen=True)
class FileCharge(Command):
    """Charge one member, under one rule of the code, with her own acts."""

    council: str
    """The council whose control commission will hear the case."""
    respondent: str
    """Exactly one member."""
    rule: str
    """The id of the rule of the code she is charged under."""
    acts: tuple[ChargedAct, ...]
    """Her own acts: each with its date, what she did, and the evidence."""
    witnesses: tuple[str, ...] = ()
    """Members who will testify (commissioners among them are recused)."""


@dataclass(frozen=True)
class ReplyToCharge(Command):
    case: str
    text: str


@dataclass(frozen=True)
class RecordHearing(Command):
    case: str
    minutes: str
    """The record of the hearing: who spoke, what was shown."""


@dataclass(frozen=True)
class VoteOnCase(Command):
    """A commissioner's vote; the case is decided when a majority of those not recused agree."""

    case: str
    outcome: str
    """dismiss, warning, suspension or expulsion."""
    reasons: str
    until: str | None = None
    """The sanction's end date (YYYY-MM-DD); every sanction has one."""


@dataclass(frozen=True)
class AddEvidence(Command):
    """Evidence in a case, from a party or a commissioner.  Restricted evidence reaches the
    record only as its SHA-256 digest; its text is kept apart, for the parties and the
    commission.  Built by the web layer (which keeps that text), so not in ``COMMANDS``."""

    case: str
    title: str
    text: str
    restricted: bool = False


@dataclass(frozen=True)
class AppealCase(Command):
    case: str
    grounds: str


@dataclass(frozen=True)
class VoteOnAppeal(Command):
    case: str
    choice: str
    """uphold or overturn."""


@dataclass(frozen=True)
class CloseAppeal(Command):
    case: str


# --- secret ballots (secret.py) ----------------------------------------------------------------


@dataclass(frozen=True)
class RegisterCredential(Command):
    """Register your voter credential: the Ed25519 public key whose secret your browser (or
    `smolny voter init`) keeps.  Secret ballots put it on their roll when voting opens."""

    public_key: str
    """64 lower-case hex digits."""


@dataclass(frozen=True)
class PublishManifest(Command):
    """Fix a secret ballot's manifest (contest and options) so its trustees can begin."""

    subject: str
    """The election, motion or recall held by secret ballot."""


@dataclass(frozen=True)
class UploadTrusteeDocument(Command):
    """A trustee's document from `smolny trustee` (identity, commit, reveal, shares, finish,
    decryption), checked and kept in the record."""

    subject: str
    document: dict[str, Any]


@dataclass(frozen=True)
class CastSecretBallot(Command):
    """An encrypted ballot made on the voter's device (a `smolny-ballot` document), signed
    with her credential; verified once, here, and kept in the record with its proofs."""

    subject: str
    ballot: dict[str, Any]


# --- debate: the speaker list and the rulings of the chair (debate.py) ------------------------


@dataclass(frozen=True)
class AskToSpeak(Command):
    """Put yourself on a motion's speaker list, for or against it, while it is on the agenda.
    The rules, not the chair, decide when you speak."""

    motion: str
    side: str
    """`for` or `against` the motion."""
    tendency: str | None = None
    """A tendency you support by name, to speak on its behalf; empty: you speak for yourself."""


@dataclass(frozen=True)
class WithdrawRequestToSpeak(Command):
    """Take your name off a motion's speaker list before you are given the floor."""

    motion: str


@dataclass(frozen=True)
class GiveFloor(Command):
    """The chair gives the floor to the speaker the rules designate next: alternately for and
    against, the tendency that has spoken least first, first come first within it."""

    motion: str


@dataclass(frozen=True)
class EndSpeech(Command):
    """End the speech in progress: the speaker, at any time; once her time is up, the chair or
    any voter of the council.  To stop a speaker sooner the chair calls her to order."""

    motion: str


@dataclass(frozen=True)
class MakeRuling(Command):
    """A ruling of the chair in a debate, with its reason: recorded, and open to challenge."""

    motion: str
    kind: str
    """`close_list` (no one more is added to the speaker list), `call_to_order` (the speech
    in progress ends) or `point_of_order` (a ruling in words only)."""
    reason: str
    """Why: the ruling as it stands in the record."""


@dataclass(frozen=True)
class ChallengeRuling(Command):
    """Challenge a ruling of the chair: the floor votes on whether to overturn it."""

    ruling: str


@dataclass(frozen=True)
class VoteOnChallenge(Command):
    """Your vote on a challenge to a ruling of the chair (an open roll call)."""

    ruling: str
    choice: str
    """`uphold` or `overturn`."""


@dataclass(frozen=True)
class CloseChallenge(Command):
    """Count the votes on a challenge once its time is up (or every voter has voted)."""

    ruling: str


COMMANDS: dict[str, type[Command]] = {
    "found_federation": FoundFederation,
    "create_council": CreateCouncil,
    "close_founding": CloseFounding,
    "join": Join,
    "transfer": Transfer,
    "leave": Leave,
    "reapportion": Reapportion,
    "call_election": CallElection,
    "nominate": Nominate,
    "withdraw_candidacy": WithdrawCandidacy,
    "cast_ballot": CastBallot,
    "close_election": CloseElection,
    "resign": Resign,
    "end_terms": EndTerms,
    "open_recall": OpenRecall,
    "sign_recall": SignRecall,
    "vote_recall": VoteRecall,
    "close_recall": CloseRecall,
    "file_motion": FileMotion,
    "cosponsor": CoSponsor,
    "withdraw_motion": WithdrawMotion,
    "cast_vote": CastVote,
    "close_vote": CloseVote,
    "file_document": FileDocument,
    "perform_act": PerformAct,
    "propose_tendency": ProposeTendency,
    "confirm_founding": ConfirmFounding,
    "publish": Publish,
    "correct_publication": CorrectPublication,
    "recompute_shares": RecomputeShares,
    "enact_rule": EnactRule,
    "file_charge": FileCharge,
    "reply_to_charge": ReplyToCharge,
    "record_hearing": RecordHearing,
    "vote_on_case": VoteOnCase,
    "appeal_case": AppealCase,
    "vote_on_appeal": VoteOnAppeal,
    "close_appeal": CloseAppeal,
    "register_credential": RegisterCredential,
    "publish_manifest": PublishManifest,
    "upload_trustee_document": UploadTrusteeDocument,
    "cast_secret_ballot": CastSecretBallot,
    "ask_to_speak": AskToSpeak,
    "withdraw_request_to_speak": WithdrawRequestToSpeak,
    "give_floor": GiveFloor,
    "end_speech": EndSpeech,
    "make_ruling": MakeRuling,
    "challenge_ruling": ChallengeRuling,
    "vote_on_challenge": VoteOnChallenge,
    "close_challenge": CloseChallenge,
}
COMMAND_NAMES: dict[type[Command], str] = {cls: name for name, cls in COMMANDS.items()}
