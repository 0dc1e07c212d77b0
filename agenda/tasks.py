"""Background tasks of the agenda (Django's ``django.tasks``; the worker is django-tasks-db in production).

``refresh_sources`` enqueues one ``refresh_source`` per active source that has an URL: each source is its own task,
so a slow or broken source (its download is bounded by ``agenda.imports.fetch.FETCH_TIMEOUT``) holds up none of the
others. The tasks are thin: the work and its guarantees are in ``agenda.imports.import_source``. Schedule the
refresh, for instance every hour, in one of two ways:

* cron: ``manage.py import_events --toutes`` (the same service, source after source, without the task queue);
* or enqueue it from a scheduler: ``refresh_sources.enqueue()`` (run by ``manage.py db_worker``).

``event_geocode`` looks up the venue of an event written through the form or the API in the Base Adresse Nationale
(enqueued by ``agenda.services`` once the write is committed, when ``ADDRESS_LOOKUP_URL`` is set).
"""

from django.tasks import task

from agenda import services
from agenda.imports import import_source, sources_to_refresh


@task
def refresh_sources() -> dict:
    """Enqueue the refresh of every active URL source; returns, by source name, the id of its task."""
    return {source.name: refresh_source.enqueue(source.pk).id for source in sources_to_refresh()}


@task
def refresh_source(source_pk: int) -> dict:
    """Refresh one source; returns what was created and the error if any (nothing when the source was deactivated
    or lost its URL since it was enqueued)."""
    source = sources_to_refresh().filter(pk=source_pk).first()
    if source is None:
        return {}
    run = import_source(source)
    return {"source": source.name, "créés": run.created, "erreur": run.error}


@task
def event_geocode(event_pk: int) -> bool:
    """Set the venue's coordinates of one event from its address (``services.event_geocode``); True when set."""
    return services.event_geocode(event_pk)
