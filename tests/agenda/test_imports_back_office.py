"""Imports of other calendars: the back-office pages of the sources (add by upload or URL, import now, who sees what)."""

from time import monotonic

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda import imports
from agenda.imports import fetch
from agenda.models import ImportRun, ImportSource
from territories.models import Region
from tests.agenda.conftest import ambassador_user, as_user, regional_user
from tests.agenda.imports_helpers import imported, source, source_form, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Back office.


def test_coordinator_adds_a_source_by_upload(client):
    coordinator = UserFactory(national=True)
    response = as_user(client, coordinator).post(
        "/espace/evenements/sources/nouvelle/", source_form(file=upload("forever.ics"))
    )

    src = ImportSource.objects.get(name="Agenda de la CCI Lyon")
    assert response.status_code == 302
    assert response["Location"] == f"/espace/evenements/sources/{src.pk}/"
    assert src.events.count() == src.runs.get().created > 0
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Pas de titre (SUMMARY)." in body
    assert "Importer une nouvelle version du fichier" in body
    assert client.get("/espace/evenements/sources/").status_code == 200


def test_regional_coordinator_sources_are_those_of_their_region(client):
    regional = regional_user("84")
    other = source(name="Agenda occitan", default_region=Region.objects.get(code="76"))
    as_user(client, regional)

    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(default_region="76", file=upload())
    )
    assert response.status_code == 400
    assert client.get(f"/espace/evenements/sources/{other.pk}/").status_code == 404
    response = client.post("/espace/evenements/sources/nouvelle/", source_form(file=upload()))
    assert response.status_code == 302
    listing = client.get("/espace/evenements/sources/").content.decode()
    assert "Agenda de la CCI Lyon" in listing
    assert "Agenda occitan" not in listing


def test_bad_upload_shows_the_error_and_keeps_nothing(client):
    as_user(client, UserFactory(national=True))
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(file=upload("not_a_calendar.ics"))
    )

    assert response.status_code == 400
    assert "Ce fichier n’est pas un calendrier iCalendar : c’est une page web" in response.content.decode()
    assert not ImportSource.objects.exists()
    assert not ImportRun.objects.exists()


def test_coordinator_adds_a_source_by_url(client, calendar_server):
    as_user(client, UserFactory(national=True))
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(url=f"{calendar_server}/agenda.ics")
    )

    src = ImportSource.objects.get(name="Agenda de la CCI Lyon")
    assert response.status_code == 302
    assert src.url == f"{calendar_server}/agenda.ics"
    assert src.runs.get().created == src.events.count() > 0


def test_unreadable_url_is_not_added(client, calendar_server):
    as_user(client, UserFactory(national=True))
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(url=f"{calendar_server}/absent.ics")
    )

    assert response.status_code == 400
    assert "Le serveur a répondu par une erreur 404" in response.content.decode()
    assert not ImportSource.objects.exists()


def test_source_form_slow_server_is_cut_at_the_fetch_limit(client, calendar_server, monkeypatch):
    monkeypatch.setattr(fetch, "FETCH_TIMEOUT", 1)
    as_user(client, UserFactory(national=True))
    started = monotonic()
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(url=f"{calendar_server}/en-tetes-lents.ics")
    )

    assert monotonic() - started < 6
    assert response.status_code == 400
    assert imports.UNREACHABLE in response.content.decode()
    assert not ImportSource.objects.exists()


def test_new_source_needs_an_url_or_a_file(client):
    as_user(client, UserFactory(national=True))
    response = client.post("/espace/evenements/sources/nouvelle/", source_form())

    assert response.status_code == 400
    assert "Indiquez l’adresse du calendrier ou choisissez un fichier" in response.content.decode()


def test_new_upload_of_a_file_source_and_bad_upload_keeps_events(client):
    src = source()
    imported(src, "feed.ics", now=timezone.now())
    as_user(client, UserFactory(national=True))

    response = client.post(
        f"/espace/evenements/sources/{src.pk}/importer/", {"file": upload("truncated.ics")}
    )
    assert response.status_code == 400
    assert "il est tronqué" in response.content.decode()
    assert src.events.filter(missing_from_source_since__isnull=True).count() == src.events.count()


def test_import_now_button_for_url_sources(client, calendar_server):
    src = source(url=f"{calendar_server}/agenda.ics")
    as_user(client, UserFactory(national=True))

    page = client.get(f"/espace/evenements/sources/{src.pk}/")
    assert "Importer maintenant" in page.content.decode()
    response = client.post(f"/espace/evenements/sources/{src.pk}/importer/")
    assert response.status_code == 302
    assert src.runs.get().created == src.events.count() > 0


@pytest.mark.parametrize(
    "path",
    [
        "/espace/evenements/sources/",
        "/espace/evenements/sources/nouvelle/",
        "/espace/evenements/sources/{pk}/",
    ],
)
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("ambassador", 403), ("reviewer", 403), ("regional", 200), ("national", 200)],
)
def test_source_pages_permissions(client, path, role, status):
    src = source()
    users = {
        "anonymous": None,
        "ambassador": lambda: ambassador_user(),
        "reviewer": lambda: UserFactory(reviewer=True),
        "regional": lambda: regional_user("84"),
        "national": lambda: UserFactory(national=True),
    }
    user = users[role]() if users[role] else None
    response = as_user(client, user).get(path.format(pk=src.pk))

    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("role", ["ambassador", "anonymous"])
def test_import_now_is_refused_to_others(client, role):
    src = source(url="https://exemple.fr/agenda.ics")
    user = ambassador_user() if role == "ambassador" else None
    response = as_user(client, user).post(f"/espace/evenements/sources/{src.pk}/importer/")

    assert response.status_code == (403 if user else 302)
    assert not src.runs.exists()


def test_dashboard_links_to_sources_for_coordinators(client):
    body = as_user(client, UserFactory(national=True)).get("/espace/").content.decode()
    assert "/espace/evenements/sources/" in body
    body = as_user(client, ambassador_user()).get("/espace/").content.decode()
    assert "/espace/evenements/sources/" not in body


def test_source_list_query_count_does_not_grow(client):
    as_user(client, UserFactory(national=True))
    src = source()
    imported(src, "feed.ics")
    client.get("/espace/evenements/sources/")
    with CaptureQueriesContext(connection) as one:
        client.get("/espace/evenements/sources/")
    for n in range(3):
        other = source(name=f"Source {n}")
        imported(other, "feed_changed.ics")
    with CaptureQueriesContext(connection) as four:
        client.get("/espace/evenements/sources/")
    assert len(four) == len(one)
