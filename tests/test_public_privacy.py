"""No private data in any public output: no contact email or phone of anyone, and nothing at all of a profile that
is not both published and consented to. Every public page, embed and export is requested and searched."""

import csv
import io
import json
from dataclasses import dataclass

import pytest
from django.utils import timezone

from ambassadors import services
from ambassadors.enums import ProfileKind, PublicationState
from ambassadors.models import Ambassador
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db

PRIVATE_DOMAIN = "@secret-exemple.test"
STATIC_PUBLIC_URLS = [
    "/",
    "/ambassadeurs/",
    "/ambassadeurs/?region=84",
    "/regions/",
    "/regions/84/",
    "/regions/84/integration/",
    "/donnees/",
    "/donnees/ambassadeurs.csv",
    "/donnees/ambassadeurs.json",
    "/donnees/ambassadeurs.json?region=84",
    "/donnees/activateurs-france-num.csv",
    "/donnees-personnelles/",
]
FORBIDDEN_COLUMN_WORDS = ("mail", "courriel", "phone", "telephone", "téléphone", "tel", "contact")


@dataclass
class Directory:
    published: list[Ambassador]
    hidden: list[Ambassador]


def _hidden(slug: str, first_name: str, last_name: str, **kwargs) -> Ambassador:
    # Activateurs France Num and national, in 84: they would show on every list if a filter were missing.
    return AmbassadorFactory(
        slug=slug,
        first_name=first_name,
        last_name=last_name,
        regions=["84"],
        is_national=True,
        is_france_num_activateur=True,
        france_num_url=f"https://www.francenum.gouv.fr/activateurs/{slug}",
        sectors=["C"],
        topics=["production"],
        **kwargs,
    )


@pytest.fixture
def directory():
    published = [
        AmbassadorFactory(
            published=True,
            regions=["84"],
            sectors=["C", "J"],
            topics=["production", "donnees"],
            is_france_num_activateur=True,
            france_num_url="https://www.francenum.gouv.fr/activateurs/premier",
        ),
        AmbassadorFactory(
            published=True,
            kind=ProfileKind.GRAND_PUBLIC,
            is_national=True,
            regions=["84", "76"],
            topics=["strategie"],
        ),
        AmbassadorFactory(
            published=True,
            regions=["76"],
            is_france_num_activateur=True,
            france_num_url="https://www.francenum.gouv.fr/activateurs/troisieme",
        ),
    ]
    hidden = [
        _hidden("brouillon-sans-consentement", "Bérénice", "Brouillonsecret"),
        _hidden("consentie-non-publiee", "Capucine", "Consentiecachee", consented=True),
        _hidden(
            "retiree-de-la-publication",
            "Romane",
            "Retireeprivee",
            consented=True,
            publication_state=PublicationState.UNPUBLISHED,
            published_at=timezone.now(),
        ),
    ]
    return Directory(published=published, hidden=hidden)


def _public_urls(ambassadors) -> list[str]:
    return STATIC_PUBLIC_URLS + [f"/ambassadeurs/{a.slug}/" for a in ambassadors]


def _get_all(client, urls) -> dict[str, str]:
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode()
    return bodies


def _private_strings(ambassador) -> list[str]:
    return [
        ambassador.contact_email,
        ambassador.contact_phone,
        ambassador.contact_phone.replace(" ", ""),
    ]


def test_contact_email_and_phone_appear_in_no_public_output(client, directory):
    bodies = _get_all(client, _public_urls(directory.published))

    for url, body in bodies.items():
        assert PRIVATE_DOMAIN not in body, url
        for ambassador in directory.published + directory.hidden:
            for secret in _private_strings(ambassador):
                assert secret not in body, f"{secret} in {url}"


def test_published_profiles_do_appear_in_the_public_outputs(client, directory):
    """The opposite check, so the one above cannot pass on empty pages."""
    bodies = _get_all(client, _public_urls(directory.published))

    for ambassador in directory.published:
        for url in ("/ambassadeurs/", "/donnees/ambassadeurs.csv", "/donnees/ambassadeurs.json"):
            assert ambassador.slug in bodies[url], f"{ambassador.slug} missing from {url}"
    assert len(json.loads(bodies["/donnees/ambassadeurs.json"])["ambassadeurs"]) == 3
    assert len(json.loads(bodies["/donnees/ambassadeurs.json?region=84"])["ambassadeurs"]) == 2


