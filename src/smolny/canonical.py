"""Canonical bytes for everything that is hashed or signed.

The design requires every party (server, mirror, outside verifier) to hash the same bytes for
the same event, so events are serialized with RFC 8785 (JSON Canonicalization Scheme), whose
output the ``rfc8785`` library defines here.  Floats are refused outright: decimals and
fractions travel as strings, so no two machines can disagree on a rounding.

The ``rfc8785`` library is pure Python, and it was most of the cost of verifying a record
(two encodings per entry: 85 % of a replay's CPU, bench/verify.py) and a fifth of an
append's.  For the values the record holds — strings, integers within 2**53, booleans, null,
lists and objects, no floats — the standard library's C encoder with sorted keys, no spaces
and no ASCII escaping writes the same bytes RFC 8785 does (the same short escapes and
six-character ``\\u`` escapes for other control characters, integers in decimal), except in one case: RFC 8785
orders keys by UTF-16 code units, Python by code points, and the two differ only between
characters from U+E000 up and characters beyond U+FFFF.  So text holding any character from
U+E000 up, or a lone surrogate, is encoded by ``rfc8785`` itself; everything else by the fast
path.  ``tests/constitution/test_canonical.py`` checks the two agree on generated values.
"""

from __future__ import annotations

import json
import re
from typing import Any

import rfc8785

_FAST = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_RFC8785_ONLY = re.compile("[\ud800-\udfff\ue000-\U0010ffff]")
"""Characters for which the fast path could differ: lone surrogates (RFC 8785 refuses them)
and those from U+E000 up (the key order may differ), wherever they occur."""


class NonCanonicalValue(ValueError):
    """A value that has no canonical encoding here (a float, a non-string key, bytes...)."""


def _check(value: Any, path: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if abs(value) > 2**53 - 1:
            raise NonCanonicalValue(f"{path}: integer {value} is outside the I-JSON safe range")
        return
    if isinstance(value, float):
        raise NonCanonicalValue(f"{path}: floats are not allowed; encode decimals as strings")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NonCanonicalValue(f"{path}: key {key!r} is not a string")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    raise NonCanonicalValue(f"{path}: {type(value).__name__} has no canonical JSON form")


def _acceptable(value: Any) -> bool:
    """Whether :func:`_check` would accept ``value``, walked without recursion or paths (a
    secret ballot's tie seed encodes every ballot: millions of values in a large record's
    verification).  Anything unusual (a subclass, a float) says no, and ``_check`` then
    finds and names it."""
    stack = [value]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -(2**53) < item < 2**53:
                continue
            return False
        if kind is dict:
            for key, inner in item.items():
                if type(key) is not str:
                    return False
                push(inner)
            continue
        if kind is list or kind is tuple:
            extend(item)
            continue
        return False
    return True


def encode(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of ``value`` (no floats allowed)."""
    if not _acceptable(value):
        _check(value, "$")
    return _dumps(value)


def _dumps(value: Any) -> bytes:
    text = _FAST.encode(value)
    if _RFC8785_ONLY.search(text):
        return bytes(rfc8785.dumps(value))
    return text.encode("utf-8")


def decode(data: bytes) -> Any:
    """Parse canonical bytes back into Python values, refusing anything not canonical."""
    # Parsed JSON holds no value _check would refuse but floats and unsafe integers, which
    # the parser itself refuses here: so no walk over the value before encoding it again.
    value = json.loads(data.decode("utf-8"), parse_float=_refuse_float, parse_int=_safe_int)
    if _dumps(value) != data:
        raise NonCanonicalValue("bytes are valid JSON but not in RFC 8785 canonical form")
    return value


def _refuse_float(text: str) -> Any:
    raise NonCanonicalValue(f"float {text} in canonical data")


def _safe_int(text: str) -> int:
    value = int(text)
    if abs(value) > 2**53 - 1:
        raise NonCanonicalValue(f"integer {text} is outside the I-JSON safe range")
    return value
