"""Recompute published results from the replayed state, as anyone holding the record can.

DESIGN.md: "results can be recomputed by anyone from the record".  Before a result entry
(``RESULTS``: an election closed, a motion decided, a recall ballot carried or failed, an
appeal or a challenge of the chair decided) is folded, the state holds exactly what the
constitution saw when it decided (these are the first events of their commands).  The verifier
asks the constitution to decide the closing command again — ``CloseElection``, ``CloseVote``,
``CloseRecall``, ``CloseAppeal`` or ``CloseChallenge`` by the entry's actor at the entry's
time — and compares the result it publishes (the count by ``METHODS[method].count`` over the
ballots in that state, or the tally of the roll call) with the one in the record, field by
field.  A result that is not the first event of its command (a recall carried by the signature
or the vote that made the majority, after that act's own event) was not decided by a close, so
no closing command re-decides it: it is counted as not recounted.  Re-deciding rather than restating the counting
rules here keeps the verifier in step with the constitution as its rules grow (a new counting
method, a new field of the result), which is the point: the record must agree with the rules
as published.

A result that no closing command re-decides (a secret ballot's, decided from the tally its
trustees decrypted) is not recounted here: ``smolny verify-election`` checks those ballots,
proofs and decryptions.  :func:`recount` says which results it checked.  A secret ballot
closed as void (``secret_ballot_void``) *is* re-decided: its close is a command like any
other, so a void the rules would not have declared (before the deadline, naming trustees who
had done their part, by someone who is not a voter) is named, field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from smolny.constitution import DomainError, decide
from smolny.constitution import commands as c
from smolny.constitution.events import Event, parse_time
from smolny.constitution.state import State

RESULTS: dict[str, tuple[str, Callable[[str, str], c.Command] | None]] = {
    "election_closed": ("election", c.CloseElection),
    "motion_decided": ("motion", c.CloseVote),
    "recall_carried": ("recall", c.CloseRecall),
    "recall_failed": ("recall", c.CloseRecall),
    "appeal_decided": ("case", c.CloseAppeal),
    "challenge_decided": ("ruling", c.CloseChallenge),
    "secret_ballot_void": ("subject", None),
}
"""Each published result decided by closing a vote: the field naming its subject, and the
command that closes the vote (the result is the first event that command emits).  A void
secret ballot is closed by its subject's own command (``VOID_CLOSERS``, by the kind the state
holds for it, not the kind the entry claims)."""

VOID_CLOSERS: dict[str, Callable[[str, str], c.Command]] = {
    "election": c.CloseElection,
    "motion": c.CloseVote,
    "recall": c.CloseRecall,
}


NOT_RECOUNTED = "not recounted"


def recount(state: State, event: Event, previous: Event | None = None) -> str | None:
    """Why ``event``'s published result is wrong; None if it is right or has no result;
    :data:`NOT_RECOUNTED` if no closing command re-decides it.

    ``previous`` is the entry before ``event``: when it has the same actor and time, both came
    from one command (the store's clock never gives two commands the same time), so ``event``
    is not the first event of its command and no close decided it — a recall carried by the
    signature or the vote that made the majority, say.
    """
    if event.type not in RESULTS:
        return None
    field, closing = RESULTS[event.type]
    subject = str(event.data.get(field, ""))
    # A secret election or motion is decided by the trustee's upload that brings the k-th
    # decryption, after that upload's own event; its close re-decides it all the same from
    # the state after the upload (``secret.close``: k decryptions in, the result is combined).
    decrypted = subject in state.secret and state.secret[subject].tally is not None
    if (
        previous is not None
        and (previous.actor, previous.at) == (event.actor, event.at)
        and not (decrypted and previous.type == "trustee_document_uploaded")
    ):
        return NOT_RECOUNTED
    if closing is None:
        ballot = state.secret.get(subject)
        if ballot is None:
            return f"{subject} is not held by secret ballot"
        closing = VOID_CLOSERS[ballot.kind]
    if field == "recall" and subject in state.secret:
        return NOT_RECOUNTED  # decided from its decrypted tally: smolny verify-election
    refused = ""
    try:
        again = decide(state, closing(event.actor, subject), parse_time(event.at))
    except DomainError as error:
        again, refused = [], error.message
    for other in again:
        if other.type == event.type and other.data.get(field) == subject:
            return _differs(event.data, other.data)
    if field in ("election", "motion"):
        held = (state.elections if field == "election" else state.motions).get(subject)
        if held is None:
            return f"{field} {subject} does not exist"
        if held.ballot_mode != "open":
            return NOT_RECOUNTED
    # An open vote is always closed by its closing command: one that the constitution would
    # refuse, or that gives no such result, was not decided by the rules.
    return f"closing it again by the rules gives no such result ({refused or 'no result'})"


def _differs(published: dict[str, Any], recounted: dict[str, Any]) -> str | None:
    if published == recounted:
        return None
    for key in sorted(published.keys() | recounted.keys()):
        if isinstance(published.get(key), dict) and isinstance(recounted.get(key), dict):
            inner = _differs(published[key], recounted[key])
            if inner is not None:
                return f"{key}: {inner}"
        elif published.get(key) != recounted.get(key):
            return (
                f"the published {key} is {published.get(key)!r}, "
                f"but recounting gives {recounted.get(key)!r}"
            )
    return "the published result differs from the recount"
