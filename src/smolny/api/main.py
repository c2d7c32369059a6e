"""The API object mounted at /api/ (smolny.web.urls)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from . import commands, home, problems, reads, tokens


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
)
problems.install(api)
api.add_router("/commands", commands.router())
api.add_router("/", reads.router)
api.add_router("/", home.router)
api.add_router("/", tokens.router)
