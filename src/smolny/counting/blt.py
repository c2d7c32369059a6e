"""BLT ballot files: reader and writer.

The BLT format is the one of Hill, Wichmann and Woodall's Algorithm 123 and of ERS/OpenSTV/Droop:

```
NCAND NSEATS
[-W1 -W2 ...]                 optional: withdrawn candidates, as negative numbers
WEIGHT C1 C2=C3 ... 0         one line per ballot (group of identical papers); '=' ranks equal
0                             end of ballots
"Name of candidate 1"         NCAND names, in candidate-number order
"Title"
```

Why tolerant: real files from returning officers and converters leave names and the title unquoted,
add ``#`` comments, a byte-order mark, ``[option]`` lines, ballot ids in parentheses or no final
newline (three such originals are in ``shared/data/stv/scotland-2017/raw``). Why strict where it
matters: a count from a misread file is worse than no count, so anything that could change a vote
(an unknown or repeated candidate, a missing terminator, a weight of zero in the middle, a wrong
number of names) is refused with a :class:`FormatError` naming the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import FormatError
from .profile import Profile

_BALLOT_LIKE = re.compile(r"^\s*(\(\S*\)\s*)?\d+(\s+[-\d=]+)*\s+0\s*$")


def _strip_comment(line: str) -> str:
    i = line.find("#")
    return line if i < 0 else line[:i]


def _name(line: str) -> str:
    s = line.strip()
    if s.startswith('"'):
        end = s.rfind('"')
        if end <= 0:
            raise ValueError("a quoted name has no closing quote")
        rest = s[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            raise ValueError(f"unexpected text after the quoted name: {rest!r}")
        return s[1:end]
    return s


def read_blt(path: str | Path) -> Profile:
    """Read a BLT file; the profile carries the file's seats and title."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", 0, str(p)) from exc
    return parse_blt(data, source=str(p))


