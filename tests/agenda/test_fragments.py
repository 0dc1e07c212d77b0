"""The agenda's cached fragments (core/fragments.py) never show a page as it was: a change to an event, to its
place, to a reference list of the filters, or other filters sent, shows on the next request."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext

from ambassadors.models import Topic
from core.fragments import whole_page
from territories.models import Commune
from tests.agenda.factories import EventFactory

pytestmark = pytest.mark.django_db


def _page(client, url="/agenda/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_fragments_changed_event_shows_at_once(client):
    event = EventFactory(title="Atelier avant")
    assert "Atelier avant" in _page(client)

    event.title = "Atelier après"
    event.save()

    body = _page(client)
    assert "Atelier après" in body and "Atelier avant" not in body


def test_fragments_new_and_removed_events_show_at_once(client):
    EventFactory(title="Premier atelier")
    assert "1 événement" in _page(client)

    second = EventFactory(title="Second atelier")
    body = _page(client)
    assert "Second atelier" in body and "2 événements" in body

    second.delete()
    assert "Second atelier" not in _page(client)


def test_fragments_commune_renamed_by_the_reference_data_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    """``load_reference_data`` writes in bulk (no signal): it drops the reference lists' version when it ends, so
    the page kept whole for anonymous visitors (``core.fragments.whole_page``) and its cards are rendered again."""
    event = EventFactory(venue_name="", address="")
    Commune.objects.filter(pk=event.commune_id).update(name="Lugdunum")  # as an earlier release of the data
    assert "Lugdunum" in _page(client)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_reference_data", verbosity=0)

    body = _page(client)
    assert "Lyon" in body and "Lugdunum" not in body


def test_fragments_commune_renamed_in_the_admin_shows_at_once(client, django_capture_on_commit_callbacks):
    event = EventFactory(venue_name="", address="")
    assert "Lyon" in _page(client)
    commune = Commune.objects.get(pk=event.commune_id)

    with django_capture_on_commit_callbacks(execute=True):
        commune.name = "Lugdunum"
        commune.save()

    body = _page(client)
    assert "Lugdunum" in body


def test_fragments_whole_page_is_not_served_to_a_signed_in_person(client, django_user_model):
    EventFactory(title="Atelier gardé")
    _page(client)  # kept for anonymous visitors
    user = django_user_model.objects.create_user(email="coordination@example.test", password="x-Secret-2026")
    client.force_login(user)

    response = client.get("/agenda/")

    assert "Se déconnecter" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_fragments_whole_page_shows_a_message_waiting(client):
    """A message waiting for the visitor (its cookie) is shown on the page, not the page kept for everyone."""
    EventFactory(title="Atelier gardé")
    _page(client)
    storage = CookieStorage(HttpRequest())
    response = HttpResponse()
    storage.add(messages.SUCCESS, "Votre demande a bien été envoyée.")
    storage.update(response)
    client.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value

    assert "Votre demande a bien été envoyée." in _page(client)


def test_fragments_renamed_topic_shows_in_the_filters_at_once(client, django_capture_on_commit_callbacks):
    EventFactory()
    topic = Topic.objects.get(slug="production")
    assert f">{topic.name}</option>" in _page(client)

    with django_capture_on_commit_callbacks(execute=True):
        topic.name = "Production et logistique"
        topic.save()

    assert ">Production et logistique</option>" in _page(client)


def test_fragments_filters_sent_are_kept_in_the_form(client):
    EventFactory()
    _page(client)

    body = _page(client, "/agenda/?region=84&q=atelier")

    assert '<option value="84" selected>' in body
    assert 'value="atelier"' in body
    assert '<option value="84" selected>' not in _page(client, "/agenda/?region=76")


def test_fragments_invalid_filter_shows_its_error_after_a_valid_one(client):
    EventFactory()
    _page(client, "/agenda/?region=84")

    response = client.get("/agenda/?region=xx")

    assert response.status_code == 400
    assert "fr-select-group--error" in response.content.decode()


def test_fragments_cached_page_reads_no_reference_list_nor_event_row(client):
    """Warm, the list asks the database only for the events' version (``agenda.selectors.events_version``): the
    page kept whole for anonymous visitors (``core.fragments.whole_page``) is served as it was sent."""
    EventFactory()
    EventFactory()
    first = _page(client)

    with CaptureQueriesContext(connection) as queries:
        again = _page(client)

    assert again == first
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries]
    assert tables == ['"agenda_event"'], tables


def test_fragments_menu_marks_each_page_as_current(client):
    """The menu is cached per page (core/templates/base.html): each page marks its own link."""
    agenda = _page(client)
    directory = _page(client, "/ambassadeurs/")

    assert 'href="/agenda/" aria-current="page"' in agenda
    assert 'href="/ambassadeurs/" aria-current="page"' in directory
    assert 'href="/agenda/" aria-current="page"' not in directory


def test_fragments_region_page_shows_a_changed_ambassador_and_event_at_once(client):
    from tests.factories import AmbassadorFactory

    ambassador = AmbassadorFactory(published=True, regions=["84"], topics=["production"], last_name="Avant")
    event = EventFactory(title="Atelier avant")
    body = _page(client, "/regions/84/")
    assert "Avant" in body and "Atelier avant" in body

    ambassador.last_name = "Après"
    ambassador.save()
    ambassador.topics.set(Topic.objects.filter(slug="donnees"))
    event.title = "Atelier après"
    event.save()

    body = _page(client, "/regions/84/")
    assert "Après" in body and "Atelier après" in body
    assert Topic.objects.get(slug="donnees").name in body
    directory = _page(client, "/ambassadeurs/")
    assert "Après" in directory and Topic.objects.get(slug="donnees").name in directory


@pytest.mark.parametrize("shown", [True, False])
def test_fragments_whole_page_keeps_no_page_with_a_message_of_the_request(rf, shown):
    """A message added while the page is made, shown by it (the template's loop empties the queue) or not, is the
    visitor's own: that page is not kept for the next visitor."""
    request = rf.get("/agenda/")
    request._messages = CookieStorage(request)
    messages.success(request, "Votre demande a bien été envoyée.")
    if shown:
        list(request._messages)  # as base.html's {% for message in messages %}
    whole_page(request, "version", lambda: HttpResponse("Votre demande a bien été envoyée."))

    rendered = []
    whole_page(rf.get("/agenda/"), "version", lambda: rendered.append(1) or HttpResponse("Agenda"))

    assert rendered == [1]


def test_fragments_month_kept_whole_shows_a_change_at_once(client):
    event = EventFactory(title="Atelier avant")
    month = f"/agenda/mois/{event.starts_at:%Y-%m}/"
    first = _page(client, month)
    assert "Atelier avant" in first

    with CaptureQueriesContext(connection) as queries:
        again = client.get(month)
    assert again.content.decode() == first
    assert again.templates == []  # kept whole (core.fragments.whole_page), not rendered
    assert len(queries) == 1  # the events' last change

    event.title = "Atelier après"
    event.save()
    body = _page(client, month)
    assert "Atelier après" in body and "Atelier avant" not in body
