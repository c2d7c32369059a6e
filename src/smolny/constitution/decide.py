"""``decide(state, command, now) -> events``: every rule and every authorization, in one place.

The web layer, the API and the CLI call this once per command.  It never writes to the state,
never reads a clock and never does I/O; the same state, command and time always give the same
events, which is what lets anyone replay the record and check each decision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import (
    cases,
    debate,
    documents,
    elections,
    exit,
    federation,
    membership,
    motions,
    press,
    recall,
    secret,
    tendencies,
    witnesses,
)
from . import commands as c
from .context import Ctx
from .errors import DomainError, NotAllowed
from .events import Event
from .state import State

Handler = Callable[[Ctx, Any], None]

HANDLERS: dict[type[c.Command], Handler] = {
    c.FoundFederation: federation.found,
    c.CreateCouncil: federation.create_council,
    c.CloseFounding: federation.close_founding,
    c.Reapportion: federation.reapportion,
    c.Join: cases.join,  # membership.join, refused while an expulsion is in force
    c.Transfer: membership.transfer,
    c.Leave: membership.leave,
    c.CallElection: elections.call,
    c.Nominate: cases.nominate,  # elections.nominate, refused for a suspended candidate
    c.WithdrawCandidacy: elections.withdraw,
    c.CastBallot: elections.cast,
    c.CloseElection: elections.close,
    c.Resign: elections.resign,
    c.EndTerms: elections.end_terms,
    c.OpenRecall: recall.open_,
    c.SignRecall: recall.sign,
    c.VoteRecall: recall.vote,
    c.CloseRecall: recall.close,
    c.FileMotion: motions.file,
    c.CoSponsor: motions.cosponsor,
    c.WithdrawMotion: motions.withdraw,
    c.CastVote: motions.vote,
    c.CloseVote: motions.close,
    c.FileDocument: documents.file,
    c.PerformAct: documents.act,
    # freedoms: tendencies, the press and fair shares, due process, exit
    c.ProposeTendency: tendencies.propose,
    c.ConfirmFounding: tendencies.confirm,
    c.DeclareSupport: tendencies.support,
    c.WithdrawSupport: tendencies.withdraw,
    c.PruneSupports: tendencies.prune,
    c.Publish: press.publish,
    c.CorrectPublication: press.correct,
    c.RecomputeShares: press.recompute,
    c.EnactRule: cases.enact,
    c.FileCharge: cases.file_charge,
    c.ReplyToCharge: cases.reply,
    c.RecordHearing: cases.hearing,
    c.VoteOnCase: cases.vote,
    c.AddEvidence: cases.add_evidence,
    c.AppealCase: cases.appeal,
    c.VoteOnAppeal: cases.vote_appeal,
    c.CloseAppeal: cases.close_appeal,
    # secret ballots
    c.RegisterCredential: secret.register_credential,
    c.PublishManifest: secret.publish_manifest,
    c.UploadTrusteeDocument: secret.upload_trustee_document,
    c.CastSecretBallot: secret.cast,
    # debate: the speaker list and the rulings of the chair
    c.AskToSpeak: debate.ask,
    c.WithdrawRequestToSpeak: debate.withdraw,
    c.GiveFloor: debate.give_floor,
    c.EndSpeech: debate.end_speech,
    c.MakeRuling: debate.rule,
    c.ChallengeRuling: debate.challenge,
    c.VoteOnChallenge: debate.vote,
    c.CloseChallenge: debate.close_challenge,
}
motions.MORE_EFFECTS["amend_code"] = (cases.check_code_effect, cases.execute_code_effect, True)
motions.MORE_EFFECTS["secede"] = (exit.check_effect, exit.execute_effect, False)
# Whose cosignatures make the record final is as constitutional as the parameters: two thirds.
motions.MORE_EFFECTS["admit_witness"] = (witnesses.check_admit, witnesses.execute_admit, True)
motions.MORE_EFFECTS["remove_witness"] = (witnesses.check_remove, witnesses.execute_remove, True)


def register(command: type[c.Command], handler: Handler) -> None:
    """Let a capability added later (tendencies, cases, secret ballots) add its commands."""
    HANDLERS[command] = handler


def decide(state: State, command: c.Command, now: datetime) -> list[Event]:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not isinstance(command.actor, str) or not command.actor:
        raise NotAllowed("not_signed_in", "Sign in to do this.")
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise DomainError("unknown_command", f"Unknown command {type(command).__name__}.")
    if state.federation is None and not isinstance(command, c.FoundFederation):
        raise DomainError("not_founded", "The federation has not been founded yet.")
    ctx = Ctx(state, command.actor, now)
    handler(ctx, command)
    return ctx.events
