"""The address client (territories/addresses.py) against a local server answering like the Base Adresse Nationale's
« API Adresse »: suggestions, the point of a venue, odd answers, errors, a timeout, the cache and the rate limit; and
our suggestions endpoint (/territoires/adresses/suggestions/)."""

import time

import pytest

from territories import addresses
from territories.addresses import Suggestion, address_point, address_suggestions
from territories.models import Commune
from tests.territories.address_server import (  # noqa: F401 (the fixture address_search)
    BUSY,
    ERROR,
    HOUSENUMBER,
    LOW_SCORE,
    LYON,
    MUNICIPALITY,
    NOT_JSON,
    ODD,
    OUT_OF_RANGE,
    SLOW,
    STREET,
    SUGGESTIONS,
    UNKNOWN,
    address_search_fixture,
)

pytestmark = pytest.mark.django_db

URL = "/territoires/adresses/suggestions/"


@pytest.fixture
def villeurbanne():
    return Commune.objects.get(code="69266")


def test_suggestions_are_the_features_of_the_answer_the_odd_ones_left_out(address_search):
    found = address_suggestions(SUGGESTIONS, postcode="69100")

    assert [s.label for s in found] == [
        "28 Avenue Henri Barbusse 69100 Villeurbanne",
        "26 Avenue Henri Barbusse 69100 Villeurbanne",
        "Avenue Henri Barbusse 69100 Villeurbanne",
    ]  # (the feature without geometry and the one at latitude 145 are not there)
    assert found[0] == Suggestion(
        label="28 Avenue Henri Barbusse 69100 Villeurbanne",
        name="28 Avenue Henri Barbusse",
        type="housenumber",
        score=0.9731745454545453,
        latitude=45.766885,
        longitude=4.879914,
        housenumber="28",
        street="Avenue Henri Barbusse",
        postcode="69100",
        citycode="69266",
        city="Villeurbanne",
    )
    assert address_search.requests == ["/search/?q=28+avenue+henri&limit=5&postcode=69100"]


def test_suggestions_ask_the_commune_and_the_limit(address_search):
    assert len(address_suggestions(SUGGESTIONS, citycode="69266", limit=2)) == 2
    assert address_search.requests == ["/search/?q=28+avenue+henri&limit=2&citycode=69266"]
    assert address_suggestions(SUGGESTIONS, citycode="75056") == []  # none in Paris


def test_nothing_is_asked_when_off_too_short_or_of_a_bad_code(settings, address_search):
    assert address_suggestions("ab") == []
    assert address_suggestions("  -- rue") == []  # the service wants a letter or a digit first
    assert address_suggestions(SUGGESTIONS, postcode="6910") == []
    assert address_suggestions(SUGGESTIONS, citycode="6926") == []
    settings.ADDRESS_LOOKUP_URL = ""
    assert address_suggestions(SUGGESTIONS) == []
    assert address_search.requests == []


def test_the_point_of_a_number_in_a_street_of_the_commune(address_search, villeurbanne):
    assert address_point("28 Avenue Henri Barbusse", commune=villeurbanne) == (45.766885, 4.879914)
    assert address_search.requests == ["/search/?q=28+Avenue+Henri+Barbusse&limit=1&citycode=69266"]


def test_a_street_is_a_point_a_commune_is_not(address_search, villeurbanne):
    assert address_point("Cours Émile Zola", commune=villeurbanne) == (45.770433, 4.88095)
    assert address_point(MUNICIPALITY, commune=villeurbanne) is None


def test_an_address_of_another_commune_is_no_point(address_search):
    lyon = Commune.objects.get(code="69123")
    assert address_point(HOUSENUMBER, commune=lyon) is None  # Villeurbanne's, asked as Lyon's


def test_paris_marseille_lyon_are_asked_by_name_and_their_arrondissements_kept(address_search):
    lyon = Commune.objects.get(code="69123")

    assert address_point("20 rue de la République", commune=lyon) == (45.763657, 4.835853)
    assert address_search.requests == ["/search/?q=20+rue+de+la+R%C3%A9publique+Lyon&limit=5"]
    assert LYON in "20 rue de la republique"


def test_a_low_score_is_no_point(address_search, villeurbanne):
    assert address_point(LOW_SCORE, commune=villeurbanne) is None


