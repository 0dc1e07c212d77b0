import re

import pytest

from tests.factories import AmbassadorFactory, PartnerNetworkFactory

pytestmark = pytest.mark.django_db


def names(response):
    return {a.full_name for a in response.context["ambassadors"]}


@pytest.fixture
def people():
    return {
        "lyon": AmbassadorFactory(
            published=True,
            first_name="Alice",
            last_name="Lyonnaise",
            regions=["84"],
            departements=["69"],
            sectors=["C"],
            topics=["production"],
        ),
        "toulouse": AmbassadorFactory(
            published=True,
            first_name="Bruno",
            last_name="Toulousain",
            regions=["76"],
            departements=["31"],
            sectors=["C", "J"],
            topics=["donnees"],
            is_france_num_activateur=True,
            proposing_network=PartnerNetworkFactory(slug="france-num"),
        ),
        "star": AmbassadorFactory(
            published=True,
            first_name="Chloé",
            last_name="Célèbre",
            kind="grand_public",
            is_national=True,
            structure_name="Studio Lumière",
            bio="Chanteuse, je raconte comment l’IA change la création.",
        ),
        "hidden": AmbassadorFactory(first_name="Denis", last_name="Caché", regions=["84"], sectors=["C"]),
    }


def test_directory_lists_only_published_ambassadors(client, people):
    response = client.get("/ambassadeurs/")
    assert response.status_code == 200
    assert names(response) == {"Alice Lyonnaise", "Bruno Toulousain", "Chloé Célèbre"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=84", {"Alice Lyonnaise"}),
        ("departement=31", {"Bruno Toulousain"}),
        ("secteur=C", {"Alice Lyonnaise", "Bruno Toulousain"}),
        ("secteur=J", {"Bruno Toulousain"}),
        ("thematique=production", {"Alice Lyonnaise"}),
        ("profil=grand_public", {"Chloé Célèbre"}),
        ("profil=sectoriel_regional", {"Alice Lyonnaise", "Bruno Toulousain"}),
        ("reseau=france-num", {"Bruno Toulousain"}),
        ("activateur=1", {"Bruno Toulousain"}),
        ("q=lumière", {"Chloé Célèbre"}),
        ("q=chanteuse création", {"Chloé Célèbre"}),
        ("q=toulousain", {"Bruno Toulousain"}),
        ("region=84&secteur=J", set()),
        ("region=11", set()),
    ],
)
def test_directory_filters(client, people, query, expected):
    response = client.get(f"/ambassadeurs/?{query}")
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        "region=zz",
        "region=999",
        "departement=00",
        "secteur=Z",
        "thematique=inconnue",
        "profil=vip",
        "reseau=nope",
        "region=%00",
        "secteur=%27%3B--",
    ],
)
def test_directory_unknown_filter_value_is_a_400_with_a_french_message(client, people, query):
    response = client.get(f"/ambassadeurs/?{query}")
    assert response.status_code == 400
    assert "Un filtre n’est pas valide" in response.content.decode()
    if "%00" not in query:
        assert "n’existe pas" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1.5"])
def test_directory_odd_page_numbers_never_fail(client, people, page):
    assert client.get(f"/ambassadeurs/?page={page}").status_code == 200


def test_directory_is_paginated(client):
    AmbassadorFactory.create_batch(30, published=True, regions=["84"])
    first = client.get("/ambassadeurs/")
    second = client.get("/ambassadeurs/?page=2")
    assert len(first.context["ambassadors"]) == 24
    assert len(second.context["ambassadors"]) == 6
    assert first.context["page_obj"].paginator.count == 30


def test_ambassador_page_shows_public_fields_only(client, people):
    alice = people["lyon"]
    response = client.get(f"/ambassadeurs/{alice.slug}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Alice Lyonnaise" in body
    assert alice.structure_name in body
    assert alice.contact_email not in body
    assert alice.contact_phone not in body


def test_unpublished_ambassador_page_is_a_404(client, people):
    assert client.get(f"/ambassadeurs/{people['hidden'].slug}/").status_code == 404


def test_region_page_groups_published_ambassadors_by_profile(client, people):
    star_in_84 = AmbassadorFactory(published=True, kind="grand_public", regions=["84"], last_name="Régionale")
    response = client.get("/regions/84/")
    assert response.status_code == 200
    groups = {kind: [a.pk for a in items] for _label, kind, items in response.context["groups"]}
    assert groups == {"grand_public": [star_in_84.pk], "sectoriel_regional": [people["lyon"].pk]}
    assert "Denis Caché" not in response.content.decode()
    assert people["hidden"].slug not in response.content.decode()


def test_unknown_region_is_a_404(client):
    assert client.get("/regions/99/").status_code == 404
    assert client.get("/regions/99/integration/").status_code == 404


def test_region_embed_may_be_framed_by_other_sites_but_other_pages_may_not(client, people):
    embed = client.get("/regions/84/integration/")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "fr-header" not in embed.content.decode()  # no site chrome
    assert "Alice Lyonnaise" in embed.content.decode()
    page = client.get("/regions/84/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    assert "/regions/84/integration/" in page.context["embed_snippet"]


def test_home_counts_published_ambassadors(client, people):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["counts"] == {"total": 3, "grand_public": 1, "activateurs": 1}


def test_regions_page_counts_published_ambassadors_per_region(client, people):
    row = re.compile(r'<a href="/regions/(\w+)/">[^<]+</a>.*?</th><td>(\d+)</td>')
    counts = {code: int(n) for code, n in row.findall(client.get("/regions/").content.decode())}
    assert len(counts) == 18
    assert counts["84"] == 1
    assert counts["76"] == 1
    assert counts["11"] == 0

    # Kept as HTML until a profile changes: a profile published shows at once.
    AmbassadorFactory(regions=["11"], published=True)
    counts = {code: int(n) for code, n in row.findall(client.get("/regions/").content.decode())}
    assert counts["11"] == 1
