"""WSGI entry point (gunicorn citypairing.wsgi)."""

import os

from core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citypairing.settings")
application = get_wsgi_application()