def test_unpublished_profiles_appear_in_no_public_output(client, directory):
    bodies = _get_all(client, _public_urls(directory.published))

    for url, body in bodies.items():
        for ambassador in directory.hidden:
            assert ambassador.last_name not in body, f"{ambassador.last_name} in {url}"
            assert ambassador.slug not in body, f"{ambassador.slug} in {url}"
            assert ambassador.france_num_url not in body, f"{ambassador.france_num_url} in {url}"


def test_unpublished_profile_detail_page_is_not_found(client, directory):
    for ambassador in directory.hidden:
        response = client.get(f"/ambassadeurs/{ambassador.slug}/")

        assert response.status_code == 404
        assert ambassador.last_name not in response.content.decode()


def _is_private_column(name: str) -> bool:
    return any(word in name.lower() for word in FORBIDDEN_COLUMN_WORDS)


@pytest.mark.parametrize("url", ["/donnees/ambassadeurs.csv", "/donnees/activateurs-france-num.csv"])
def test_csv_export_header_has_no_email_or_phone_column(client, directory, url):
    response = client.get(url)

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert [name for name in header if _is_private_column(name)] == []
    assert "identifiant" in header
    assert len(rows) > 1


@pytest.mark.parametrize("url", ["/donnees/ambassadeurs.json", "/donnees/ambassadeurs.json?region=84"])
def test_json_export_keys_have_no_email_or_phone(client, directory, url):
    data = client.get(url).json()

    assert [key for key in data if _is_private_column(key)] == []
    assert data["ambassadeurs"] != []
    for row in data["ambassadeurs"]:
        assert [key for key in row if _is_private_column(key)] == []


def test_open_data_page_documents_no_email_or_phone_column(client, directory):
    response = client.get("/donnees/")

    documented = [c.name for c in response.context["columns"]] + [
        c.name for c in response.context["france_num_columns"]
    ]
    assert [name for name in documented if _is_private_column(name)] == []


def test_withdrawing_consent_takes_the_profile_off_every_public_output_at_once(client, directory):
    person = UserFactory()
    ambassador = AmbassadorFactory(
        published=True,
        user=person,
        first_name="Valentine",
        last_name="Retraitconsent",
        slug="valentine-retraitconsent",
        regions=["84"],
        is_national=True,
        is_france_num_activateur=True,
        france_num_url="https://www.francenum.gouv.fr/activateurs/valentine",
    )
    urls = [*STATIC_PUBLIC_URLS, f"/ambassadeurs/{ambassador.slug}/"]
    showing = [
        "/ambassadeurs/",
        "/ambassadeurs/?region=84",
        "/regions/84/",
        "/regions/84/integration/",
        "/donnees/ambassadeurs.csv",
        "/donnees/ambassadeurs.json",
        "/donnees/ambassadeurs.json?region=84",
        "/donnees/activateurs-france-num.csv",
        f"/ambassadeurs/{ambassador.slug}/",
    ]
    before = _get_all(client, urls)
    for url in showing:
        assert ambassador.last_name in before[url], url

    services.ambassador_set_consent(ambassador=ambassador, by=person, consent=False)

    assert client.get(f"/ambassadeurs/{ambassador.slug}/").status_code == 404
    after = _get_all(client, STATIC_PUBLIC_URLS)
    for url, body in after.items():
        assert ambassador.slug not in body, url
        assert ambassador.last_name not in body, url
    ambassador.refresh_from_db()
    assert ambassador.publication_state == PublicationState.UNPUBLISHED
    assert ambassador.consent_at is None


def test_find_results_and_contact_pages_show_no_private_data_nor_hidden_profiles(client, directory):
    from ambassadors.models import Topic
    from territories.models import NafActivity

    response = client.get(
        "/trouver-un-ambassadeur/",
        {
            "postcode": "69001",
            "sector": NafActivity.objects.get(level="section", code="C").pk,
            "size": "pme",
            "topics": [Topic.objects.get(slug="production").pk],
            "question": "Production et données",
        },
    )
    bodies = {"find": response.content.decode()}
    assert response.status_code == 200
    for ambassador in directory.published:
        bodies[ambassador.slug] = client.get(f"/ambassadeurs/{ambassador.slug}/contact/").content.decode()

    assert directory.published[0].slug in bodies["find"]  # the opposite check: the list is not empty
    for name, body in bodies.items():
        assert PRIVATE_DOMAIN not in body, name
        for ambassador in directory.published + directory.hidden:
            for secret in _private_strings(ambassador):
                assert secret not in body, f"{secret} in {name}"
        for ambassador in directory.hidden:
            assert ambassador.slug not in body, name
