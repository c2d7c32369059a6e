"""``smolny count FILE --method … [--seats N] [--seed S] [--format text|json|html]``.

Exit status 0 with the report on standard output; 2 with one clear message on standard error for
anything that cannot be counted (unreadable file, bad options). The file type is chosen by its
extension: ``.blt`` (the default), ``.soi``/``.toi`` (PrefLib) or ``.csv`` (cast-vote records).
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

from . import METHODS, count
from .blt import read_blt
from .cvr import read_cvr_csv
from .errors import CountingError
from .preflib import read_preflib
from .profile import Profile
from .report import to_html, to_json, to_text


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="smolny count",
        description="Count ballots from a BLT, PrefLib (.soi/.toi) or CSV cast-vote-record file.",
    )
    p.add_argument("file", help="ballot file (.blt, .soi, .toi or .csv)")
    p.add_argument("--method", required=True, choices=sorted(METHODS))
    p.add_argument(
        "--seats", type=int, help="seats to fill (default: the BLT header, or 1; irv: 1)"
    )
    p.add_argument("--seed", type=int, help="seed for any lot (default: a fresh one, reported)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument(
        "--threshold", default="0", help="dhondt/sainte-lague: share of votes, e.g. 0.05"
    )
    p.add_argument("--decimals", type=int, default=9, help="meek-stv: fixed-point places")
    p.add_argument(
        "--tolerance", default="0.00001", help="meek-stv: convergence tolerance (share of quota)"
    )
    return p


def _load(path: str) -> Profile:
    suffix = Path(path).suffix.lower()
    if suffix in (".soi", ".toi"):
        return read_preflib(path)
    if suffix == ".csv":
        return read_cvr_csv(path)
    return read_blt(path)


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return 0 if exc.code == 0 else 2
    try:
        profile = _load(args.file)
        if args.seats is not None:
            seats = args.seats
        elif args.method == "irv":
            seats = 1  # single-winner, whatever the file's header says
        else:
            seats = profile.seats or 1
        options: dict[str, object] = {}
        if args.method in ("dhondt", "sainte-lague"):
            options["threshold"] = args.threshold
        if args.method == "meek-stv":
            options["decimals"] = args.decimals
            try:
                options["tolerance"] = Fraction(args.tolerance)
            except (ValueError, ZeroDivisionError):
                raise CountingError(f"--tolerance {args.tolerance!r} is not a number") from None
        result = count(profile, args.method, seats, seed=args.seed, **options)
    except CountingError as exc:
        print(f"smolny count: error: {exc.message}", file=sys.stderr)
        return 2
    render = {"text": to_text, "json": to_json, "html": to_html}[args.format]
    sys.stdout.write(render(result))
    return 0
