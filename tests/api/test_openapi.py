"""The OpenAPI document is valid and describes every command and every problem."""

from __future__ import annotations

from openapi_spec_validator import validate

from smolny.constitution.commands import COMMANDS

from .openapi import document


def test_the_document_is_valid_openapi() -> None:
    validate(document())


def test_every_command_has_an_endpoint_with_its_fields_but_not_the_actor() -> None:
    doc = document()
    for name, cls in COMMANDS.items():
        operation = doc["paths"][f"/api/commands/{name}"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        fields = [f for f in cls.__dataclass_fields__ if f != "actor"]
        assert list(schema["properties"]) == fields
        assert schema["additionalProperties"] is False
        assert "201" in operation["responses"]


def test_every_problem_response_is_a_problem_document() -> None:
    doc = document()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    assert list(response["content"]) == ["application/problem+json"], (
                        path,
                        method,
                        status,
                    )


def test_field_docstrings_become_descriptions() -> None:
    schema = document()["components"]["schemas"]["ReapportionCommand"]
    assert "divided among its children" in schema["properties"]["council"]["description"]
