"""Benchmark: Smolny's Scottish STV end to end against VoteKit (FastSTV) and pyrankvote.

End to end means: from ballots in memory as an ``(n, 10)`` integer array of rankings (padded with
-1), through each library's own profile building (grouping identical ballots for Smolny, VoteKit's
RankProfile, pyrankvote's Ballot objects), to the elected set. 10 candidates, 3 seats; two
profiles: truncated Plackett–Luce rankings (mean length ≈ 3) and complete impartial-culture
rankings; 100k and 1M ballots. The winners of the three are compared (their STV rules differ in
detail, so an occasional disagreement is a rule difference, not necessarily an error).

Smolny's peak memory is measured with tracemalloc (numpy reports its buffers to it) and compared
with the size of the grouped ballots. A library that is too slow at 1M is timed at a smaller size
and extrapolated linearly; such lines are labelled EXTRAPOLATED.

Finally the 351 Scottish 2017 wards are counted from their files (read + count).

Run: python bench/counting.py [--sizes 100000,1000000] [--quick]
VoteKit 3.5 needs numpy < 2.4 (through numba), so it is installed in a separate virtualenv:
    python -m venv /work/bench-venv && /work/bench-venv/bin/pip install votekit==3.5.0 pyrankvote==2.0.6
    /work/bench-venv/bin/python bench/counting.py
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smolny.counting import Profile, read_blt, scottish_stv  # noqa: E402

NCAND, SEATS = 10, 3
NAMES = [f"C{i}" for i in range(NCAND)]
SCOTLAND = ROOT.parent / "shared" / "data" / "stv" / "scotland-2017"


def impartial_culture(n: int, rng: np.random.Generator) -> np.ndarray[Any, Any]:
    return np.argsort(rng.random((n, NCAND)), axis=1).astype(np.int8)


def plackett_luce_truncated(n: int, rng: np.random.Generator) -> np.ndarray[Any, Any]:
    support = np.array([0.22, 0.18, 0.14, 0.11, 0.09, 0.08, 0.06, 0.05, 0.04, 0.03])
    gumbel = -np.log(-np.log(rng.random((n, NCAND))))
    order = np.argsort(-(np.log(support)[None, :] + gumbel), axis=1).astype(np.int8)
    # length: geometric with mean 3, at most 10
    length = np.minimum(rng.geometric(1 / 3, size=n), NCAND)
    order[np.arange(NCAND)[None, :] >= length[:, None]] = -1
    return order


def run_smolny(ballots: np.ndarray[Any, Any]) -> tuple[set[str], int]:
    profile = Profile.from_rankings(NAMES, ballots, pad=-1)
    result = scottish_stv(profile, SEATS, seed=1)
    grouped = profile.rankings.nbytes + profile.weights.nbytes
    return {NAMES[c] for c in result.elected}, grouped


def run_votekit(ballots: np.ndarray[Any, Any]) -> set[str]:
    from votekit import RankBallot, RankProfile
    from votekit.elections import FastSTV

    vk_ballots = [
        RankBallot(ranking=tuple(frozenset({NAMES[c]}) for c in row if c >= 0))
        for row in ballots.tolist()
    ]
    profile = RankProfile(ballots=vk_ballots, candidates=NAMES)
    if hasattr(profile, "group_ballots"):
        profile = profile.group_ballots()
    election = FastSTV(profile, n_seats=SEATS, rng_seed=1)
    return {c for s in election.get_elected() for c in s}


def run_pyrankvote(ballots: np.ndarray[Any, Any]) -> set[str]:
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    cands = [Candidate(n) for n in NAMES]
    prv = [Ballot(ranked_candidates=[cands[c] for c in row if c >= 0]) for row in ballots.tolist()]
    res = pyrankvote.single_transferable_vote(cands, prv, number_of_seats=SEATS)
    return {c.name for c in res.get_winners()}


CPU: dict[str, float] = {}


def timed(fn: Callable[[], Any], label: str = "") -> tuple[float, Any]:
    """Wall-clock seconds (returned) and CPU seconds of this process (kept in CPU[label]).

    CPU time is reported too because a shared machine's load inflates wall-clock times.
    """
    gc.collect()
    c = time.process_time()
    t = time.perf_counter()
    out = fn()
    wall = time.perf_counter() - t
    CPU[label] = time.process_time() - c
    return wall, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument(
        "--others-max",
        type=int,
        default=1000000,
        help="largest size at which VoteKit/pyrankvote run; above it, extrapolate",
    )
    ap.add_argument("--pyrankvote-max", type=int, default=1000000)
    ap.add_argument("--smolny-only", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        import votekit  # noqa: F401

        have_vk = True
    except ImportError:
        have_vk = False
    try:
        import pyrankvote  # noqa: F401

        have_prv = True
    except ImportError:
        have_prv = False
    print(
        f"# numpy {np.__version__}; votekit {'yes' if have_vk else 'NOT INSTALLED'}; "
        f"pyrankvote {'yes' if have_prv else 'NOT INSTALLED'}"
    )
    print(f"# {NCAND} candidates, {SEATS} seats; times in seconds, end to end")
    rng = np.random.default_rng(20260501)
    # warm up: imports and first-call costs are not part of any count
    warm = impartial_culture(2000, np.random.default_rng(0))
    run_smolny(warm)
    if have_vk and not args.smolny_only:
        run_votekit(warm)
    if have_prv and not args.smolny_only:
        run_pyrankvote(warm)
    for prof_name, gen in (
        ("plackett-luce-trunc", plackett_luce_truncated),
        ("impartial-culture", impartial_culture),
    ):
        for n in sizes:
            ballots = gen(n, rng)
            mean_len = float((ballots >= 0).sum(axis=1).mean())
            t_s, (win_s, grouped) = timed(lambda b=ballots: run_smolny(b), "smolny")
            cpu_s = CPU["smolny"]
            tracemalloc.start()
            run_smolny(ballots)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            line = (
                f"{prof_name:20s} n={n:>8d} mean_len={mean_len:4.2f} smolny={t_s:7.3f}s "
                f"(cpu {cpu_s:6.3f}s) groups_bytes={grouped:>10d} peak_bytes={peak:>10d} "
                f"peak/grouped={peak / grouped:6.2f} input_bytes={ballots.nbytes}"
            )
            others: list[tuple[str, float, float, set[str] | None, bool]] = []
            for name, have, fn, cap in (
                ("votekit", have_vk, run_votekit, args.others_max),
                ("pyrankvote", have_prv, run_pyrankvote, min(args.others_max, args.pyrankvote_max)),
            ):
                if not have or args.smolny_only:
                    continue
                if n <= cap:
                    t, w = timed(lambda b=ballots, f=fn: f(b), name)
                    others.append((name, t, CPU[name], w, False))
                else:
                    t, w = timed(lambda b=ballots[:cap], f=fn: f(b), name)
                    others.append((name, t * n / cap, CPU[name] * n / cap, None, True))
            for name, t, cpu, w, extra in others:
                agree = "n/a" if w is None else ("same" if w == win_s else f"DIFFER {sorted(w)}")
                label = (
                    f" EXTRAPOLATED from {args.pyrankvote_max if name == 'pyrankvote' else args.others_max}"
                    if extra
                    else ""
                )
                line += f" | {name}={t:8.3f}s (cpu {cpu:8.3f}s){label} winners={agree}"
            if others:
                fastest = min(t for _, t, _, _, _ in others)
                fastest_cpu = min(c for _, _, c, _, _ in others)
                line += (
                    f" | speedup_vs_fastest={fastest / t_s:6.1f}x (cpu {fastest_cpu / cpu_s:6.1f}x)"
                )
            line += f" | smolny_winners={sorted(win_s)}"
            print(line, flush=True)
    if SCOTLAND.is_dir():
        files = sorted(SCOTLAND.glob("*.blt"))
        import json

        seats = {
            w["file"]: w["seats"] for w in json.loads((SCOTLAND / "expected.json").read_text())
        }
        t0 = time.perf_counter()
        c0 = time.process_time()
        read_t = 0.0
        for f in files:
            t1 = time.perf_counter()
            p = read_blt(f)
            read_t += time.perf_counter() - t1
            scottish_stv(p, seats[f.name], seed=1)
        total = time.perf_counter() - t0
        cpu_total = time.process_time() - c0
        print(
            f"scotland-2017 wards={len(files)} total={total:.3f}s (cpu {cpu_total:.3f}s; "
            f"reading {read_t:.3f}s, counting {total - read_t:.3f}s)"
        )


if __name__ == "__main__":
    main()
