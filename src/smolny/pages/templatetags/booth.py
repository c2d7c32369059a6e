"""``{% secret_ballot key as sb %}``: the secret ballot of an election, motion or recall, if any.

The subject pages are rendered from read models; a secret ballot's documents are the record's
own, so its section reads them from the folded state (see ``pages/views/booth.py``).
"""

from __future__ import annotations

from django import template

from smolny.constitution.secret import SecretBallot
from smolny.store.service import current_state

register = template.Library()


@register.simple_tag
def secret_ballot(subject: str) -> SecretBallot | None:
    return current_state().secret.get(subject)
