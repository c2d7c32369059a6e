from django.apps import AppConfig


class ReadModelsConfig(AppConfig):
    name = "smolny.readmodels"
    label = "readmodels"
    default_auto_field = "django.db.models.BigAutoField"
