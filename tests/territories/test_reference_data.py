from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from territories.models import Commune, Departement, NafActivity, PostalCode, Region
from territories.selectors import communes_for_postcode

pytestmark = pytest.mark.django_db


def test_reference_data_counts_are_complete():
    assert Region.objects.count() == 18
    assert Region.objects.filter(zone="metro").count() == 13
    assert Region.objects.filter(zone="drom").count() == 5
    assert Departement.objects.count() == 101
    # Every current commune of the 2026 geographic code (metropolitan France and the DROM).
    assert Commune.objects.count() == 34875
    assert NafActivity.objects.filter(level="section").count() == 21
    assert NafActivity.objects.filter(level="division").count() == 88


def test_every_region_has_a_valid_time_zone():
    for region in Region.objects.all():
        ZoneInfo(region.timezone)
    assert Region.objects.get(code="04").timezone == "Indian/Reunion"
    assert Region.objects.get(code="03").timezone == "America/Cayenne"
    assert Region.objects.get(code="94").timezone == "Europe/Paris"


def test_postcode_69001_resolves_to_lyon_in_auvergne_rhone_alpes():
    communes = list(communes_for_postcode("69001"))
    assert [c.code for c in communes] == ["69123"]
    assert communes[0].name == "Lyon"
    assert communes[0].departement.code == "69"
    assert communes[0].departement.region.code == "84"


def test_postcode_97400_resolves_to_saint_denis_de_la_reunion():
    commune = communes_for_postcode("97400").first()
    assert commune.code == "97411"
    assert commune.name == "Saint-Denis"
    assert commune.departement.region.code == "04"
    assert commune.departement.region.timezone == "Indian/Reunion"


def test_postcode_shared_by_several_communes_lists_them_all():
    # 01400 serves several communes of the Ain.
    communes = list(communes_for_postcode("01400"))
    assert len(communes) > 1
    assert {c.departement_id for c in communes} == {"01"}


@pytest.mark.parametrize("bad", ["", "6900", "690011", "abcde", "69 00 1x", None])
def test_ill_formed_postcode_resolves_to_nothing(bad):
    assert list(communes_for_postcode(bad)) == []


def test_loading_reference_data_twice_changes_nothing():
    before = (
        Region.objects.count(),
        Departement.objects.count(),
        Commune.objects.count(),
        PostalCode.objects.count(),
    )
    call_command("load_reference_data", verbosity=0)
    after = (
        Region.objects.count(),
        Departement.objects.count(),
        Commune.objects.count(),
        PostalCode.objects.count(),
    )
    assert before == after


def test_postcode_lookup_endpoint(client):
    response = client.get("/territoires/codes-postaux/69001/")
    assert response.status_code == 200
    data = response.json()
    assert data["communes"][0]["code"] == "69123"
    assert data["communes"][0]["region"]["code"] == "84"


def test_postcode_lookup_endpoint_unknown_postcode_is_a_404_in_french(client):
    response = client.get("/territoires/codes-postaux/99999/")
    assert response.status_code == 404
    assert response.json()["message"] == "Aucune commune ne porte le code postal 99999."


@pytest.mark.parametrize("postcode", ["6900x", "1", "690011", "%00"])
def test_postcode_lookup_endpoint_malformed_postcode_is_a_404(client, postcode):
    # Only five digits reach the view (core/converters.py): anything else is the site's French 404.
    response = client.get(f"/territoires/codes-postaux/{postcode}/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()