def test_coordinates_out_of_range_are_left_out(address_search, villeurbanne):
    assert address_point(OUT_OF_RANGE, commune=villeurbanne) is None
    assert address_suggestions(OUT_OF_RANGE) == []


def test_unknown_gives_nothing_and_is_cached_a_day(address_search, villeurbanne):
    assert address_point(UNKNOWN, commune=villeurbanne) is None
    assert address_point(UNKNOWN, commune=villeurbanne) is None
    assert len(address_search.requests) == 1


def test_found_is_cached(address_search, villeurbanne):
    for _ in range(3):
        assert address_point(HOUSENUMBER, commune=villeurbanne) == (45.766885, 4.879914)
    assert len(address_search.requests) == 1


@pytest.mark.parametrize("query", [ERROR, BUSY, NOT_JSON, ODD])
def test_a_failure_gives_nothing_never_an_exception_and_is_retried_later(address_search, villeurbanne, query):
    assert address_suggestions(query) == []
    assert address_point(query, commune=villeurbanne) is None
    assert address_suggestions(query) == []  # cached a minute: not asked again
    assert len(address_search.requests) == 2  # (the suggestions and the point are two questions)


def test_a_slow_service_is_given_up_after_the_timeout(address_search, villeurbanne):
    started = time.monotonic()
    assert address_point(SLOW, commune=villeurbanne) is None
    assert time.monotonic() - started < addresses.TIMEOUT + 1.5


def test_the_calls_are_limited_for_all_servers_together(address_search, monkeypatch):
    monkeypatch.setattr(addresses, "RATE_PER_SECOND", 2)
    answers = [address_suggestions(f"{HOUSENUMBER[:n]}") for n in range(10, 15)]
    assert [len(a) for a in answers[:2]] == [3, 3]
    # Two a second: the others are not asked (four at most if a new second began meanwhile), and give nothing.
    assert len(address_search.requests) <= 4
    assert [] in answers


# The endpoint ---------------------------------------------------------------------------------------------------


def test_the_endpoint_answers_nothing_when_the_service_is_off(client, settings):
    settings.ADDRESS_LOOKUP_URL = ""
    response = client.get(URL, {"q": SUGGESTIONS})
    assert response.status_code == 200
    assert response.json() == []


def test_the_endpoint_answers_the_suggestions(client, address_search):
    response = client.get(URL, {"q": SUGGESTIONS, "code_postal": "69100"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=30"  # the same for everyone, as any public page
    assert "cookie" not in response.get("Vary", "").lower()
    assert (
        client.get(
            URL, {"q": SUGGESTIONS, "code_postal": "69100"}, HTTP_IF_NONE_MATCH=response["ETag"]
        ).status_code
        == 304
    )
    assert response.json()[0] == {
        "label": "28 Avenue Henri Barbusse 69100 Villeurbanne",
        "adresse": "28 Avenue Henri Barbusse",
        "code_postal": "69100",
        "commune": "Villeurbanne",
        "code_commune": "69266",
        "type": "housenumber",
    }
    assert len(response.json()) == 3
    assert address_search.requests == ["/search/?q=28+avenue+henri&limit=5&postcode=69100"]


def test_the_endpoint_leaves_the_communes_out(client, address_search):
    assert client.get(URL, {"q": MUNICIPALITY}).json() == []


def test_the_endpoint_answers_nothing_when_the_service_fails(client, address_search):
    for query in (ERROR, BUSY, NOT_JSON, ODD):
        response = client.get(URL, {"q": query})
        assert response.status_code == 200
        assert response.json() == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Tapez au moins 3\u00a0caractères"),
        ({"q": "ab"}, "Tapez au moins 3\u00a0caractères"),
        ({"q": "x" * 201}, "200\u00a0caractères au plus"),
        ({"q": SUGGESTIONS, "code_postal": "691"}, "cinq chiffres"),
    ],
)
def test_the_endpoint_refuses_a_bad_query_in_french(client, address_search, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert address_search.requests == []


def test_the_endpoint_is_limited_per_visitor(client, address_search, settings):
    settings.RATE_LIMITS = {"address-suggestions-ip": (2, 60)}
    assert client.get(URL, {"q": SUGGESTIONS}).status_code == 200
    assert client.get(URL, {"q": SUGGESTIONS}).status_code == 200
    refused = client.get(URL, {"q": SUGGESTIONS})
    assert refused.status_code == 429
    assert "Trop de recherches" in refused.json()["message"]
