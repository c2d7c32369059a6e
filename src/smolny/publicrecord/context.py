"""Template context: the record's verifier key, shown in every page footer."""

from __future__ import annotations

from django.http import HttpRequest

from smolny.store import keys


def record_key(request: HttpRequest) -> dict[str, str]:
    key = keys.verifier()
    return {"record_verifier_key": key.encode() if key is not None else ""}
