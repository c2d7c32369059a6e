"""Ballot profiles: identical rankings grouped, with weights, held in numpy arrays.

Why grouped: a count only ever needs each distinct ranking once with its multiplicity; the 351
Scottish 2017 wards hold 1,889,658 papers in 331,530 distinct lines, and every surplus transfer and
exclusion touches a group as one unit (identical papers follow identical paths, so under Scottish
STV they always carry the same value). Why numpy: a million ballots as Python lists cost ~100 bytes
per preference; as an ``int8``/``int16`` matrix they cost one or two.

Layout: ``rankings`` is an ``(groups, depth)`` integer matrix of 0-based candidate indices, most
preferred first, padded with ``ncand`` (a sentinel that is never a candidate). Equal rankings
(``1=2`` in BLT) are kept in ``tied_next``: ``tied_next[g, j]`` is true when the candidate at
position ``j`` is ranked equal to the one at ``j + 1``. Methods that have no rule for equal rankings
refuse profiles that use them (:class:`ProfileError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import numpy.typing as npt

from .errors import ProfileError

IntArray = npt.NDArray[np.int64]
RankArray = npt.NDArray[np.integer]
BoolArray = npt.NDArray[np.bool_]


def _rank_dtype(ncand: int) -> np.dtype[np.integer]:
    if ncand < 127:
        return np.dtype(np.int8)
    if ncand < 32767:
        return np.dtype(np.int16)
    return np.dtype(np.int32)


@dataclass(frozen=True, eq=False)
class Profile:
    """Grouped ballots. Build with :meth:`from_rankings` or :meth:`from_lists`, or read a file.

    ``weights[g]`` is the number of papers in group ``g`` (a positive integer). Candidate indices are
    0-based here; files, the CLI and reports number candidates from 1.
    """

    candidates: tuple[str, ...]
    rankings: RankArray
    weights: IntArray
    tied_next: BoolArray | None = None
    withdrawn: frozenset[int] = frozenset()
    title: str = ""
    seats: int | None = None
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.candidates)
        if self.rankings.ndim != 2 or self.weights.ndim != 1:
            raise ProfileError("rankings must be a 2-D matrix and weights a vector")
        if self.rankings.shape[0] != self.weights.shape[0]:
            raise ProfileError("one weight is needed per ranking")
        if self.weights.size and int(self.weights.min()) <= 0:
            raise ProfileError("every weight must be a positive whole number")
        if self.rankings.size and (int(self.rankings.min()) < 0 or int(self.rankings.max()) > n):
            raise ProfileError("a ranking names a candidate that does not exist")
        if any(not 0 <= c < n for c in self.withdrawn):
            raise ProfileError("a withdrawn candidate does not exist")

    @property
    def ncand(self) -> int:
        return len(self.candidates)

    @property
    def ngroups(self) -> int:
        return int(self.weights.shape[0])

    @property
    def total(self) -> int:
        """Number of papers (sum of weights)."""
        return int(self.weights.sum())

    @property
    def has_equal_rankings(self) -> bool:
        return self.tied_next is not None and bool(self.tied_next.any())

    def lengths(self) -> IntArray:
        """Number of preferences on each group's paper."""
        return np.asarray((self.rankings != self.ncand).sum(axis=1), dtype=np.int64)

    def require_strict(self, method: str) -> None:
        if self.has_equal_rankings:
            raise ProfileError(
                f"{method} has no rule for equal rankings ('=' in a ballot); "
                "remove them or use a method that accepts them (schulze, approval)"
            )

    def ballots(self) -> Iterable[tuple[int, tuple[tuple[int, ...], ...]]]:
        """Yield ``(weight, ranks)`` with each rank a tuple of equally ranked candidates."""
        n = self.ncand
        tn = self.tied_next
        for g in range(self.ngroups):
            row = self.rankings[g]
            ranks: list[tuple[int, ...]] = []
            current: list[int] = []
            for j, c in enumerate(row.tolist()):
                if c == n:
                    break
                current.append(c)
                if tn is None or not tn[g, j]:
                    ranks.append(tuple(current))
                    current = []
            if current:
                ranks.append(tuple(current))
            yield int(self.weights[g]), tuple(ranks)

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: npt.ArrayLike,
        weights: npt.ArrayLike | None = None,
        *,
        pad: int = -1,
        withdrawn: Iterable[int] = (),
        title: str = "",
        seats: int | None = None,
        group: bool = True,
    ) -> Profile:
        """Group a matrix of strict rankings (one row per ballot, 0-based, padded with ``pad``).

        Rows with repeats or a preference after padding are refused; identical rows are merged
        (their weights added), keeping the order of first appearance.
        """
        n = len(candidates)
        r = np.asarray(rankings)
        if r.ndim != 2:
            raise ProfileError("rankings must be a 2-D matrix, one row per ballot")
        if not np.issubdtype(r.dtype, np.integer):
            raise ProfileError("rankings must be integers (candidate indices)")
        if r.size and (int(r.max()) >= n or int(r.min()) < min(pad, 0)):
            raise ProfileError("a ranking names a candidate that does not exist")
        dt = _rank_dtype(n)
        if weights is None and group and pad == -1 and r.dtype.itemsize <= 2:
            # Fast path for raw ballots: group first, then validate each distinct ranking once
            # (identical rows are equally valid), so the checks cost O(groups), not O(ballots).
            prof = _group_unit(tuple(candidates), r, frozenset(withdrawn), title, seats)
        else:
            rr = r.astype(dt, copy=True)
            if pad != n:
                rr[r == pad] = n
            w = (
                np.ones(r.shape[0], dtype=np.int64)
                if weights is None
                else np.asarray(weights, dtype=np.int64)
            )
            prof = cls(
                candidates=tuple(candidates),
                rankings=rr,
                weights=w,
                withdrawn=frozenset(withdrawn),
                title=title,
                seats=seats,
            )
            if group:
                prof = prof.grouped()
        _check_strict_rows(prof.rankings, n)
        return prof

    @classmethod
    def from_lists(
        cls,
        candidates: Sequence[str],
        ballots: Iterable[tuple[int, Sequence[int | Sequence[int]]]],
        *,
        withdrawn: Iterable[int] = (),
        title: str = "",
        seats: int | None = None,
    ) -> Profile:
        """Build from ``(weight, ranking)`` pairs; a ranking item may be a tuple of equal candidates.

        Indices are 0-based. Identical ballots are merged.
        """
        n = len(candidates)
        rows: list[list[int]] = []
        ties: list[list[bool]] = []
        ws: list[int] = []
        any_tie = False
        for weight, ranking in ballots:
            row: list[int] = []
            tie: list[bool] = []
            for item in ranking:
                group = [item] if isinstance(item, int) else list(item)
                if not group:
                    raise ProfileError("an empty rank in a ballot")
                for k, c in enumerate(group):
                    row.append(c)
                    tie.append(k < len(group) - 1)
                any_tie = any_tie or len(group) > 1
            if len(set(row)) != len(row):
                raise ProfileError("a ranking names the same candidate twice")
            if any(not 0 <= c < n for c in row):
                raise ProfileError("a ranking names a candidate that does not exist")
            rows.append(row)
            ties.append(tie)
            ws.append(int(weight))
        return cls.from_ragged(
            candidates,
            rows,
            ws,
            ties if any_tie else None,
            withdrawn=withdrawn,
            title=title,
            seats=seats,
        )

    @classmethod
    def from_ragged(
        cls,
        candidates: Sequence[str],
        rows: Sequence[Sequence[int]],
        weights: Sequence[int],
        ties: Sequence[Sequence[bool]] | None = None,
        *,
        withdrawn: Iterable[int] = (),
        title: str = "",
        seats: int | None = None,
        group: bool = True,
        base: int = 0,
    ) -> Profile:
        """Build from already validated rows of candidates numbered from ``base`` (0 or 1)."""
        n = len(candidates)
        depth = max((len(r) for r in rows), default=0)
        mat = np.full((len(rows), max(depth, 1)), n, dtype=_rank_dtype(n))
        lens = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        total = int(lens.sum())
        row_idx = np.repeat(np.arange(len(rows), dtype=np.int64), lens)
        starts = np.cumsum(lens) - lens
        col_idx = np.arange(total, dtype=np.int64) - np.repeat(starts, lens)
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=total)
        if base:
            flat -= base
        mat[row_idx, col_idx] = flat
        tmat: BoolArray | None = None
        if ties is not None:
            tmat = np.zeros(mat.shape, dtype=np.bool_)
            tflat = np.fromiter(chain.from_iterable(ties), dtype=np.bool_, count=total)
            tmat[row_idx, col_idx] = tflat
        prof = cls(
            candidates=tuple(candidates),
            rankings=mat,
            weights=np.asarray(weights, dtype=np.int64).reshape(len(rows)),
            tied_next=tmat,
            withdrawn=frozenset(withdrawn),
            title=title,
            seats=seats,
        )
        return prof.grouped() if group else prof

    def grouped(self) -> Profile:
        """Merge identical ballots, keeping first-appearance order, adding weights."""
        g = self.ngroups
        if g == 0:
            return self
        r = self.rankings
        n1 = self.ncand + 1
        depth = r.shape[1]
        keyed = self.tied_next is None and depth * np.log2(n1) < 62
        if keyed:
            # Encode each row as one int64 in base ncand+1: sorting one integer column is several
            # times faster than np.unique(axis=0) on rows.
            key = np.zeros(g, dtype=np.int64)
            for j in range(depth):
                key *= n1
                key += r[:, j]
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        else:
            full = r if self.tied_next is None else np.hstack([r, self.tied_next.astype(r.dtype)])
            view = np.ascontiguousarray(full).view(
                np.dtype((np.void, full.dtype.itemsize * full.shape[1]))
            )
            _, first, inverse = np.unique(view.ravel(), return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        ngroups = first.shape[0]
        if ngroups == g:
            return self
        weights = np.zeros(ngroups, dtype=np.int64)
        np.add.at(weights, inverse, self.weights)
        order = np.argsort(first, kind="stable")
        rows = first[order]
        # trim padding columns nobody uses
        used = _used_depth(r[rows], self.ncand)
        return Profile(
            candidates=self.candidates,
            rankings=np.ascontiguousarray(r[rows, :used]),
            weights=weights[order],
            tied_next=None if self.tied_next is None else self.tied_next[rows, :used],
            withdrawn=self.withdrawn,
            title=self.title,
            seats=self.seats,
        )

    def first_preferences(self) -> IntArray:
        """Papers whose first preference (ignoring withdrawn candidates) is each candidate.

        Refuses a profile whose top rank is shared (equal first preferences).
        """
        pos = first_continuing(self, ~self.withdrawn_mask())
        has = pos < self.rankings.shape[1]
        if self.tied_next is not None:
            rows = np.nonzero(has)[0]
            if bool(self.tied_next[rows, pos[rows]].any()):
                raise ProfileError(
                    "a ballot ranks two candidates equal first; this method needs one"
                )
        out = np.zeros(self.ncand, dtype=np.int64)
        rows = np.nonzero(has)[0]
        np.add.at(out, self.rankings[rows, pos[rows]].astype(np.int64), self.weights[rows])
        return out

    def withdrawn_mask(self) -> BoolArray:
        m = np.zeros(self.ncand, dtype=np.bool_)
        for c in self.withdrawn:
            m[c] = True
        return m


def _used_depth(rows: RankArray, n: int) -> int:
    """Columns up to the last one holding any preference (at least 1)."""
    cols = np.flatnonzero((rows != n).any(axis=0))
    return int(cols[-1]) + 1 if cols.size else 1


def _check_strict_rows(rankings: RankArray, n: int) -> None:
    """Refuse unknown candidates, repeats and preferences after the end (block by block)."""
    if int(rankings.min(initial=0)) < 0:
        raise ProfileError("a ranking names a candidate that does not exist")
    if rankings.shape[1] < 2:
        return
    step = max(256, min(1 << 15, rankings.shape[0] // 32))
    for s in range(0, rankings.shape[0], step):
        r = rankings[s : s + step]
        padded = r == n
        if bool((padded[:, :-1] & ~padded[:, 1:]).any()):
            raise ProfileError("a ranking has a preference after its end")
        if n < 63:
            # one bit per candidate: a repeat sets fewer bits than the ranking has entries
            bits = np.zeros(r.shape[0], dtype=np.uint64)
            one = np.uint64(1)
            for j in range(r.shape[1]):
                bits |= one << r[:, j].astype(np.uint64)
            bits &= ~(one << np.uint64(n))
            dup = np.bitwise_count(bits) != (~padded).sum(axis=1)
        else:
            srt = np.sort(r, axis=1)
            dup = ((srt[:, 1:] == srt[:, :-1]) & (srt[:, 1:] != n)).any(axis=1)
        if bool(dup.any()):
            raise ProfileError("a ranking names the same candidate twice")


CHUNK = 1 << 13


def _row_keys(block: RankArray, n1: int) -> IntArray:
    key = block[:, 0].astype(np.int64)
    key += 1
    for j in range(1, block.shape[1]):
        key *= n1
        key += block[:, j]
        key += 1
    return key


def _group_unit(
    candidates: tuple[str, ...],
    r: RankArray,
    withdrawn: frozenset[int],
    title: str,
    seats: int | None,
) -> Profile:
    """Group unit-weight ballots padded with -1 by one int64 key per row.

    The key reads the row as digits ``candidate + 1`` (0 for padding) in base ncand+1. Ballots are
    taken in blocks, each block's keys sorted and merged into a running sorted set of distinct
    keys with their counts, so the working memory is proportional to the number of *distinct*
    rankings (plus one block), not to the number of ballots. Groups come out in key order
    (lexicographic by ranking), which is deterministic. Falls back to :meth:`Profile.grouped`
    when the key would not fit in 63 bits.
    """
    n = len(candidates)
    n1 = n + 1
    g, depth = r.shape
    if g == 0 or depth * np.log2(n1) >= 62:
        rr = r.astype(_rank_dtype(n), copy=True)
        rr[r == -1] = n
        return Profile(
            candidates,
            rr,
            np.ones(g, dtype=np.int64),
            withdrawn=withdrawn,
            title=title,
            seats=seats,
        ).grouped()
    run_k = np.empty(0, dtype=np.int64)
    run_w = np.empty(0, dtype=np.int32)  # counts within one run never exceed 2^31 - 1 papers
    if g >= 2**31:
        raise ProfileError("more than 2^31 - 1 ballots: group them in batches and give weights")
    start = 0
    while start < g:
        size = max(CHUNK, run_k.size // 2)
        k = _row_keys(r[start : start + size], n1)
        start += size
        k.sort()
        firsts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
        kw = np.diff(np.append(firsts, k.size)).astype(np.int32)
        ku = k[firsts]
        del k, firsts
        if run_k.size == 0:
            run_k, run_w = ku, kw
            if start < g and 2 * ku.size > size:
                # Mostly distinct rankings (e.g. complete rankings of many candidates): the groups
                # will take about as much memory as one key per ballot, so sorting every key at
                # once costs no more memory than merging, and is faster.
                k = _row_keys(r, n1)
                k.sort()
                firsts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
                run_w = np.diff(np.append(firsts, g)).astype(np.int32)
                run_k = k[firsts]
                del k, firsts
                break
            continue
        at = np.searchsorted(run_k, ku)
        found = at < run_k.size
        found[found] = run_k[at[found]] == ku[found]
        np.add.at(run_w, at[found], kw[found])
        new = ~found
        if new.any():
            where, ku, kw = at[new], ku[new], kw[new]
            del at, found, new
            run_k = np.insert(run_k, where, ku)
            run_w = np.insert(run_w, where, kw)
        del ku, kw
    rows = np.empty((run_k.shape[0], depth), dtype=_rank_dtype(n))
    step = max(256, min(CHUNK, run_k.shape[0] // 16))
    for s in range(0, run_k.shape[0], step):
        block = run_k[s : s + step].copy()
        for j in range(depth - 1, -1, -1):
            digit = block % n1
            rows[s : s + step, j] = np.where(digit == 0, n, digit - 1)
            block //= n1
    del run_k
    used = _used_depth(rows, n)
    return Profile(
        candidates,
        rows if used == depth else np.ascontiguousarray(rows[:, :used]),
        run_w.astype(np.int64),
        withdrawn=withdrawn,
        title=title,
        seats=seats,
    )


def first_continuing(
    profile: Profile,
    continuing: BoolArray,
    start: IntArray | None = None,
    rows: IntArray | None = None,
) -> IntArray:
    """Position of the first continuing candidate at or after ``start`` on each paper.

    ``rows`` selects groups (default: all); returns ``depth`` where there is none (the paper is
    exhausted). ``continuing`` has one flag per candidate; the padding sentinel never continues.
    """
    rankings = profile.rankings
    depth = rankings.shape[1]
    k = rankings.shape[0] if rows is None else rows.shape[0]
    ext = np.zeros(profile.ncand + 1, dtype=np.bool_)
    ext[: profile.ncand] = continuing
    first = np.zeros(k, dtype=np.int64) if start is None else start.astype(np.int64)
    pos = np.full(k, depth, dtype=np.int64)
    # Fast path: most papers' next preference is still continuing; look there first and scan
    # the rest of the ranking only for the papers where it is not.
    idx = np.flatnonzero(first < depth)
    at_rows = idx if rows is None else rows[idx]
    hit = ext[rankings[at_rows, first[idx]]]
    pos[idx[hit]] = first[idx[hit]]
    rest = idx[~hit]
    if rest.size == 0:
        return pos
    sub = rankings[rest if rows is None else rows[rest]]
    ok = ext[sub]
    ok &= np.arange(depth)[None, :] > first[rest][:, None]
    has = ok.any(axis=1)
    found = ok.argmax(axis=1).astype(np.int64)
    found[~has] = depth
    pos[rest] = found
    return pos
