from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "smolny.pages"
    label = "pages"
