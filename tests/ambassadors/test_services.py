import pytest

from ambassadors import services
from ambassadors.enums import PublicationState
from core.models import AuditEntry
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
    assert response.status_code == 200
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
