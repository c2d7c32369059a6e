"""What a motion's page shows of its debate, read from the read models (readmodels/debate.py).

The order of the list is the constitution's (``DebateRow.queue``, projected from
``constitution.debate.order``); this module only arranges rows for the template and says
times in words.  Nothing here decides who may do what: the forms are offered to those the
rules would let act, and the constitution refuses anyone else whatever the page offered.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from smolny.constitution.debate import NON_ALIGNED, duration, may_close_challenge
from smolny.constitution.events import fmt_time, parse_time
from smolny.readmodels import models as rm
from smolny.store import clock
from smolny.store.service import current_state

from . import lookups

SIDE_WORDS = {"for": "for", "against": "against"}
KIND_WORDS = {
    "close_list": "Closed the speaker list",
    "call_to_order": "Called the speaker to order",
    "point_of_order": "Ruled on a point of order",
}
STATUS_WORDS = {
    "upheld": "upheld by the floor",
    "overturned": "overturned by the floor",
}


def context(motion: rm.MotionRow, council: rm.CouncilRow, viewer: str) -> dict[str, Any]:
    """The debate's part of the motion page's context (all keys begin with ``debate``)."""
    now = lookups.now_text()
    row = rm.DebateRow.objects.filter(key=motion.key).first()
    places = {p.key: p for p in rm.SpeakerRow.objects.filter(motion=motion.key)}
    rulings = list(rm.RulingRow.objects.filter(motion=motion.key).order_by("at"))
    my_votes = dict(
        rm.ChallengeVoteRow.objects.filter(
            owner__in=[r.key for r in rulings], member=viewer
        ).values_list("owner", "choice")
    )
    chairs = list(
        rm.MandateRow.objects.filter(
            body=council.key, kind="office", office="chair", active=True
        ).values_list("holder", flat=True)
    )
    tendencies = {t.key: t for t in rm.TendencyRow.objects.all()}
    queue = [places[k] for k in (row.queue if row else []) if k in places]
    speaking = places.get(row.speaking) if row and row.speaking else None
    spoken = sorted(
        (p for p in places.values() if p.held is not None), key=lambda p: p.started or ""
    )
    people = [*chairs, *(p.member for p in places.values()), *(r.chair for r in rulings)]
    people += [r.challenged_by for r in rulings if r.challenged_by]
    open_ = motion.status == "agenda" and now < (motion.vote_closes or "")
    is_chair = viewer in chairs
    # The rules say whether a challenge would be counted now: only then is the count offered.
    challenged = [r.key for r in rulings if r.status == "challenged"]
    state = current_state() if challenged else None
    countable = {
        key
        for key in challenged
        if state is not None and may_close_challenge(state, key, clock.now(), viewer or None)
    }
    return {
        "debate": row,
        "debate_open": open_,
        "debate_queue": queue,
        "debate_next": queue[0] if queue else None,
        "debate_speaking": speaking,
        "debate_until": _until(speaking),
        "debate_time_up": speaking is not None and now >= fmt_time(_until_time(speaking)),
        "debate_spoken": spoken,
        "debate_time_used": [
            (_group(key, tendencies), duration(seconds))
            for key, seconds in sorted((row.time_used if row else {}).items(), key=lambda kv: kv[1])
        ],
        "debate_rulings": [
            {
                "row": r,
                "what": KIND_WORDS.get(r.kind, r.kind),
                "status": STATUS_WORDS.get(r.status, r.status),
                "called": places.get(r.speaker or ""),
                "my_vote": my_votes.get(r.key),
                "voting": r.status == "challenged" and now < (r.closes or ""),
                "countable": r.key in countable,
            }
            for r in rulings
        ],
        "debate_chairs": chairs,
        "debate_is_chair": is_chair,
        "debate_mine": next(
            (
                p
                for p in places.values()
                if p.member == viewer and p.status in ("waiting", "speaking")
            ),
            None,
        ),
        "debate_my_tendencies": sorted(
            (t for t in tendencies.values() if t.status == "active" and viewer in t.named),
            key=lambda t: t.name,
        ),
        "debate_tendencies": {key: t.name for key, t in tendencies.items()},
        "debate_names": lookups.names(people),
        "debate_spans": {p.key: _span(p.started, p.ended) for p in spoken},
        "debate_seconds": {p.key: duration(p.held or 0) for p in spoken}
        | {p.key: duration(p.seconds) for p in queue if p.seconds is not None},
    }


def _span(started: str | None, ended: str | None) -> str:
    """``07 Dec 2026, 00:19–00:24 UTC``: when a speech was held, in one table cell (a column
    for its start and one for its end made the speeches wider than a phone)."""
    if not started or not ended:
        return ""
    start, end = parse_time(started), parse_time(ended)
    if start.date() == end.date():
        return f"{start:%d %b %Y, %H:%M}–{end:%H:%M} UTC"
    return f"{start:%d %b %Y, %H:%M} UTC – {end:%d %b %Y, %H:%M} UTC"


def _until_time(speaker: rm.SpeakerRow) -> Any:
    assert speaker.started is not None
    return parse_time(speaker.started) + timedelta(seconds=speaker.granted or 0)


def _until(speaker: rm.SpeakerRow | None) -> str | None:
    return fmt_time(_until_time(speaker)) if speaker is not None else None


def _group(key: str, tendencies: dict[str, rm.TendencyRow]) -> str:
    if key == NON_ALIGNED:
        return "Non-aligned (speaking for themselves)"
    found = tendencies.get(key)
    return found.name if found else key
