"""The finder « près de » a place: the ambassadors based within the distance (to their commune's centre), nearest
first, ties by the ranking; the national ones after them, in their own group; those without a commune left out."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassadors.models import Topic
from territories.models import Commune, NafActivity
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.django_db

URL = "/trouver-un-ambassadeur/"


def commune(code):
    return Commune.objects.get(code=code)


def based(code, **fields):
    """A published ambassador of Auvergne-Rhône-Alpes based in the commune ``code``."""
    defaults = {"published": True, "regions": ["84"], "commune": commune(code) if code else None}
    return AmbassadorFactory(**{**defaults, **fields})


def find_data(**overrides) -> dict:
    """A Lyon company's need, « près de » 69003 (Lyon) within 30 km."""
    data = {
        "postcode": "69003",
        "sector": str(NafActivity.objects.get(level="section", code="C").pk),
        "size": "pme",
        "topics": [str(Topic.objects.get(slug="production").pk)],
        "question": "Nous voulons prévoir les pannes de nos machines de production.",
        "pres_de": "69003",
        "distance": "30",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def people():
    cache.clear()
    return {
        # Two in Lyon: the one whose topics fit the need comes first (same distance).
        "lyon_expert": based("69123", last_name="Lyonexpert", topics=["production"], sectors=["C"]),
        "lyon": based("69123", last_name="Lyonsimple"),
        "villeurbanne": based("69266", last_name="Villeurbannais", gender="f"),  # 4.3 km
        "vienne": based("38544", last_name="Viennois"),  # 27 km
        "amberieu": based("01004", last_name="Amberieu"),  # 47 km
        "saint_etienne": based("42218", last_name="Stephanois"),  # 51 km
        "nowhere": based(None, last_name="Sanscommune", topics=["production"], sectors=["C"]),
        "paused": based("69123", last_name="Enpause", requests_paused=True),
        # Of another region, but based near: near is what counts.
        "occitan": based("69266", last_name="Occitanbase", regions=["76"]),
        "national_paris": based("75056", last_name="Nationalparis", regions=[], is_national=True),
        "national_lyon": based("69123", last_name="Nationallyon", regions=[], is_national=True),
        "national_nowhere": based(None, last_name="Nationalnulle", regions=[], is_national=True),
    }


def near_names(response):
    return [a.last_name for a, _match, _label in response.context["nearby"]["near"]]


def national_names(response):
    return [a.last_name for a, _match in response.context["nearby"]["national"]]


def test_near_lists_those_within_the_distance_nearest_first(client, people):
    response = client.get(URL, find_data())

    assert response.status_code == 200
    assert near_names(response) == [
        "Lyonexpert",  # same commune, ties by the ranking: region, sector and topic
        "Lyonsimple",  # region
        "Nationallyon",  # national (fewer points than the region)
        "Villeurbannais",  # Villeurbanne, 4.3 km: of the region…
        "Occitanbase",  # …before one of another region, listed since near
        "Viennois",
    ]
    # Beyond 30 km, without a commune, or pausing requests: not listed.
    body = response.content.decode()
    for name in ("Amberieu", "Stephanois", "Sanscommune", "Enpause"):
        assert name not in body


def test_near_cards_show_the_commune_and_the_distance(client, people):
    body = client.get(URL, find_data()).content.decode()

    assert "Les ambassadeurs à moins de 30&nbsp;km de Lyon (69)" in body
    assert "Basée à Villeurbanne (69), <strong>à 4,3 km</strong>" in body
    assert "Vienne (38), <strong>à 27 km</strong>" in body
    assert "Lyon (69), <strong>dans la commune recherchée</strong>" in body


def test_national_ambassadors_follow_in_their_own_group(client, people):
    response = client.get(URL, find_data())

    # The national ones not based near, whether their commune is far or unknown; one based near is with the near.
    assert sorted(national_names(response)) == ["Nationalnulle", "Nationalparis"]
    body = response.content.decode()
    assert body.index("Viennois") < body.index("Les ambassadeurs nationaux") < body.index("Nationalparis")
    assert "Ils interviennent partout en France" in body


def test_a_wider_distance_lists_more(client, people):
    response = client.get(URL, find_data(distance="50"))

    names = near_names(response)
    assert names[-1] == "Amberieu"
    assert "Stephanois" not in names  # 51 km


def test_the_distance_defaults_to_30_km(client, people):
    response = client.get(URL, find_data(distance=None))

    assert response.status_code == 200
    assert "Viennois" in near_names(response)
    assert "Amberieu" not in near_names(response)
    assert '<option value="30" selected>30\u00a0km</option>' in response.content.decode()


def test_a_commune_name_is_understood_too(client, people):
    response = client.get(URL, find_data(pres_de="villeurbanne", distance="10"))

    assert response.status_code == 200
    assert near_names(response)[:2] == ["Villeurbannais", "Occitanbase"]
    assert "de Villeurbanne (69)" in response.content.decode()


def test_nobody_near_says_so_and_still_lists_the_national_ones(client, people):
    response = client.get(URL, find_data(pres_de="29000", distance="10"))  # Quimper

    body = response.content.decode()
    assert response.status_code == 200
    assert "Aucun ambassadeur disponible à moins de 10&nbsp;km de Quimper (29)" in body
    assert "Élargissez la distance" in body
    assert "Nationalparis" in body


def test_without_a_place_the_ranking_is_the_region_s(client, people):
    response = client.get(URL, find_data(pres_de="", distance=None))

    assert response.status_code == 200
    assert response.context["nearby"] is None
    names = [a.last_name for a, _ in response.context["matches"]]
    assert names[0] in {"Lyonexpert", "Sanscommune"}
    assert "Occitanbase" not in names
    assert "dans la commune recherchée" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"pres_de": "Nullepartville"}, "pres_de", "Nous ne trouvons pas «\u00a0Nullepartville\u00a0»"),
        ({"pres_de": "99999"}, "pres_de", "indiquez un code postal (5 chiffres) ou le nom d’une commune"),
        ({"distance": "70"}, "distance", "Choisissez une distance de 10, 30 ou 50\u00a0km."),
        ({"distance": "x" * 300}, "distance", "Choisissez une distance de 10, 30 ou 50\u00a0km."),
        ({"pres_de": "x" * 500}, "pres_de", "120 caractères"),
    ],
)
def test_bad_place_or_distance_is_a_french_field_error(client, people, data, field, message):
    response = client.get(URL, find_data(**data))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["nearby"] is None


