"""The API's events « près de » a place (``pres_de``, ``distance_km``): the same rules as the agenda's list, each
item with its ``distance_km`` (rounded to 0.1) only then, a French 400 for an unknown place or another distance,
and the parameters documented in the OpenAPI document."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from territories.geo import km_between
from territories.models import Commune
from tests.agenda.factories import EventFactory, at, in_days

pytestmark = pytest.mark.django_db

LYON = (45.7588, 4.8353)


def event_in(code: str, title: str, **fields):
    return EventFactory(commune=Commune.objects.get(code=code), title=title, **fields)


@pytest.fixture
def scene():
    return {
        "villeurbanne": event_in("69266", "Conférence à Villeurbanne", starts_at=at(in_days(2), 9, 0)),
        "lyon": event_in("69123", "Café IA lyonnais", starts_at=at(in_days(9), 9, 0)),
        "vienne": event_in("38544", "Rencontre à Vienne", starts_at=at(in_days(1), 9, 0)),
        "saint_chamond": event_in("42207", "Atelier à Saint-Chamond", starts_at=at(in_days(1), 10, 0)),
        "online": EventFactory(online=True, title="Webinaire IA", starts_at=at(in_days(1), 12, 0)),
    }


def test_events_near_a_postcode_nearest_first_with_their_distance(client, scene):
    body = client.get("/api/v1/evenements?pres_de=69003&distance_km=30").json()

    assert [(e["titre"], e["distance_km"]) for e in body["resultats"]] == [
        ("Café IA lyonnais", 0.0),
        ("Conférence à Villeurbanne", round(km_between(LYON, (scene["villeurbanne"].point_latitude, scene["villeurbanne"].point_longitude)), 1)),
        ("Rencontre à Vienne", 26.7),
    ]  # fmt: skip
    assert body["total"] == 3
    assert body["resultats"][1]["distance_km"] == 4.3


def test_30_km_by_default_and_50_on_demand(client, scene):
    default = client.get("/api/v1/evenements?pres_de=Lyon").json()
    wide = client.get("/api/v1/evenements?pres_de=Lyon&distance_km=50").json()
    narrow = client.get("/api/v1/evenements?pres_de=Lyon&distance_km=10").json()

    assert default["total"] == 3
    assert [e["titre"] for e in wide["resultats"]][-1] == "Atelier à Saint-Chamond"
    assert [e["titre"] for e in narrow["resultats"]] == ["Café IA lyonnais", "Conférence à Villeurbanne"]


def test_without_a_place_no_item_has_a_distance(client, scene):
    body = client.get("/api/v1/evenements").json()

    assert body["total"] == 5  # the webinar too
    assert all("distance_km" not in e for e in body["resultats"])
    # Nor the event's own address.
    assert "distance_km" not in client.get(f"/api/v1/evenements/{scene['lyon'].slug}").json()


def test_the_other_filters_still_apply_and_past_events_too(client, scene):
    event_in("69266", "Atelier passé à Villeurbanne", starts_at=at(in_days(-5), 9, 0))

    formats = client.get("/api/v1/evenements?pres_de=Lyon&q=Vienne").json()
    past = client.get("/api/v1/evenements?pres_de=Lyon&passes=true").json()
    elsewhere = client.get("/api/v1/evenements?pres_de=Lyon&region=53").json()

    assert [e["titre"] for e in formats["resultats"]] == ["Rencontre à Vienne"]
    assert [(e["titre"], e["distance_km"]) for e in past["resultats"]] == [
        ("Atelier passé à Villeurbanne", 4.3)
    ]
    assert elsewhere["total"] == 0


def test_pagination_of_a_distance_search(client):
    for n in range(5):
        event_in("69266", f"Atelier {n}", starts_at=at(in_days(1 + n), 9, 0))
    event_in("69123", "Atelier lyonnais", starts_at=at(in_days(30), 9, 0))

    first = client.get("/api/v1/evenements?pres_de=Lyon&par_page=2").json()
    last = client.get("/api/v1/evenements?pres_de=Lyon&par_page=2&page=3").json()

    assert (first["total"], first["pages"]) == (6, 3)
    assert [e["titre"] for e in first["resultats"]] == ["Atelier lyonnais", "Atelier 0"]
    assert [e["titre"] for e in last["resultats"]] == ["Atelier 3", "Atelier 4"]


@pytest.mark.parametrize("place", ["99999", "Atlantide", "Lyon (13)"])
def test_an_unknown_place_is_a_400_in_french(client, place):
    response = client.get("/api/v1/evenements", {"pres_de": place})

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Filtre invalide\u00a0: voyez le détail par paramètre."
    [message] = body["erreurs"]["pres_de"]
    assert message.startswith(f"Nous ne trouvons pas «\u00a0{place}\u00a0»\u00a0: indiquez un code postal")


def test_a_place_too_long_is_refused_in_french(client):
    response = client.get("/api/v1/evenements", {"pres_de": "x" * 500})

    assert response.status_code == 422
    assert response.json()["erreurs"] == {"pres_de": ["Texte trop long."]}


@pytest.mark.parametrize("distance", ["20", "0", "-30", "100000"])
def test_another_distance_is_a_400_in_french(client, distance):
    response = client.get("/api/v1/evenements", {"pres_de": "Lyon", "distance_km": distance})

    assert response.status_code == 400
    assert response.json()["erreurs"] == {"distance_km": ["Choisissez une distance de 10, 30 ou 50\u00a0km."]}


@pytest.mark.parametrize("distance", ["trente", "30.5"])
def test_a_distance_that_is_no_number_is_a_422_in_french(client, distance):
    response = client.get("/api/v1/evenements", {"pres_de": "Lyon", "distance_km": distance})

    assert response.status_code == 422
    assert response.json()["erreurs"] == {"distance_km": ["Nombre entier attendu."]}


def test_openapi_documents_the_parameters_and_the_distance(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/evenements"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["pres_de"]["in"] == "query"
    assert "code postal" in parameters["pres_de"]["description"]
    assert "en ligne" in parameters["pres_de"]["description"]
    assert "10, 30 ou 50" in parameters["distance_km"]["description"]
    assert parameters["distance_km"]["schema"]["anyOf"][0]["type"] == "integer"
    assert {"400", "422"} <= set(operation["responses"])
    listed = schema["components"]["schemas"]["ListedEvent"]["properties"]["distance_km"]
    assert "pres_de" in listed["description"]


# The place (one query), the events' version, the count, the page's events, their sectors and topics: fixed, cold.
NEAR_API_QUERIES = 6


def test_a_distance_search_makes_a_fixed_number_of_queries(client):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/evenements?pres_de=69003&distance_km=30&par_page=100")
        assert response.status_code == 200
        return len(queries.captured_queries)

    event_in("69266", "Un", topics=["production"], sectors=["C"])
    one = count()
    for n in range(4):
        event_in("69123", f"Autre {n}", topics=["production", "donnees"], sectors=["C", "J"])

    assert one == count() == NEAR_API_QUERIES
