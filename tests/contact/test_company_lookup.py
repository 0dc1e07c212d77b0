"""The contact form's « Rechercher l’entreprise »: with a SIRET, what the « API Recherche d’entreprises » knows of
the company (a local stand-in: tests/territories/company_server.py) is shown for the person to confirm, and fills
the fields left empty; a failure or a timeout leaves the form usable; nothing is saved nor lost."""

import html
import time

import pytest

from contact.models import CompanyRequest
from territories.models import NafActivity
from tests.contact.conftest import contact_data, expert
from tests.territories.company_server import (  # noqa: F401 (the fixture company_search)
    ERROR,
    FOUND,
    SLOW,
    UNKNOWN,
    company_search_fixture,
)

pytestmark = pytest.mark.django_db


def lookup(client, ambassador, **overrides):
    return client.post(
        f"/ambassadeurs/{ambassador.slug}/contact/", {**contact_data(**overrides), "lookup": "1"}
    )


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def test_the_form_offers_the_search_only_when_a_lookup_service_is_configured(
    client, company_search, settings
):
    ambassador = expert()
    page = page_of(client.get(f"/ambassadeurs/{ambassador.slug}/contact/"))
    assert "Rechercher l’entreprise" in page
    # SIRET first, its search next to it; the form's first submit button (Enter in a field) sends the request.
    assert page.index('name="siret"') < page.index('name="company_name"')
    assert page.index('<button type="submit" hidden>Envoyer ma demande</button>') < page.index(
        'name="lookup"'
    )

    settings.SIRET_LOOKUP_URL = ""
    assert "Rechercher l’entreprise" not in page_of(client.get(f"/ambassadeurs/{ambassador.slug}/contact/"))


def test_found_company_is_shown_and_fills_the_empty_fields(client, company_search):
    ambassador = expert()

    response = lookup(
        client, ambassador, siret="732 829 320 00074", company_name="", postcode="", size="", sector=""
    )

    assert response.status_code == 200
    page = page_of(response)
    assert "Nous avons trouvé :" in page
    for shown in (
        "ATELIERS MECANIQUES DU RHONE",
        "Industrie manufacturière (code NAF 25.62B)",
        "Effectif : 20 à 49 salariés",
        "Commune : Lyon (69003)",
    ):
        assert shown in page
    form = response.context["form"]
    assert not form.is_bound  # no error shown: the person goes on filling in
    assert form.initial["company_name"] == "ATELIERS MECANIQUES DU RHONE"
    assert form.initial["postcode"] == "69003"
    assert form.initial["size"] == "pme"
    assert form.initial["sector"] == str(NafActivity.objects.get(level="section", code="C").pk)
    assert 'value="69003"' in page
    assert not CompanyRequest.objects.exists()


def test_what_the_person_typed_is_kept_and_never_replaced(client, company_search):
    ambassador = expert()
    sector_j = str(NafActivity.objects.get(level="section", code="J").pk)

    response = lookup(
        client, ambassador, siret=FOUND, postcode="31000", size="tpe", sector=sector_j, phone=""
    )

    form = response.context["form"]
    typed = contact_data(siret=FOUND, postcode="31000", size="tpe", sector=sector_j, phone="")
    for name in ("company_name", "contact_name", "email", "postcode", "size", "sector", "topic", "message"):
        assert form.initial[name] == typed[name], name
    assert form.initial["consent"] == "1"  # ticked on this very page: still ticked
    assert "Nous avons trouvé :" in page_of(response)


@pytest.mark.parametrize("siret", [UNKNOWN, ERROR, SLOW], ids=["inconnu", "erreur-500", "trop-lent"])
def test_a_failure_says_so_and_leaves_the_form_usable(client, company_search, siret):
    ambassador = expert()
    started = time.monotonic()

    response = lookup(client, ambassador, siret=siret)

    assert time.monotonic() - started < 6  # the slow server would hold it 6 s; the lookup gives up at 3 s
    assert response.status_code == 200
    page = page_of(response)
    assert "La recherche de l’entreprise n’a pas abouti : remplissez les champs vous-même." in page
    assert "Nous avons trouvé" not in page
    assert response.context["form"].initial["message"] == contact_data()["message"]

    sent = client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(siret=siret))

    assert sent.status_code == 302  # the sector was chosen: the request goes, lookup or not
    assert CompanyRequest.objects.get().siret == siret


def test_an_invalid_siret_is_said_without_asking_the_service(client, company_search):
    response = lookup(client, expert(), siret="73282932000075")

    assert "Ce numéro SIRET n’est pas valide" in page_of(response)
    assert company_search.requests == []


def test_the_lookup_of_a_bot_asks_nothing(client, company_search):
    response = lookup(client, expert(), siret=FOUND, website="http://spam.example")

    assert response.status_code == 302
    assert company_search.requests == []


def test_sending_after_the_lookup_uses_the_cache(client, company_search):
    ambassador = expert()
    lookup(client, ambassador, siret=FOUND, sector="")

    response = client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(siret=FOUND, sector=""))

    assert response.status_code == 302
    assert CompanyRequest.objects.get().sector.code == "C"
    assert len(company_search.requests) == 1
