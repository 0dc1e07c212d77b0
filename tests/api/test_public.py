"""The public API: same rules as the pages (published only, public fields only, same filters and errors), pagination,
French JSON errors, fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnostic import services as diagnostic_services
from territories.models import Departement, NafActivity
from tests.agenda.factories import REUNION, EventFactory, at, in_days
from tests.diagnostic.test_scoring import NO_ONE_TO_HELP
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.django_db
PRIVATE = "@secret-exemple.test"


def test_regions_and_departements(client):
    page = client.get("/api/v1/regions?par_page=100").json()

    assert page["total"] == 18
    reunion = next(r for r in page["resultats"] if r["code"] == "04")
    assert reunion["fuseau_horaire"] == "Indian/Reunion"
    assert [d["code"] for d in reunion["departements"]] == ["974"]
    deps = client.get("/api/v1/departements?region=84&par_page=100").json()
    assert deps["total"] == 12
    assert client.get("/api/v1/departements?region=99").status_code == 400


def test_ambassadors_only_published_with_public_fields(client):
    shown = AmbassadorFactory(published=True, regions=["84"], sectors=["C"], topics=["production"])
    hidden = AmbassadorFactory(regions=["84"], consented=True)

    body = client.get("/api/v1/ambassadeurs?region=84").content.decode()
    data = client.get("/api/v1/ambassadeurs?region=84").json()

    assert data["total"] == 1
    row = data["resultats"][0]
    assert row["identifiant"] == shown.slug
    assert row["regions"] == ["84"] and row["secteurs"] == ["C"] and row["thematiques"] == ["production"]
    assert hidden.slug not in body and PRIVATE not in body and shown.contact_phone not in body
    assert not any(word in key for key in row for word in ("mail", "phone", "telephone", "contact"))
    assert client.get(f"/api/v1/ambassadeurs/{shown.slug}").json()["nom"] == shown.last_name
    assert client.get(f"/api/v1/ambassadeurs/{hidden.slug}").status_code == 404


def test_ambassadors_filters_match_the_directory(client):
    AmbassadorFactory(published=True, regions=["84"], sectors=["C"], topics=["production"])
    AmbassadorFactory(published=True, regions=["84"], sectors=["J"], topics=["donnees"])
    AmbassadorFactory(published=True, regions=["76"], sectors=["C"])

    def slugs(query):
        return {a["identifiant"] for a in client.get(f"/api/v1/ambassadeurs?{query}").json()["resultats"]}

    def page_slugs(query):
        return set(
            client.get(f"/ambassadeurs/?{query}")
            .context["page_obj"]
            .object_list.values_list("slug", flat=True)
        )

    for query in ("secteur=C", "region=84&thematique=donnees", "region=76", "q=Nomdefabrique"):
        assert slugs(query) == page_slugs(query), query


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("region=zz", "region"),
        ("secteur=Z", "secteur"),
        ("profil=chef", "profil"),
        ("thematique=astrologie", "thematique"),
    ],
)
def test_ambassadors_bad_filter_is_a_french_400(client, query, field):
    response = client.get(f"/api/v1/ambassadeurs?{query}")

    assert response.status_code == 400
    data = response.json()
    assert data["message"] == "Filtre invalide : voyez le détail par paramètre."
    assert field in data["erreurs"]


@pytest.mark.parametrize(
    "query", ["page=abc", "par_page=0", "par_page=1000", "page=0", "page=99999999999999999999"]
)
def test_bad_pagination_is_4xx_json(client, query):
    response = client.get(f"/api/v1/ambassadeurs?{query}")

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["message"] in (
        "Paramètres ou données invalides : voyez le détail par champ.",
        "Filtre invalide : voyez le détail par paramètre.",
    )


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("post", "/api/v1/regions", "GET"),
        ("delete", "/api/v1/evenements/un-evenement", "GET"),
        ("delete", "/api/v1/partenaires/evenements", "GET, POST"),
        ("patch", "/api/v1/partenaires/evenements/1", "PUT"),
    ],
)
def test_wrong_method_is_a_json_405_in_french(client, method, url, allowed):
    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Allow"] == allowed
    assert response.json() == {
        "message": f"Méthode non permise à cette adresse : utilisez {allowed}.",
        "erreurs": {},
    }


@pytest.mark.parametrize("url", ["/api/v1/inconnue", "/api/v1/regions/", "/api/v1/partenaires/"])
def test_unknown_api_address_is_a_json_404_in_french(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response.json() == {"message": "Adresse inconnue dans l’API : voyez /api/v1/docs.", "erreurs": {}}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/departements?region=" + "x" * 300, "region"),
        ("/api/v1/ambassadeurs?secteur=" + "x" * 300, "secteur"),
        ("/api/v1/evenements?format=" + "x" * 300, "format"),
    ],
)
def test_refused_filter_value_is_quoted_cut_short(client, url, field):
    [message] = client.get(url).json()["erreurs"][field]

    assert "« " + "x" * 49 + "… »" in message
    assert "x" * 50 not in message


def test_pagination_pages(client):
    for _ in range(5):
        AmbassadorFactory(published=True, regions=["84"])

    first = client.get("/api/v1/ambassadeurs?par_page=2").json()
    last = client.get("/api/v1/ambassadeurs?par_page=2&page=3").json()
    beyond = client.get("/api/v1/ambassadeurs?par_page=2&page=9").json()

    assert (first["total"], first["pages"], len(first["resultats"])) == (5, 3, 2)
    assert len(last["resultats"]) == 1
    assert beyond["resultats"] == []


def test_events_published_only_with_offset_times_and_filters(client):
    lyon = EventFactory(topics=["production"])
    reunion = EventFactory(reunion=True, starts_at=at(in_days(10), 14, 0, REUNION))
    EventFactory(submitted=True, title="Pas encore modéré")
    past = EventFactory(starts_at=at(in_days(-20), 9), title="Déjà passé")

    data = client.get("/api/v1/evenements").json()
    by_slug = {e["identifiant"]: e for e in data["resultats"]}

    assert set(by_slug) == {lyon.slug, reunion.slug}
    assert by_slug[reunion.slug]["debut"].endswith("T14:00:00+04:00")
    assert by_slug[reunion.slug]["fuseau_horaire"] == "Indian/Reunion"
    assert by_slug[lyon.slug]["lieu"]["commune"] == "69123"
    assert by_slug[lyon.slug]["thematiques"] == ["production"]
    assert client.get("/api/v1/evenements?region=04").json()["total"] == 1
    assert client.get("/api/v1/evenements?thematique=production").json()["total"] == 1
    assert [e["identifiant"] for e in client.get("/api/v1/evenements?passes=true").json()["resultats"]] == [
        past.slug
    ]
    assert client.get("/api/v1/evenements?du=2030-13-01").status_code == 400
    assert client.get("/api/v1/evenements?du=2030-01-02&au=2030-01-01").status_code == 400
    assert client.get(f"/api/v1/evenements/{lyon.slug}").json()["titre"] == lyon.title
    assert client.get("/api/v1/evenements/inconnu").json() == {
        "message": "Ressource introuvable.",
        "erreurs": {},
    }


def test_diagnostic_statistics_merge_small_groups_so_none_can_be_recovered(client):
    def submit(n, departement, size):
        for _ in range(n):
            diagnostic_services.diagnostic_submit(
                answers=NO_ONE_TO_HELP,
                departement=Departement.objects.get(code=departement),
                sector=NafActivity.objects.get(level="section", code="C"),
                size=size,
            )

    submit(12, "31", "pme")  # Occitanie
    submit(10, "75", "pme")  # Île-de-France
    submit(1, "69", "tpe")  # Auvergne-Rhône-Alpes: one result, never shown alone

    data = client.get("/api/v1/diagnostic/statistiques").json()

    assert data["total"] == 23
    assert data["reference_nationale"] == {
        "innovateur": 19,
        "experimentateur": 28,
        "sceptique": 27,
        "bloque": 26,
    }
    # 1 alone could be recovered by subtraction: the smallest named group (10) joins it.
    regions = [(g["groupe"], g["resultats"]) for g in data["par_region"]]
    assert regions == [("Occitanie", 12), ("Autres (regroupés pour protéger l’anonymat)", 11)]
    assert data["par_region"][0]["repartition"] == {
        "innovateur": 0, "experimentateur": 0, "sceptique": 0, "bloque": 100}  # fmt: skip
    assert "Auvergne" not in str(data) and "Île-de-France" not in str(data)


@pytest.mark.parametrize(("url", "expected"), [("/api/v1/ambassadeurs", 7), ("/api/v1/evenements", 5)])
def test_list_query_counts_do_not_grow(client, url, expected):
    def make():
        AmbassadorFactory(published=True, regions=["84"], sectors=["C"], topics=["production"])
        EventFactory(topics=["production"], sectors=["C"])

    make()
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        make()
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    # Cold both times (the data changed), the same on SQLite and PostgreSQL.
    assert len(four.captured_queries) == len(one.captured_queries) == expected


def test_openapi_document_and_docs_page(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/ambassadeurs", "/api/v1/evenements", "/api/v1/regions", "/api/v1/departements",
            "/api/v1/diagnostic/statistiques", "/api/v1/partenaires/evenements"} <= set(schema["paths"])  # fmt: skip
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()


def test_public_api_rate_limit_answers_429_in_french(client, settings):
    settings.API_ANON_RATE = "3/m"

    responses = [client.get("/api/v1/regions") for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1].json()["message"] == "Trop de requêtes : réessayez dans une minute."
    assert int(responses[-1]["Retry-After"]) > 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/departements?region=%00",
        "/api/v1/ambassadeurs/%00",
        "/api/v1/evenements/a%00b",
        "/api/v1/evenements?q=%00",
    ],
)
def test_nul_character_is_a_json_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()["message"] == "Caractère nul interdit dans l’adresse."


def test_api_address_itself_answers_json_with_its_documentation_and_resources(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["documentation"].endswith("/api/v1/docs") and body["openapi"].endswith("/api/v1/openapi.json")
    for url in body["ressources"].values():
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_open_data_page_links_the_api_and_its_promise_about_filters_holds(client):
    page = client.get("/donnees/").content.decode()

    assert 'href="/api/v1/docs"' in page and 'href="/api/v1/"' in page
    assert client.get("/donnees/ambassadeurs.csv?region=zz").status_code == 400
    assert client.get("/donnees/ambassadeurs.json?region=zz").status_code == 400
    assert client.get("/donnees/ambassadeurs.csv?pas_un_filtre=1").status_code == 200


def test_api_gives_no_registration_nor_connection_link_while_an_event_is_cancelled_or_postponed(client):
    from tests.agenda.factories import EventFactory

    links = {"registration_url": "https://inscription.exemple/", "online_url": "https://visio.exemple/"}
    EventFactory(title="Reporté", status="postponed", **links)
    EventFactory(title="Annulé", status="cancelled", **links)
    EventFactory(title="Programmé", **links)

    items = {e["titre"]: e for e in client.get("/api/v1/evenements").json()["resultats"]}

    assert (items["Reporté"]["lien_inscription"], items["Reporté"]["lien_en_ligne"]) == ("", "")
    assert (items["Annulé"]["lien_inscription"], items["Annulé"]["lien_en_ligne"]) == ("", "")
    assert items["Programmé"]["lien_inscription"] == "https://inscription.exemple/"
    assert items["Programmé"]["debut_initial"] is None
