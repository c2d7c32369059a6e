"""Cast-vote-record CSV reader: one row per ballot, one column per rank.

Layout read here (the common export of US ranked-choice tabulators, simplified): a header row;
columns whose header starts with ``rank``/``choice``/``preference`` (case-insensitive) are the
ranks, in column order; an optional ``weight`` or ``count`` column gives how many identical papers
the row stands for (default 1); any other column (ballot id, precinct) is ignored. A cell holds a
candidate name; a blank cell is a skipped rank. Candidates are numbered in the order of
``candidates`` if given, otherwise in order of first appearance. Rows whose ranks name the same
candidate twice are refused (an overvote or duplicate must be resolved by the election's rules
before counting, not guessed here), with the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from .errors import FormatError
from .profile import Profile

_RANK_PREFIXES = ("rank", "choice", "preference", "pref")


def read_cvr_csv(
    path: str | Path, candidates: Sequence[str] | None = None, seats: int | None = None
) -> Profile:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", 0, str(p)) from exc
    return parse_cvr_csv(data, candidates=candidates, source=str(p), seats=seats)


def parse_cvr_csv(
    data: bytes | str,
    *,
    candidates: Sequence[str] | None = None,
    source: str = "",
    seats: int | None = None,
) -> Profile:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(
                "the file is not UTF-8 text", data[: exc.start].count(b"\n") + 1, source
            ) from exc
    else:
        text = data.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("the file is empty", 0, source) from None
    except csv.Error as exc:
        raise FormatError(f"not CSV: {exc}", 1, source) from exc
    keys = [h.strip().lower() for h in header]
    rank_cols = [i for i, h in enumerate(keys) if h.startswith(_RANK_PREFIXES)]
    if not rank_cols:
        raise FormatError(
            "no rank columns: the header needs columns named rank1, rank2, … (or choice …)",
            1,
            source,
        )
    weight_col = next((i for i, h in enumerate(keys) if h in ("weight", "count")), None)
    names: list[str] = list(candidates) if candidates is not None else []
    index = {n: i for i, n in enumerate(names)}
    fixed = candidates is not None
    rows: list[list[int]] = []
    weights: list[int] = []
    try:
        for rec in reader:
            ln = reader.line_num
            if not any(c.strip() for c in rec):
                continue
            if len(rec) != len(header):
                raise FormatError(
                    f"{len(rec)} fields where the header has {len(header)}", ln, source
                )
            w = 1
            if weight_col is not None:
                cell = rec[weight_col].strip()
                if not cell.isdigit() or int(cell) == 0:
                    raise FormatError(f"the weight {cell!r} is not a whole number ≥ 1", ln, source)
                w = int(cell)
            row: list[int] = []
            for i in rank_cols:
                name = rec[i].strip()
                if not name:
                    continue
                if name not in index:
                    if fixed:
                        raise FormatError(f"unknown candidate {name!r}", ln, source)
                    index[name] = len(names)
                    names.append(name)
                c = index[name]
                if c in row:
                    raise FormatError(f"candidate {name!r} is ranked twice", ln, source)
                row.append(c)
            rows.append(row)
            weights.append(w)
    except csv.Error as exc:
        raise FormatError(f"not CSV: {exc}", reader.line_num, source) from exc
    if not names:
        raise FormatError("no ballot names any candidate", 0, source)
    return Profile.from_ragged(names, rows, weights, seats=seats)
