"""Rows for debates: the speaker list in the rules' order, each place on it, each ruling of the
chair and each vote on a challenge (constitution/debate.py).

Registered in ``projections.PROJECTIONS``/``COLLECTIONS`` like every other kind.  The list's
order is the constitution's own (``debate.order``), computed from the debate alone, so the row
is rewritten whenever the debate's entries touch it and equals what a replay gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from smolny.constitution.debate import order, time_used
from smolny.constitution.state import State

from . import models as m
from .projections import Projector, Row, _t, pair


def debate_rows(s: State, key: str) -> list[Row]:
    d = s.debates[key]
    return [
        {
            "key": d.motion,
            "council": d.council,
            "speaking": d.speaking,
            "last_side": d.last_side,
            "closed_by": d.closed_by,
            "queue": [speaker.id for speaker in order(s, d.motion)],
            "time_used": time_used(s, d.motion),
            "rulings": d.rulings,
        }
    ]


def speaker_rows(s: State, key: str) -> list[Row]:
    p = s.speakers[key]
    return [
        {
            "key": p.id,
            "motion": p.motion,
            "member": p.member,
            "side": p.side,
            "tendency": p.tendency,
            "asked_at": _t(p.asked_at),
            "status": p.status,
            "seconds": p.seconds,
            "restored_by": p.restored_by,
            "started": _t(p.started),
            "granted": p.granted,
            "ended": _t(p.ended),
            "held": p.held,
            "ended_by": p.ended_by,
        }
    ]


def ruling_rows(s: State, key: str) -> list[Row]:
    r = s.rulings[key]
    choices = list(r.votes.values())
    return [
        {
            "key": r.id,
            "motion": r.motion,
            "council": r.council,
            "chair": r.chair,
            "kind": r.kind,
            "reason": r.reason,
            "at": _t(r.at),
            "speaker": r.speaker,
            "status": r.status,
            "challenged_by": r.challenged_by,
            "challenged_at": _t(r.challenged_at),
            "closes": _t(r.closes),
            "overturn": choices.count("overturn"),
            "uphold": choices.count("uphold"),
            "decided_at": _t(r.decided_at),
            "outcome": r.outcome,
        }
    ]


def challenge_vote_rows(s: State, key: str) -> list[Row]:
    """One member's vote on a challenge; ``key`` is ``"RULING MEMBER"``."""
    ruling, member = pair(key)
    r = s.rulings[ruling]
    if member not in r.votes:
        return []
    return [{"owner": r.id, "member": member, "choice": r.votes[member]}]


PROJECTIONS: dict[str, list[Projector]] = {
    "debate": [(m.DebateRow, debate_rows)],
    "speaker": [(m.SpeakerRow, speaker_rows)],
    "ruling": [(m.RulingRow, ruling_rows)],
    "challenge_vote": [(m.ChallengeVoteRow, challenge_vote_rows)],
}
COLLECTIONS: dict[str, Callable[[State], Iterable[str]]] = {
    "debate": lambda s: s.debates.keys(),
    "speaker": lambda s: s.speakers.keys(),
    "ruling": lambda s: s.rulings.keys(),
    "challenge_vote": lambda s: [f"{r.id} {v}" for r in s.rulings.values() for v in r.votes],
}
