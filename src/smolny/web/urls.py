"""URL configuration of the site."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

from smolny.api.main import api

from .middleware import API_PREFIX


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for load balancers and scripts: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(API_PREFIX.removeprefix("/"), api.urls),
    path("", include("smolny.publicrecord.urls")),
    path("", include("smolny.pages.urls")),
]
