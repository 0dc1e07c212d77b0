"""Imports of other calendars from their URL: a real local HTTP server (``calendar_server``, tests/agenda/conftest.py),
the fetch limits, the background task and the command's refresh of every source. The server serves ``forever.ics``, a
weekly event with no end, always within the horizon.
"""

from io import StringIO
from time import monotonic

import pytest
from django.core.management import call_command

from agenda import imports
from agenda.imports import FetchError, fetch, fetch_url, import_source
from agenda.models import Event, ImportRun, ImportSource
from agenda.tasks import refresh_source, refresh_sources
from tests.agenda.imports_helpers import imported, read, source

pytestmark = pytest.mark.django_db


# Remote calendars: a real local HTTP server.


def test_import_source_from_url(calendar_server):
    src = source(url=f"{calendar_server}/agenda.ics")
    run = import_source(src)

    assert run.error == ""
    assert run.created == Event.objects.filter(source=src).count() > 20
    assert import_source(src).unchanged == run.created


def test_import_source_follows_redirects_and_webcal(calendar_server):
    assert fetch_url(f"{calendar_server}/redirection.ics") == read("forever.ics")
    with pytest.raises(FetchError):  # webcal is https: this local server only speaks http
        fetch_url(calendar_server.replace("http://", "webcal://") + "/agenda.ics", timeout=2)


def test_import_source_too_big_is_refused(calendar_server):
    src = source(url=f"{calendar_server}/trop-gros.ics")
    imported(src, "feed.ics")
    run = import_source(src)

    assert run.error == ("Le calendrier dépasse la taille maximale (5 Mo) : il n’est pas importé.")
    assert Event.objects.filter(source=src, missing_from_source_since__isnull=True).count() == 3
    with pytest.raises(FetchError, match="taille maximale"):
        fetch_url(f"{calendar_server}/agenda.ics", max_bytes=100)


def test_import_source_slow_server_times_out(calendar_server):
    with pytest.raises(FetchError, match="n’a pas pu être téléchargé à cette adresse"):
        fetch_url(f"{calendar_server}/lent.ics", timeout=0.5)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/absent.ics", "Le serveur a répondu par une erreur 404"),
        ("/page.ics", "Ce fichier n’est pas un calendrier iCalendar : c’est une page web"),
    ],
)
def test_import_source_errors_are_recorded(calendar_server, path, message):
    src = source(url=f"{calendar_server}{path}")
    run = import_source(src)

    assert run.error.startswith(message)
    assert run.finished_at is not None


def test_fetch_refuses_other_schemes_and_private_networks():
    with pytest.raises(FetchError, match="seules les adresses http, https et webcal"):
        fetch_url("file:///etc/passwd")
    with pytest.raises(FetchError, match="n’a pas pu être téléchargé à cette adresse"):
        fetch_url("http://127.0.0.1:9/agenda.ics")
    src = source(url="http://localhost:9/agenda.ics")
    assert import_source(src).error == imports.UNREACHABLE


def test_task_refreshes_active_url_sources(calendar_server):
    active = source(url=f"{calendar_server}/agenda.ics")
    source(name="Inactive", url=f"{calendar_server}/agenda.ics", is_active=False)
    source(name="Fichier")

    result = refresh_sources.enqueue()

    assert list(result.return_value) == [active.name]
    assert active.events.count() == active.runs.get().created > 0
    assert ImportRun.objects.count() == 1


def test_task_refresh_source_reports_its_run(calendar_server):
    active = source(url=f"{calendar_server}/agenda.ics")
    inactive = source(name="Inactive", url=f"{calendar_server}/agenda.ics", is_active=False)

    result = refresh_source.enqueue(active.pk)

    assert result.return_value == {"source": active.name, "créés": active.events.count(), "erreur": ""}
    assert refresh_source.enqueue(inactive.pk).return_value == {}  # deactivated since it was enqueued
    assert ImportRun.objects.count() == 1


def test_task_refresh_slow_source_holds_up_none_of_the_others(calendar_server, monkeypatch):
    monkeypatch.setattr(fetch, "FETCH_TIMEOUT", 1)  # the 10 s of production, shortened
    slow = source(name="Lente", url=f"{calendar_server}/en-tetes-lents.ics")
    good = source(url=f"{calendar_server}/agenda.ics")
    started = monotonic()

    refresh_sources.enqueue()

    assert monotonic() - started < 6  # a guard on the limit, not a timing: unbounded, this took 30 s
    assert slow.runs.get().error == imports.UNREACHABLE
    assert good.runs.get().created == good.events.count() > 0


def test_command_all_slow_source_holds_up_none_of_the_others(calendar_server, monkeypatch):
    monkeypatch.setattr(fetch, "FETCH_TIMEOUT", 1)
    slow = source(name="Lente", url=f"{calendar_server}/en-tetes-lents.ics")
    good = source(url=f"{calendar_server}/agenda.ics")
    out, err = StringIO(), StringIO()
    started = monotonic()

    call_command("import_events", "--toutes", stdout=out, stderr=err)

    assert monotonic() - started < 6
    assert f"Source «\u00a0Lente\u00a0»\u00a0: {imports.UNREACHABLE}" in err.getvalue()
    assert f"{good.events.count()} créé(s)" in out.getvalue()
    assert slow.events.count() == 0


def test_command_all_refreshes_url_sources(calendar_server):
    source(url=f"{calendar_server}/agenda.ics")
    out = StringIO()
    call_command("import_events", "--toutes", stdout=out)

    assert "Agenda de la CCI" in out.getvalue()
    assert "créé(s)" in out.getvalue()


def test_command_url(calendar_server):
    out = StringIO()
    call_command("import_events", f"{calendar_server}/agenda.ics", "--region", "84", stdout=out)

    src = ImportSource.objects.get(name=f"{calendar_server}/agenda.ics")
    assert src.url == f"{calendar_server}/agenda.ics"
    assert f"{src.events.count()} créé(s)" in out.getvalue()
