"""The admin site shows the record and its projections, and changes none of them.

DESIGN: "The operator of the server has no governance powers: the admin site is read-only for
the record and everything projected from it."  Every change goes through a command decided by
the constitution, never through a form that writes a row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Entry, Head


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "type", "actor", "at")
    list_filter = ("type",)
    search_fields = ("actor", "type")


admin.site.register(Head, ReadOnlyAdmin)
