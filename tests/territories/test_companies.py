"""The company lookup (territories/companies.py) against a local server answering like the « API Recherche
d’entreprises »: found, unknown, odd answers, errors, a timeout, the cache and the rate limit."""

import time

import pytest

from territories import companies
from territories.companies import Company, company_for_siret
from tests.territories.company_server import (  # noqa: F401 (the fixture company_search)
    BUSY,
    ERROR,
    FOUND,
    HEAD_OFFICE,
    ODD,
    OTHER,
    RECORDED,
    SLOW,
    UNKNOWN,
    company_search_fixture,
)

pytestmark = pytest.mark.django_db


def test_found_gives_the_establishment_with_our_section_size_band_and_commune(company_search):
    company = company_for_siret(FOUND)

    assert company == Company(
        siren="732829320",
        siret=FOUND,
        name="ATELIERS MECANIQUES DU RHONE",
        naf_code="25.62B",
        section_code="C",
        section_label="Industrie manufacturière",
        size_code="12",
        size_label="20 à 49 salariés",
        commune_code="69123",
        commune_name="Lyon",
        postcode="69003",
    )
    assert company.employees_at_most == 49
    assert company_search.requests == [f"/search?q={FOUND}&page=1&per_page=1"]


def test_the_live_services_recorded_answer_is_read(company_search):
    # A head office without employees (« NN »), its sigle in nom_complet only, every field the service sends.
    company = company_for_siret(RECORDED)

    assert company == Company(
        siren="510761505",
        siret=RECORDED,
        name="CARREFOUR",
        naf_code="68.32A",
        section_code="L",
        section_label="Activités immobilières",
        size_code="NN",
        size_label="unité non employeuse",
        commune_code="06030",
        commune_name="Le Cannet",
        postcode="06110",
    )
    assert company.employees_at_most == 0


def test_the_head_office_is_used_when_it_is_the_siret_asked(company_search):
    company = company_for_siret(HEAD_OFFICE)

    assert (
        company.naf_code,
        company.section_code,
        company.size_label,
        company.commune_name,
        company.postcode,
    ) == (
        "70.10Z",
        "M",
        "50 à 99 salariés",
        "Toulouse",
        "31000",
    )


def test_a_result_without_the_establishment_keeps_the_company_values(company_search, settings):
    payload = {"results": [{"siren": "732829320", "nom_complet": "AMR", "section_activite_principale": "C"}]}
    company = companies._parse(payload, FOUND)

    assert (
        company.name,
        company.section_code,
        company.naf_code,
        company.size_label,
        company.commune_code,
    ) == (
        "AMR",
        "C",
        "",
        "",
        "",
    )


def test_unknown_siret_gives_none(company_search):
    assert company_for_siret(UNKNOWN) is None


@pytest.mark.parametrize(
    "siret", [ERROR, BUSY, ODD, OTHER], ids=["500", "429", "json-bizarre", "autre-entreprise"]
)
def test_errors_and_odd_answers_give_none_and_never_raise(company_search, siret):
    assert company_for_siret(siret) is None
    assert len(company_search.requests) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {
            "results": [
                {"siren": "732829320", "activite_principale": "00.00Z", "tranche_effectif_salarie": "77"}
            ]
        },
        {"results": [{"siren": "732829320", "matching_etablissements": "non", "siege": [1]}]},
        {"results": [{"siren": "732829320", "nom_complet": ["AMR"], "section_activite_principale": "CC"}]},
    ],
)
def test_unknown_codes_are_left_empty(payload):
    company = companies._parse(payload, FOUND)

    assert company is not None
    assert (company.name, company.section_code, company.size_code, company.size_label) == ("", "", "", "")


def test_a_server_slower_than_the_timeout_gives_none_within_the_limit(company_search):
    started = time.monotonic()

    assert company_for_siret(SLOW) is None
    assert time.monotonic() - started < companies.TIMEOUT + 2  # the server would hold it 6 s


def test_nothing_is_asked_when_the_lookup_is_off_or_the_siret_malformed(company_search, settings):
    assert company_for_siret("7328293200007") is None  # 13 digits
    assert company_for_siret("") is None
    settings.SIRET_LOOKUP_URL = ""
    assert company_for_siret(FOUND) is None
    assert company_search.requests == []


def test_cache_hit_makes_no_second_request(company_search):
    first = company_for_siret(FOUND)
    second = company_for_siret(FOUND)

    assert first == second is not None
    assert len(company_search.requests) == 1


def test_an_unknown_siret_and_a_failure_are_cached_too(company_search):
    for siret in (UNKNOWN, ERROR):
        assert company_for_siret(siret) is None
        assert company_for_siret(siret) is None
    assert len(company_search.requests) == 2


def test_a_failure_is_cached_for_a_short_while_only(company_search, monkeypatch):
    written = {}
    real_set = companies.cache.set
    monkeypatch.setattr(
        companies.cache,
        "set",
        lambda key, value, timeout: (written.update({key: timeout}), real_set(key, value, timeout)),
    )

    company_for_siret(ERROR)
    company_for_siret(FOUND)

    assert written == {
        f"company:{ERROR}": companies.FAILURE_CACHE_SECONDS,
        f"company:{FOUND}": companies.CACHE_SECONDS,
    }
    assert companies.FAILURE_CACHE_SECONDS <= 300 < companies.CACHE_SECONDS


def test_calls_to_the_service_are_rate_limited_across_sirets(company_search, monkeypatch):
    monkeypatch.setattr(companies, "RATE_PER_SECOND", 3)
    sirets = [f"{n:014d}" for n in range(1, 6)]

    for siret in sirets:
        company_for_siret(siret)

    assert len(company_search.requests) == 3  # the two others were not asked (nor cached as unknown)
    time.sleep(1.1)  # the next second's window
    company_for_siret(sirets[-1])
    assert len(company_search.requests) == 4


def test_the_limit_of_the_service_is_respected():
    assert companies.RATE_PER_SECOND <= 7


@pytest.mark.parametrize(
    "result",
    [
        {"nom_complet": "[NON-DIFFUSIBLE]", "statut_diffusion": "P"},
        {"nom_raison_sociale": "JEAN DUPONT", "statut_diffusion": "P"},
    ],
)
def test_a_name_not_to_be_diffused_is_left_empty(result):
    company = companies._parse(
        {"results": [{"siren": "732829320", "section_activite_principale": "C", **result}]}, FOUND
    )

    assert (company.name, company.section_code) == ("", "C")