def test_near_query_count_does_not_grow_with_ambassadors(client):
    def count():
        data = find_data()
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, data)
        assert response.status_code == 200
        return len(queries.captured_queries), response

    based("69266", topics=["production", "donnees"], sectors=["C", "J"], departements=["69"])
    based(None, regions=[], is_national=True, topics=["production"])
    with_two, _ = count()
    for code in ("69123", "69266", "38544", "69123"):
        based(code, topics=["production", "donnees"], sectors=["C", "J"], departements=["69", "38"])
        based("75056", regions=[], is_national=True, topics=["finance"])
    with_ten, response = count()

    assert len(response.context["nearby"]["near"]) == 5
    assert len(response.context["nearby"]["national"]) == 3
    # The form: the postcode's commune, the place's, the sector, the topics; the profiles' version, the
    # distances, the candidates and their four relations, the profiles shown with their communes; the form's
    # sectors and topics shown again. One more than without « près de » (the place's commune).
    assert with_two == with_ten == 14


def test_near_ranking_is_kept_a_minute(client, people):
    data = find_data()
    client.get(URL, data)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, data)

    assert near_names(response)[0] == "Lyonexpert"
    # The form's and the results' HTML kept: only the form's checks of the sector and topics sent, and the
    # profiles' version the results are kept under (14 the first time).
    assert len(queries.captured_queries) == 3


def test_a_profile_changed_shows_at_once_in_kept_results(client, people):
    data = find_data()
    assert "Lyonexpert" in client.get(URL, data).content.decode()  # the page as shown, its HTML now kept

    people["lyon_expert"].requests_paused = True
    people["lyon_expert"].save()

    page = client.get(URL, data).content.decode()
    assert "Lyonexpert" not in page and "Villeurbannais" in page
