"""WSGI entry point, for any WSGI server: ``smolny.web.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smolny.web.settings")

application = get_wsgi_application()
