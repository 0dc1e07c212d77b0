import csv
import io
import re

import pytest

from ambassadors.exports import COLUMNS
from ambassadors.models import PartnerNetwork, Topic
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambassadors():
    return [
        AmbassadorFactory(
            published=True,
            last_name="Alpha",
            regions=["84", "76"],
            departements=["69"],
            sectors=["C", "J"],
            topics=["production", "donnees"],
            siren="732829320",
        ),
        AmbassadorFactory(
            published=True,
            last_name="Bravo",
            regions=["11"],
            is_france_num_activateur=True,
            france_num_url="https://www.francenum.gouv.fr/activateurs/bravo",
        ),
        AmbassadorFactory(last_name="Caché", regions=["84"]),
    ]


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_csv_export_has_documented_columns_and_public_rows(client, ambassadors):
    response = client.get("/donnees/ambassadeurs.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert list(rows[0]) == [c.name for c in COLUMNS]
    assert [r["nom"] for r in rows] == ["Alpha", "Bravo"]
    alpha = rows[0]
    assert alpha["regions"] == "76;84"
    assert alpha["secteurs"] == "C;J"
    assert alpha["thematiques"] == "donnees;production"
    assert alpha["siren"] == "732829320"
    assert alpha["activateur_france_num"] == "false"
    assert alpha["url"].endswith(f"/ambassadeurs/{ambassadors[0].slug}/")


def test_json_export_matches_csv_and_takes_filters(client, ambassadors):
    data = client.get("/donnees/ambassadeurs.json?region=84").json()
    assert data["licence"].startswith("Licence Ouverte")
    assert [a["nom"] for a in data["ambassadeurs"]] == ["Alpha"]
    assert data["ambassadeurs"][0]["regions"] == ["76", "84"]
    assert set(data["ambassadeurs"][0]) == {c.name for c in COLUMNS}


def test_export_with_unknown_filter_is_a_400_in_json(client, ambassadors):
    response = client.get("/donnees/ambassadeurs.json?secteur=ZZ")
    assert response.status_code == 400
    assert "secteur" in response.json()["details"]


def test_france_num_export_lists_activateurs_only(client, ambassadors):
    rows = read_csv(client.get("/donnees/activateurs-france-num.csv"))
    assert [(r["nom"], r["page_france_num"]) for r in rows] == [
        ("Bravo", "https://www.francenum.gouv.fr/activateurs/bravo")
    ]


def test_exports_answer_304_to_a_conditional_request(client, ambassadors):
    first = client.get("/donnees/ambassadeurs.csv")
    assert "ETag" in first
    # A date cannot tell that a profile was deleted: the exports give none.
    assert "Last-Modified" not in first
    again = client.get("/donnees/ambassadeurs.csv", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/donnees/ambassadeurs.csv", "/donnees/ambassadeurs.json", "/donnees/activateurs-france-num.csv"]
)
def test_cached_export_no_longer_lists_a_deleted_profile(client, ambassadors, url):
    first = client.get(url)
    assert "Bravo" in first.content.decode()

    ambassadors[1].delete()

    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "Bravo" not in again.content.decode()


def test_cached_export_follows_topic_and_network_renames(client, ambassadors):
    assert "production" in client.get("/donnees/ambassadeurs.csv").content.decode()
    Topic.objects.filter(slug="production").update(slug="production-industrielle")
    PartnerNetwork.objects.filter(slug="cci").update(slug="cci-france")

    [alpha, bravo] = read_csv(client.get("/donnees/ambassadeurs.csv"))
    assert alpha["thematiques"] == "donnees;production-industrielle"
    assert alpha["reseau"] == bravo["reseau"] == "cci-france"


def test_cached_export_follows_every_change(client, ambassadors):
    assert "Nouveau" not in client.get("/donnees/ambassadeurs.csv").content.decode()
    AmbassadorFactory(published=True, last_name="Nouveau")
    assert "Nouveau" in client.get("/donnees/ambassadeurs.csv").content.decode()
    ambassadors[0].publication_state = "unpublished"
    ambassadors[0].save()
    assert "Alpha" not in client.get("/donnees/ambassadeurs.csv").content.decode()


def test_csv_export_quotes_text_and_reads_back_as_written(client, ambassadors):
    ambassadors[0].structure_name = "Conseil, formation; IA « générative »"
    ambassadors[0].save()

    response = client.get("/donnees/ambassadeurs.csv")

    body = response.content.decode("utf-8")
    assert all(line.startswith('"') for line in body.splitlines())  # text quoted: each cell read whole
    rows = read_csv(response)
    assert rows[0]["structure"] == "Conseil, formation; IA « générative »"
    data = client.get("/donnees/ambassadeurs.json").json()["ambassadeurs"]
    assert [(r["nom"], r["structure"]) for r in rows] == [(a["nom"], a["structure"]) for a in data]


def test_open_data_csv_has_no_bom_and_commas(client, ambassadors):
    """Open data keeps the Etalab conventions (the back office's « ; » and BOM are for French spreadsheets)."""
    for url in ("/donnees/ambassadeurs.csv", "/donnees/activateurs-france-num.csv"):
        body = client.get(url).content
        assert not body.startswith(b"\xef\xbb\xbf"), url
        assert body.split(b"\n")[0].startswith(b'"identifiant","prenom","nom"'), url


def test_open_data_page_documents_the_format(client):
    text = re.sub(r"[ \t\n]+", " ", client.get("/donnees/").content.decode())  # keeps the no-break spaces
    for words in (
        "encodage UTF-8, sans marque d’ordre d’octets (BOM)",
        "séparateur virgule",
        "dates au format ISO\u00a08601",
        "<code>AAAA-MM-JJ</code>",
        "Licence Ouverte Etalab\u00a02.0",
    ):
        assert words in text, words
