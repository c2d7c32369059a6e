"""Counting methods for elections held in the app, as a registry.

The registry is the extension point the counting work plugs STV into; each method validates a
ballot (so a bad ballot is refused when cast, not discovered at the count) and counts.  Ties are
broken by lot from a seed derived from the election and its ballots, recorded with the result,
so anyone can recompute the same outcome from the record.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smolny import canonical

from .errors import DomainError


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    validate: Callable[[Sequence[str], Sequence[str], int], None]
    count: Callable[[Sequence[str], Mapping[str, Sequence[str]], int, str], dict[str, Any]]
    multi_seat: bool


def tie_seed(election_id: str, ballots: Mapping[str, Sequence[str]]) -> str:
    """A seed nobody chooses: the hash of the election id and every ballot cast."""
    data = canonical.encode(
        {"election": election_id, "ballots": {k: list(v) for k, v in sorted(ballots.items())}}
    )
    return hashlib.sha256(data).hexdigest()


def _ranked_by_votes(
    candidates: Sequence[str], tallies: Mapping[str, int], seats: int, seed: str
) -> tuple[list[str], bool]:
    """Most votes first; a tie that decides a seat is broken by lot from ``seed``."""
    order = list(candidates)
    lot = random.Random(seed)
    draws = {c: lot.random() for c in sorted(order)}
    order.sort(key=lambda c: (-tallies[c], draws[c]))
    elected = [c for c in order[:seats] if tallies[c] > 0 or seats >= len(order)]
    by_lot = len(order) > seats and seats > 0 and tallies[order[seats - 1]] == tallies[order[seats]]
    return elected, by_lot


def _validate_plurality(choices: Sequence[str], candidates: Sequence[str], seats: int) -> None:
    if len(choices) != 1:
        raise DomainError("invalid_ballot", "Mark exactly one candidate.")
    _validate_known(choices, candidates)


def _validate_approval(choices: Sequence[str], candidates: Sequence[str], seats: int) -> None:
    if len(set(choices)) != len(choices):
        raise DomainError("invalid_ballot", "Each candidate can be approved only once.")
    _validate_known(choices, candidates)


def _validate_known(choices: Sequence[str], candidates: Sequence[str]) -> None:
    unknown = [c for c in choices if c not in candidates]
    if unknown:
        raise DomainError(
            "invalid_ballot", f"Not a candidate in this election: {', '.join(unknown)}."
        )


def _count_marks(
    candidates: Sequence[str], ballots: Mapping[str, Sequence[str]], seats: int, seed: str
) -> dict[str, Any]:
    tallies = {c: 0 for c in candidates}
    for choices in ballots.values():
        for choice in choices:
            if choice in tallies:
                tallies[choice] += 1
    elected, by_lot = _ranked_by_votes(candidates, tallies, seats, seed)
    return {
        "tallies": tallies,
        "elected": elected,
        "tie_broken_by_lot": by_lot,
        "seed": seed,
        "ballots_counted": len(ballots),
    }


METHODS: dict[str, Method] = {
    "plurality": Method(
        "plurality", "Plurality (one mark)", _validate_plurality, _count_marks, multi_seat=False
    ),
    "approval": Method(
        "approval",
        "Approval (mark every candidate you accept)",
        _validate_approval,
        _count_marks,
        multi_seat=True,
    ),
}

BALLOT_MODES = ("open", "secret")
"""How ballots are cast: a public roll call, or a secret, end-to-end verifiable ballot
(secret.py; approval and plurality only, see ``secret.RANKED_REFUSAL``)."""


def register(method: Method) -> None:
    METHODS[method.name] = method


def default_method(seats: int, stv_method: str = "scottish-stv") -> str:
    """One seat: plurality.  Several: STV, so that minorities win their share of seats."""
    return "plurality" if seats == 1 else stv_method


def method_for(name: str, seats: int) -> Method:
    method = METHODS.get(name)
    if method is None:
        raise DomainError(
            "unknown_method",
            f"Unknown counting method {name!r}; choose one of {', '.join(METHODS)}.",
        )
    if seats > 1 and not method.multi_seat:
        raise DomainError(
            "method_single_seat",
            f"{method.label} elects one person; this election fills {seats} seats.",
        )
    return method
