"""PrefLib ``.soi`` (strict orders, incomplete) and ``.toi`` (orders with ties, incomplete) reader.

Format (PrefLib data format, 2022): ``# KEY: value`` metadata lines, among them
``# NUMBER ALTERNATIVES: m``, ``# NUMBER VOTERS: v``, ``# NUMBER UNIQUE ORDERS: u`` and
``# ALTERNATIVE NAME i: name``; then one line per distinct order, ``count: 1,{2,3},4``, where
braces group alternatives ranked equal (``.toi`` only). Why here: PrefLib is the largest public
collection of real preference data, and reading it lets every method be tried on real elections.
The declared counts are checked, so a truncated or edited file is refused with the line at fault.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import FormatError
from .profile import Profile

_META = re.compile(r"^#\s*([A-Z][A-Z0-9 ]*[A-Z0-9])\s*:\s*(.*)$")
_NAME = re.compile(r"^ALTERNATIVE NAME (\d+)$")


def read_preflib(path: str | Path, seats: int | None = None) -> Profile:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", 0, str(p)) from exc
    kind = p.suffix.lower().lstrip(".")
    return parse_preflib(data, kind=kind, source=str(p), seats=seats)


def parse_preflib(
    data: bytes | str, *, kind: str = "toi", source: str = "", seats: int | None = None
) -> Profile:
    """Parse PrefLib text; ``kind`` is ``soi`` (no ties allowed) or ``toi``."""
    if kind not in ("soi", "toi"):
        raise FormatError(f"PrefLib type {kind!r} is not read here (only soi and toi)", 0, source)
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(
                "the file is not UTF-8 text", data[: exc.start].count(b"\n") + 1, source
            ) from exc
    else:
        text = data.removeprefix("\ufeff")

    def err(msg: str, ln: int) -> FormatError:
        return FormatError(msg, ln, source)

    meta: dict[str, tuple[str, int]] = {}
    names: dict[int, str] = {}
    orders: list[tuple[int, str]] = []
    for ln, raw in enumerate(text.splitlines(), start=1):
        s = raw.strip()
        if not s:
            continue
        if s.startswith("#"):
            found = _META.match(s)
            if found:
                key, val = found.group(1), found.group(2).strip()
                nm = _NAME.match(key)
                if nm:
                    names[int(nm.group(1))] = val
                else:
                    meta[key] = (val, ln)
            continue
        orders.append((ln, s))

    def meta_int(key: str) -> tuple[int, int]:
        if key not in meta:
            raise err(f"the metadata line '# {key}: …' is missing", 1)
        val, ln = meta[key]
        if not val.isdigit():
            raise err(f"'# {key}' must be a whole number, not {val!r}", ln)
        return int(val), ln

    declared = meta.get("DATA TYPE")
    if declared and declared[0].lower() != kind:
        raise err(f"the file declares data type {declared[0]!r}, expected {kind!r}", declared[1])
    m, mline = meta_int("NUMBER ALTERNATIVES")
    voters, vline = meta_int("NUMBER VOTERS")
    unique, uline = meta_int("NUMBER UNIQUE ORDERS")
    if m < 1:
        raise err("there must be at least one alternative", mline)
    cands = []
    for i in range(1, m + 1):
        if i not in names:
            raise err(f"alternative {i} has no '# ALTERNATIVE NAME {i}:' line", mline)
        cands.append(names[i])
    rows: list[list[int]] = []
    ties: list[list[bool]] = []
    weights: list[int] = []
    any_tie = False
    for ln, s in orders:
        head, sep, body = s.partition(":")
        if not sep or not head.strip().isdigit():
            raise err("an order line must read 'COUNT: a,b,{c,d},…'", ln)
        w = int(head.strip())
        if w == 0:
            raise err("an order with a count of zero", ln)
        row: list[int] = []
        tie: list[bool] = []
        body = body.replace(" ", "")
        i = 0
        while i < len(body):
            if body[i] == "{":
                j = body.find("}", i)
                if j < 0:
                    raise err("an opening '{' without its '}'", ln)
                group = body[i + 1 : j].split(",")
                i = j + 1
                if kind == "soi":
                    raise err("equal rankings ('{…}') are not allowed in a .soi file", ln)
            else:
                j = body.find(",", i)
                j = len(body) if j < 0 else j
                group = [body[i:j]]
                i = j
            if i < len(body):
                if body[i] != ",":
                    raise err(f"unexpected {body[i]!r} in the order", ln)
                i += 1
            for k, g in enumerate(group):
                if not g.isdigit():
                    raise err(f"{g!r} is not an alternative number", ln)
                a = int(g)
                if not 1 <= a <= m:
                    raise err(f"alternative {a} does not exist (the file has {m})", ln)
                row.append(a - 1)
                tie.append(k < len(group) - 1)
            any_tie = any_tie or len(group) > 1
        if len(set(row)) != len(row):
            raise err("an alternative is ranked twice in one order", ln)
        rows.append(row)
        ties.append(tie)
        weights.append(w)
    if sum(weights) != voters:
        raise err(
            f"the orders add up to {sum(weights)} voters but the file declares {voters} "
            "(truncated or edited?)",
            vline,
        )
    if len(rows) != unique:
        raise err(f"the file has {len(rows)} orders but declares {unique} unique orders", uline)
    title = meta.get("TITLE", ("", 0))[0]
    return Profile.from_ragged(
        cands, rows, weights, ties if any_tie else None, title=title, seats=seats
    )
