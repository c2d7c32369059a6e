"""The constitution: every rule of the federation, as pure functions.

``decide(state, command, now) -> events`` checks a command against the rules and the state
(including who may do it) and returns the events it causes, or raises a ``DomainError``;
``apply(state, event)`` folds an event into the state.  No Django, no I/O, no clock: time and
identity come in with the command, which is what lets anyone replay the record and recompute
every decision (DESIGN: "The constitution is pure").
"""

from . import commands, ranked  # noqa: F401  (ranked registers the STV methods)
from .apply import apply, replay
from .commands import COMMANDS, Command
from .decide import decide
from .errors import Conflict, DomainError, NotAllowed, NotFound
from .events import Event, fmt_time, parse_time
from .params import Params
from .snapshot import snapshot
from .state import OFFICES, State

OFFICES_LIST = list(OFFICES)

__all__ = [
    "COMMANDS",
    "OFFICES",
    "OFFICES_LIST",
    "Command",
    "Conflict",
    "DomainError",
    "Event",
    "NotAllowed",
    "NotFound",
    "Params",
    "State",
    "apply",
    "commands",
    "decide",
    "fmt_time",
    "parse_time",
    "replay",
    "snapshot",
]
