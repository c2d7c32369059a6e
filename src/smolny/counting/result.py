"""What every counting method returns: a :class:`Result` holding every stage of the count.

Why every stage: anyone must be able to follow and recompute a count (DESIGN: "results can be
recomputed by anyone from the record"), so a result is the whole sheet, not only the winners, and
every tie broken by lot carries the seed that decided it.

Candidate numbers in these dataclasses are 0-based indices into ``candidates``; the JSON, text and
HTML reports number candidates from 1, as BLT files do. Quantities are :class:`~decimal.Decimal`
values that are exact: each method keeps its arithmetic in integers or fixed point and converts to
a decimal only to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class TieBreak:
    """A tie that the count had to break: who was tied, who was chosen, and how.

    ``how`` is ``"earlier-stage"`` (decided by the most recent stage at which the tied candidates
    differed; ``decided_at`` names it) or ``"lot"`` (decided by the seeded lot, reproducible from the
    result's ``seed``).
    """

    stage: int
    purpose: str
    tied: tuple[int, ...]
    chosen: int
    how: str
    decided_at: int | None = None


@dataclass(frozen=True)
class Action:
    """What a stage did.

    ``kind`` is one of ``first-preferences``, ``surplus``, ``exclusion``, ``elect-remaining``,
    ``iteration`` (Meek), ``round`` (IRV), ``tally`` (single-stage methods) and ``seat`` (divisor
    methods). ``candidates`` are the subjects (whose surplus, who is excluded, who gets the seat).
    """

    kind: str
    candidates: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Stage:
    """One stage of a count, as it stood at the end of the stage.

    ``totals[c]`` is candidate ``c``'s votes; ``non_transferable`` the papers' value exhausted so far
    (cumulative); ``loss`` the value lost so far to truncation or rounding (cumulative), so that
    ``sum(totals) + non_transferable + loss == valid_poll`` at every stage of an STV count.
    ``elected``/``excluded`` are the candidates deemed elected or excluded at this stage.
    """

    number: int
    action: Action
    totals: tuple[Decimal, ...]
    non_transferable: Decimal = Decimal(0)
    loss: Decimal = Decimal(0)
    elected: tuple[int, ...] = ()
    excluded: tuple[int, ...] = ()
    quota: Decimal | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """A complete count.

    ``elected`` lists candidates in the order they were elected (a divisor method may list a party
    once per seat). ``seed`` is the seed of every lot drawn in the count, recorded whether or not a
    lot was needed. ``options`` are the method's settings as strings, for the report.
    """

    method: str
    seats: int
    candidates: tuple[str, ...]
    elected: tuple[int, ...]
    stages: tuple[Stage, ...]
    valid_poll: Decimal
    seed: int
    quota: Decimal | None = None
    tie_breaks: tuple[TieBreak, ...] = ()
    options: Mapping[str, str] = field(default_factory=dict)
    title: str = ""
    withdrawn: tuple[int, ...] = ()
    invalid: int = 0
