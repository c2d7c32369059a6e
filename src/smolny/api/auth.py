"""Who is asking: a Django session (with CSRF on unsafe methods) or a bearer token.

The authenticated user's ``username`` is the member id that becomes the command's ``actor``.

Unlike ninja's ``SessionAuth``, the CSRF check runs only once the session has been found to
belong to someone: an anonymous request is told it is not signed in (401), not that its CSRF
token is missing, which would send a client author looking in the wrong place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .models import ApiToken, token_hash
from .problems import ApiProblem


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser:
        row = ApiToken.objects.select_related("user").filter(hash=token_hash(token.strip())).first()
        if row is None or not row.user.is_active:
            # A request that shows a token means to use it: never fall back to the session.
            raise ApiProblem(
                401, "invalid_token", "This API token is not valid; it may have been revoked."
            )
        request.user = row.user
        return row.user


class Session(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiProblem(
                403,
                "csrf_failed",
                "The CSRF check failed; send the csrftoken cookie's value in the "
                "X-CSRFToken header, or use an API token.",
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None  # __call__ does the work


MEMBER = [BearerToken(), Session()]
"""Authentication for everything done as a member (commands, one's own pages and tokens)."""
