"""What the council page's form for calling an election offers, in an organizer's words.

The form's fields are ``CallElection``'s own (``views/actions.py`` builds the command from
them).  This module only names each option as people say it and says beside it what it
means.  Which options go together (a secret ballot is counted by approval or plurality;
plurality elects one person; a secret ballot needs trustees and a threshold they can meet) is
the constitution's to decide when the election is called, so the form offers every counting
method of the registry and every ballot mode, and a refusal comes back as its own message.
What it says of each method's limits is read from the same registry the constitution checks
(``Method.multi_seat``, ``secret.SECRET_METHODS``), so the page cannot promise what the
constitution refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from smolny.constitution.methods import BALLOT_MODES, METHODS
from smolny.constitution.secret import SECRET_METHODS

HOW_IT_COUNTS = {
    "plurality": "Each voter marks one candidate; whoever is marked most often wins.",
    "approval": (
        "Each voter marks every candidate she would accept; the seats go to the candidates "
        "marked most often."
    ),
    "scottish-stv": (
        "Each voter ranks the candidates 1, 2, 3 and so on. A vote a candidate does not need "
        "passes to the voter's next choice, so each group of voters wins seats in proportion "
        "to its size. These are the counting rules of Scottish local elections."
    ),
    "meek-stv": (
        "Ranked as with the Scottish rules, but the transfers are recomputed exactly at every "
        "stage (Meek's method): the most precise proportional count, one only a computer does."
    ),
}
"""What each counting method of ``constitution.methods.METHODS`` asks of a voter and how it
counts; a test checks that every registered method has its words here."""

MODES = {
    "open": (
        "Open ballot (a roll call)",
        "Each ballot is in the public record with the voter's name: everyone can see how each "
        "member voted, and anyone can recount.",
    ),
    "secret": (
        "Secret ballot",
        "The record shows who voted, never what. Each ballot is encrypted in the voter's own "
        "browser; the trustees below decrypt only the total, none of them can decrypt a single "
        "ballot, and anyone can check the count. Counted by approval or plurality only.",
    ),
}
"""Each ballot mode of ``constitution.methods.BALLOT_MODES``: its name and what it means."""


@dataclass(frozen=True)
class Choice:
    value: str
    """What the form sends: the command's own value ("" leaves the choice to the constitution)."""
    label: str
    explanation: str


def method_choices(stv_method: str) -> list[Choice]:
    """The counting methods, the constitution's default first.  ``stv_method`` is the
    federation's parameter: the method the default takes for several seats."""
    stv = METHODS[stv_method].label.split(":")[0] if stv_method in METHODS else stv_method
    choices = [
        Choice(
            "",
            "Let the constitution choose",
            f"Plurality for a single seat; for several seats, {stv}, so that a minority wins "
            "its share of them. (A secret ballot needs approval or plurality: choose one.)",
        )
    ]
    for key, method in METHODS.items():
        limits = []
        if not method.multi_seat:
            limits.append("It elects one person, so it fills a single seat only.")
        limits.append(
            "It can be used for a secret ballot."
            if key in SECRET_METHODS
            else "A secret ballot cannot use it: ranked ballots can only be counted openly here."
        )
        how = HOW_IT_COUNTS.get(key, "")
        choices.append(Choice(key, method.label, " ".join(filter(None, [how, *limits]))))
    return choices


def mode_choices() -> list[Choice]:
    return [Choice(mode, *MODES[mode]) for mode in BALLOT_MODES]
