"""One view turns any form into a command: authenticate, build, execute once, answer.

The form names the command; its fields are the command's fields (``choices`` may repeat;
dotted names such as ``effect.kind`` build the nested objects some commands take).  The actor
is always the signed-in member.  Every rule, including who may do this, is the constitution's:
this view has no ``if`` about permissions.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from smolny.constitution import COMMANDS, DomainError
from smolny.store.service import execute


class BadForm(DomainError):
    status = 400


def _value(hint: Any, raw: list[str], name: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        return tuple(v for v in raw if v != "")
    if hint is bool:
        return bool(raw) and raw[-1] in ("1", "true", "on", "yes")
    text = raw[-1] if raw else ""
    if type(None) in args and text == "":
        return None
    if hint is int:
        try:
            return int(text)
        except ValueError as exc:
            raise BadForm("bad_number", f"{name} must be a whole number.") from exc
    return text


def _nested(post: Any, prefix: str) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for key in post:
        if not key.startswith(prefix + "."):
            continue
        value = post.get(key)
        if value == "":
            continue
        parts = key[len(prefix) + 1 :].split(".")
        target = out
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return out or None


def _is_mapping(hint: Any) -> bool:
    """``dict[str, Any]``, or ``dict[str, Any] | None`` (a motion's optional effect): the
    field is built from the form's dotted names.  (``dict in get_args(...)`` would miss the
    second, since ``dict[str, Any] != dict``, and drop an amendment's effect silently.)"""
    return any(
        option is dict or typing.get_origin(option) is dict
        for option in (hint, *typing.get_args(hint))
    )


def build(name: str, actor: str, post: Any) -> Any:
    cls = COMMANDS.get(name)
    if cls is None:
        raise BadForm("unknown_command", f"There is no action called {name!r}.")
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name == "actor":
            continue
        hint = hints[field.name]
        if _is_mapping(hint):
            nested = _nested(post, field.name)
            if (
                nested is None
                and field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                nested = {}
            if nested is not None:
                kwargs[field.name] = nested
            continue
        has_default = (
            field.default is not dataclasses.MISSING
            or field.default_factory is not dataclasses.MISSING
        )
        if field.name not in post or (hint is int and has_default and post.get(field.name) == ""):
            # A field the form does not send, or a number field left empty, is not given:
            # the command's default applies (a secret ballot's threshold, on a form calling
            # an open election), and the constitution judges the command as it then stands.
            if has_default:
                continue
            if hint is bool:
                kwargs[field.name] = False
                continue
            if typing.get_origin(hint) is tuple:
                kwargs[field.name] = ()
                continue
            raise BadForm("missing_field", f"The form is missing {field.name.replace('_', ' ')}.")
        kwargs[field.name] = _value(hint, post.getlist(field.name), field.name)
    return cls(actor, **kwargs)


def _next(request: HttpRequest) -> str:
    home = str(reverse("home"))
    target = str(request.POST.get("next") or request.META.get("HTTP_REFERER") or home)
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return home
    return target


def act(request: HttpRequest, name: str) -> HttpResponse:
    if request.method != "POST":
        # A link or a bookmark to an action (or an old sign-in link sending a member back to
        # one) has nothing to do: take her home, not to a bare "405 Method Not Allowed".
        return HttpResponseRedirect(reverse("home"))
    back = _next(request)
    if not request.user.is_authenticated:
        # Signing in would otherwise send her to this URL by GET, a dead end: send her back
        # to the page she acted on, where the button is, once she has signed in.
        messages.info(request, "Sign in first; then press the button again.")
        return HttpResponseRedirect(f"{reverse('signin')}?{urlencode({'next': back})}")
    try:
        command = build(name, request.user.get_username(), request.POST)
        entries = execute(command)
    except DomainError as error:
        return render(
            request, "pages/refused.html", {"error": error, "back": back}, status=error.status
        )
    first, last = entries[0].seq, entries[-1].seq
    span = f"entry #{first}" if first == last else f"entries #{first}–#{last}"
    messages.success(
        request, f"Done. It is in the record as {span}.", extra_tags=f"receipt:{first}"
    )
    return HttpResponseRedirect(back)
