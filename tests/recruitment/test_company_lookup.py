"""The AMI form's « Rechercher la structure »: with a SIRET, what the « API Recherche d’entreprises » knows of the
structure (a local stand-in: tests/territories/company_server.py) is shown for the person to confirm and fills the
fields left empty; a failure leaves the form usable; nothing is saved nor lost."""

import html

import pytest

from recruitment.forms import structure_size_for
from recruitment.models import Application
from territories.companies import Company
from tests.factories import CallFactory
from tests.recruitment.conftest import form_data
from tests.territories.company_server import (  # noqa: F401 (the fixture company_search)
    ERROR,
    FOUND,
    RECORDED,
    SLOW,
    UNKNOWN,
    company_search_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(title="AMI printemps 2026", text="Rejoignez les ambassadeurs de l’IA.")


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def test_the_search_is_offered_only_when_the_lookup_is_on(client, call, company_search, settings):
    page = page_of(client.get("/ami/"))
    assert "Rechercher la structure" in page
    assert page.index('name="siret"') < page.index('name="structure_name"')
    assert page.index('<button type="submit" hidden>Envoyer ma candidature</button>') < page.index(
        'name="lookup"'
    )

    settings.SIRET_LOOKUP_URL = ""
    assert "Rechercher la structure" not in page_of(client.get("/ami/"))


def test_found_structure_is_shown_and_fills_the_empty_fields_keeping_the_rest(client, call, company_search):
    data = form_data(call, siret=FOUND, structure_name="", structure_size="", postcode="", sectors=None)

    response = client.post("/ami/", {**data, "lookup": "1"})

    assert response.status_code == 200
    page = page_of(response)
    for shown in (
        "Nous avons trouvé\u00a0:",
        "ATELIERS MECANIQUES DU RHONE",
        "Industrie manufacturière (code NAF 25.62B)",
        "Effectif\u00a0: 20 à 49 salariés",
        "Commune\u00a0: Lyon (69003)",
    ):
        assert shown in page
    assert 'name="structure_name" value="ATELIERS MECANIQUES DU RHONE"' in page
    assert 'name="postcode" value="69003"' in page
    assert '<option value="pme" selected>' in page
    assert 'name="sectors" value="C" checked' in page
    # what was typed is kept, without any error shown
    assert 'name="first_name" value="Jeanne"' in page
    assert data["motivation"] in page
    assert 'name="topics" value="production" checked' in page
    assert "fr-error-text" not in page and "contient des erreurs" not in page
    assert not Application.objects.exists()


def test_the_live_services_recorded_answer_fills_the_form(client, call, company_search):
    data = form_data(call, siret=RECORDED, structure_name="", structure_size="", postcode="", sectors=None)

    page = page_of(client.post("/ami/", {**data, "lookup": "1"}))

    for shown in (
        "CARREFOUR",
        "Activités immobilières (code NAF 68.32A)",
        "Effectif\u00a0: unité non employeuse",
        "Commune\u00a0: Le Cannet (06110)",
    ):
        assert shown in page
    assert 'name="postcode" value="06110"' in page
    assert '<option value="independant" selected>' in page
    assert 'name="sectors" value="L" checked' in page


def test_what_was_typed_is_never_replaced(client, call, company_search):
    data = form_data(call, siret=FOUND, sectors=["J"])

    page = page_of(client.post("/ami/", {**data, "lookup": "1"}))

    assert 'name="structure_name" value="Usinage du Rhône"' in page
    assert 'name="postcode" value="69001"' in page
    assert 'name="sectors" value="J" checked' in page
    assert 'name="sectors" value="C" checked' not in page


@pytest.mark.parametrize("siret", [UNKNOWN, ERROR, SLOW], ids=["inconnu", "erreur-500", "trop-lent"])
def test_a_failure_says_so_and_the_application_can_still_be_sent(client, call, company_search, siret):
    response = client.post("/ami/", {**form_data(call, siret=siret), "lookup": "1"})

    assert response.status_code == 200
    assert "La recherche de l’entreprise n’a pas abouti\u00a0: remplissez les champs vous-même." in page_of(
        response
    )
    assert not Application.objects.exists()

    sent = client.post("/ami/", form_data(call, siret=siret))

    assert sent.status_code == 302
    assert Application.objects.get().siret == siret


def test_an_invalid_siret_is_said_without_asking_the_service(client, call, company_search):
    response = client.post("/ami/", {**form_data(call, siret="73282932000075"), "lookup": "1"})

    assert "Ce numéro SIRET n’est pas valide" in page_of(response)
    assert company_search.requests == []


@pytest.mark.parametrize(
    ("band", "size"),
    [
        ("NN", "independant"),
        ("00", "independant"),
        ("03", "tpe"),
        ("31", "pme"),
        ("51", "eti"),
        ("52", "ge"),
        ("", ""),
    ],
)
def test_size_bands_map_to_the_form_choices(band, size):
    assert structure_size_for(Company(siren="1", siret="1", name="", size_code=band)) == size
