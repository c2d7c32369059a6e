"""API tokens: created with a username and password, shown once, revoked by their owner."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from . import problems
from .auth import MEMBER
from .models import ApiToken, new_token, token_hash
from .problems import ApiProblem

router = Router(tags=["tokens"])


class TokenRequest(Schema):
    username: str = Field(description="Your member id.")
    password: str
    name: str = Field("API token", max_length=100, description="To tell your tokens apart.")


class Token(Schema):
    id: int
    name: str
    created: str


class NewToken(Token):
    token: str = Field(
        description="Send it as Authorization: Bearer <token>; it is shown only once."
    )


def _token(row: ApiToken) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "created": row.created.isoformat()}


@router.post("/tokens", response={201: NewToken}, openapi_extra=problems.responses(401, 422))
def create_token(request: HttpRequest, payload: TokenRequest) -> Status[Any]:
    """Create a token. Only its SHA-256 is kept: if you lose it, create another."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise ApiProblem(401, "invalid_credentials", "The username or password is not right.")
    token = new_token()
    row = ApiToken.objects.create(user=user, name=payload.name, hash=token_hash(token))
    return Status(201, {**_token(row), "token": token})


@router.get(
    "/tokens", response=list[Token], auth=MEMBER, openapi_extra=problems.responses(401, 403)
)
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    """Your tokens (never their values)."""
    return [_token(t) for t in ApiToken.objects.filter(user=request.auth)]


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    auth=MEMBER,
    openapi_extra=problems.responses(401, 403, 404),
)
def revoke_token(request: HttpRequest, token_id: int) -> Status[Any]:
    """Revoke one of your tokens; it stops working at once."""
    deleted, _ = ApiToken.objects.filter(id=token_id, user=request.auth).delete()
    if not deleted:
        # Someone else's token is "not found" too: its existence is nobody else's business.
        raise ApiProblem(404, "no_such_token", "You have no API token with this id.")
    return Status(204, None)
