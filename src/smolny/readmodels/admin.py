"""Read models in the admin: visible to the operator, never editable (see store/admin.py)."""

from django.apps import apps
from django.contrib import admin

from smolny.store.admin import ReadOnlyAdmin

for model in apps.get_app_config("readmodels").get_models():
    admin.site.register(model, ReadOnlyAdmin)
