"""What the public lists of events found (the agenda's count and page, the RSS and Atom feeds, the API's pages) is
kept in the shared cache by the exact version of the events (``agenda.selectors.found_key``): a change, a
deletion, or an event that ends while nothing is written shows on the next request."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from agenda.selectors import _events_version_query, events_version
from tests.agenda.factories import EventFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/evenements"


def _titles(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if url.startswith(API):
        return [event["titre"] for event in response.json()["resultats"]]
    return response.content.decode()


def test_found_cache_deleted_event_that_was_not_the_last_changed_drops_at_once(
    client, django_capture_on_commit_callbacks
):
    """A deletion does not move the events' last change: its own version, dropped after the commit, says it."""
    older = EventFactory(title="Atelier supprimé")
    EventFactory(title="Atelier gardé")
    assert "2 événements" in _titles(client, "/agenda/")
    assert sorted(_titles(client, API)) == ["Atelier gardé", "Atelier supprimé"]
    assert "Atelier supprimé" in _titles(client, "/agenda/flux.rss")

    with django_capture_on_commit_callbacks(execute=True):
        older.delete()

    body = _titles(client, "/agenda/")
    assert "1 événement" in body and "Atelier supprimé" not in body
    assert _titles(client, API) == ["Atelier gardé"]
    assert "Atelier supprimé" not in _titles(client, "/agenda/flux.rss")


@pytest.mark.parametrize(
    "url", ["/agenda/", "/agenda/?q=atelier", API, f"{API}?q=atelier", "/agenda/flux.atom"]
)
def test_found_cache_event_that_ends_leaves_the_upcoming_lists_without_any_write(client, url):
    now = timezone.now()
    EventFactory(
        title="Atelier bientôt fini", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    EventFactory(title="Atelier de la semaine prochaine")
    assert "Atelier bientôt fini" in _titles(client, url)

    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        found = _titles(client, url)

    assert "Atelier bientôt fini" not in found
    assert "Atelier de la semaine prochaine" in found


def test_found_cache_event_that_ends_enters_the_past_list_without_any_write(client):
    now = timezone.now()
    EventFactory(
        title="Atelier bientôt fini", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    assert "Aucun événement" in _titles(client, "/agenda/passes/")

    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        body = _titles(client, "/agenda/passes/")

    assert "Atelier bientôt fini" in body and "1 événement" in body


@pytest.mark.parametrize("url", [f"{API}?par_page=1", f"{API}?q=atelier", "/agenda/flux.rss"])
def test_found_cache_changed_event_shows_at_once(client, url):
    event = EventFactory(title="Atelier avant")
    assert "Atelier avant" in _titles(client, url)

    event.title = "Atelier après"
    event.save()

    found = _titles(client, url)
    assert "Atelier après" in found and "Atelier avant" not in found


def test_found_cache_api_pages_are_kept_apart_and_read_again_the_same(client):
    for day in range(1, 4):
        EventFactory(title=f"Atelier du jour {day}", starts_at=timezone.now() + timedelta(days=day))

    first = client.get(API, {"par_page": 2})
    again = client.get(API, {"par_page": 2})
    second = client.get(API, {"par_page": 2, "page": 2})

    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
    assert [e["titre"] for e in first.json()["resultats"]] == ["Atelier du jour 1", "Atelier du jour 2"]
    assert [e["titre"] for e in second.json()["resultats"]] == ["Atelier du jour 3"]
    assert first.json()["total"] == second.json()["total"] == 3


def test_found_cache_list_pages_are_kept_apart(client):
    for day in range(1, 23):
        EventFactory(title=f"Atelier numéro {day:02d}", starts_at=timezone.now() + timedelta(days=day))

    first, second = _titles(client, "/agenda/"), _titles(client, "/agenda/?page=2")
    assert _titles(client, "/agenda/?page=2") == second

    assert "Atelier numéro 01" in first and "Atelier numéro 21" not in first
    assert "Atelier numéro 21" in second and "Atelier numéro 01" not in second


def test_found_cache_feed_keeps_the_address_its_links_are_written_with(client):
    EventFactory(title="Atelier")
    assert "http://testserver/agenda/" in _titles(client, "/agenda/flux.rss")

    body = client.get("/agenda/flux.rss", headers={"host": "localhost"}).content.decode()

    assert "http://localhost/agenda/" in body and "testserver" not in body


def test_found_cache_version_compiled_once_reads_what_its_query_reads():
    """``events_version`` runs its SQL compiled once with a mark in place of ``now``: the same rows as the
    queryset compiled for each ``now``, before, between and after the events' ends."""
    now = timezone.now()
    EventFactory(starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1))
    EventFactory(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2))
    for at in (now - timedelta(days=1), now, now + timedelta(days=1, hours=1), now + timedelta(days=3)):
        with connection.cursor() as cursor:
            cursor.execute(*_events_version_query(at).query.sql_with_params())
            expected = tuple(cursor.fetchone())
        assert events_version(at) == expected
    assert events_version(now)[1] != events_version(now + timedelta(days=3))[1]
