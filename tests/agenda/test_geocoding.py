"""An event written through the form or the API gets its venue's coordinates from its address (Base Adresse
Nationale, territories/addresses.py, against a local stand-in), in a task once the write is committed: its point
moves to the venue (then « près de » measures the distance to it), without a change of moderation or SEQUENCE. A new
address is looked up again; an address emptied, or the event gone online, clears them. Imported events keep their
feed's coordinates and are never looked up. The contribution form suggests addresses as one types when the service
is set, and works the same without it or with it down."""

from decimal import Decimal

import pytest

from agenda import services, versions
from agenda.enums import Mode, Moderation
from agenda.models import Event, ImportSource
from territories.geo import km_between, near, origin_for
from territories.models import Commune, Region
from tests.agenda.conftest import ambassador_user, as_user, contribution_data, regional_user
from tests.agenda.factories import EventFactory
from tests.territories.address_server import (  # noqa: F401 (the fixture address_search)
    ERROR,
    HOUSENUMBER,
    SLOW,
    STREET,
    UNKNOWN,
    address_search_fixture,
)

pytestmark = pytest.mark.django_db

VENUE = (45.766885, 4.879914)  # 28 Avenue Henri Barbusse, Villeurbanne (tests/territories/data)
ZOLA = (45.770433, 4.88095)  # Cours Émile Zola, Villeurbanne
FORM = "/espace/evenements/nouveau/"


def in_villeurbanne(**overrides) -> dict:
    return contribution_data(**{"address": "28 avenue Henri Barbusse", "postcode": "69100", **overrides})


def propose(client, user, data, django_capture_on_commit_callbacks) -> Event:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(client, user).post(FORM, data)
    assert response.status_code == 302, response.content.decode()
    return Event.objects.get(created_by=user)


def edit(event, by, django_capture_on_commit_callbacks, **changes) -> Event:
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(by=by, event=event, data=changes)
    return Event.objects.get(pk=event.pk)


def point(event) -> tuple:
    return (event.point_latitude, event.point_longitude)


def test_a_new_event_gets_its_venue_and_keeps_its_moderation_and_sequence(
    client, address_search, django_capture_on_commit_callbacks
):
    regional = regional_user()
    event = propose(client, regional, in_villeurbanne(), django_capture_on_commit_callbacks)

    assert (event.latitude, event.longitude) == (Decimal("45.766885"), Decimal("4.879914"))
    assert point(event) == VENUE and event.is_located_at_venue
    assert (event.moderation, event.sequence) == (Moderation.PUBLISHED, 0)
    # The published version takes the coordinates in: the public sees this address, nothing is left to moderate.
    assert event.published_snapshot["latitude"] == "45.766885"
    assert versions.changes_since_published(event) == []
    assert address_search.requests == ["/search/?q=28+avenue+Henri+Barbusse&limit=1&citycode=69266"]


def test_near_measures_to_the_venue_once_found(
    client, address_search, django_capture_on_commit_callbacks, settings
):
    regional = regional_user()
    lyon = origin_for("69001")
    villeurbanne = Commune.objects.get(code="69266")
    settings.ADDRESS_LOOKUP_URL = ""  # first without the service: the commune's centre
    event = propose(client, regional, in_villeurbanne(), django_capture_on_commit_callbacks)
    centre = (villeurbanne.latitude, villeurbanne.longitude)
    assert point(event) == centre and not event.is_located_at_venue
    assert address_search.requests == []

    settings.ADDRESS_LOOKUP_URL = f"http://127.0.0.1:{address_search.server_address[1]}"
    assert services.event_geocode(event.pk) is True

    found = near(Event.objects.all(), lyon, 10, latitude="point_latitude", longitude="point_longitude").get()
    expected = km_between((lyon.latitude, lyon.longitude), VENUE)
    assert found.pk == event.pk
    assert found.distance_km == pytest.approx(expected, abs=0.01)
    assert abs(expected - km_between((lyon.latitude, lyon.longitude), centre)) > 0.3  # it did move
    assert not near(
        Event.objects.all(), lyon, 2, latitude="point_latitude", longitude="point_longitude"
    ).exists()


def test_an_ambassadors_event_stays_in_moderation_with_nothing_more_to_judge(
    client, address_search, django_capture_on_commit_callbacks
):
    ambassador = ambassador_user()
    event = propose(client, ambassador, in_villeurbanne(), django_capture_on_commit_callbacks)

    assert point(event) == VENUE
    assert (event.moderation, event.sequence, event.published_snapshot) == (Moderation.SUBMITTED, 0, None)
    assert not event.steps.exists()


