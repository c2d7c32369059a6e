"""Fixed-point helpers: integers scaled by a power of ten, reported as exact decimals."""

from __future__ import annotations

from decimal import Decimal


def to_decimal(units: int, places: int) -> Decimal:
    """``units`` × 10^-places as an exact Decimal with exactly ``places`` decimals."""
    return Decimal(int(units)).scaleb(-places)


def fmt(value: Decimal, places: int | None = None) -> str:
    """A decimal string without exponent (``1322.00000``), optionally padded to ``places``."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value, "f")
