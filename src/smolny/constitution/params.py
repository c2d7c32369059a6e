"""The federation's own parameters.

They are part of the state and change only by a constitutional amendment voted by the congress
with a two-thirds majority (DESIGN: "The federation's own parameters ... change only by an
amendment event voted by the congress").  Shares are exact fractions written as strings
("1/5"), never floats, so every verifier computes the same thresholds.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from fractions import Fraction
from typing import Any

from .errors import DomainError

SEAT_RULES = ("per_members", "fixed_house")


def parse_share(text: str, name: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise DomainError("invalid_parameter", f"{name} must be a fraction such as 1/5.") from exc
    if not 0 < value <= 1:
        raise DomainError("invalid_parameter", f"{name} must be above 0 and at most 1.")
    return value


def share_of(share: str, size: int) -> int:
    """Smallest whole number of people that is at least ``share`` of ``size`` (never below 1)."""
    return max(1, math.ceil(Fraction(share) * size))


@dataclass(frozen=True)
class Params:
    recall_share: str = "1/5"
    """Share of a constituency whose signatures open a recall ballot."""
    seat_rule: str = "per_members"
    members_per_delegate: int = 25
    house_size: int = 12
    """With ``fixed_house``: seats of each higher council, divided among its children."""
    term_days: int = 365
    rotation_limit: int = 3
    """No one holds the same seat for more than this many consecutive terms."""
    cosponsor_share: str = "1/10"
    """Share of a council whose co-sponsorship puts a motion on its agenda by itself."""
    nomination_hours: int = 72
    voting_hours: int = 72
    motion_notice_hours: int = 48
    recall_ballot_hours: int = 72
    executive_seats: int = 3
    stv_method: str = "scottish-stv"
    """How multi-seat elections are counted: ``scottish-stv`` or ``meek-stv``."""
    control_commission_seats: int = 3
    """Seats of each council's control commission, the only body that hears cases."""
    tendency_founders: int = 3
    """Founders a tendency needs, each confirming, before it exists."""
    press_threshold: int = 5
    """Supporters a tendency needs to publish to every member of its scope (the press right)."""
    share_period_days: int = 30
    """Length of a period of the fair shares, counted from the congress's founding."""
    bulletin_words: int = 10000
    """Bulletin words per period and scope, divided among tendencies by Sainte-Laguë."""
    mailing_quota: int = 12
    """Mailings to every member per period and scope, divided the same way."""
    congress_minutes: int = 120
    """Speaking minutes at the congress per period, divided the same way."""
    reply_hours: int = 336
    """Time a respondent has to reply to a charge before any hearing."""
    max_sanction_days: int = 365
    """No sanction lasts longer; a longer one needs a new case."""
    appeal_hours: int = 72
    """How long the council hearing an appeal votes on it."""
    witness_quorum: int = 0
    """Cosignatures from the federation's witnesses a checkpoint needs before it is *final*
    (C2SP tlog-cosignature's "k of n"); never more than the witnesses admitted."""
    speech_minutes: int = 5
    """Every speech in a debate has this time limit, whoever speaks and for whichever side."""
    challenge_minutes: int = 10
    """How long the floor votes on a challenge to a ruling of the chair."""
    decryption_hours: int = 72
    """How long a secret ballot's trustees have to decrypt its published tally; once it has
    passed with fewer than the threshold's worth of decryptions, any voter may close the ballot
    as void (secret.py), so no trustee can hold a vote back by doing nothing."""

    def validate(self) -> Params:
        parse_share(self.recall_share, "recall_share")
        parse_share(self.cosponsor_share, "cosponsor_share")
        if self.stv_method not in ("scottish-stv", "meek-stv"):
            raise DomainError("invalid_parameter", "stv_method must be scottish-stv or meek-stv.")
        if self.seat_rule not in SEAT_RULES:
            raise DomainError(
                "invalid_parameter", f"seat_rule must be one of {', '.join(SEAT_RULES)}."
            )
        # Upper bounds keep every derived time and count inside what the record encodes
        # (integers below 2**53, dates before year 10000): a federation cannot be founded
        # with parameters that would make its own elections impossible to call.
        for name, low, high in (
            ("members_per_delegate", 1, 1_000_000),
            ("house_size", 1, 10_000),
            ("term_days", 1, 3_660),
            ("rotation_limit", 1, 100),
            ("executive_seats", 1, 99),
            ("nomination_hours", 0, 8_784),
            ("voting_hours", 0, 8_784),
            ("motion_notice_hours", 0, 8_784),
            ("recall_ballot_hours", 0, 8_784),
            ("control_commission_seats", 1, 99),
            ("tendency_founders", 1, 1_000),
            ("press_threshold", 1, 10_000_000),
            ("share_period_days", 1, 366),
            ("bulletin_words", 0, 100_000),
            ("mailing_quota", 0, 1_000),
            ("congress_minutes", 0, 10_000),
            ("reply_hours", 0, 8_784),
            ("max_sanction_days", 1, 3_660),
            ("appeal_hours", 0, 8_784),
            ("witness_quorum", 0, 32),
            ("speech_minutes", 1, 120),
            ("challenge_minutes", 1, 1_440),
            ("decryption_hours", 1, 8_784),
        ):
            value = int(getattr(self, name))
            if not low <= value <= high:
                raise DomainError(
                    "invalid_parameter", f"{name} must be between {low} and {high}; it is {value}."
                )
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Params:
        known = {f.name: f.type for f in fields(cls)}
        unknown = set(data) - set(known)
        if unknown:
            raise DomainError(
                "invalid_parameter",
                f"There is no parameter called {', '.join(sorted(unknown))}; the parameters "
                f"are {', '.join(sorted(known))}.",
            )
        base = cls()
        changes: dict[str, Any] = {}
        for key, value in data.items():
            # No floats (nor booleans, lists...): they would reach the record, which has none.
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise DomainError(
                    "invalid_parameter",
                    f"{key} must be a whole number or a fraction written as text such as '1/5'.",
                )
            try:
                changes[key] = int(value) if isinstance(getattr(base, key), int) else str(value)
            except (TypeError, ValueError) as exc:
                raise DomainError(
                    "invalid_parameter", f"{key} must be a whole number, not {value!r}."
                ) from exc
        return replace(base, **changes).validate()
