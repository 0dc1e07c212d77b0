import re

import pytest

from ambassadors import services
from ambassadors.enums import PublicationState
from core.models import AuditEntry
from territories.models import Departement, Region
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_publish_requires_consent():
    ambassador = AmbassadorFactory(regions=["84"])
    with pytest.raises(services.AmbassadorError, match="consenti"):
        services.ambassador_publish(ambassador=ambassador, by=UserFactory(national=True))
    ambassador.refresh_from_db()
    assert ambassador.publication_state == PublicationState.DRAFT


def test_publish_by_coordinator_of_the_region_is_audited():
    coordinator = UserFactory(regional=True)
    ambassador = AmbassadorFactory(consented=True, regions=["84"])
    services.ambassador_publish(ambassador=ambassador, by=coordinator)
    ambassador.refresh_from_db()
    assert ambassador.is_public
    assert ambassador.published_at is not None
    entry = AuditEntry.objects.get(action="ambassador.publish")
    assert (entry.actor, entry.object_id) == (coordinator, str(ambassador.pk))


def test_publish_twice_writes_one_audit_entry():
    coordinator = UserFactory(national=True)
    ambassador = AmbassadorFactory(consented=True)
    services.ambassador_publish(ambassador=ambassador, by=coordinator)
    services.ambassador_publish(ambassador=ambassador, by=coordinator)
    assert AuditEntry.objects.filter(action="ambassador.publish").count() == 1


def test_regional_coordinator_cannot_publish_outside_their_region():
    ambassador = AmbassadorFactory(consented=True, regions=["76"])
    with pytest.raises(services.NotAllowed):
        services.ambassador_publish(ambassador=ambassador, by=UserFactory(regional=True))


def test_national_ambassador_without_region_is_published_by_national_coordination_only():
    ambassador = AmbassadorFactory(consented=True, kind="grand_public", is_national=True)
    with pytest.raises(services.NotAllowed):
        services.ambassador_publish(ambassador=ambassador, by=UserFactory(regional=True))
    services.ambassador_publish(ambassador=ambassador, by=UserFactory(national=True))
    assert ambassador.is_public


def test_reviewer_cannot_publish():
    ambassador = AmbassadorFactory(consented=True, regions=["84"])
    with pytest.raises(services.NotAllowed):
        services.ambassador_publish(ambassador=ambassador, by=UserFactory(reviewer=True))


def test_unpublish_keeps_the_reason_in_the_audit_log():
    coordinator = UserFactory(national=True)
    ambassador = AmbassadorFactory(published=True)
    services.ambassador_unpublish(ambassador=ambassador, by=coordinator, reason="Fin de mandat")
    ambassador.refresh_from_db()
    assert ambassador.publication_state == PublicationState.UNPUBLISHED
    assert AuditEntry.objects.get(action="ambassador.unpublish").changes == {"motif": "Fin de mandat"}


def test_withdrawing_consent_unpublishes_at_once():
    user = UserFactory()
    ambassador = AmbassadorFactory(published=True, user=user)
    services.ambassador_set_consent(ambassador=ambassador, by=user, consent=False)
    ambassador.refresh_from_db()
    assert ambassador.consent_at is None
    assert ambassador.publication_state == PublicationState.UNPUBLISHED
    assert not ambassador.is_public


def test_only_the_person_gives_consent():
    ambassador = AmbassadorFactory(user=UserFactory(), regions=["84"])
    with pytest.raises(services.NotAllowed):
        services.ambassador_set_consent(ambassador=ambassador, by=UserFactory(national=True), consent=True)


def test_edit_by_coordinator_is_audited_with_before_and_after():
    coordinator = UserFactory(regional=True)
    ambassador = AmbassadorFactory(regions=["84"], structure_name="Ancienne SARL")
    services.ambassador_update(
        ambassador=ambassador, by=coordinator, data={"structure_name": "Nouvelle SAS", "topics": []}
    )
    entry = AuditEntry.objects.get(action="ambassador.edit")
    assert entry.changes == {"structure_name": {"avant": "Ancienne SARL", "après": "Nouvelle SAS"}}


def test_edit_by_the_person_is_not_audited():
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user)
    services.ambassador_update(ambassador=ambassador, by=user, data={"bio": "Nouvelle présentation."})
    assert not AuditEntry.objects.filter(action="ambassador.edit").exists()


def test_edit_refuses_an_invalid_siren():
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user)
    with pytest.raises(Exception, match="SIREN"):
        services.ambassador_update(ambassador=ambassador, by=user, data={"siren": "123456789"})


def test_edit_form_keeps_what_was_typed_and_explains_errors_in_french(client):
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user, regions=["84"])
    client.force_login(user)
    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/",
        {
            "first_name": "Zoé",
            "last_name": "",
            "structure_name": "Ma structure",
            "siren": "123 456 789",
            "contact_email": "pas-une-adresse",
            "bio": "Texte gardé",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Zoé" in body and "Texte gardé" in body
    assert "SIREN n’est pas valide" in body
    assert "Saisissez une adresse" in body  # Django's French message for an invalid email
    ambassador.refresh_from_db()
    assert ambassador.first_name != "Zoé"


def test_edit_form_saves_a_valid_siren_in_compact_form(client):
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user, regions=["84"])
    client.force_login(user)
    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/",
        {
            "first_name": "Zoé",
            "last_name": "Martin",
            "structure_name": "Ma structure",
            "siren": "732 829 320",
            "contact_email": "zoe@exemple.test",
            "regions": ["84"],
            "sectors": [],
            "topics": [],
        },
    )
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert (ambassador.first_name, ambassador.siren) == ("Zoé", "732829320")


