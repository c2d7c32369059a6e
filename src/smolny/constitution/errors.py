"""Domain errors: every refused command says why, in words a member can act on.

Each error has a stable ``code`` (for the API's RFC 9457 problem documents and for tests) and a
``message`` written for the member who tried, not for a programmer.  A refused command never
changes anything: ``decide`` raises before a single event exists.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command the constitution refuses."""

    status = 422

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r})"


class NotAllowed(DomainError):
    """The actor is not one of those the rules let do this."""

    status = 403


class NotFound(DomainError):
    """The command names something that does not exist."""

    status = 404


class Conflict(DomainError):
    """The thing exists but is not in a state where this can happen now."""

    status = 409


def refuse(code: str, message: str) -> DomainError:
    return DomainError(code, message)
