"""Canonical bytes for everything that is hashed or signed.

The design requires every party (server, mirror, outside verifier) to hash the same bytes for
the same event, so events are serialized with RFC 8785 (JSON Canonicalization Scheme) through
the ``rfc8785`` library rather than ``json.dumps(sort_keys=True)``, whose number and escape
formatting is not specified by any standard.  Floats are refused outright: decimals and
fractions travel as strings, so no two machines can disagree on a rounding.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785


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


def encode(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of ``value`` (no floats allowed)."""
    _check(value, "$")
    return rfc8785.dumps(value)


def decode(data: bytes) -> Any:
    """Parse canonical bytes back into Python values, refusing anything not canonical."""
    value = json.loads(data.decode("utf-8"), parse_float=_refuse_float)
    if encode(value) != data:
        raise NonCanonicalValue("bytes are valid JSON but not in RFC 8785 canonical form")
    return value


def _refuse_float(text: str) -> Any:
    raise NonCanonicalValue(f"float {text} in canonical data")
