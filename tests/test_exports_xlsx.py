"""The back office's exports open right in a French spreadsheet (core/exports.py): the applications' XLSX, opened
with openpyxl, holds the rows of the queue's table, numbers as numeric cells, the date as a date, a formula-looking
text as a text; the CSV starts with a byte order mark and reads with « ; »; who may download the XLSX is who may
download the CSV; the number of queries does not grow with the rows. Open data keeps its Etalab form (no mark,
comma)."""

import codecs
import csv
import io
from datetime import UTC, datetime
from html.parser import HTMLParser

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.utils import get_column_letter

from core import exports
from recruitment import exports as recruitment_exports
from tests.factories import AmbassadorFactory, ApplicationFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

XLSX = "/espace/candidatures/export.xlsx"
CSV = "/espace/candidatures/export.csv"


def xlsx_sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.active


def column(sheet, header: list, name: str) -> list:
    """The cells of the column ``name``, header left out."""
    return list(sheet[get_column_letter(header.index(name) + 1)])[1:]


def xlsx_dicts(response) -> list[dict]:
    rows = list(xlsx_sheet(response).iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


class _QueueParser(HTMLParser):
    """The rows of the queue's table: the cells' texts, the selection checkbox's cell left out."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_body = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False


def queue_rows(client) -> list[list[str]]:
    parser = _QueueParser()
    parser.feed(client.get("/espace/candidatures/").content.decode())
    return [r for r in parser.rows if len(r) > 1]


@pytest.fixture
def applications():
    first = ApplicationFactory(under_review=True, availability_hours=6)
    ReviewFactory(application=first, score=4)
    ReviewFactory(application=first, score=5)
    ApplicationFactory(region_id="76", departements=["31"], postcode="31000")
    ApplicationFactory(job_title='=HYPERLINK("https://exemple.test")', last_name="-Dupont")
    return first


def test_xlsx_holds_the_rows_of_the_queue(client, applications):
    client.force_login(UserFactory(national=True))
    rows = xlsx_dicts(client.get(XLSX))
    page = queue_rows(client)
    assert len(rows) == len(page) == 3
    for row, cells in zip(rows, page, strict=True):
        # The page's cells: (selection,) name and structure – date, region, network, state, reviews, my review.
        cells = cells[-6:]
        assert cells[0].startswith(f"{row['prenom']} {row['nom']}")
        assert cells[1:5] == [row["region"], row["reseau"] or "–", row["etat"], str(row["nombre_avis"])]


def test_xlsx_types_numbers_dates_and_texts(client, applications):
    client.force_login(UserFactory(national=True))
    response = client.get(XLSX)
    assert response["Content-Disposition"] == 'attachment; filename="candidatures.xlsx"'
    sheet = xlsx_sheet(response)
    assert sheet.title == "Candidatures"
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    header = [c.value for c in sheet[1]]
    assert header == recruitment_exports.HEADER
    rows = xlsx_dicts(response)
    [reviewed] = [r for r in rows if r["nombre_avis"] == 2]
    assert reviewed["note_moyenne"] == 4.5
    assert reviewed["disponibilite_h_mois"] == 6
    assert isinstance(reviewed["deposee_le"], datetime)
    date_cells = column(sheet, header, "deposee_le")
    assert len(date_cells) == 3
    assert all(c.is_date and c.number_format == exports.DATETIME_FORMAT for c in date_cells)
    assert all(c.data_type == "n" for c in column(sheet, header, "nombre_avis"))
    [attack] = [c for c in column(sheet, header, "fonction") if str(c.value).startswith("=")]
    assert attack.value == '=HYPERLINK("https://exemple.test")'
    assert attack.data_type == "s"
    [dash] = [c for c in column(sheet, header, "nom") if c.value == "-Dupont"]
    assert dash.data_type == "s"


def test_xlsx_date_is_on_the_paris_clock(client):
    application = ApplicationFactory()
    type(application).objects.filter(pk=application.pk).update(
        submitted_at=datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    )
    client.force_login(UserFactory(national=True))
    [row] = xlsx_dicts(client.get(XLSX))
    assert row["deposee_le"] == datetime(2026, 5, 1, 14, 30)
    body = client.get(CSV).content.decode("utf-8-sig")
    assert '"01/05/2026 14:30"' in body


def test_csv_starts_with_a_bom_and_reads_with_semicolons(client, applications):
    client.force_login(UserFactory(national=True))
    response = client.get(CSV)
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["appel", "etat", "deposee_le"]
    assert len(rows) == 4
    assert all(len(r) == len(rows[0]) for r in rows)
    assert ";2;" in response.content.decode()  # nombre_avis: a number, unquoted
    assert any(r[rows[0].index("fonction")] == '\'=HYPERLINK("https://exemple.test")' for r in rows)


def test_xlsx_keeps_the_queue_filters(client, applications):
    client.force_login(UserFactory(national=True))
    assert {r["region"] for r in xlsx_dicts(client.get(XLSX + "?region=76"))} == {"Occitanie"}


def test_xlsx_with_invalid_filter_is_a_french_400(client):
    client.force_login(UserFactory(national=True))
    response = client.get(XLSX + "?state=inconnu")
    assert response.status_code == 400
    assert "Filtre invalide" in response.content.decode()


ROLES = {
    "anonymous": None,
    "ambassador": lambda: UserFactory(),
    "reviewer": lambda: UserFactory(reviewer=True),
    "regional": lambda: UserFactory(regional=True),
    "national": lambda: UserFactory(national=True),
}
MATRIX = {"anonymous": 302, "ambassador": 403, "reviewer": 200, "regional": 200, "national": 200}


@pytest.mark.parametrize("url", [CSV, XLSX])
@pytest.mark.parametrize(("role", "expected"), MATRIX.items())
def test_who_downloads_the_applications(client, applications, url, role, expected):
    if ROLES[role]:
        client.force_login(ROLES[role]())
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/connexion/?next=")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_export_query_count_does_not_grow(client, url):
    client.force_login(UserFactory(national=True))
    ReviewFactory(application=ApplicationFactory(departements=["69"], sectors=["C"]), score=3)
    with_one = _count(client, url)
    for _ in range(2):
        ReviewFactory(application=ApplicationFactory(departements=["69", "38"], sectors=["C", "J"]), score=4)
    assert _count(client, url) == with_one == 7  # the same on SQLite and PostgreSQL


# Open data stays as Etalab recommends: UTF-8 without a byte order mark, comma-separated, ISO 8601 dates.


@pytest.mark.parametrize("url", ["/donnees/ambassadeurs.csv", "/donnees/activateurs-france-num.csv"])
def test_open_data_csv_keeps_the_etalab_form(client, url):
    AmbassadorFactory(
        published=True, is_france_num_activateur=True, designated_at=datetime(2026, 5, 1).date()
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(codecs.BOM_UTF8)
    header = response.content.decode().splitlines()[0]
    assert header.startswith('"identifiant","prenom","nom"')
    assert ";" not in header


def test_open_data_dates_are_iso_8601(client):
    AmbassadorFactory(published=True, designated_at=datetime(2026, 5, 1).date())
    rows = list(csv.DictReader(io.StringIO(client.get("/donnees/ambassadeurs.csv").content.decode())))
    assert rows[0]["date_designation"] == "2026-05-01"