def test_a_new_address_is_looked_up_again_and_an_unknown_one_falls_back_to_the_commune(
    client, address_search, django_capture_on_commit_callbacks
):
    regional = regional_user()
    event = propose(client, regional, in_villeurbanne(), django_capture_on_commit_callbacks)

    event = edit(event, regional, django_capture_on_commit_callbacks, address="Cours Emile Zola")
    assert point(event) == ZOLA
    assert (event.moderation, event.sequence) == (Moderation.PUBLISHED, 1)  # the address's change, once
    assert event.published_snapshot["longitude"] == "4.880950"

    event = edit(event, regional, django_capture_on_commit_callbacks, address=UNKNOWN)
    assert (event.latitude, event.longitude) == (None, None)  # the former address's point is not kept
    assert point(event) == (event.commune.latitude, event.commune.longitude)


def test_an_address_emptied_or_an_event_gone_online_clears_the_coordinates(
    client, address_search, django_capture_on_commit_callbacks
):
    regional = regional_user()
    event = propose(client, regional, in_villeurbanne(), django_capture_on_commit_callbacks)
    asked = len(address_search.requests)

    emptied = edit(event, regional, django_capture_on_commit_callbacks, address="")
    assert (emptied.latitude, emptied.longitude) == (None, None)
    assert point(emptied) == (emptied.commune.latitude, emptied.commune.longitude)

    emptied = edit(emptied, regional, django_capture_on_commit_callbacks, address=HOUSENUMBER)
    assert point(emptied) == VENUE
    online = edit(
        emptied,
        regional,
        django_capture_on_commit_callbacks,
        mode=Mode.ONLINE,
        online_url="https://visio.exemple.fr/a",
    )
    assert (online.latitude, online.longitude, online.point_latitude) == (None, None, None)
    assert len(address_search.requests) == asked  # the same address again: the client's cache answered


def test_an_unchanged_address_is_not_looked_up_again(
    client, address_search, django_capture_on_commit_callbacks
):
    regional = regional_user()
    event = propose(client, regional, in_villeurbanne(), django_capture_on_commit_callbacks)
    event = edit(event, regional, django_capture_on_commit_callbacks, title="Café IA de Villeurbanne")
    assert point(event) == VENUE
    assert len(address_search.requests) == 1


def test_imported_events_keep_their_feeds_coordinates_and_are_never_looked_up(
    address_search, django_capture_on_commit_callbacks
):
    region = Region.objects.get(code="84")
    source = ImportSource.objects.create(
        name="Agenda CCI", url="https://agenda.exemple.fr/a.ics", default_region=region
    )
    event = EventFactory(
        source=source, source_uid="a-1", latitude=Decimal("45.7600"), longitude=Decimal("4.8400")
    )
    regional = regional_user()

    event = edit(event, regional, django_capture_on_commit_callbacks, address=STREET)
    assert (event.latitude, event.longitude) == (Decimal("45.760000"), Decimal("4.840000"))
    event = edit(event, regional, django_capture_on_commit_callbacks, address="")
    assert point(event) == (45.76, 4.84)
    assert services.event_geocode(event.pk) is False
    assert address_search.requests == []


def test_the_lookup_waits_for_the_commit(client, address_search, django_capture_on_commit_callbacks):
    regional = regional_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_user(client, regional).post(FORM, in_villeurbanne())
    event = Event.objects.get(created_by=regional)
    assert event.latitude is None and address_search.requests == []
    assert len(callbacks) == 1


def test_the_form_works_with_the_service_down_or_slow(
    client, address_search, django_capture_on_commit_callbacks
):
    regional = regional_user()
    for n, address in enumerate((ERROR, SLOW)):
        data = in_villeurbanne(address=address, title=f"Café IA n° {n}")
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(client, regional).post(FORM, data)
        assert response.status_code == 302
        event = Event.objects.get(title=f"Café IA n° {n}")
        assert (event.latitude, event.moderation) == (None, Moderation.PUBLISHED)
        assert point(event) == (event.commune.latitude, event.commune.longitude)


def test_the_form_suggests_addresses_only_when_the_service_is_set(client, settings, address_search):
    page = as_user(client, regional_user()).get(FORM).content.decode()
    assert 'data-address-suggestions="/territoires/adresses/suggestions/"' in page
    assert 'data-postcode="id_postcode" data-commune="id_commune_name"' in page
    assert '<script src="/static/territories/address-suggestions.js" defer></script>' in page
    assert 'name="address" value="" maxlength="300" autocomplete="off"' in page

    settings.ADDRESS_LOOKUP_URL = ""
    page = client.get(FORM).content.decode()
    assert "data-address-suggestions" not in page and "address-suggestions.js" not in page
    assert 'name="address" value="" maxlength="300">' in page  # a plain text input
