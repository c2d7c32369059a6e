"""``{% credentials_due member as due %}``: the secret ballots ``member`` must still register
a voting credential for, each with its deadline in words and the booth to register in.

The home page is rendered from read models; whether she must still register is the
constitution's rule on the folded state (``secret.credential_due``), which
``pages/views/booth.py`` asks, for the booth page as for this tag.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..views.booth import credential_notices

register = template.Library()


def credentials_due(member: str) -> list[dict[str, Any]]:
    return credential_notices(member)


# Registered by a call, not a decorator: Django has no type stubs here, and an untyped
# decorator would hide the function's type from mypy.
register.simple_tag(credentials_due)
