"""Vote counting for Smolny: pure Python and numpy, no Django, usable on plain files.

Ballots are a :class:`Profile` (identical rankings grouped with weights, in numpy arrays). Each
method is a function ``method(profile, seats, *, seed=None, **options) -> Result`` whose result
holds every stage, every tie broken and the seed of every lot, so anyone can recompute the count:

* :func:`scottish_stv` — SSI 2007/42 Sch.1 (Scottish local government elections)
* :func:`meek_stv` — Hill, Voting Matters 22 (2006)
* :func:`irv`, :func:`schulze`, :func:`approval`, :func:`plurality`
* :func:`divisor_count` (``"dhondt"``/``"sainte-lague"`` on first preferences) and
  :func:`apportion` for dividing seats among named parties, tendencies or councils.

:func:`count` dispatches by method name. Readers: :func:`read_blt`, :func:`read_preflib`,
:func:`read_cvr_csv`; writer: :func:`write_blt`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .blt import parse_blt, read_blt, write_blt
from .cvr import parse_cvr_csv, read_cvr_csv
from .divisor import Apportionment, apportion, divisor_count
from .errors import CountingError, FormatError, OptionsError, ProfileError
from .irv import irv
from .meek import meek_stv
from .preflib import parse_preflib, read_preflib
from .profile import Profile
from .result import Action, Result, Stage, TieBreak
from .schulze import schulze
from .scottish import scottish_stv
from .simple import approval, plurality

METHODS: dict[str, Callable[..., Result]] = {
    "scottish-stv": scottish_stv,
    "meek-stv": meek_stv,
    "irv": irv,
    "schulze": schulze,
    "approval": approval,
    "plurality": plurality,
    "dhondt": lambda p, s, **kw: divisor_count("dhondt", p, s, **kw),
    "sainte-lague": lambda p, s, **kw: divisor_count("sainte-lague", p, s, **kw),
}


def count(
    profile: Profile, method: str, seats: int, *, seed: int | None = None, **options: Any
) -> Result:
    """Count ``profile`` by the named method (a key of :data:`METHODS`)."""
    try:
        fn = METHODS[method]
    except KeyError:
        raise OptionsError(f"unknown method {method!r}; use one of {', '.join(METHODS)}") from None
    return fn(profile, seats, seed=seed, **options)


__all__ = [
    "METHODS",
    "Action",
    "Apportionment",
    "CountingError",
    "FormatError",
    "OptionsError",
    "Profile",
    "ProfileError",
    "Result",
    "Stage",
    "TieBreak",
    "apportion",
    "approval",
    "count",
    "divisor_count",
    "irv",
    "meek_stv",
    "parse_blt",
    "parse_cvr_csv",
    "parse_preflib",
    "plurality",
    "read_blt",
    "read_cvr_csv",
    "read_preflib",
    "schulze",
    "scottish_stv",
    "write_blt",
]
