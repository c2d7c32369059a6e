"""Commands: what a person asks the federation to do.

Each is a frozen dataclass whose first field is the ``actor`` (the authenticated member id; the
web layer fills it in from the session, never from the request body).  ``COMMANDS`` names them
for the API, the CLI and the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


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
}
COMMAND_NAMES: dict[type[Command], str] = {cls: name for name, cls in COMMANDS.items()}
