"""RFC 9457 problem documents: how every refusal reaches an API client.

A domain error keeps its stable ``code`` and the member-facing ``message`` (DESIGN: "Refused
commands raise a domain error with a stable code and a message a member can act on; the API
renders it as an RFC 9457 problem document").  The problem's ``type`` is a URI on this site,
``/problems/<code>``, one per code, so a client can branch on either ``type`` or ``code``;
``title`` depends on the code only, ``detail`` on the occurrence.  Request validation (ninja's
422), authentication (401) and CSRF failures (403) take the same shape, so a client has one
error format to handle.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from smolny.constitution.errors import DomainError

MEDIA_TYPE = "application/problem+json"

STATUS_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    422: "Cannot be done",
}


class FieldError(Schema):
    loc: list[str | int] = Field(
        description="Where in the request: body, query or path, then the field."
    )
    msg: str
    type: str


class Problem(Schema):
    """An RFC 9457 problem document, with the domain error's stable ``code``."""

    type: str = Field(description="URI of the problem type: /problems/<code> on this site.")
    title: str = Field(
        description="Short summary of the problem type (the same for every occurrence)."
    )
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, in words a member can act on.")
    code: str = Field(description="The stable error code (the last segment of type).")
    instance: str = Field(description="The request path this problem occurred at.")
    errors: list[FieldError] | None = Field(
        default=None, description="For invalid_request only: each field that failed validation."
    )


class ApiProblem(Exception):
    """A refusal raised by the API layer itself (authentication, tokens, missing rows)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


def title_of(code: str) -> str:
    return code.replace("_", " ").capitalize()


def problem(
    request: HttpRequest, status: int, code: str, detail: str, **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": request.build_absolute_uri(f"/problems/{code}"),
        "title": title_of(code),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.path,
        **extra,
    }
    response = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="smolny"'
    return response


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(request, exc.status, exc.code, exc.message)


def _api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem(request, exc.status, exc.code, exc.detail)


def _location(loc: Any) -> list[str | int]:
    parts = list(loc)
    # ninja puts the view's parameter name after "body"; it means nothing to a client.
    if parts[:2] == ["body", "payload"]:
        del parts[1]
    return parts


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": _location(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]) for e in errors)
    detail = f"The request is not valid ({fields}): " + "; ".join(e["msg"] for e in errors) + "."
    return problem(request, 422, "invalid_request", detail, errors=errors)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ValueError):
        # ninja's body parser failed: the body is not JSON at all (JSONDecodeError and
        # UnicodeDecodeError are both ValueErrors).
        return problem(
            request, 422, "invalid_json", "The request body is not valid JSON; send a JSON object."
        )
    if isinstance(exc, AuthenticationError):
        return problem(
            request,
            401,
            "not_authenticated",
            "Sign in, or send an API token in the header Authorization: Bearer <token>.",
        )
    code = {403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "http_error"
    )
    return problem(request, exc.status_code, code, str(exc).rstrip(".") + ".")


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, "not_found", "There is nothing at this address.")


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(DomainError, _domain_error)
    api.add_exception_handler(ApiProblem, _api_problem)
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)


def responses(*statuses: int) -> dict[str, Any]:
    """``openapi_extra`` documenting these problem responses of an operation."""
    return {
        "responses": {
            status: {
                "description": STATUS_TITLES.get(status, "Problem"),
                "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            }
            for status in statuses
        }
    }
