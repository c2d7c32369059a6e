"""Who is asking: a Django session (with CSRF on unsafe methods) or a bearer token.

The authenticated user's ``username`` is the member id that becomes the command's ``actor``.

Unlike ninja's ``SessionAuth``, the CSRF check runs only once the session has been found to
belong to someone: an anonymous request is told it is not signed in (401), not that its CSRF
token is missing, which would send a client author looking in the wrong place.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .models import ApiToken, token_hash
from .problems import ApiProblem


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser:
        user = _token_user(token_hash(token.strip()))
        if user is None or not user.is_active:
            # A request that shows a token means to use it: never fall back to the session.
            raise ApiProblem(
                401, "invalid_token", "This API token is not valid; it may have been revoked."
            )
        request.user = user
        return user


@functools.cache
def _token_query() -> tuple[str, list[str], Any]:
    model = ApiToken._meta.get_field("user").related_model
    users = model._meta
    quote = connection.ops.quote_name
    fields = [f.attname for f in users.concrete_fields]
    columns = ", ".join(f"u.{quote(f.column)}" for f in users.concrete_fields)
    token = ApiToken._meta
    sql = (
        f"SELECT {columns} FROM {quote(users.db_table)} u JOIN {quote(token.db_table)} t "
        f"ON t.{quote(token.get_field('user').column)} = u.{quote(users.pk.column)} "
        f"WHERE t.{quote(token.get_field('hash').column)} = %s"
    )
    return sql, fields, model


def _token_user(hashed: str) -> AbstractBaseUser | None:
    """The user a token hash belongs to, read fresh on every request (so a revoked token stops
    at once in every server process).

    One constant query, built once, instead of ``ApiToken.objects.select_related("user")
    .filter(...).first()``: building that query in the ORM was about 40 % of the CPU time of
    an API vote (bench/congress.py), more than everything the vote itself costs.
    """
    sql, fields, model = _token_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [hashed])
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(connection.alias, fields, row)


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
