"""/api/v1/ambassadeurs « près de »: ``pres_de`` and ``distance_km`` (10, 30, 50), each result with its distance
(to the tenth of a km) and its commune (code and name: never an address); bad input is a French 400 or 422."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from territories.models import Commune
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/ambassadeurs"


def based(code, **fields):
    defaults = {
        "published": True,
        "regions": ["76"],
        "commune": Commune.objects.get(code=code) if code else None,
    }
    return AmbassadorFactory(**{**defaults, **fields})


@pytest.fixture
def toulouse():
    cache.clear()
    return [
        based("82121", slug="montauban"),  # 48 km
        based("31069", slug="blagnac"),  # about 7 km
        based("31555", slug="toulouse"),
        based("81004", slug="albi"),  # 67 km
        based(None, slug="sans-commune"),
        based("75056", slug="national-paris", regions=[], is_national=True),
    ]


def test_near_lists_those_within_the_distance_nearest_first_with_distance_and_commune(client, toulouse):
    response = client.get(URL, {"pres_de": "Toulouse", "distance_km": 50})

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3
    rows = body["resultats"]
    assert [r["identifiant"] for r in rows] == ["toulouse", "blagnac", "montauban"]
    assert rows[0]["distance_km"] == 0.0
    assert rows[0]["commune"] == {"code": "31555", "nom": "Toulouse"}
    assert rows[2]["commune"] == {"code": "82121", "nom": "Montauban"}
    assert 47 < rows[2]["distance_km"] < 49
    assert all(round(r["distance_km"], 1) == r["distance_km"] for r in rows)
    # Never an address nor a private contact.
    assert "adresse" not in rows[0] and "secret-exemple" not in response.content.decode()


def test_near_defaults_to_30_km_and_pages(client, toulouse):
    body = client.get(URL, {"pres_de": "31000", "par_page": 1, "page": 2}).json()

    assert (body["total"], body["pages"]) == (2, 2)
    assert [r["identifiant"] for r in body["resultats"]] == ["blagnac"]


def test_without_pres_de_no_distance_nor_commune(client, toulouse):
    body = client.get(URL, {"distance_km": 10}).json()

    assert body["total"] == 6
    assert {"identifiant", "national", "secteurs"} <= set(body["resultats"][0])
    assert all("distance_km" not in r and "commune" not in r for r in body["resultats"])
    assert body["resultats"][0]["regions"] == ["76"]  # the other fields, as before


def test_near_combines_with_the_directory_filters(client, toulouse):
    body = client.get(URL, {"pres_de": "Toulouse", "distance_km": 50, "q": "Prénom"}).json()
    assert body["total"] == 3

    assert client.get(URL, {"pres_de": "Toulouse", "region": "84"}).json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "status", "key", "message"),
    [
        ({"pres_de": "Nullepartville"}, 400, "pres_de", "Nous ne trouvons pas «\u00a0Nullepartville\u00a0»"),
        (
            {"pres_de": "Toulouse", "distance_km": 20},
            400,
            "distance_km",
            "Choisissez une distance de 10, 30 ou 50",
        ),
        (
            {"pres_de": "Toulouse", "distance_km": -1},
            400,
            "distance_km",
            "Choisissez une distance de 10, 30 ou 50",
        ),
        ({"pres_de": "Toulouse", "distance_km": "trente"}, 422, "distance_km", "Nombre entier attendu."),
        ({"pres_de": "Toulouse", "distance_km": "9" * 40}, 400, "distance_km", "Choisissez une distance"),
        ({"pres_de": "x" * 200}, 422, "pres_de", "Texte trop long."),
    ],
)
def test_bad_place_or_distance_is_a_french_4xx(client, toulouse, params, status, key, message):
    response = client.get(URL, params)

    assert response.status_code == status
    body = response.json()
    assert body["message"]
    assert message in " ".join(body["erreurs"][key])


def test_openapi_declares_the_parameters_the_fields_and_the_errors(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/ambassadeurs"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert "pres_de" in parameters and "distance_km" in parameters
    assert "10, 30 ou 50" in parameters["distance_km"]["description"]
    assert {"400", "422"} <= set(operation["responses"])
    listed = schema["components"]["schemas"]["ListedAmbassador"]["properties"]
    assert "distance_km" in listed and "commune" in listed


def test_near_query_count_does_not_grow_with_results(client):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"pres_de": "Toulouse"})
        assert response.status_code == 200
        return len(queries.captured_queries), response.json()

    based("31555", regions=["76"], departements=["31"], sectors=["C"], topics=["production"])
    one, _ = count()
    for code in ("31069", "31555", "31069", "31555"):
        based(
            code, regions=["76", "84"], departements=["31", "69"], sectors=["C", "J"], topics=["production"]
        )
    five, body = count()

    assert body["total"] == 5
    # The place's commune, the profiles' version, the count, the page's rows and their four relations, their
    # distances and communes.
    assert one == five == 9
