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


@register.simple_tag
def void_reason(subject: str) -> str:
    """Why the secret ballot of ``subject`` is void and what that means, or "" if it is not
    (the words are ``pages.views.booth.void_text``'s, the booth's own)."""
    from smolny.pages.views.booth import void_text

    state = current_state()
    sb = state.secret.get(subject)
    return void_text(state, sb) if sb is not None and sb.void is not None else ""


@register.simple_tag
def demo_trustees(subject: str) -> str:
    """The folder of the demo's simulated trustees of ``subject`` (see ``smolny.demo.secret``),
    or "" on any server that is not running the demo."""
    from pathlib import Path

    from django.conf import settings

    from smolny.demo.secret import trustee_folder

    folder = trustee_folder(Path(settings.DATA_DIR), subject)
    return str(folder) if folder else ""
