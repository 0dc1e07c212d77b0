"""Trusted contributors of the agenda: set in the back office by the coordination, through an audited service
(the admin no longer edits profiles)."""

import pytest

from ambassadors.models import Ambassador
from core.models import AuditEntry
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_regional_coordination_trusts_an_ambassador_of_its_region(client):
    ambassador = AmbassadorFactory(regions=["84"])
    client.force_login(UserFactory(regional=True))

    page = client.get(f"/espace/ambassadeurs/{ambassador.pk}/").content.decode()
    assert (
        "Ses événements passent par la modération" in page
        and "Publier ses événements sans modération" in page
    )
    response = client.post(f"/espace/ambassadeurs/{ambassador.pk}/confiance/", {"trusted": "1"}, follow=True)

    assert "Ses événements sont désormais publiés sans modération." in response.content.decode()
    assert Ambassador.objects.get(pk=ambassador.pk).is_trusted_contributor
    entry = AuditEntry.objects.get(action="ambassador.trust")
    assert entry.changes == {"contributeur_de_confiance": True}

    client.post(f"/espace/ambassadeurs/{ambassador.pk}/confiance/", {"trusted": "0"})
    assert not Ambassador.objects.get(pk=ambassador.pk).is_trusted_contributor


def test_the_person_and_another_region_cannot_trust(client):
    ambassador = AmbassadorFactory(regions=["84"], user=UserFactory())
    client.force_login(ambassador.user)
    assert (
        client.post(f"/espace/ambassadeurs/{ambassador.pk}/confiance/", {"trusted": "1"}).status_code == 403
    )
    client.force_login(UserFactory(role="regional_coordinator", region_id="76"))
    assert (
        client.post(f"/espace/ambassadeurs/{ambassador.pk}/confiance/", {"trusted": "1"}).status_code == 404
    )
    assert not Ambassador.objects.get(pk=ambassador.pk).is_trusted_contributor


def test_the_admin_shows_profiles_without_editing_them(client):
    ambassador = AmbassadorFactory()
    client.force_login(UserFactory(national=True, is_staff=True, is_superuser=True))
    page = client.get(f"/admin/ambassadors/ambassador/{ambassador.pk}/change/")
    assert page.status_code == 200
    client.post(f"/admin/ambassadors/ambassador/{ambassador.pk}/change/", {"is_trusted_contributor": "on"})
    assert not Ambassador.objects.get(pk=ambassador.pk).is_trusted_contributor
