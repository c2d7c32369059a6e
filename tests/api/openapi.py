"""Every API response a test gets is checked against the OpenAPI document the API serves.

So the document is tested by every test (as Zulip does): a status, a content type or a body
shape the document does not describe fails the test that met it.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any

from django.test import Client
from jsonschema import Draft202012Validator


class OpenAPI:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        # Literal paths before templated ones, so /api/me is not taken for /api/me/{x}.
        self.templates = sorted(document["paths"], key=lambda p: (p.count("{"), -len(p)))

    @cached_property
    def patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return [
            (t, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(t)) + "$"))
            for t in self.templates
        ]

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        for template, pattern in self.patterns:
            if pattern.match(path):
                operations = self.document["paths"][template]
                assert method.lower() in operations, f"{method} {template} is not documented"
                return template, operations[method.lower()]
        raise AssertionError(f"{method} {path}: no such path in the OpenAPI document")

    def schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A JSON Schema whose #/components/... references resolve in this document."""
        return {**schema, "components": self.document["components"]}

    def check(self, method: str, path: str, response: Any) -> None:
        template, operation = self.operation(method, path)
        where = f"{method} {template} -> {response.status_code}"
        documented = operation["responses"]
        status = str(response.status_code)
        assert status in documented, f"{where}: status not documented ({sorted(documented)})"
        spec = documented[status]
        if "content" not in spec:
            assert response.content == b"", f"{where}: undocumented body {response.content!r}"
            return
        media_type = response["Content-Type"].split(";")[0].strip()
        assert media_type in spec["content"], f"{where}: content type {media_type} not documented"
        body = json.loads(response.content)
        validator = Draft202012Validator(self.schema(spec["content"][media_type]["schema"]))
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"{where}: body does not match the document: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5]
        )


_document: dict[str, Any] | None = None


def document() -> dict[str, Any]:
    global _document
    if _document is None:
        response = Client().get("/api/openapi.json")
        assert response.status_code == 200
        _document = json.loads(response.content)
    return _document