def parse_blt(data: bytes | str, source: str = "") -> Profile:
    """Parse BLT text (bytes are decoded as UTF-8, a byte-order mark is dropped)."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise FormatError("the file is not UTF-8 text", line, source) from exc
    else:
        text = data.removeprefix("\ufeff")
    lines = text.splitlines()

    def err(msg: str, ln: int) -> FormatError:
        return FormatError(msg, ln, source)

    i = 0
    nlines = len(lines)

    def next_content() -> tuple[int, str] | None:
        nonlocal i
        while i < nlines:
            raw = lines[i]
            i += 1
            s = _strip_comment(raw).strip()
            if s:
                return i, s
        return None

    head = next_content()
    if head is None:
        raise err("the file is empty", 0)
    hl, hs = head
    parts = hs.split()
    if len(parts) != 2 or not all(t.isdigit() for t in parts):
        raise err(f"the first line must be 'CANDIDATES SEATS' (two whole numbers), not {hs!r}", hl)
    ncand, seats = int(parts[0]), int(parts[1])
    if ncand < 1:
        raise err("the number of candidates must be at least 1", hl)
    if not 1 <= seats <= ncand:
        raise err(f"{seats} seats for {ncand} candidates: seats must be between 1 and {ncand}", hl)

    withdrawn: set[int] = set()
    rows: list[list[int]] = []  # 1-based candidate numbers, as in the file
    ties: list[list[bool]] | None = None
    weights: list[int] = []
    end_line = 0
    first_ballot = True

    def slow_ballot(toks: list[str], ln: int) -> tuple[int, list[int], list[bool]]:
        """Full parse of one ballot line, with a precise error for anything wrong."""
        w = toks[0]
        if not w.isdigit():
            raise err(f"the weight {w!r} is not a whole number", ln)
        weight = int(w)
        if weight == 0:
            raise err(
                "a weight of zero: a ballot line must have a weight of at least 1 "
                "(a lone '0' ends the ballots)",
                ln,
            )
        if toks[-1] != "0":
            raise err("the ballot does not end with 0", ln)
        row: list[int] = []
        tie: list[bool] = []
        for t in toks[1:-1]:
            group = t.split("=") if "=" in t else [t]
            for k, g in enumerate(group):
                if not g.isdigit():
                    raise err(f"{t!r} is not a candidate number", ln)
                c = int(g)
                if not 1 <= c <= ncand:
                    raise err(f"candidate {c} does not exist (the file has {ncand})", ln)
                row.append(c)
                tie.append(k < len(group) - 1)
        if len(set(row)) != len(row):
            dup = next(c for c in row if row.count(c) > 1)
            raise err(f"candidate {dup} is ranked twice on one ballot", ln)
        return weight, row, tie

    while True:
        # The hot loop: 331,530 ballot lines in the Scottish data. Plain lines take the fast
        # path (C-level int conversion, range and repeat checks); anything unusual, or wrong,
        # goes through slow_ballot, which names the fault.
        if i >= nlines:
            raise err("the file ends before the end-of-ballots line '0' (is it truncated?)", nlines)
        raw = lines[i]
        i += 1
        ln = i
        if "#" in raw:
            raw = raw[: raw.index("#")]
        toks = raw.split()
        if not toks:
            continue
        if first_ballot:
            first_ballot = False
            if toks[0].startswith("-"):
                for t in toks:
                    if not (t.startswith("-") and t[1:].isdigit()):
                        raise err(f"the withdrawn-candidates line has {t!r}; expected -N", ln)
                    c = int(t[1:])
                    if not 1 <= c <= ncand:
                        raise err(f"withdrawn candidate {c} does not exist (1..{ncand})", ln)
                    withdrawn.add(c - 1)
                continue
        if toks[0].startswith("["):
            continue  # OpenSTV/Droop option lines such as [tie ...]; they change no vote
        if toks[0].startswith("("):
            toks = toks[1:]  # ballot id
            if not toks:
                raise err("a ballot id with no ballot", ln)
        if len(toks) == 1 and toks[0] == "0":
            end_line = ln
            break
        tie: list[bool] | None = None
        try:
            nums = list(map(int, toks))
        except ValueError:
            nums = []
        prefs = nums[1:-1]
        if (
            nums
            and nums[-1] == 0
            and nums[0] > 0
            and (not prefs or (min(prefs) >= 1 and max(prefs) <= ncand))
            and len(set(prefs)) == len(prefs)
            and toks[0].isdigit()
        ):
            weight, row = nums[0], prefs
        else:
            weight, row, tie = slow_ballot(toks, ln)
            if any(tie) and ties is None:
                ties = [[False] * len(r) for r in rows]
        if ties is not None:
            ties.append(tie if tie is not None else [False] * len(row))
        rows.append(row)
        weights.append(weight)

    names: list[str] = []
    title = ""
    while len(names) < ncand:
        item = next_content()
        if item is None:
            raise err(
                f"expected {ncand} candidate names after the end of ballots (line {end_line}), "
                f"found {len(names)}: the file is truncated or the header is wrong",
                nlines,
            )
        ln, s = item
        if _BALLOT_LIKE.match(s) and not s.startswith('"'):
            raise err(
                f"a ballot after the end-of-ballots line {end_line}: "
                f"a weight of zero or a stray '0' line ended the ballots early",
                ln,
            )
        try:
            names.append(_name(lines[ln - 1] if lines[ln - 1].strip().startswith('"') else s))
        except ValueError as exc:
            raise err(str(exc), ln) from exc
    item = next_content()
    if item is not None:
        ln, s = item
        try:
            title = _name(lines[ln - 1] if lines[ln - 1].strip().startswith('"') else s)
        except ValueError as exc:
            raise err(str(exc), ln) from exc
        extra = next_content()
        if extra is not None:
            raise err(
                f"unexpected line after the title: the header says {ncand} candidates; "
                "are there more names than that?",
                extra[0],
            )
    if len(set(names)) != len(names):
        raise err("two candidates have the same name", end_line)
    return Profile.from_ragged(
        names,
        rows,
        weights,
        ties,
        base=1,
        withdrawn=withdrawn,
        title=title,
        seats=seats,
    )


def _quote(text: str) -> str:
    if '"' in text or "\n" in text:
        raise ValueError("a BLT name or title cannot contain a double quote or a newline")
    return f'"{text}"'


def write_blt(profile: Profile, seats: int | None = None) -> str:
    """The profile as standard BLT text (quoted names and title, LF line ends, final LF)."""
    s = profile.seats if seats is None else seats
    if s is None:
        raise ValueError("the number of seats is needed to write a BLT file")
    out = [f"{profile.ncand} {s}"]
    if profile.withdrawn:
        out.append(" ".join(f"-{c + 1}" for c in sorted(profile.withdrawn)))
    for weight, ranks in profile.ballots():
        prefs = " ".join("=".join(str(c + 1) for c in r) for r in ranks)
        out.append(f"{weight} {prefs} 0" if prefs else f"{weight} 0")
    out.append("0")
    out.extend(_quote(n) for n in profile.candidates)
    out.append(_quote(profile.title))
    return "\n".join(out) + "\n"
