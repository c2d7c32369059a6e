"""Read-model queries shared by the pages (who votes where, names, what a member can do)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from smolny.constitution import secret, words
from smolny.constitution.events import fmt_time
from smolny.readmodels import models as rm
from smolny.store import clock
from smolny.store.service import current_state


def now_text() -> str:
    return fmt_time(clock.now())


def names(ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    return dict(rm.MemberRow.objects.filter(key__in=wanted).values_list("key", "name"))


def council_names() -> dict[str, str]:
    return dict(rm.CouncilRow.objects.values_list("key", "name"))


def voters(council: rm.CouncilRow) -> list[str]:
    if council.base:
        return list(
            rm.MemberRow.objects.filter(council=council.key, active=True)
            .order_by("name")
            .values_list("key", flat=True)
        )
    return sorted(
        set(
            rm.MandateRow.objects.filter(
                body=council.key, kind="delegate", active=True
            ).values_list("holder", flat=True)
        )
    )


def councils_of(member_id: str) -> list[str]:
    """The councils a member votes in: her base council and those she is a delegate to."""
    member = rm.MemberRow.objects.filter(key=member_id, active=True).first()
    if member is None or member.council is None:
        return []
    out = [member.council]
    out += sorted(
        set(
            rm.MandateRow.objects.filter(
                holder=member_id, kind="delegate", active=True
            ).values_list("body", flat=True)
        )
    )
    return out


def _election_words(e: rm.ElectionRow) -> str:
    council = council_names().get(e.council, e.council)
    if e.kind == "delegate":
        return f"Election {e.key}: delegates of {council}"
    return f"Election {e.key}: {words.office(e.office)} of {council}"


def home_context(member_id: str) -> dict[str, Any]:
    now = now_text()
    mine = councils_of(member_id)
    my_delegates = list(
        rm.MandateRow.objects.filter(constituency__in=mine, active=True)
        .exclude(holder=member_id)
        .order_by("constituency", "kind", "office")
    )
    delegate_ids = [m.holder for m in my_delegates]
    votes = list(rm.VoteRow.objects.filter(member__in=delegate_ids))
    motions = {m.key: m for m in rm.MotionRow.objects.filter(key__in={v.owner for v in votes})}
    for motion in motions.values():
        motion.decided_at = (motion.result or {}).get("decided_at")
    votes.sort(key=lambda v: (motions[v.owner].decided_at or "", v.owner), reverse=True)
    delegate_votes = [
        {"member": v.member, "choice": v.choice, "motion": motions[v.owner]} for v in votes
    ]
    recalls = [
        r
        for r in rm.RecallRow.objects.filter(
            constituency__in=mine, status__in=["petition", "ballot"]
        )
    ]
    # A recall of her own mandate is hers to know about, not one of the petitions she might
    # sign among others: the rules let her sign it (she is of its constituency, and signing
    # is no more than resigning, which she may do at once), so it is listed on its own.
    recalls_of_me = [r for r in recalls if r.holder == member_id]
    petitions = [r for r in recalls if member_id not in r.signatures and r.holder != member_id]
    # Secret ballots: whether she may cast, and whether she has, are the constitution's rules
    # on the state (secret.may_cast, secret.has_cast); what she chose is known to nobody.
    state = current_state()
    moment = clock.now()
    cast_secret: list[dict[str, Any]] = []

    def to_cast(subject: str, closes: str | None, what: str) -> bool:
        """Open ballots she has not cast; a secret one she has cast goes to ``cast_secret``."""
        if subject not in state.secret:
            return True
        if not secret.may_cast(state, subject, member_id, moment):
            return False
        if secret.has_cast(state, subject, member_id):
            cast_secret.append({"subject": subject, "what": what, "closes": closes})
            return False
        return True

    recall_ballots = [
        r
        for r in recalls
        if r.status == "ballot"
        and member_id not in r.votes
        and (r.ballot_close or "") > now
        and to_cast(
            r.key, r.ballot_close, f"Recall ballot: {names([r.holder]).get(r.holder, r.holder)}"
        )
    ]
    elections = list(rm.ElectionRow.objects.filter(council__in=mine, closed_at__isnull=True))
    open_elections = [e for e in elections if e.nominations_close <= now < e.voting_close]
    voted = set(
        rm.BallotRow.objects.filter(
            owner__in=[e.key for e in open_elections], member=member_id
        ).values_list("owner", flat=True)
    )
    nominations = [e for e in elections if now < e.nominations_close]
    motions_open = list(rm.MotionRow.objects.filter(council__in=mine, status="agenda"))
    voted_motions = set(
        rm.VoteRow.objects.filter(
            owner__in=[m.key for m in motions_open], member=member_id
        ).values_list("owner", flat=True)
    )
    motions_to_vote = [
        m
        for m in motions_open
        if (m.vote_opens or "") <= now < (m.vote_closes or "")
        and m.key not in voted_motions
        and to_cast(m.key, m.vote_closes, f"Motion: {m.title}")
    ]
    ballots = [
        e
        for e in open_elections
        if e.key not in voted and to_cast(e.key, e.voting_close, _election_words(e))
    ]
    seeking = [
        m
        for m in rm.MotionRow.objects.filter(council__in=mine, status="filed")
        if member_id not in m.sponsors
    ]
    deliveries = list(
        rm.DeliveryRow.objects.filter(member=member_id).values_list("owner", flat=True)
    )
    documents = list(rm.DocumentRow.objects.filter(key__in=deliveries).order_by("-filed_at"))
    # Publications reach every member of their scope (the press right): her base council
    # and every council above it.
    chain: list[str] = []
    parents = dict(rm.CouncilRow.objects.values_list("key", "parent"))
    here = rm.MemberRow.objects.filter(key=member_id).values_list("council", flat=True).first()
    while here:
        chain.append(here)
        here = parents.get(here)
    publications = list(rm.PublicationRow.objects.filter(scope__in=chain).order_by("-at")[:10])
    my_mandates = list(rm.MandateRow.objects.filter(holder=member_id, active=True))
    people = names(
        [
            member_id,
            *delegate_ids,
            *(r.holder for r in recalls),
            *(d.author for d in documents),
            *(p.author for p in publications),
        ]
    )
    return {
        "councils": [rm.CouncilRow.objects.get(key=k) for k in mine],
        "my_delegates": my_delegates,
        "delegate_votes": delegate_votes,
        "petitions": petitions,
        "recalls_of_me": recalls_of_me,
        "recall_ballots": recall_ballots,
        "ballots": ballots,
        "cast_secret": cast_secret,
        "nominations": nominations,
        "motions_to_vote": motions_to_vote,
        "seeking": seeking,
        "documents": documents,
        "publications": publications,
        "my_mandates": my_mandates,
        "my_mandates_by_key": {m.key: m for m in my_mandates},
        "names": people,
        "council_names": council_names(),
    }
