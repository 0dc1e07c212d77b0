"""Filters of the directory and the agenda: the département list follows the region chosen, and an impossible pair
(a département of another region) is said in words (400), never a silent empty list."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/ambassadeurs/", "/agenda/"])
def test_departement_of_another_region_is_a_400_that_says_why(client, path):
    response = client.get(path, {"region": "84", "departement": "31"})

    body = response.content.decode()
    assert response.status_code == 400
    assert (
        "Haute-Garonne n’est pas un département de la région Auvergne-Rhône-Alpes\u00a0: choisissez un département "
        "de cette région, ou «\u00a0Tous les départements\u00a0»." in body
    )


@pytest.mark.parametrize("path", ["/ambassadeurs/", "/agenda/"])
def test_departement_list_follows_the_region_sent(client, path):
    everything = client.get(path).content.decode()
    in_region = client.get(path, {"region": "84"}).content.decode()

    def departements(body):
        select = re.search(r'<select[^>]*name="departement".*?</select>', body, re.S).group(0)
        return re.findall(r'data-region="(\d+)"', select)

    assert len(departements(everything)) == 101
    assert set(departements(in_region)) == {"84"} and len(departements(in_region)) == 12
    assert 'data-follows="region"' in in_region  # site.js filters the list as the region changes


def test_departement_of_the_region_chosen_narrows(client):
    assert client.get("/ambassadeurs/", {"region": "84", "departement": "69"}).status_code == 200


def test_people_and_regions_sort_as_french_readers_expect_on_every_database(client):
    from tests.factories import AmbassadorFactory

    for last in ["Lopes", "Lévêque", "lambert", "Élie", "Zola"]:
        AmbassadorFactory(published=True, last_name=last, regions=["84"])

    body = client.get("/ambassadeurs/").content.decode()
    order = ["Élie", "lambert", "Lévêque", "Lopes", "Zola"]
    assert [body.index(f" {name}<") for name in order] == sorted(body.index(f" {name}<") for name in order)

    select = re.search(r'<select[^>]*name="region".*?</select>', body, re.S).group(0)
    names = re.findall(r">([^<]+)</option>", select)[1:]
    assert names.index("Hauts-de-France") < names.index("Île-de-France") < names.index("Normandie")
