"""The Schulze method, as in M. Schulze, "A new monotonic, clone-independent, reversal symmetric,
and Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011).

* d[a][b] = number of voters who strictly prefer a to b. Candidates a ballot leaves unranked are
  ranked below all it ranks, equal among themselves; equal rankings (``=``) express no preference.
* Link strength is measured by winning votes (the paper's default): the link a→b has strength
  d[a][b] if d[a][b] > d[b][a], else none. p[a][b] is the strength of the strongest path (widest
  path, Floyd–Warshall).
* a beats b in the Schulze relation when p[a][b] > p[b][a]; a is a potential winner when no one
  beats it. The relation is transitive (paper §4.1), so it orders the candidates up to ties.
* Ties are broken as in §5 of the paper, by a Tie-Breaking Ranking of the Candidates (TBRC) built
  from randomly drawn ballots: draw a ballot; it orders the candidates it ranks strictly; candidates
  it leaves tied are ordered by the next ballot drawn, and so on; those still tied when every ballot
  has been drawn are ordered at random. The draws are the seeded lot (see :mod:`.ties`), recorded.

For ``seats`` > 1 the first ``seats`` of the resulting order are elected (a ranking, not a PR
method). Why our own: a library would hide the tie-breaking and could not record its seed.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import numpy as np

from .errors import OptionsError
from .profile import IntArray, Profile
from .result import Action, Result, Stage, TieBreak
from .ties import new_seed


def _levels(profile: Profile) -> IntArray:
    """(groups, ncand) rank level of each candidate on each ballot; unranked = ncand."""
    n = profile.ncand
    g, depth = profile.rankings.shape
    lvl = np.full((g, n + 1), n, dtype=np.int64)
    level: IntArray = np.zeros(g, dtype=np.int64)
    rows = np.arange(g)
    for j in range(depth):
        c = profile.rankings[:, j].astype(np.intp)
        lvl[rows, c] = np.where(c == n, n, level)
        if profile.tied_next is not None:
            level = level + (~profile.tied_next[:, j]).astype(np.int64)
        else:
            level = level + 1
    out: IntArray = lvl[:, :n]
    for wc in profile.withdrawn:
        out[:, wc] = n + 1
    return out


def pairwise(profile: Profile) -> IntArray:
    """d[a][b]: voters preferring a to b (exact integers)."""
    lvl = _levels(profile)
    n = profile.ncand
    d = np.zeros((n, n), dtype=np.int64)
    w = profile.weights
    for a in range(n):
        d[a] = ((lvl[:, a : a + 1] < lvl) * w[:, None]).sum(axis=0)
    return d


def strongest_paths(d: IntArray) -> IntArray:
    n = d.shape[0]
    p = np.where(d > d.T, d, 0)
    np.fill_diagonal(p, 0)
    for k in range(n):
        via = np.minimum(p[:, k : k + 1], p[k : k + 1, :])
        p = np.maximum(p, via)
        np.fill_diagonal(p, 0)
    return p


def _draw(seed: int, purpose: str, k: int, size: int) -> int:
    digest = hashlib.sha256(f"smolny-lot:{seed}:0:{purpose}:{k}".encode()).digest()
    return int.from_bytes(digest, "big") % size


def tie_breaking_ranking(profile: Profile, seed: int) -> list[int]:
    """The TBRC of Schulze (2011) §5, drawn with the seeded lot. Most preferred first."""
    n = profile.ncand
    lvl = _levels(profile)
    # papers, not groups, are drawn: a group of weight w is w papers
    cum = np.cumsum(profile.weights)
    total = int(cum[-1]) if cum.size else 0
    groups: list[list[int]] = [list(range(n))]
    drawn: set[int] = set()
    k = 0
    while any(len(g) > 1 for g in groups) and len(drawn) < total:
        paper = _draw(seed, "tbrc-ballot", k, total)
        k += 1
        if paper in drawn:
            continue
        drawn.add(paper)
        row = lvl[int(np.searchsorted(cum, paper, side="right"))]
        refined: list[list[int]] = []
        for g in groups:
            by: dict[int, list[int]] = {}
            for c in g:
                by.setdefault(int(row[c]), []).append(c)
            refined.extend(by[key] for key in sorted(by))
        groups = refined
    out: list[int] = []
    for i, g in enumerate(groups):
        rest = list(g)
        while rest:
            pick = rest[_draw(seed, f"tbrc-random-{i}", len(rest), len(rest))]
            out.append(pick)
            rest.remove(pick)
    return out


def schulze(profile: Profile, seats: int = 1, *, seed: int | None = None) -> Result:
    """Rank by the Schulze method and elect the first ``seats``."""
    n = profile.ncand
    standing = [c for c in range(n) if c not in profile.withdrawn]
    if not 1 <= seats <= len(standing):
        raise OptionsError(f"seats must be between 1 and {len(standing)}")
    seed = new_seed() if seed is None else seed
    d = pairwise(profile)
    p = strongest_paths(d)
    tbrc: list[int] | None = None
    breaks: list[TieBreak] = []
    order: list[int] = []
    remaining = list(standing)
    while remaining:
        potential = [a for a in remaining if all(p[a, b] >= p[b, a] for b in remaining if b != a)]
        if len(potential) == 1:
            chosen = potential[0]
        else:
            if tbrc is None:
                tbrc = tie_breaking_ranking(profile, seed)
            chosen = min(potential, key=tbrc.index)
            breaks.append(
                TieBreak(1, f"rank-{len(order) + 1}", tuple(sorted(potential)), chosen, "lot")
            )
        order.append(chosen)
        remaining.remove(chosen)
    wins = [sum(1 for b in standing if b != a and p[a, b] > p[b, a]) for a in range(n)]
    stage = Stage(
        number=1,
        action=Action("tally", note="Schulze ranking"),
        totals=tuple(Decimal(x) for x in wins),
        elected=tuple(order[:seats]),
        extra={
            "pairwise": ";".join(",".join(str(int(x)) for x in row) for row in d),
            "strongest_paths": ";".join(",".join(str(int(x)) for x in row) for row in p),
            "ranking": ",".join(str(c + 1) for c in order),
        },
    )
    return Result(
        method="schulze",
        seats=seats,
        candidates=profile.candidates,
        elected=tuple(order[:seats]),
        stages=(stage,),
        valid_poll=Decimal(profile.total),
        seed=seed,
        tie_breaks=tuple(breaks),
        options={
            "strength": "winning votes",
            "totals": "candidates beaten in the Schulze relation",
        },
        title=profile.title,
        withdrawn=tuple(sorted(profile.withdrawn)),
    )
