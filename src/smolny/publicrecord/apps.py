from django.apps import AppConfig


class PublicRecordConfig(AppConfig):
    name = "smolny.publicrecord"
    label = "publicrecord"
