"""Odd characters in a URL (a NUL byte, which PostgreSQL refuses in a query, or text of the wrong shape) are a 404
before any view runs: tokens, region codes and postcodes have strict converters (core/converters.py)."""

import pytest
from django.urls import Resolver404, resolve

from tests.factories import AmbassadorFactory, ApplicationFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = [
    "/candidature/%00/",
    "/candidature/{token}%00/",
    "/candidature/%00{token}/",
    "/candidature/court/",
    "/candidature/{token}{token}/",  # longer than any token
    "/candidature/{token}.../",
    "/regions/%00/",
    "/regions/8%00/",
    "/regions/84%00/",
    "/regions/8a/",
    "/regions/840/",
    "/regions/%00/integration/",
    "/regions/84%00/integration/",
    "/territoires/codes-postaux/%00/",
    "/territoires/codes-postaux/6900%00/",
    "/territoires/codes-postaux/69001%00/",
    "/territoires/codes-postaux/6900x/",
    "/territoires/codes-postaux/1/",
    "/ambassadeurs/%00/",
    "/agenda/%00/",
    "/agenda/%00.ics",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_odd_url_is_a_404(client, url):
    application = ApplicationFactory()
    response = client.get(url.format(token=application.token))
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/candidature/\x00/",
        "/candidature/" + "a" * 42 + "\x00/",
        "/candidature/" + "a" * 42 + "\x00/retirer/",
        "/regions/8\x00/",
        "/regions/\x00/integration/",
        "/territoires/codes-postaux/6900\x00/",
    ],
)
def test_odd_path_never_reaches_a_view(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_withdraw_with_nul_in_token_is_a_404(client):
    application = ApplicationFactory()
    assert client.post(f"/candidature/{application.token}%00/retirer/").status_code == 404
    assert client.post("/candidature/%00/retirer/").status_code == 404


def test_well_formed_urls_still_resolve(client):
    application = ApplicationFactory()
    AmbassadorFactory(published=True, regions=["04"])
    assert client.get(f"/candidature/{application.token}/").status_code == 200
    assert client.get("/regions/04/").status_code == 200
    assert client.get("/regions/04/integration/").status_code == 200
    assert client.get("/territoires/codes-postaux/97400/").status_code == 200
    assert client.get("/regions/99/").status_code == 404  # well formed, unknown


def test_activation_link_with_nul_says_the_link_is_no_longer_valid(client):
    response = client.get("/compte/activer/%00/%00/")
    assert response.status_code == 200
    assert "Ce lien n’est plus valable" in response.content.decode()


@pytest.mark.django_db
def test_private_link_pages_answer_only_get_and_post(client):
    from tests.contact.factories import CompanyRequestFactory

    application, request = ApplicationFactory(), CompanyRequestFactory()
    for path in (
        f"/candidature/{application.token}/corriger/",
        f"/candidature/{application.token}/effacer/",
        f"/demande/{request.token}/corriger/",
    ):
        assert client.get(path).status_code == 200, path
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(path).status_code == 405, (path, method)


@pytest.mark.parametrize(
    "path",
    [
        "/espace/evenements/2147483648/",  # one more than an integer column holds: it would overflow in PostgreSQL
        "/espace/evenements/99999999999/",
        "/espace/candidatures/0/",
        "/espace/ambassadeurs/2147483648/modifier/",
        "/espace/demandes/2147483648/",
        "/diagnostic/etape-0/",
    ],
)
def test_an_id_out_of_range_never_reaches_a_view(path):
    # Every id of a URL goes through core.ids.parse_id (the <id:…> converter): out of range, no match.
    with pytest.raises(Resolver404):
        resolve(path)


def test_an_id_in_range_resolves():
    assert resolve("/espace/evenements/2147483647/").kwargs == {"pk": 2147483647}
