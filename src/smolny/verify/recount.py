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
or the vote that made the majority, after that act's own event) was not decided by a close: the
verifier does that act again instead (:func:`reenact`, the command rebuilt from its events,
decided from the state before them) and compares everything it appends.  Re-deciding rather
than restating the counting rules here keeps the verifier in step with the constitution as its
rules grow (a new counting method, a new field of the result), which is the point: the record
must agree with the rules as published.

A result that no closing command re-decides (a secret ballot's, decided from the tally its
trustees decrypted) is not recounted here: ``smolny verify-election`` checks those ballots,
proofs and decryptions.  :func:`recount` says which results it checked.  A secret ballot
closed as void (``secret_ballot_void``) *is* re-decided: its close is a command like any
other, so a void the rules would not have declared (before the deadline, naming trustees who
had done their part, by someone who is not a voter) is named, field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def _open_recall(group: Sequence[Event]) -> c.Command:
    first = group[0]
    held = next((e for e in group if e.type == "secret_ballot_set"), None)
    if held is None:
        return c.OpenRecall(first.actor, str(first.data["mandate"]), str(first.data["grounds"]))
    return c.OpenRecall(
        first.actor,
        str(first.data["mandate"]),
        str(first.data["grounds"]),
        ballot_mode="secret",
        trustees=tuple(str(t) for t in held.data["trustees"]),
        threshold=int(held.data["threshold"]),
    )


REENACTED: dict[str, Callable[[Sequence[Event]], c.Command]] = {
    "recall_voted": lambda g: c.VoteRecall(
        g[0].actor, str(g[0].data["recall"]), str(g[0].data["choice"])
    ),
    "recall_signed": lambda g: c.SignRecall(g[0].actor, str(g[0].data["recall"])),
    "recall_opened": _open_recall,
}
"""Acts that can decide a result on their own, by the command that made them (rebuilt from
the events it appended): the vote or the signature that brings a majority of the constituency
carries a recall at once, with no close — and so does opening a petition in a constituency
where the opener's own signature is that majority."""


def reenact(state: State, group: Sequence[Event]) -> dict[int, str | None]:
    """Decide again the command behind ``group`` — the events one command appended (same
    actor and time), with ``state`` as it was before the first of them — when that command was
    an act in :data:`REENACTED` and a published result followed it in the same command.

    Returns, by position in ``group``, the verdict on each result (None: the rules give it
    exactly), or on the first event that the rules do not give at all; an empty dict when
    the group is not such a command.  The whole command is compared, not only the result:
    a recall carried early also ends a mandate, and a forged "ended" would be as grave.
    """
    first = group[0]
    act = REENACTED.get(first.type)
    if act is None or not any(e.type in RESULTS for e in group[1:]):
        return {}
    try:
        again = [Event.decode(e.encode()) for e in decide(state, act(group), first.time)]
    except DomainError as error:
        return {0: f"doing it again by the rules is refused ({error.message})"}
    verdicts: dict[int, str | None] = {}
    for i, recorded in enumerate(group):
        redone = again[i] if i < len(again) else None
        if redone is None:
            verdicts[i] = f"the {first.type} before it does not give it by the rules"
            return verdicts
        if redone.type != recorded.type:
            verdicts[i] = f"the rules give {redone.type} here, not {recorded.type}"
            return verdicts
        problem = _differs(recorded.data, redone.data)
        if problem is not None:
            verdicts[i] = problem.replace("recounting gives", "the rules give")
            return verdicts
        if i > 0 and recorded.type in RESULTS:
            verdicts[i] = None
    if len(again) > len(group):
        verdicts[len(group) - 1] = (
            f"the rules would have gone on to record {again[len(group)].type} after it"
        )
    return verdicts


def recount(state: State, event: Event, previous: Event | None = None) -> str | None:
    """Why ``event``'s published result is wrong; None if it is right or has no result;
    :data:`NOT_RECOUNTED` if no closing command re-decides it.

    ``previous`` is the entry before ``event``: when it has the same actor and time, both came
    from one command (the store's clock never gives two commands the same time), so ``event``
    is not the first event of its command and no close decided it.  The rules decide a result
    that way only by an act :func:`reenact` does again (the caller asks it first) or by the
    trustee upload that brings a secret ballot's k-th decryption; after anything else, no
    command of the constitution would have appended it.
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
        return f"no command of the rules appends it after {previous.type}"
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
