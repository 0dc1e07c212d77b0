import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each worker ready before its first visitor (core/warmup.py).
from core.warmup import warm_up  # noqa: E402 - after Django's setup

warm_up()