def test_unique_slug_adds_a_suffix():
    AmbassadorFactory(slug="marie-curie")
    assert services.ambassador_unique_slug(first_name="Marie", last_name="Curie") == "marie-curie-2"


# Regions and départements: the coordination's choice


def _edit_data(ambassador, **changes):
    data = {
        "first_name": ambassador.first_name,
        "last_name": ambassador.last_name,
        "structure_name": ambassador.structure_name,
        "contact_email": ambassador.contact_email,
        "regions": [r.code for r in ambassador.regions.all()],
        "departements": [d.code for d in ambassador.departements.all()],
    }
    data.update(changes)
    return data


def _field_error(body: str, name: str) -> str:
    match = re.search(rf'id="id_{name}-err"[^>]*>(.*?)</(p|div)>', body, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def test_edit_form_of_the_ambassador_has_no_regions_nor_departements(client):
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user, regions=["84"], departements=["69"])
    client.force_login(user)

    body = client.get(f"/espace/ambassadeurs/{ambassador.pk}/modifier/").content.decode()
    assert 'name="regions"' not in body
    assert 'name="departements"' not in body
    assert 'name="structure_name"' in body

    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/",
        _edit_data(
            ambassador, structure_name="Nouvelle structure", regions=["76", "11"], departements=["31"]
        ),
    )
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.structure_name == "Nouvelle structure"
    assert [r.code for r in ambassador.regions.all()] == ["84"]
    assert [d.code for d in ambassador.departements.all()] == ["69"]


@pytest.mark.parametrize("field", ["regions", "departements"])
def test_service_refuses_territory_edit_by_the_ambassador(field):
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user, regions=["84"], departements=["69"])
    value = Region.objects.filter(code="76") if field == "regions" else Departement.objects.filter(code="38")
    with pytest.raises(services.NotAllowed, match="Seule la coordination choisit les régions"):
        services.ambassador_update(ambassador=ambassador, by=user, data={field: value})
    assert [r.code for r in ambassador.regions.all()] == ["84"]
    assert [d.code for d in ambassador.departements.all()] == ["69"]


def test_edit_form_of_a_regional_coordinator_refuses_departements_of_another_region(client):
    ambassador = AmbassadorFactory(regions=["84"], departements=["69"])
    client.force_login(UserFactory(regional=True))
    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/", _edit_data(ambassador, departements=["69", "31"])
    )
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "departements") == (
        "Le département 31 n’est pas dans votre région : seule la coordination nationale peut l’ajouter."
    )
    assert [d.code for d in ambassador.departements.all()] == ["69"]


def test_edit_form_of_a_coordinator_refuses_departements_outside_the_regions(client):
    ambassador = AmbassadorFactory(regions=["84"], departements=["69"])
    client.force_login(UserFactory(national=True))

    body = client.get(f"/espace/ambassadeurs/{ambassador.pk}/modifier/").content.decode()
    assert 'name="regions"' in body
    assert 'name="departements"' in body

    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/", _edit_data(ambassador, departements=["69", "31"])
    )
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "departements") == (
        "Le département Haute-Garonne n’est dans aucune des régions cochées : cochez sa région (Occitanie) "
        "ou retirez-le."
    )
    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/",
        _edit_data(ambassador, regions=[], departements=["69", "31"]),
    )
    assert _field_error(response.content.decode(), "departements") == (
        "Les départements Haute-Garonne, Rhône ne sont dans aucune des régions cochées : cochez leur région ou "
        "retirez-les."
    )
    assert [d.code for d in ambassador.departements.all()] == ["69"]

    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/",
        _edit_data(ambassador, regions=["84", "76"], departements=["69", "38", "31"]),
    )
    assert response.status_code == 302
    assert sorted(d.code for d in ambassador.departements.all()) == ["31", "38", "69"]
    assert sorted(r.code for r in ambassador.regions.all()) == ["76", "84"]


def test_service_refuses_departements_outside_the_regions():
    ambassador = AmbassadorFactory(regions=["84"], departements=["69"])
    with pytest.raises(services.AmbassadorError, match="Haute-Garonne n’est dans aucune des régions cochées"):
        services.ambassador_update(
            ambassador=ambassador,
            by=UserFactory(national=True),
            data={"departements": Departement.objects.filter(code__in=["69", "31"])},
        )
    assert [d.code for d in ambassador.departements.all()] == ["69"]


@pytest.mark.parametrize("bad", ["99999999999999999999999", "²", "0"])
def test_edit_form_with_odd_topic_id_is_an_error_not_a_crash(client, bad):
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user, regions=["84"])
    client.force_login(user)
    response = client.post(
        f"/espace/ambassadeurs/{ambassador.pk}/modifier/", _edit_data(ambassador, topics=[bad])
    )
    assert response.status_code == 400
    error = _field_error(response.content.decode(), "topics")
    assert error == f"«\N{NO-BREAK SPACE}{bad}\N{NO-BREAK SPACE}» n’est pas une valeur correcte."
