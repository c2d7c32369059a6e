"""Middleware of our own: Django's, narrowed to the part of the site it serves."""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest, HttpResponseBase

API_PREFIX = "/api/"
"""Where the JSON API is mounted (smolny.web.urls)."""


class PageMessageMiddleware(MessageMiddleware):
    """Django's one-time messages ("Your vote is recorded"), on the pages only.

    The API never shows or sets a message: it answers with the receipt or a problem document.
    Django's middleware would still build a message store for every API request (a cookie
    signer, a session store over it) and inspect it again on the way out: about 30 µs of the
    CPU of each vote of a congress voting through the API (bench/congress.py), for nothing.
    A message a page left in the cookie or session stays there, unread, until the next page.
    """

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        return super().__call__(request)
