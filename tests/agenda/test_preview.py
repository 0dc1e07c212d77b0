"""See before you publish: the last published version of an event is kept by every door that publishes it; the
moderation page shows the event as the public will see it and, when it comes back to moderation, what changed;
a new event is never postponed nor cancelled, whichever door; the form's place follows an address, its ambassadors
are those who may be listed, the creator ticked; what awaits a person on the agenda's side."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda import services, versions
from agenda.enums import Moderation, Status
from agenda.imports import import_calendar
from agenda.models import Event, ImportSource
from agenda.selectors import awaiting_for_user
from ambassadors.models import Topic
from core.awaiting import SOURCES, awaiting_for
from territories.models import Region
from tests.agenda.conftest import ambassador_user, as_user, contribution_data, regional_user
from tests.agenda.factories import EventFactory, at, in_days
from tests.api.conftest import bearer, event_payload, issue_key
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db

NB = "\u00a0"
DATA = Path(__file__).parent / "data"
IMPORT_NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)


def _created(client, user, **overrides) -> Event:
    response = as_user(client, user).post("/espace/evenements/nouveau/", contribution_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Event.objects.latest("pk")


def _page(client, user, event) -> str:
    response = as_user(client, user).get(f"/espace/evenements/{event.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# The snapshot, at every door that publishes.


def test_snapshot_written_when_a_moderator_publishes(client, ambassador, regional):
    event = _created(client, ambassador)
    assert (event.moderation, event.published_snapshot) == (Moderation.SUBMITTED, None)

    services.event_transition(event=event, by=regional, action="publish")

    event.refresh_from_db()
    assert event.published_snapshot["title"] == "Café IA des dirigeants lyonnais"
    assert event.published_snapshot["venue_name"] == "Maison des entreprises"
    assert event.published_snapshot["commune"] == event.commune_id
    assert event.published_snapshot["topics"] == [t.pk for t in event.topics.all()]


def test_snapshot_written_at_a_direct_publication(client, regional):
    event = _created(client, regional)

    assert event.moderation == Moderation.PUBLISHED
    assert event.published_snapshot["title"] == "Café IA des dirigeants lyonnais"


def test_snapshot_follows_a_direct_publisher_edit_and_a_status_change(client, regional):
    event = _created(client, regional)
    as_user(client, regional).post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(title="Café IA, deuxième édition")
    )
    services.event_set_status(event=Event.objects.get(pk=event.pk), by=regional, status=Status.FULL)

    event.refresh_from_db()
    assert event.published_snapshot["title"] == "Café IA, deuxième édition"
    assert event.published_snapshot["status"] == Status.FULL


def test_snapshot_kept_when_an_untrusted_edit_sends_the_event_back(client, ambassador, regional):
    event = _created(client, ambassador)
    services.event_transition(event=event, by=regional, action="publish")

    as_user(client, ambassador).post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(venue_name="Salle Molière")
    )

    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED
    assert event.venue_name == "Salle Molière"
    assert event.published_snapshot["venue_name"] == "Maison des entreprises"


def test_snapshot_written_by_a_trusted_import_at_creation_and_update():
    src = ImportSource.objects.create(
        name="Agenda de la CCI", default_region=Region.objects.get(code="84"), publish_directly=True
    )
    feed = (DATA / "feed.ics").read_bytes()
    import_calendar(source=src, content=feed, now=IMPORT_NOW)
    event = Event.objects.get(source=src, source_uid="conf-ia-lyon@partenaire.exemple")
    assert event.moderation == Moderation.PUBLISHED
    assert event.published_snapshot["title"] == event.title

    changed = feed.replace(b"SEQUENCE:0", b"SEQUENCE:1").replace(b"Lyon", b"Lyon (nouvelle salle)", 1)
    import_calendar(source=src, content=changed, now=IMPORT_NOW)

    event.refresh_from_db()
    assert event.published_snapshot == {
        **event.published_snapshot,
        "title": event.title,
        "description": event.description,
    }


def test_snapshot_written_when_a_partner_event_is_published_and_its_status_changes(client):
    key = issue_key(UserFactory(role="national_coordinator"), "CCI Occitanie", "agenda@cci.test", ["76"])
    url = "/api/v1/partenaires/evenements"
    created = client.post(url, event_payload(), content_type="application/json", **bearer(key.raw))
    assert created.status_code == 201, created.content
    event = Event.objects.get(pk=created.json()["id"])
    assert event.published_snapshot is None
    services.event_transition(event=event, by=regional_user("76"), action="publish")

    response = client.put(
        f"{url}/{event.pk}", event_payload(statut="full"), content_type="application/json", **bearer(key.raw)
    )

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.moderation == Moderation.PUBLISHED
    assert event.published_snapshot["status"] == Status.FULL


# The moderation page: the preview, the changes.


def test_preview_shows_the_public_page_description_venue_organiser_and_ambassadors(client, regional):
    listed = AmbassadorFactory(published=True, regions=["84"], first_name="Line", last_name="Présente")
    event = EventFactory(
        submitted=True,
        description="Un atelier **concret**.<script>alert(1)</script>",
        venue_name="Maison des entreprises",
        address="12 rue de la République",
        organizer_name="CCI Lyon Métropole",
        ambassadors=[listed],
    )

    page = _page(client, regional, event)

    preview = page.split('id="apercu"', 1)[1]
    assert "Aperçu de la page publique" in page
    assert "Un atelier <strong>concret</strong>." in preview  # rendered as on the public page
    assert "<script>alert(1)</script>" not in page  # and sanitised
    assert "Maison des entreprises, 12 rue de la République" in preview
    assert "CCI Lyon Métropole" in preview
    assert "Line Présente" in preview
    assert "En attente de modération" in page
    assert "Modifications depuis la dernière publication" not in page  # never published


def test_diff_shows_each_changed_field_before_and_after_with_readable_labels(client, ambassador, regional):
    before = AmbassadorFactory(published=True, regions=["84"], first_name="Alix", last_name="Avant")
    after = AmbassadorFactory(published=True, regions=["84"], first_name="Brune", last_name="Après")
    event = _created(client, ambassador, ambassadors=[str(before.pk)])
    services.event_transition(event=event, by=regional, action="publish")

    as_user(client, ambassador).post(
        f"/espace/evenements/{event.pk}/modifier/",
        contribution_data(venue_name="Salle Molière", ambassadors=[str(after.pk)], is_free=None),
    )
    page = _page(client, regional, Event.objects.get(pk=event.pk))

    assert "Modifications depuis la dernière publication" in page
    rows = {
        re.sub(r"<[^>]+>", "", m[0]).strip(): [re.sub(r"<[^>]+>", "", c).strip() for c in m[1:]]
        for m in re.findall(r"<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", page, re.S)
    }
    assert rows == {
        "Nom du lieu": ["Maison des entreprises", "Salle Molière"],
        "Gratuit": ["Oui", "Non"],
        "Ambassadeurs présents": ["Alix Avant", "Brune Après"],
    }
    assert "3 champs modifiés par rapport à la dernière version publiée" in page


def test_diff_of_dates_is_in_french_on_the_event_clock(client, ambassador, regional):
    event = _created(client, ambassador)
    services.event_transition(event=event, by=regional, action="publish")
    day = (event.starts_at + timedelta(days=1)).date()

    as_user(client, ambassador).post(
        f"/espace/evenements/{event.pk}/modifier/",
        contribution_data(starts_at=f"{day:%Y-%m-%d}T14:30", ends_at=f"{day:%Y-%m-%d}T17:00"),
    )
    page = _page(client, regional, Event.objects.get(pk=event.pk))

    assert f"à 14{NB}h{NB}30" in page.split("Modifications depuis", 1)[1]
    assert "T14:30" not in page


def _changes(page) -> dict:
    """The rows of « Modifications depuis la dernière publication »: {label: [before, after]}."""
    return {
        re.sub(r"<[^>]+>", "", m[0]).strip(): [re.sub(r"<[^>]+>", "", c).strip() for c in m[1:]]
        for m in re.findall(r"<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", page, re.S)
    }


# An untouched field is no change, whichever door published the event: the version kept and the event read back
# are compared in one canonical form (instants in UTC, decimals as the column stores them, relations sorted).


def test_untouched_event_published_by_a_coordinator_from_the_form_shows_no_change(client, regional):
    event = _created(client, regional)
    assert event.moderation == Moderation.PUBLISHED

    assert versions.changes_since_published(Event.objects.get(pk=event.pk)) == []


@pytest.mark.parametrize("zone", ["", "Europe/Paris", "America/Martinique", "Indian/Reunion"])
def test_form_publication_then_return_to_moderation_lists_only_the_field_changed(client, zone):
    trusted = ambassador_user(trusted=True)
    event = _created(client, trusted, timezone=zone)
    assert event.moderation == Moderation.PUBLISHED
    trusted.ambassador.is_trusted_contributor = False
    trusted.ambassador.save()

    response = as_user(client, trusted).post(
        f"/espace/evenements/{event.pk}/modifier/",
        contribution_data(timezone=zone, venue_name="Salle Molière"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED
    page = _page(client, regional_user(), event)
    assert _changes(page) == {"Nom du lieu": ["Maison des entreprises", "Salle Molière"]}


@pytest.mark.parametrize("zone", [None, "America/Cayenne"])
def test_partner_event_republished_as_it_is_then_changed_lists_only_the_field_changed(client, zone):
    key = issue_key(UserFactory(role="national_coordinator"), "CCI Occitanie", "agenda@cci.test", ["76"])
    url = "/api/v1/partenaires/evenements"
    payload = event_payload(**({"fuseau_horaire": zone} if zone else {}))
    created = client.post(url, payload, content_type="application/json", **bearer(key.raw))
    assert created.status_code == 201, created.content
    event = Event.objects.get(pk=created.json()["id"])
    services.event_transition(event=event, by=regional_user("76"), action="publish")
    again = client.put(f"{url}/{event.pk}", payload, content_type="application/json", **bearer(key.raw))
    assert again.status_code == 200, again.content
    assert versions.changes_since_published(Event.objects.get(pk=event.pk)) == []

    changed = client.put(
        f"{url}/{event.pk}",
        {**payload, "lieu": "Salle Molière"},
        content_type="application/json",
        **bearer(key.raw),
    )

    assert changed.status_code == 200, changed.content
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED
    page = _page(client, regional_user("76"), event)
    assert _changes(page) == {"Nom du lieu": ["CCI Toulouse", "Salle Molière"]}


def test_untouched_events_of_a_trusted_import_show_no_change():
    src = ImportSource.objects.create(
        name="Agenda de la CCI", default_region=Region.objects.get(code="84"), publish_directly=True
    )
    import_calendar(source=src, content=(DATA / "feed.ics").read_bytes(), now=IMPORT_NOW)

    events = Event.objects.filter(source=src, moderation=Moderation.PUBLISHED)
    assert events.count() == 3
    assert {e.source_uid: versions.changes_since_published(e) for e in events} == {
        e.source_uid: [] for e in events
    }


def test_coordinates_published_directly_are_kept_as_the_column_stores_them(regional):
    event = EventFactory(created_by=regional)

    services.event_save(
        by=regional, event=event, data={"latitude": Decimal("45.75"), "longitude": Decimal("4.8")}, m2m={}
    )

    event = Event.objects.get(pk=event.pk)
    assert event.moderation == Moderation.PUBLISHED
    assert (event.published_snapshot["latitude"], event.published_snapshot["longitude"]) == (
        "45.750000",
        "4.800000",
    )
    assert versions.changes_since_published(event) == []


def test_a_version_kept_in_another_form_is_compared_on_canonical_values(regional):
    topics = list(Topic.objects.order_by("pk")[:2])
    event = EventFactory(
        submitted=True,
        latitude="45.750000",
        longitude="4.800000",
        starts_at=datetime(2027, 3, 10, 9, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 10, 11, 0, tzinfo=UTC),
        description="",
        topics=[t.slug for t in topics],
    )
    kept = versions.snapshot(event)
    kept.update(
        starts_at="2027-03-10T10:00:00+01:00",
        ends_at="2027-03-10T12:00:00.000+01:00",
        latitude="45.75",
        longitude=4.8,
        description=None,
        topics=sorted((t.pk for t in topics), reverse=True),
    )
    event.published_snapshot = kept
    event.save()

    assert versions.changes_since_published(Event.objects.get(pk=event.pk)) == []


def test_moderation_page_queries_do_not_grow_with_the_ambassadors(client, ambassador, regional):
    def count(n):
        people = [AmbassadorFactory(published=True, regions=["84"]) for _ in range(n)]
        event = _created(client, ambassador, ambassadors=[])
        services.event_transition(event=event, by=regional, action="publish")
        as_user(client, ambassador).post(
            f"/espace/evenements/{event.pk}/modifier/",
            contribution_data(ambassadors=[str(a.pk) for a in people]),
        )
        as_user(client, regional)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/espace/evenements/{event.pk}/")
        assert response.status_code == 200
        return len(queries)

    assert count(1) == count(3)


def test_contributor_lands_on_the_preview_with_what_happens_next(client, ambassador, regional):
    response = as_user(client, ambassador).post(
        "/espace/evenements/nouveau/", contribution_data(), follow=True
    )
    page = response.content.decode()
    assert "en attente de modération" in page
    assert "Aperçu de la page publique" in page

    response = as_user(client, regional).post("/espace/evenements/nouveau/", contribution_data(), follow=True)
    assert (
        f"L’événement est publié{NB}: voici sa page telle que le public la voit." in response.content.decode()
    )


# A new event is never postponed nor cancelled.


@pytest.mark.parametrize("status", [Status.POSTPONED, Status.CANCELLED, Status.MOVED_ONLINE])
def test_form_refuses_a_new_event_postponed_or_cancelled(client, regional, status):
    response = as_user(client, regional).post(
        "/espace/evenements/nouveau/", contribution_data(status=status.value)
    )

    assert response.status_code == 400
    assert "Un nouvel événement est créé" in response.content.decode()
    assert not Event.objects.exists()


def test_form_offers_no_postponed_nor_cancelled_status_at_creation_but_does_after(client, regional):
    page = as_user(client, regional).get("/espace/evenements/nouveau/").content.decode()
    assert 'value="postponed"' not in page and 'value="cancelled"' not in page
    assert 'value="moved_online"' not in page
    assert 'value="scheduled"' in page and 'value="full"' in page

    event = EventFactory()
    page = client.get(f"/espace/evenements/{event.pk}/modifier/").content.decode()
    assert 'value="postponed"' in page and 'value="cancelled"' in page


@pytest.mark.parametrize("status", [Status.POSTPONED, Status.CANCELLED, Status.MOVED_ONLINE])
def test_service_refuses_a_new_event_postponed_or_cancelled(regional, status):
    data = {
        "title": "Atelier",
        "starts_at": datetime(2027, 3, 1, 14, tzinfo=UTC),
        "ends_at": datetime(2027, 3, 1, 16, tzinfo=UTC),
        "region": Region.objects.get(code="84"),
        "status": status,
    }

    with pytest.raises(services.AgendaError) as refused:
        services.event_save(by=regional, data=data)

    assert refused.value.field == "status"
    assert not Event.objects.exists()


@pytest.mark.parametrize("status", ["postponed", "cancelled", "moved_online"])
def test_partner_api_refuses_a_new_event_postponed_or_cancelled(client, status):
    key = issue_key(UserFactory(role="national_coordinator"), "CCI Occitanie", "agenda@cci.test", ["76"])

    response = client.post(
        "/api/v1/partenaires/evenements",
        event_payload(statut=status),
        content_type="application/json",
        **bearer(key.raw),
    )

    assert response.status_code == 400
    assert "Un nouvel événement est créé" in response.json()["erreurs"]["statut"][0]
    assert not Event.objects.exists()


# The form: an address, the ambassadors who may be listed, the creator ticked.


def test_form_asks_the_place_in_the_order_of_an_address(client, regional):
    page = as_user(client, regional).get("/espace/evenements/nouveau/").content.decode()

    names = ["venue_name", "address", "postcode", "commune_name", "region"]
    positions = [page.index(f'name="{name}"') for name in names]
    assert positions == sorted(positions)


def test_form_commune_chosen_among_those_of_the_postcode(client, regional):
    event = _created(client, regional, postcode="01100", commune_name="bellignat")
    assert event.commune.name == "Bellignat"

    response = as_user(client, regional).post(
        "/espace/evenements/nouveau/", contribution_data(postcode="01100", commune_name="Lyon")
    )
    assert response.status_code == 400
    assert "Cette commune n’a pas le code postal 01100" in response.content.decode()


def test_creator_ambassador_is_ticked_among_the_ambassadors_present(client, ambassador):
    page = as_user(client, ambassador).get("/espace/evenements/nouveau/").content.decode()

    own = ambassador.ambassador
    assert re.search(rf'value="{own.pk}" checked', page)


def test_coordinator_creator_ticks_no_one(client, regional):
    AmbassadorFactory(published=True, regions=["84"])
    page = as_user(client, regional).get("/espace/evenements/nouveau/").content.decode()

    assert " checked>" not in page.split('id="id_ambassadors-set"', 1)[1].split("</fieldset>", 1)[0]


def test_ambassadors_offered_are_those_of_the_region_or_national(client, regional):
    here = AmbassadorFactory(published=True, regions=["84"], first_name="Ici", last_name="Rhône")
    national = AmbassadorFactory(
        published=True, regions=["76"], is_national=True, first_name="Par", last_name="Tout"
    )
    elsewhere = AmbassadorFactory(published=True, regions=["76"], first_name="Là", last_name="Bas")
    hidden = AmbassadorFactory(regions=["84"], first_name="Pas", last_name="Publié")

    page = as_user(client, regional).get("/espace/evenements/nouveau/").content.decode()
    listed = page.split('id="id_ambassadors-set"', 1)[1].split("</fieldset>", 1)[0]

    assert f'value="{here.pk}"' in listed
    assert f'value="{national.pk}"' in listed
    assert f'value="{elsewhere.pk}"' not in listed
    assert f'value="{hidden.pk}"' not in listed


# What awaits a person.


def test_awaiting_is_registered_in_core():
    assert "agenda.selectors.awaiting_for_user" in SOURCES


def test_awaiting_for_a_moderator_counts_new_and_changed_events_of_the_region(client, ambassador, regional):
    # Both start within the week (the factory's default, seven days ahead on Paris's calendar, is past a week from
    # now in UTC late in the evening).
    EventFactory(submitted=True, starts_at=at(in_days(3), 14, 30))
    changed = EventFactory(submitted=True, starts_at=at(in_days(3), 16, 0))
    Event.objects.filter(pk=changed.pk).update(published_snapshot={"title": "Avant"})
    EventFactory(submitted=True, region_code="76", commune_code=None)  # another region

    [line] = awaiting_for_user(regional)

    # One definition: new or come back with changes, an event waiting for the moderator's decision is « à modérer ».
    assert line.label == "Événements à modérer, dont 1 revenu avec des modifications"
    assert line.count == 2
    assert line.url == "/espace/evenements/?etat=a-moderer"
    assert line.urgent  # they start within a week
    assert line.label in {item.label for item in awaiting_for(regional)}


def test_awaiting_for_an_ambassador_counts_their_own_events(client, ambassador):
    EventFactory(submitted=True, created_by=ambassador)
    EventFactory(moderation=Moderation.REFUSED, created_by=ambassador, refusal_reason="Flou")
    EventFactory(created_by=ambassador)
    EventFactory(submitted=True)  # someone else's

    lines = {line.label: line.count for line in awaiting_for_user(ambassador)}

    assert lines == {
        "Mes événements refusés, à corriger": 1,
        "Mes événements en attente de modération": 1,
        "Mes prochains événements publiés": 1,
    }


def test_awaiting_for_someone_who_neither_moderates_nor_contributes_is_empty():
    assert awaiting_for_user(UserFactory()) == []


@pytest.mark.parametrize("who", ["regional", "ambassador"])
def test_awaiting_queries_do_not_grow_with_the_events(who):
    user = regional_user("84") if who == "regional" else ambassador_user()

    def count(n):
        for _ in range(n):
            EventFactory(submitted=True, created_by=user)
        with CaptureQueriesContext(connection) as queries:
            awaiting_for_user(user)
        return len(queries)

    assert count(1) == count(3)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("a-moderer", {"Nouveau", "Revenu"}),
        ("modifies", {"Revenu"}),
        ("en-attente", set()),
        ("", {"Nouveau", "Revenu", "Publié"}),
    ],
)
def test_back_office_list_filters_by_awaiting_state(client, regional, state, expected):
    EventFactory(submitted=True, title="Nouveau")
    came_back = EventFactory(submitted=True, title="Revenu")
    Event.objects.filter(pk=came_back.pk).update(published_snapshot={"title": "Avant"})
    EventFactory(title="Publié")

    response = as_user(client, regional).get("/espace/evenements/", {"etat": state} if state else {})

    assert response.status_code == 200
    table = response.content.decode().split("<tbody>", 1)[1]
    assert {t for t in ("Nouveau", "Revenu", "Publié") if f">{t}</a>" in table} == expected


def test_back_office_list_unknown_state_is_a_400_in_french(client, regional):
    response = as_user(client, regional).get("/espace/evenements/", {"etat": "n-importe"})

    assert response.status_code == 400
    assert "Ce filtre n’existe pas" in response.content.decode()


# Who sees the moderation page (with its preview and changes) and the filtered list.

MATRIX = {
    "anonymous": (302, 302),
    "ambassador of the region (not the creator)": (404, 200),
    "creator": (200, 200),
    "regional coordinator": (200, 200),
    "coordinator of another region": (404, 200),
    "national coordinator": (200, 200),
}


@pytest.mark.parametrize(("role", "expected"), MATRIX.items())
def test_moderation_page_and_filtered_list_match_matrix_for_role(client, role, expected):
    creator = ambassador_user(first_name="Chloé", last_name="Créatrice")
    event = EventFactory(submitted=True, created_by=creator, title="Secret à modérer")
    Event.objects.filter(pk=event.pk).update(published_snapshot={"title": "Ancien titre secret"})
    user = {
        "anonymous": lambda: None,
        "ambassador of the region (not the creator)": ambassador_user,
        "creator": lambda: creator,
        "regional coordinator": lambda: regional_user("84"),
        "coordinator of another region": lambda: regional_user("76"),
        "national coordinator": lambda: UserFactory(role="national_coordinator"),
    }[role]()

    detail = as_user(client, user).get(f"/espace/evenements/{event.pk}/")
    listing = client.get("/espace/evenements/", {"etat": "modifies"})

    assert (detail.status_code, listing.status_code) == expected
    if listing.status_code == 200 and role in (
        "ambassador of the region (not the creator)",
        "coordinator of another region",
    ):
        assert "Secret à modérer" not in listing.content.decode()


def test_the_published_version_keeps_exactly_what_moderation_judges():
    """``versions.FIELDS`` (ordered for the diff) and the moderated fields of the services are one list."""
    from agenda import services as agenda_services
    from agenda import versions as agenda_versions

    judged = set(agenda_services.MODERATED_FIELDS) | agenda_services.MODERATED_M2M | {"status"}
    assert set(agenda_versions.FIELDS) == judged
