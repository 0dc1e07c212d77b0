import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassadors.exports import COLUMNS, MANAGE_HEADER
from ambassadors.models import Ambassador, PartnerNetwork, Topic
from core.exports import XLSX_CONTENT_TYPE
from tests.factories import AmbassadorFactory, UserFactory

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
    assert "secteur" in response.json()["erreurs"]


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


# The back office's list as a spreadsheet (/espace/ambassadeurs/export.xlsx and .csv), through core.exports.


def _manage_sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_manage_xlsx_holds_the_rows_of_the_list(client, ambassadors):
    client.force_login(UserFactory(national=True))
    response = client.get("/espace/ambassadeurs/export.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="ambassadeurs-perimetre.xlsx"'
    sheet = _manage_sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == MANAGE_HEADER
    page = client.get("/espace/ambassadeurs/").content.decode()
    listed = re.findall(r'<a href="/espace/ambassadeurs/\d+/">([^<]+)</a>', page)
    assert [f"{r[1]} {r[0]}" for r in rows[1:]] == listed
    assert sheet.freeze_panes == "A2"


def test_manage_xlsx_types_dates_and_keeps_private_data_out(client, ambassadors):
    alpha = ambassadors[0]
    Ambassador.objects.filter(pk=alpha.pk).update(designated_at=date(2026, 5, 1))
    client.force_login(UserFactory(national=True))
    sheet = _manage_sheet(client.get("/espace/ambassadeurs/export.xlsx"))
    header = [c.value for c in sheet[1]]
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Alpha"]
    designated = row[header.index("Désigné le")]
    assert designated.is_date
    assert designated.number_format == "dd/mm/yyyy"
    assert row[header.index("Publication")].value == "Publié"
    assert row[header.index("National")].value == "non"
    text = repr([[c.value for c in r] for r in sheet.iter_rows()])
    for ambassador in ambassadors:
        assert ambassador.contact_email not in text
    csv_body = client.get("/espace/ambassadeurs/export.csv").content
    assert csv_body.startswith(b"\xef\xbb\xbf")
    assert '"01/05/2026"' in csv_body.decode("utf-8-sig")
    for ambassador in ambassadors:
        assert ambassador.contact_email not in csv_body.decode("utf-8-sig")


def test_manage_export_keeps_the_list_filter(client, ambassadors):
    client.force_login(UserFactory(national=True))
    sheet = _manage_sheet(client.get("/espace/ambassadeurs/export.xlsx?etat=draft"))
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Caché"]


def test_manage_list_offers_both_downloads(client, ambassadors):
    client.force_login(UserFactory(national=True))
    body = client.get("/espace/ambassadeurs/?etat=published").content.decode()
    assert 'href="/espace/ambassadeurs/export.xlsx?etat=published"' in body
    assert 'href="/espace/ambassadeurs/export.csv?etat=published"' in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_manage_export_query_count_does_not_grow(client, fmt):
    client.force_login(UserFactory(national=True))
    AmbassadorFactory(published=True, regions=["84"], departements=["69"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/espace/ambassadeurs/export.{fmt}").status_code == 200
        return len(queries.captured_queries)

    with_one = count()
    for _ in range(2):
        AmbassadorFactory(published=True, regions=["84", "76"], departements=["69", "31"])
    assert count() == with_one == 7  # the same on SQLite and PostgreSQL


# The API's list (/api/v1/ambassadeurs) pages through PublicRecords: the export's records of the directory's rows.


def _public_records(data):
    from ambassadors.exports import PublicRecords
    from ambassadors.forms import DirectoryFilterForm

    form = DirectoryFilterForm(data)
    assert form.is_valid()
    return PublicRecords(form)


def test_public_records_are_the_directory_rows_as_their_records(ambassadors):
    from ambassadors.exports import record_of
    from ambassadors.forms import DirectoryFilterForm
    from ambassadors.selectors import ambassadors_directory

    AmbassadorFactory.create_batch(4, published=True, regions=["84"], topics=["finance"], sectors=["C"])
    for data in ({}, {"region": "84"}, {"q": "pme"}, {"secteur": "C"}):
        expected = [record_of(a) for a in ambassadors_directory(DirectoryFilterForm(data).filters())]
        rows = _public_records(data)
        assert rows.count() == len(expected), data
        assert rows[0:100] == expected, data
        assert rows[1:3] == expected[1:3], data


def test_public_records_show_a_change_at_once(ambassadors):
    from ambassadors import services

    assert [r["last_name"] for r in _public_records({"region": "84"})[0:10]] == ["Alpha"]

    services.ambassador_update(
        ambassador=ambassadors[0], by=UserFactory(national=True), data={"topics": Topic.objects.none()}
    )
    AmbassadorFactory(published=True, last_name="Delta", regions=["84"])

    rows = _public_records({"region": "84"})
    assert rows.count() == 2
    assert [(r["last_name"], r["thematiques"]) for r in rows[0:10]] == [("Alpha", []), ("Delta", [])]


def test_public_records_slice_reads_no_instance_and_a_few_queries(ambassadors):
    AmbassadorFactory.create_batch(5, published=True, regions=["84"], topics=["finance"])
    rows = _public_records({})
    with CaptureQueriesContext(connection) as queries:
        page = rows[0:100]
    assert len(page) == 7
    assert len(queries.captured_queries) == 5  # the profiles, then their four relations
