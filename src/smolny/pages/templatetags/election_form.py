"""``{% call_election_choices as choices %}``: the counting methods and ballot modes the
council page's "Call an election" form offers, each in words with what it means
(``pages/election_form.py``).  The federation's STV method, which the default takes for
several seats, is a parameter of the folded state."""

from __future__ import annotations

from django import template

from smolny.store.service import current_state

from ..election_form import Choice, method_choices, mode_choices

register = template.Library()


def call_election_choices() -> dict[str, list[Choice]]:
    return {
        "methods": method_choices(current_state().params.stv_method),
        "modes": mode_choices(),
    }


# Registered by a call, not a decorator: Django has no type stubs here, and an untyped
# decorator would hide the function's type from mypy.
register.simple_tag(call_election_choices)
