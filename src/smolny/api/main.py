"""The API object mounted at /api/ (smolny.web.urls)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from . import commands, freedoms, home, problems, reads, tokens
from .problems import ApiProblem


class SmolnyAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema["components"]["schemas"]["Problem"] = problems.Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        defs = schema["components"]["schemas"]["Problem"].pop("$defs", {})
        schema["components"]["schemas"].update(defs)
        return schema


api = SmolnyAPI(
    title="Smolny API",
    version="1",
    description=(
        "Every command of the constitution as POST /api/commands/<name>, every read of the "
        "record's read models, errors as RFC 9457 problem documents. See docs/api.md."
    ),
    urls_namespace="api",
    # ninja's Swagger page loads its scripts from a CDN unless "ninja" is an installed app;
    # a member's browser should not fetch code from a third party to read our API.
    docs_url=None,
)
problems.install(api)
api.add_router("/commands", commands.router())
api.add_router("/", reads.router)
api.add_router("/", home.router)
api.add_router("/", tokens.router)
api.add_router("/", freedoms.router)

# Last, so it matches only what nothing above did: an unknown API address is a problem
# document too, not the site's HTML 404 page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown_address(request: HttpRequest, rest: str) -> None:
    raise ApiProblem(404, "not_found", "There is nothing at this address; see /api/openapi.json.")


api.add_router("/", fallback)
