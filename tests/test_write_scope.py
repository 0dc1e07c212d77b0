"""The target of a write is inside the writer's scope, or it goes to the moderation of the region it lands in: a
regional coordinator cannot publish into another region, move a published event there, move an ambassador out of
their scope or into another region, nor list on an event an ambassador of another region."""

import pytest

from agenda import services as agenda_services
from agenda.enums import Moderation
from agenda.models import Event
from ambassadors import services as ambassador_services
from territories.models import Departement
from tests.agenda.conftest import as_user, contribution_data, regional_user
from tests.agenda.factories import EventFactory
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_regional_coordinator_event_in_another_region_waits_for_its_moderation(client):
    lyon = regional_user("84")
    response = as_user(client, lyon).post("/espace/evenements/nouveau/", contribution_data(postcode="31000"))
    assert response.status_code == 302
    event = Event.objects.get(created_by=lyon)
    assert event.region_id == "76"
    assert event.moderation == Moderation.SUBMITTED
    client.logout()
    assert client.get(event.get_absolute_url()).status_code == 404


def test_regional_coordinator_moving_own_published_event_away_sends_it_to_moderation(client):
    lyon = regional_user("84")
    as_user(client, lyon).post("/espace/evenements/nouveau/", contribution_data())
    event = Event.objects.get(created_by=lyon)
    assert event.moderation == Moderation.PUBLISHED

    response = client.post(f"/espace/evenements/{event.pk}/modifier/", contribution_data(postcode="31000"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.region_id, event.moderation) == ("76", Moderation.SUBMITTED)
    # The coordination of Occitanie moderates it; the one of 84 no longer can.
    assert agenda_services.rules.can_moderate(regional_user("76"), event)
    assert not agenda_services.rules.can_moderate(lyon, event)


def test_event_cannot_list_an_ambassador_of_another_region(client):
    lyon = regional_user("84")
    toulouse = AmbassadorFactory(published=True, regions=["76"])
    national = AmbassadorFactory(published=True, regions=["76"], is_national=True)
    local = AmbassadorFactory(published=True, regions=["84"])

    response = as_user(client, lyon).post(
        "/espace/evenements/nouveau/", contribution_data(ambassadors=[toulouse.pk, local.pk])
    )

    assert response.status_code == 400
    assert "Seuls les ambassadeurs de la région de l’événement" in response.content.decode()
    assert not Event.objects.exists()
    ok = client.post("/espace/evenements/nouveau/", contribution_data(ambassadors=[national.pk, local.pk]))
    assert ok.status_code == 302
    assert set(Event.objects.get().ambassadors.all()) == {national, local}


def test_partner_or_import_door_refuses_the_same_listing():
    event = EventFactory()
    toulouse = AmbassadorFactory(published=True, regions=["76"])
    with pytest.raises(agenda_services.AgendaError):
        agenda_services.event_save(
            by=UserFactory(national=True), data={}, m2m={"ambassadors": [toulouse]}, event=event
        )
    assert not event.ambassadors.exists()


@pytest.mark.parametrize(
    ("regions", "departements"),
    [
        (["76"], ["69"]),  # moves the ambassador out of the writer's scope
        (["84", "76"], ["69"]),  # adds another region
    ],
)
def test_regional_coordinator_cannot_change_an_ambassador_regions(regions, departements):
    ambassador = AmbassadorFactory(consented=True, regions=["84"], departements=["69"])
    with pytest.raises(ambassador_services.AmbassadorError, match="coordination nationale"):
        ambassador_services.ambassador_update(
            ambassador=ambassador,
            by=regional_user("84"),
            data={
                "regions": list(ambassador.regions.model.objects.filter(code__in=regions)),
                "departements": list(Departement.objects.filter(code__in=departements)),
            },
        )
    assert [r.code for r in ambassador.regions.all()] == ["84"]


def test_regional_coordinator_changes_only_departements_of_own_region():
    ambassador = AmbassadorFactory(consented=True, regions=["84", "76"], departements=["69", "31"])
    lyon = regional_user("84")
    with pytest.raises(ambassador_services.AmbassadorError):
        ambassador_services.ambassador_update(
            ambassador=ambassador, by=lyon, data={"departements": list(Departement.objects.filter(code="69"))}
        )
    ambassador_services.ambassador_update(
        ambassador=ambassador,
        by=lyon,
        data={"departements": list(Departement.objects.filter(code__in=["31", "38"]))},
    )
    assert sorted(d.code for d in ambassador.departements.all()) == ["31", "38"]


def test_regional_coordinator_form_posting_other_regions_changes_nothing(client):
    ambassador = AmbassadorFactory(consented=True, regions=["84"])
    as_user(client, regional_user("84"))
    page = client.get(f"/espace/ambassadeurs/{ambassador.pk}/modifier/").content.decode()
    assert "Seule la coordination nationale change les régions" in page
    assert "Rhône (69)" in page and "Haute-Garonne (31)" not in page  # only the départements of the region
    data = {
        "first_name": ambassador.first_name,
        "last_name": ambassador.last_name,
        "gender": "",
        "job_title": "x",
        "structure_name": "Structure",
        "siren": "",
        "bio": "",
        "website_url": "",
        "linkedin_url": "",
        "regions": ["76"],
        "departements": [],
        "contact_email": "prive@exemple.test",
        "contact_phone": "",
    }
    client.post(f"/espace/ambassadeurs/{ambassador.pk}/modifier/", data)
    assert [r.code for r in ambassador.regions.all()] == ["84"]


def test_national_coordinator_changes_regions():
    ambassador = AmbassadorFactory(consented=True, regions=["84"])
    ambassador_services.ambassador_update(
        ambassador=ambassador,
        by=UserFactory(national=True),
        data={"regions": list(ambassador.regions.model.objects.filter(code="76")), "departements": []},
    )
    assert [r.code for r in ambassador.regions.all()] == ["76"]


def test_request_reassigned_only_to_an_ambassador_of_its_region():
    from contact import services as contact_services
    from tests.contact.factories import CompanyRequestFactory

    request = CompanyRequestFactory()  # Occitanie
    lyon_ambassador = AmbassadorFactory(published=True, regions=["84"])
    with pytest.raises(contact_services.ContactError, match="n’intervient pas dans la région"):
        contact_services.request_transition(
            request=request, by=regional_user("76"), action="reassign", to_ambassador=lyon_ambassador
        )
    request.refresh_from_db()
    assert request.ambassador != lyon_ambassador
