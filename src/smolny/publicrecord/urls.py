from django.urls import path, re_path

from . import views

app_name = "publicrecord"

urlpatterns = [
    path("record/checkpoint", views.checkpoint, name="checkpoint"),
    path("record/checkpoints", views.checkpoints, name="checkpoints"),
    path("record/verifier-key", views.verifier_key, name="verifier-key"),
    path("record/cosign", views.cosign, name="cosign"),
    path("record/proof/inclusion", views.inclusion, name="inclusion"),
    path("record/proof/consistency", views.consistency, name="consistency"),
    path("record/check.js", views.check_js, name="check-js"),
    re_path(r"^record/tile/(?P<rest>.+)$", views.tile, name="tile"),
]
