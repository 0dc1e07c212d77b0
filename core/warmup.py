"""What a worker of the application server loads before its first visitor (``config/wsgi.py``): the URLs (and so
every view module they name), this release's key of the cached fragments (``core.fragments.release``: it reads the
code and templates) and every template of the project, compiled. Measured on this machine: about 1 s that the first
request of each worker paid otherwise (``/ami/`` 1,370 ms the first time, 23 ms the next). Reads no database, so a
worker starts even while the database is away."""

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver

from core.fragments import release

logger = logging.getLogger(__name__)


def project_templates() -> list[str]:
    """The names of the templates of the project's apps (not those of the libraries)."""
    base = Path(settings.BASE_DIR).resolve()
    names = []
    for config in apps.get_app_configs():
        folder = Path(config.path).resolve() / "templates"
        if folder.is_relative_to(base) and "site-packages" not in folder.parts and folder.is_dir():
            names.extend(str(path.relative_to(folder)) for path in sorted(folder.rglob("*.html")))
    return names


def warm_up() -> int:
    """Load the URLs, the release's key and the templates; returns the number of templates compiled."""
    get_resolver().reverse_dict  # noqa: B018 - populates the resolver: imports every view module
    release()
    compiled = 0
    for name in project_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # it fails its own page, not the worker
            logger.exception("warm-up: template %s", name)
        else:
            compiled += 1
    return compiled
