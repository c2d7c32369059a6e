"""Template filters: times in words people read, names for member ids, record links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from smolny.constitution import words
from smolny.constitution.events import parse_time

register = template.Library()


@register.filter
def when(value: str | None) -> str:
    if not value:
        return ""
    try:
        moment = parse_time(value)
    except ValueError:
        return value
    return moment.strftime("%d %b %Y, %H:%M UTC")


@register.filter
def name_of(member_id: str | None, names: dict[str, str]) -> str:
    if not member_id:
        return ""
    return names.get(member_id, member_id)


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def as_time(value: str | None) -> datetime | None:
    return parse_time(value) if value else None


@register.filter
def breakable(value: str | None) -> str:
    """An event name (``candidate_nominated``) that a phone-width column may wrap after each
    underscore, while its text stays exactly the record's."""
    return mark_safe(escape(value or "").replace("_", "_<wbr>"))


@register.filter
def office(value: str | None) -> str:
    """An office as people write it: ``control_commission`` -> ``control commission``.  The
    words are the constitution's (``constitution.words``), which a secret ballot's manifest
    uses too, so a page and a ballot never name an office differently."""
    return words.office(value)


MOTION_STATUS = {
    "filed": "waiting for co-sponsors",
    "agenda": "on the agenda, not yet decided",
    "carried": "carried",
    "lost": "lost",
    "withdrawn": "withdrawn",
    "void": "void (its secret ballot could not be decided)",
}
"""Each status a motion can have (constitution/apply.py), as a member reads it."""


@register.filter
def motion_status(value: str | None) -> str:
    """``agenda`` -> "on the agenda, not yet decided": a motion's status in words."""
    return MOTION_STATUS.get(value or "", value or "")
