"""The press right, the bulletin, and the fair shares of the means of speaking.

DESIGN: "Every group of citizens supported by 10,000-15,000 toilers should have the right to
issue a paper" (Serge).  A tendency whose supporters reach ``press_threshold`` publishes to
every member of its scope, filed by one of its (public) founders, with no officer's approval:
there is no command by which anyone else could hold a publication back.  Official bodies
publish through their elected officers, within the ``issue_statement`` power their council
granted (DESIGN: officers act only within powers their council grants).

A publication is permanent.  A correction or a retraction is a new entry linked to the
original, filed by the same publisher; the original stays, marked.

Fair shares: each period (``share_period_days`` from the congress's founding), the bulletin
words, mailings and congress minutes of a scope are divided among its founded tendencies in
proportion to their supporters by Sainte-Laguë (``apportionment.sainte_lague``, exact integer
arithmetic, tested against ``smolny.counting``).  The division is an explicit event that any
member may cause once a period has started; a tendency publishing in a period nobody has
recomputed yet causes it itself, so no one can starve the press by not recomputing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from . import commands as c
from .apply import _count, folds
from .apportionment import sainte_lague
from .context import Ctx, conflict
from .errors import DomainError, NotAllowed, NotFound
from .events import fmt_time, parse_time
from .state import Publication, ShareRound, State, Tendency
from .tendencies import require_in_scope, tendency
from .words import when

QUANTITIES = ("bulletin_words", "mailing_quota", "congress_minutes")
UNITS = {"bulletin_words": "words", "mailing_quota": "mailings", "congress_minutes": "minutes"}
OFFICER_POWER = "issue_statement"


def words(text: str) -> int:
    return len(text.split())


# --- periods and shares --------------------------------------------------------------------


def period_of(state: State, now: datetime) -> tuple[int, datetime, datetime]:
    """The current period's number, start and end (periods count from the congress's founding)."""
    assert state.root is not None
    epoch = state.councils[state.root].founded_at
    length = timedelta(days=state.params.share_period_days)
    number = max(0, (now - epoch) // length)
    starts = epoch + number * length
    return number, starts, starts + length


def compute_shares(
    state: State, scope: str
) -> tuple[dict[str, int], dict[str, int], dict[str, dict[str, int]]]:
    """(supporters, totals, shares) for the founded tendencies of ``scope``."""
    supporters = {
        t.id: t.supporters
        for t in state.tendencies.values()
        if t.scope == scope and t.status == "active"
    }
    counted = {k: v for k, v in supporters.items() if v > 0}
    totals = {q: int(getattr(state.params, q)) for q in QUANTITIES}
    shares: dict[str, dict[str, int]] = {}
    for quantity, total in totals.items():
        won = sainte_lague(counted, total) if counted else {}
        shares[quantity] = {k: won.get(k, 0) for k in sorted(supporters)}
    return supporters, totals, shares


def _emit_shares(ctx: Ctx, scope: str) -> dict[str, Any]:
    number, starts, ends = period_of(ctx.state, ctx.now)
    supporters, totals, shares = compute_shares(ctx.state, scope)
    data: dict[str, Any] = {
        "scope": scope,
        "period": number,
        "starts": fmt_time(starts),
        "ends": fmt_time(ends),
        "supporters": supporters,
        "totals": totals,
        "shares": shares,
        "rule": "sainte_lague",
    }
    ctx.emit("shares_recomputed", **data)
    return data


def _round_now(ctx: Ctx, scope: str) -> ShareRound | None:
    number, _, _ = period_of(ctx.state, ctx.now)
    current = ctx.state.shares.get(scope)
    return current if current is not None and current.period == number else None


def recompute(ctx: Ctx, cmd: c.RecomputeShares) -> None:
    council = ctx.council(cmd.scope)
    ctx.me()
    if _round_now(ctx, council.id) is not None:
        _, _, ends = period_of(ctx.state, ctx.now)
        raise conflict(
            "already_recomputed",
            f"The shares of {council.name} have been recomputed for this period; the next "
            f"period starts on {when(ends)}.",
        )
    _emit_shares(ctx, council.id)


def remaining(round_: ShareRound | dict[str, Any], quantity: str, tendency_id: str) -> int:
    if isinstance(round_, ShareRound):
        share = round_.shares.get(quantity, {}).get(tendency_id, 0)
        used = round_.used.get(quantity, {}).get(tendency_id, 0)
        return share - used
    return int(round_["shares"].get(quantity, {}).get(tendency_id, 0))


# --- publishing ----------------------------------------------------------------------------


def _publisher_tendency(ctx: Ctx, found: Tendency) -> None:
    require_in_scope(ctx, found.scope, "publish in its bulletin")
    if ctx.actor not in found.founders:
        raise NotAllowed(
            "not_a_founder",
            f"Only the founders of {found.name} publish in its name.",
        )
    if found.status != "active":
        raise conflict("not_founded", f"{found.name} has not been founded yet.")
    threshold = ctx.state.params.press_threshold
    if found.supporters < threshold:
        raise DomainError(
            "below_press_threshold",
            f"{found.name} has {found.supporters} supporters; the press right starts at "
            f"{threshold}, so it needs {threshold - found.supporters} more.",
        )


def _publisher_council(ctx: Ctx, council_id: str) -> None:
    council = ctx.council(council_id)
    ctx.me()
    ctx.require_rights("publish for a council")
    offices = ctx.state.offices_of(ctx.actor, council.id)
    if not any(OFFICER_POWER in council.powers.get(o, []) for o in offices):
        raise NotAllowed(
            "no_power",
            f"{council.name} publishes through an officer it has given the power "
            f"{OFFICER_POWER!r}; you hold no such office.",
        )


def publish(ctx: Ctx, cmd: c.Publish) -> None:
    ctx.require_text(cmd.title, "publication's title", 300)
    ctx.require_text(cmd.text, "publication's text", 40000)
    size = words(cmd.text)
    if cmd.publisher in ctx.state.tendencies:
        found = tendency(ctx, cmd.publisher)
        _publisher_tendency(ctx, found)
        scope = found.scope
        current: ShareRound | dict[str, Any] | None = _round_now(ctx, scope)
        if current is None:
            current = _emit_shares(ctx, scope)
        _, _, ends = period_of(ctx.state, ctx.now)
        left = remaining(current, "bulletin_words", found.id)
        if size > left:
            raise DomainError(
                "over_share",
                f"This publication is {size} words; {found.name} has {left} words left of "
                f"its bulletin share until {when(ends)}. Shorten it, or wait for the "
                "next period.",
            )
        if cmd.mailing and remaining(current, "mailing_quota", found.id) < 1:
            raise DomainError(
                "over_share",
                f"{found.name} has no mailings left of its quota until {when(ends)}; "
                "publish it in the bulletin without mailing.",
            )
    elif cmd.publisher in ctx.state.councils:
        _publisher_council(ctx, cmd.publisher)
        scope = cmd.publisher
    else:
        raise NotFound("no_such_publisher", f"There is no tendency or council {cmd.publisher!r}.")
    ctx.emit(
        "publication_issued",
        id=ctx.new_id("P"),
        scope=scope,
        publisher=cmd.publisher,
        title=cmd.title.strip(),
        text=cmd.text.strip(),
        words=size,
        mailing=bool(cmd.mailing),
        reach=len(ctx.state.members_in_scope(scope)),
        kind="publication",
        corrects=None,
    )


def _require_corrector(ctx: Ctx, original: Publication) -> None:
    """Whether the actor may correct or retract ``original`` now (not what she writes, which
    is the form's): the decision refuses with the first rule that fails, and ``may_correct``
    asks the same rules for the page."""
    if original.kind != "publication":
        raise conflict(
            "not_an_original", "Corrections and retractions attach to the original publication."
        )
    if original.retracted_by is not None:
        raise conflict(
            "already_retracted", f"This publication was retracted by {original.retracted_by}."
        )
    # Only the publisher speaks for itself: no officer can retract a tendency's words.
    if original.publisher in ctx.state.tendencies:
        found = ctx.state.tendencies[original.publisher]
        ctx.me()
        if ctx.actor not in found.founders:
            raise NotAllowed(
                "not_publisher",
                f"Only the founders of {found.name} can correct or retract what it published; "
                "nobody else, officers included, can touch it.",
            )
    else:
        _publisher_council(ctx, original.publisher)


def may_correct(state: State, publication_id: str, member: str, now: datetime) -> bool:
    """Whether ``member`` may correct or retract the publication at ``now``: its publisher (a
    founder of the tendency, or an officer holding the council's power to issue statements),
    on an original not yet retracted.  Exactly when ``CorrectPublication`` with a text would
    not be refused; the publication page offers the form on this."""
    original = state.publications.get(publication_id)
    if original is None or not member:
        return False
    try:
        _require_corrector(Ctx(state, member, now), original)
    except DomainError:
        return False
    return True


def correct(ctx: Ctx, cmd: c.CorrectPublication) -> None:
    original = ctx.state.publications.get(cmd.publication)
    if original is None:
        raise NotFound("no_such_publication", f"There is no publication {cmd.publication!r}.")
    if cmd.kind not in ("correction", "retraction"):
        raise DomainError("invalid_kind", "Choose a correction or a retraction.")
    ctx.require_text(cmd.text, f"{cmd.kind}'s text", 20000)
    _require_corrector(ctx, original)
    ctx.emit(
        "publication_issued",
        id=ctx.new_id("P"),
        scope=original.scope,
        publisher=original.publisher,
        title=f"{cmd.kind.capitalize()} of {original.title}"[:300],
        text=cmd.text.strip(),
        words=words(cmd.text),
        mailing=False,
        reach=len(ctx.state.members_in_scope(original.scope)),
        kind=cmd.kind,
        corrects=original.id,
    )


# --- folds ---------------------------------------------------------------------------------


@folds("shares_recomputed")
def _shares(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    s.shares[d["scope"]] = ShareRound(
        scope=d["scope"],
        period=d["period"],
        starts=parse_time(d["starts"]),
        ends=parse_time(d["ends"]),
        at=at,
        supporters=dict(d["supporters"]),
        totals=dict(d["totals"]),
        shares={q: dict(v) for q, v in d["shares"].items()},
    )
    s.dirty.add(("shares", d["scope"]))


@folds("publication_issued")
def _issued(s: State, d: dict[str, Any], at: datetime, actor: str) -> None:
    publication = Publication(
        id=d["id"],
        scope=d["scope"],
        publisher=d["publisher"],
        author=actor,
        title=d["title"],
        text=d["text"],
        words=d["words"],
        mailing=d["mailing"],
        at=at,
        reach=d["reach"],
        kind=d["kind"],
        corrects=d["corrects"],
    )
    s.publications[publication.id] = publication
    _count(s, "P", publication.id)
    s.dirty.add(("publication", publication.id))
    if publication.corrects is not None:
        original = s.publications[publication.corrects]
        if publication.kind == "retraction":
            original.retracted_by = publication.id
        else:
            original.corrections.append(publication.id)
        s.dirty.add(("publication", original.id))
    elif publication.publisher in s.tendencies:
        current = s.shares.get(publication.scope)
        if current is not None and current.starts <= at < current.ends:
            for quantity, amount in (
                ("bulletin_words", publication.words),
                ("mailing_quota", 1 if publication.mailing else 0),
            ):
                used = current.used.setdefault(quantity, {})
                used[publication.publisher] = used.get(publication.publisher, 0) + amount
            s.dirty.add(("shares", publication.scope))
