"""One definition of an event « à modérer » (new, or published and come back with changes), the same in « Ce qui vous
attend », the back office's « À modérer » box and its ``?etat=`` filters; the moderation page offers only the
decisions the event's state allows and says truly what the public sees; the statuses a new event may have; the
list's title for an ambassador."""

import re

import pytest

from agenda import versions
from agenda.enums import Moderation, Status
from agenda.models import Event
from agenda.selectors import awaiting_for_user
from tests.agenda.conftest import ambassador_user, as_user, contribution_data, regional_user
from tests.agenda.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rows(html: str) -> int:
    """The events listed in the back office's table (the « Aucun événement » row counts none)."""
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return len(re.findall(r'<a href="/espace/evenements/\d+/">', table))


def _came_back(**fields) -> Event:
    event = EventFactory(submitted=True, **fields)
    Event.objects.filter(pk=event.pk).update(published_snapshot={"title": "Avant"})
    return event


@pytest.fixture
def scene():
    """For the coordinators of region 84: one new event and one come back with changes to moderate; a published
    one; a regional coordinator's own event waiting in another region (theirs, not for them to moderate); an
    ambassador's events waiting, refused, upcoming."""
    regional = regional_user("84")
    contributor = ambassador_user()
    EventFactory(submitted=True, title="Nouveau", created_by=contributor)
    _came_back(title="Revenu", created_by=contributor)
    EventFactory(title="Publié", created_by=contributor)
    EventFactory(moderation=Moderation.REFUSED, refusal_reason="Flou", created_by=contributor)
    EventFactory(submitted=True, title="Ailleurs", created_by=regional, region_code="76", commune_code=None)
    return regional, contributor


@pytest.mark.parametrize("who", ["regional", "national", "ambassador"])
def test_every_awaiting_link_lists_as_many_events_as_it_counts(client, scene, who):
    regional, contributor = scene
    user = {
        "regional": regional,
        "national": UserFactory(role="national_coordinator"),
        "ambassador": contributor,
    }[who]

    lines = awaiting_for_user(user)

    assert lines
    for line in lines:
        response = as_user(client, user).get(line.url)
        assert response.status_code == 200
        assert _rows(response.content.decode()) == line.count, line.label


def test_to_moderate_box_tab_filter_and_space_agree_for_a_regional_coordinator(client, scene):
    regional, _ = scene

    [line] = awaiting_for_user(regional)
    listing = as_user(client, regional).get("/espace/evenements/").content.decode()
    filtered = client.get("/espace/evenements/", {"etat": "a-moderer"}).content.decode()
    space = client.get("/espace/").content.decode()

    assert line.count == 2
    assert "À modérer (2)" in listing
    assert "Dont 1 événement revenu avec des modifications après publication." in listing
    assert "Ailleurs" not in listing.split("<table>", 1)[0]  # waits for region 76's moderators
    assert _rows(filtered) == 2
    assert "Aucun événement à modérer" not in space
    assert "Événements à modérer, dont 1 revenu avec des modifications" in space


def test_published_event_come_back_is_to_moderate_in_the_space(client):
    regional = regional_user("84")
    _came_back(title="Revenu")

    space = as_user(client, regional).get("/espace/").content.decode()
    filtered = client.get("/espace/evenements/", {"etat": "a-moderer"}).content.decode()

    assert "Aucun événement à modérer" not in space
    assert ">Revenu</a>" in filtered.split("<tbody>", 1)[1]


# The moderation page: only the decisions the state allows, texts true to what the public sees.


def _detail(client, user, event) -> str:
    response = as_user(client, user).get(f"/espace/evenements/{event.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_event_published_at_creation_offers_no_publication_and_says_the_public_sees_it(client):
    regional = regional_user("84")
    response = as_user(client, regional).post("/espace/evenements/nouveau/", contribution_data())
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.moderation == Moderation.PUBLISHED

    page = _detail(client, regional, event)

    assert ">Modérer</h2>" not in page
    assert 'value="publish"' not in page
    assert "une fois publié" not in page
    assert "L’événement tel que le public le voit dans l’agenda." in page


def test_waiting_event_offers_publish_and_refuse_and_says_once_published(client):
    regional = regional_user("84")
    event = EventFactory(submitted=True)

    page = _detail(client, regional, event)

    assert ">Modérer</h2>" in page
    assert 'value="publish"' in page and 'value="refuse"' in page
    assert "tel que le public le verra dans l’agenda, une fois publié." in page


def test_event_come_back_says_the_public_no_longer_sees_it(client):
    regional = regional_user("84")
    event = _came_back(title="Nouveau titre")

    page = _detail(client, regional, event)

    assert "la version que le public voyait" not in page
    assert "n’est plus affiché publiquement" in page
    assert client.get(f"/agenda/{event.slug}/").status_code == 404  # what the page says is true


def test_contributor_told_a_change_takes_the_event_off_the_public_agenda(client):
    contributor = ambassador_user()
    event = EventFactory(created_by=contributor, title="Avant")
    versions.record_published(event)

    form = as_user(client, contributor).get(f"/espace/evenements/{event.pk}/modifier/").content.decode()
    response = client.post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(title="Après"), follow=True
    )

    assert "n’est plus affiché publiquement" in form
    page = response.content.decode()
    assert "n’est plus affiché publiquement" in page
    assert "retiré de l’agenda jusqu’à leur relecture" not in page
    event.refresh_from_db()
    assert event.moderation == Moderation.SUBMITTED
    assert client.get(f"/agenda/{event.slug}/").status_code == 404


def test_coordinator_editing_is_not_warned_of_a_moderation_they_do_not_go_through(client):
    regional = regional_user("84")
    event = EventFactory()

    form = as_user(client, regional).get(f"/espace/evenements/{event.pk}/modifier/").content.decode()

    assert "n’est plus affiché publiquement" not in form


# At creation: scheduled or full; a change of plan is told afterwards.


def test_a_new_event_may_be_full(client):
    regional = regional_user("84")

    response = as_user(client, regional).post(
        "/espace/evenements/nouveau/", contribution_data(status=Status.FULL.value)
    )

    assert response.status_code == 302
    assert Event.objects.get().status == Status.FULL


# The list's title.


def test_list_title_is_mine_for_an_ambassador_and_the_scope_for_a_coordinator(client):
    ambassador = ambassador_user()
    regional = regional_user("84")

    mine = as_user(client, ambassador).get("/espace/evenements/").content.decode()
    scope = as_user(client, regional).get("/espace/evenements/").content.decode()

    assert "<caption>Mes événements" in mine and "périmètre" not in mine
    assert "<caption>Événements de mon périmètre" in scope


def test_preview_presentation_heading_is_spaced_from_the_list_above(client):
    regional = regional_user("84")
    event = EventFactory(description="Une présentation.")

    page = _detail(client, regional, event)

    assert re.search(r'<h\d class="fr-h4 fr-mt-4w">Présentation</h\d>', page)
