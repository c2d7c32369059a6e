"""Divisor (highest-averages) methods: D'Hondt (Jefferson) and Sainte-Laguë (Webster).

Used for lists and for dividing a fixed number of anything (seats of a council, speaking time,
mailing quota) among parties, tendencies or councils in proportion to their votes or members
(DESIGN: "divided among tendencies in proportion to supporters (Sainte-Laguë)").

Seats are awarded one at a time to the highest quotient ``votes ÷ divisor(seats so far)``, with
divisors 1, 2, 3, … (D'Hondt) or 1, 3, 5, … (Sainte-Laguë), which is the same apportionment as the
divisor-method definitions of Balinski and Young, *Fair Representation* (1982; 2nd ed. 2001).
Quotients are compared exactly (cross-multiplied integers), never as floats. A ``threshold`` is a
share of all votes (e.g. ``Fraction(5, 100)``) below which a party gets no seat. When more parties
tie for the highest quotient than seats are left ("a tie for the last seat"), the seeded lot
decides and the draw is recorded; ties that every tied party survives draw no lot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ._fixed import to_decimal
from .errors import OptionsError
from .profile import Profile
from .result import Action, Result, Stage, TieBreak
from .ties import lot, new_seed

METHODS = ("dhondt", "sainte-lague")


def _divisor(method: str, s: int) -> int:
    return s + 1 if method == "dhondt" else 2 * s + 1


def _as_fraction(value: Fraction | Decimal | int | str) -> Fraction:
    if isinstance(value, float):
        raise OptionsError("give the threshold exactly, as a string, Decimal or Fraction")
    try:
        f = Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise OptionsError(f"threshold {value!r} is not a number") from exc
    if not 0 <= f <= 1:
        raise OptionsError("the threshold is a share of the votes, between 0 and 1")
    return f


@dataclass(frozen=True)
class Award:
    """One seat: which party, the quotient that won it (exact), and whether a lot decided it."""

    seat: int
    party: int
    quotient: Fraction
    lot: bool = False


def allocate(
    method: str,
    votes: list[int],
    seats: int,
    *,
    threshold: Fraction = Fraction(0),
    seed: int,
    breaks: list[TieBreak],
) -> list[Award]:
    """Award ``seats`` one by one. Parties are indices into ``votes``."""
    if method not in METHODS:
        raise OptionsError(f"unknown divisor method {method!r}; use one of {', '.join(METHODS)}")
    if seats < 0:
        raise OptionsError("the number of seats cannot be negative")
    if any(v < 0 for v in votes):
        raise OptionsError("votes cannot be negative")
    total = sum(votes)
    eligible = [i for i, v in enumerate(votes) if v > 0 and Fraction(v, total or 1) >= threshold]
    if seats and not eligible:
        raise OptionsError("no party has votes at or above the threshold")
    held = [0] * len(votes)
    awards: list[Award] = []
    while len(awards) < seats:
        best = max(eligible, key=lambda i: Fraction(votes[i], _divisor(method, held[i])))
        q = Fraction(votes[best], _divisor(method, held[best]))
        tied = [i for i in eligible if Fraction(votes[i], _divisor(method, held[i])) == q]
        left = seats - len(awards)
        if len(tied) <= left:
            for i in tied:
                held[i] += 1
                awards.append(Award(len(awards) + 1, i, q))
            continue
        pool = list(tied)
        for _ in range(left):
            chosen = lot(seed, len(awards) + 1, "last-seat", pool)
            breaks.append(
                TieBreak(len(awards) + 1, "last-seat", tuple(sorted(pool)), chosen, "lot")
            )
            held[chosen] += 1
            awards.append(Award(len(awards) + 1, chosen, q, lot=True))
            pool.remove(chosen)
    return awards


@dataclass(frozen=True)
class Apportionment:
    """Seats per party (every party listed, 0 included), the order seats were awarded, the seed."""

    method: str
    seats: Mapping[str, int]
    order: tuple[str, ...]
    seed: int
    tie_breaks: tuple[TieBreak, ...] = ()
    below_threshold: tuple[str, ...] = ()


def apportion(
    method: str,
    votes: Mapping[str, int],
    seats: int,
    threshold: Fraction | Decimal | int | str = 0,
    *,
    seed: int | None = None,
) -> Apportionment:
    """Divide ``seats`` among the keys of ``votes`` by ``"dhondt"`` or ``"sainte-lague"``.

    ``threshold`` is a share of all votes (``"0.05"`` or ``Fraction(1, 20)``).
    """
    names = list(votes)
    counts = [int(votes[k]) for k in names]
    thr = _as_fraction(threshold)
    seed = new_seed() if seed is None else seed
    breaks: list[TieBreak] = []
    awards = allocate(method, counts, seats, threshold=thr, seed=seed, breaks=breaks)
    held = dict.fromkeys(names, 0)
    for a in awards:
        held[names[a.party]] += 1
    total = sum(counts)
    below = tuple(
        k for k, v in zip(names, counts, strict=True) if total and Fraction(v, total) < thr
    )
    return Apportionment(
        method=method,
        seats=held,
        order=tuple(names[a.party] for a in awards),
        seed=seed,
        tie_breaks=tuple(breaks),
        below_threshold=below,
    )


def divisor_count(
    method: str,
    profile: Profile,
    seats: int,
    *,
    seed: int | None = None,
    threshold: Fraction | Decimal | int | str = 0,
) -> Result:
    """A list count from ballots: each candidate is a list and gets its first preferences."""
    votes = [int(x) for x in profile.first_preferences()]
    for c in profile.withdrawn:
        votes[c] = 0
    if seats < 1:
        raise OptionsError("at least one seat is needed")
    thr = _as_fraction(threshold)
    seed = new_seed() if seed is None else seed
    breaks: list[TieBreak] = []
    awards = allocate(method, votes, seats, threshold=thr, seed=seed, breaks=breaks)
    held = [0] * profile.ncand
    stages: list[Stage] = [Stage(1, Action("first-preferences"), tuple(Decimal(v) for v in votes))]
    for a in awards:
        held[a.party] += 1
        stages.append(
            Stage(
                number=len(stages) + 1,
                action=Action("seat", (a.party,), note=f"quotient {a.quotient}"),
                totals=tuple(Decimal(h) for h in held),
                elected=(a.party,),
                extra={
                    "quotient": str(a.quotient),
                    "quotient_5dp": format(
                        to_decimal(a.quotient.numerator * 10**5 // a.quotient.denominator, 5), "f"
                    ),
                },
            )
        )
    return Result(
        method=method,
        seats=seats,
        candidates=profile.candidates,
        elected=tuple(a.party for a in awards),
        stages=tuple(stages),
        valid_poll=Decimal(sum(votes)),
        seed=seed,
        tie_breaks=tuple(breaks),
        options={"threshold": str(thr), "stage_totals": "seats held after each award"},
        title=profile.title,
        withdrawn=tuple(sorted(profile.withdrawn)),
        invalid=profile.total - sum(votes),
    )
