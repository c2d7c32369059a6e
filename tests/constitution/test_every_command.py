"""Every command has its "can" scene and its "cannot" twin refused to the wrong actor.

Read from the test sources themselves, so a test removed or renamed away fails here, naming the
command left uncovered.  ``CORE`` are the commands of the founding, membership, elections,
recall, motions and documents; later capabilities (tendencies, cases...) keep their own tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

from smolny.constitution import COMMANDS

HERE = Path(__file__).parent

CORE = (
    "found_federation",
    "create_council",
    "close_founding",
    "join",
    "transfer",
    "leave",
    "reapportion",
    "call_election",
    "nominate",
    "withdraw_candidacy",
    "cast_ballot",
    "close_election",
    "resign",
    "end_terms",
    "open_recall",
    "sign_recall",
    "vote_recall",
    "close_recall",
    "file_motion",
    "cosponsor",
    "withdraw_motion",
    "cast_vote",
    "close_vote",
    "file_document",
    "perform_act",
)

WRONG_ACTOR = {
    "already_founded",
    "already_member",
    "founding_closed",
    "no_power",
    "not_a_member",
    "not_a_voter",
    "not_addressable",
    "not_candidate",
    "not_founder",
    "not_holder",
    "not_mover",
    "not_officer",
}
"""Refusal codes that say the actor is the wrong person (not the wrong moment or input)."""


def _command_class(node: ast.AST) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "c"
    ):
        return node.func.attr
    return None


def _scan() -> tuple[set[str], set[str]]:
    can: set[str] = set()
    cannot: set[str] = set()
    for path in sorted(HERE.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            # events = s.do(c.Command(...)) followed by assertions on the events
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                call = node.value
                if isinstance(call.func, ast.Attribute) and call.func.attr == "do" and call.args:
                    name = _command_class(call.args[0])
                    if name and any(
                        isinstance(t, ast.Name) and t.id == "events" for t in node.targets
                    ):
                        can.add(name)
            # s.refused(c.Command(...), "code")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "refused"
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in WRONG_ACTOR
            ):
                name = _command_class(node.args[0])
                if name:
                    cannot.add(name)
    return can, cannot


def test_every_command_has_a_can_test_and_a_wrong_actor_test() -> None:
    can, cannot = _scan()
    classes = {COMMANDS[name].__name__: name for name in CORE}
    assert sorted(n for c, n in classes.items() if c not in can) == [], "no 'can' test"
    assert sorted(n for c, n in classes.items() if c not in cannot) == [], "no 'cannot' test"
