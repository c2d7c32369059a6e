"""Errors raised by :mod:`smolny.counting`.

Bad input never yields a result: every reader and every method refuses with one of these, each with
a stable ``code`` (so the API and the CLI can render it) and, for file formats, the line at fault.
"""

from __future__ import annotations


class CountingError(Exception):
    """Base class: a count that cannot be carried out as asked."""

    code = "counting_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProfileError(CountingError):
    """The ballots are not a valid profile for this method (e.g. equal rankings given to STV)."""

    code = "invalid_profile"


class OptionsError(CountingError):
    """An option is out of range (e.g. more seats than candidates)."""

    code = "invalid_options"


class FormatError(CountingError):
    """A ballot file that cannot be read; ``line`` is 1-based (0 when the fault is the whole file)."""

    code = "invalid_file"

    def __init__(self, message: str, line: int, source: str = "") -> None:
        where = f"{source}:" if source else "line "
        super().__init__(f"{where}{line}: {message}" if line else f"{source or 'file'}: {message}")
        self.line = line
        self.source = source
        self.reason = message
