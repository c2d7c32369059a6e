"""``apply(state, event) -> state``: fold one event into the state (in place, see state.py).

Apply trusts the event: every check was made by ``decide`` when the event was created, and the
record's integrity is checked by its Merkle tree.  It must be total over every event ever
written, so old event types are never removed from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from .events import Event, parse_time
from .params import Params
from .state import (
    Council,
    Document,
    Election,
    ExecutiveAct,
    Mandate,
    Member,
    Motion,
    Recall,
    State,
    Witness,
)

Folder = Callable[[State, dict[str, Any], datetime, str], None]
FOLDERS: dict[str, Folder] = {}


def folds(type_: str) -> Callable[[Folder], Folder]:
    def register(fn: Folder) -> Folder:
        FOLDERS[type_] = fn
        return fn

    return register


def _count(state: State, prefix: str, entity_id: str) -> None:
    number = int(entity_id[len(prefix) :])
    if number > state.counters.get(prefix, 0):
        state.counters[prefix] = number


def apply(state: State, event: Event) -> State:
    folder = FOLDERS.get(event.type)
    if folder is None:
        raise ValueError(f"unknown event type {event.type!r}")
    folder(state, event.data, event.time, event.actor)
    state.seq += 1
    return state


def replay(events: Iterable[Event], state: State | None = None) -> State:
    state = state if state is not None else State()
    for event in events:
        apply(state, event)
    return state


# --- federation -------------------------------------------------------------------------------


@folds("federation_founded")
def _founded(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.federation = d["name"]
    s.name = d["name"]
    s.founder = d["founder"]
    s.founding = True
    s.params = Params.from_dict(d["params"])
    # Only a federation founded with witnesses names them (older records never do).
    for witness in d.get("witnesses", []):
        s.witnesses[witness["name"]] = Witness(witness["name"], witness["key"], at, None)
    s.dirty.add(("federation", "federation"))


@folds("founding_closed")
def _founding_closed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.founding = False
    s.dirty.add(("federation", "federation"))


@folds("council_created")
def _council(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    council = Council(id=d["id"], name=d["name"], parent=d["parent"], base=d["base"], founded_at=at)
    s.councils[council.id] = council
    _count(s, "C", council.id)
    if council.parent is None:
        s.root = council.id
    else:
        s.councils[council.parent].children.append(council.id)
        s.dirty.add(("council", council.parent))
    s.dirty.add(("council", council.id))


@folds("seats_apportioned")
def _apportioned(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    for child, seats in d["seats"].items():
        s.councils[child].seats = seats
        s.dirty.add(("council", child))
    s.apportionments.append(
        {
            "council": d["council"],
            "at": at.isoformat(),
            "members": d["members"],
            "seats": d["seats"],
            "rule": d["rule"],
        }
    )


@folds("params_amended")
def _amended(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.params = Params.from_dict(s.params.to_dict() | d["changes"])
    s.amendments.append({"motion": d["motion"], "changes": d["changes"], "at": at.isoformat()})
    s.dirty.add(("federation", "federation"))
    # A speaker list's forecast order counts each waiting speech at ``speech_minutes``.
    s.dirty.update(("debate", motion) for motion in s.debates)


# --- membership -------------------------------------------------------------------------------


@folds("member_joined")
def _joined(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    member = s.members.get(d["member"])
    if member is None:
        member = Member(id=d["member"], name=d["name"], council=d["council"], joined_at=at)
        s.members[member.id] = member
    else:
        member.name, member.council, member.joined_at, member.left_at = (
            d["name"],
            d["council"],
            at,
            None,
        )
    member.history.append(("joined", d["council"], at))
    s.councils[d["council"]].members.add(member.id)
    s.dirty.update({("member", member.id), ("council", d["council"])})


@folds("member_transferred")
def _transferred(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    member = s.members[d["member"]]
    s.councils[d["source"]].members.discard(member.id)
    s.councils[d["council"]].members.add(member.id)
    member.council = d["council"]
    member.history.append(("transferred", d["council"], at))
    s.dirty.update({("member", member.id), ("council", d["source"]), ("council", d["council"])})


@folds("member_left")
def _left(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    member = s.members[d["member"]]
    s.councils[d["council"]].members.discard(member.id)
    member.council = None
    member.left_at = at
    member.history.append(("left", d["council"], at))
    s.dirty.update({("member", member.id), ("council", d["council"])})


# --- elections and mandates ---------------------------------------------------------------------


@folds("election_called")
def _called(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    election = Election(
        id=d["id"],
        council=d["council"],
        kind=d["kind"],
        office=d["office"],
        body=d["body"],
        seats=d["seats"],
        method=d["method"],
        ballot_mode=d["ballot_mode"],
        by_election=d["by_election"],
        called_by=actor,
        called_at=at,
        nominations_close=parse_time(d["nominations_close"]),
        voting_close=parse_time(d["voting_close"]),
    )
    s.elections[election.id] = election
    _count(s, "E", election.id)
    s.dirty.add(("election", election.id))


@folds("candidate_nominated")
def _nominated(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.elections[d["election"]].candidates.append(d["candidate"])
    s.dirty.add(("election", d["election"]))


@folds("candidacy_withdrawn")
def _withdrawn(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.elections[d["election"]].candidates.remove(d["candidate"])
    s.dirty.add(("election", d["election"]))


@folds("ballot_cast")
def _ballot(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.elections[d["election"]].ballots[d["voter"]] = list(d["choices"])
    s.dirty.add(("election", d["election"]))
    s.dirty.add(("ballot", f"{d['election']} {d['voter']}"))  # her row alone, not the roll


@folds("election_closed")
def _closed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    election = s.elections[d["election"]]
    election.closed_at = at
    election.result = d["result"]
    s.dirty.add(("election", election.id))


@folds("mandate_started")
def _started(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    mandate = Mandate(
        id=d["id"],
        holder=d["holder"],
        kind=d["kind"],
        body=d["body"],
        constituency=d["constituency"],
        office=d["office"],
        election=d["election"],
        start=at,
        term_end=parse_time(d["term_end"]),
    )
    s.mandates[mandate.id] = mandate
    _count(s, "M", mandate.id)
    terms = s.seat_terms.setdefault(mandate.seat_key, [])
    election = s.elections[mandate.election]
    # A term is identified by the election that opened it; winners who join holders still
    # serving serve out the current term (see elections.close_and_seat).
    if (d["new_term"] and terms[-1:] and terms[-1][0] != election.id) or not terms:
        terms.append([election.id])
    terms[-1].append(mandate.holder)
    s.dirty.update(
        {("mandate", mandate.id), ("council", mandate.body), ("council", mandate.constituency)}
    )


@folds("mandate_ended")
def _ended(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    mandate = s.mandates[d["mandate"]]
    mandate.ended_at = at
    mandate.end_reason = d["reason"]
    s.dirty.update(
        {("mandate", mandate.id), ("council", mandate.body), ("council", mandate.constituency)}
    )


# --- recall -----------------------------------------------------------------------------------


@folds("recall_opened")
def _recall_opened(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    recall = Recall(
        id=d["id"],
        mandate=d["mandate"],
        opened_by=actor,
        opened_at=at,
        grounds=d["grounds"],
        signatures=[actor],
    )
    s.recalls[recall.id] = recall
    _count(s, "R", recall.id)
    s.dirty.add(("recall", recall.id))


@folds("recall_signed")
def _recall_signed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.recalls[d["recall"]].signatures.append(d["member"])
    s.dirty.add(("recall", d["recall"]))


@folds("recall_ballot_opened")
def _recall_ballot(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    recall = s.recalls[d["recall"]]
    recall.status = "ballot"
    recall.ballot_opened_at = at
    recall.ballot_close = parse_time(d["closes"])
    s.dirty.add(("recall", recall.id))


@folds("recall_voted")
def _recall_voted(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.recalls[d["recall"]].votes[d["member"]] = d["choice"]
    s.dirty.add(("recall", d["recall"]))


def _recall_decided(s: State, d: dict[str, Any], at: datetime, status: str) -> None:
    recall = s.recalls[d["recall"]]
    recall.status = status
    recall.decided_at = at
    recall.outcome = {k: v for k, v in d.items() if k != "recall"}
    s.dirty.add(("recall", recall.id))


@folds("recall_carried")
def _recall_carried(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    _recall_decided(s, d, at, "carried")


@folds("recall_failed")
def _recall_failed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    _recall_decided(s, d, at, "failed")


@folds("recall_moot")
def _recall_moot(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    _recall_decided(s, d, at, "moot")


# --- motions ----------------------------------------------------------------------------------


@folds("motion_filed")
def _motion_filed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    motion = Motion(
        id=d["id"],
        council=d["council"],
        title=d["title"],
        text=d["text"],
        effect=d["effect"],
        ballot_mode=d["ballot_mode"],
        filed_by=actor,
        filed_at=at,
        sponsors=[actor],
    )
    s.motions[motion.id] = motion
    _count(s, "MO", motion.id)
    s.dirty.add(("motion", motion.id))


@folds("motion_cosponsored")
def _cosponsored(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.motions[d["motion"]].sponsors.append(d["member"])
    s.dirty.add(("motion", d["motion"]))


@folds("motion_on_agenda")
def _on_agenda(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    motion = s.motions[d["motion"]]
    motion.status = "agenda"
    motion.on_agenda_at = at
    motion.vote_opens = parse_time(d["vote_opens"])
    motion.vote_closes = parse_time(d["vote_closes"])
    s.dirty.add(("motion", motion.id))


@folds("motion_withdrawn")
def _motion_withdrawn(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.motions[d["motion"]].status = "withdrawn"
    s.dirty.add(("motion", d["motion"]))


@folds("vote_cast")
def _vote_cast(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.motions[d["motion"]].votes[d["member"]] = d["choice"]
    s.dirty.add(("motion", d["motion"]))
    s.dirty.add(("vote", f"{d['motion']} {d['member']}"))  # her row alone, not the roll


@folds("motion_decided")
def _motion_decided(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    motion = s.motions[d["motion"]]
    motion.status = "carried" if d["carried"] else "lost"
    motion.decided_at = at
    motion.result = {k: v for k, v in d.items() if k != "motion"}
    s.dirty.add(("motion", motion.id))


@folds("motion_amended")
def _motion_amended(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    motion = s.motions[d["motion"]]
    motion.text = d["text"]
    motion.amended_by.append(d["amendment"])
    s.dirty.add(("motion", motion.id))


@folds("effect_lapsed")
def _effect_lapsed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    motion = s.motions[d["motion"]]
    if motion.result is not None:
        motion.result = motion.result | {"effect_lapsed": d["reason"]}
    s.dirty.add(("motion", motion.id))


@folds("power_granted")
def _power_granted(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    powers = s.councils[d["council"]].powers.setdefault(d["office"], [])
    if d["power"] not in powers:
        powers.append(d["power"])
        powers.sort()
    s.dirty.add(("council", d["council"]))


@folds("power_revoked")
def _power_revoked(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    powers = s.councils[d["council"]].powers.get(d["office"], [])
    if d["power"] in powers:
        powers.remove(d["power"])
    s.dirty.add(("council", d["council"]))


# --- a secret ballot made void ------------------------------------------------------------------


@folds("secret_ballot_void")
def _secret_void(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    """A secret ballot that could not be decided (secret.py, "Void") closes its subject with
    no result: an election elects nobody (its seats are vacant again, so a new election can
    be called); a motion is void (neither carried nor lost); a recall fails and the mandate
    stands (no open recall remains, so a new one can be opened at once)."""
    sb = s.secret[d["subject"]]
    sb.void = dict(d)
    reason = {"void": d["reason"]}
    if d["kind"] == "election":
        election = s.elections[d["subject"]]
        election.closed_at = at
        election.result = {**reason, "elected": []}
    elif d["kind"] == "motion":
        motion = s.motions[d["subject"]]
        motion.status = "void"
        motion.decided_at = at
        motion.result = reason
    else:
        recall = s.recalls[d["subject"]]
        recall.status = "failed"
        recall.decided_at = at
        recall.outcome = reason
    s.dirty.add((d["kind"], d["subject"]))


# --- documents and acts -------------------------------------------------------------------------


@folds("document_filed")
def _document(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    document = Document(
        id=d["id"],
        body=d["body"],
        author=actor,
        title=d["title"],
        text=d["text"],
        filed_at=at,
        recipients=s.voters(d["body"]),  # delivered to every voter of the body, now
    )
    s.documents[document.id] = document
    _count(s, "D", document.id)
    s.dirty.add(("document", document.id))


@folds("act_performed")
def _act(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    act = ExecutiveAct(
        id=d["id"],
        council=d["council"],
        office=d["office"],
        actor=actor,
        power=d["power"],
        title=d["title"],
        text=d["text"],
        at=at,
    )
    s.acts[act.id] = act
    _count(s, "A", act.id)
    s.dirty.add(("act", act.id))


@folds("act_reversed")
def _act_reversed(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.acts[d["act"]].reversed_by = d["motion"]
    s.dirty.add(("act", d["act"]))


# Capabilities that define their events beside their rules register their folds on import.
from . import cases, debate, exit, press, tendencies, witnesses  # noqa: E402, F401
