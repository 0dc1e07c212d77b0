"""Background tasks of the agenda (Django's ``django.tasks``; the worker is django-tasks-db in production).

``refresh_sources`` re-imports every active source that has an URL. It is thin: the work and its guarantees are in
``agenda.imports.import_source``. Schedule it, for instance every hour, in one of two ways:

* cron: ``manage.py import_events --toutes`` (the same service, without the task queue);
* or enqueue it from a scheduler: ``refresh_sources.enqueue()`` (run by ``manage.py db_worker``).
"""

from django.tasks import task

from agenda.imports import import_all_sources


@task
def refresh_sources() -> dict:
    """Refresh every active URL source; returns, by source name, what was created and the error if any."""
    return {run.source.name: {"créés": run.created, "erreur": run.error} for run in import_all_sources()}
