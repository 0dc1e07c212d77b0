"""The steering page's exports: the XLSX, opened with openpyxl, holds the rows of the page's table (numbers as
numeric cells, texts never formulas) in the user's scope; the CSV is the French back office's (byte order mark,
« ; », decimal comma) with the same rows."""

import io

import openpyxl
import pytest

from dashboard import selectors
from dashboard.tables import DEC, GAP
from dashboard.templatetags.dashboard_tags import cell
from tests.dashboard.conftest import csv_rows, page_tables, xlsx_rows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SLUGS = sorted(selectors.tables_for_csv())
ARA = "Auvergne-Rhône-Alpes"


def as_page_writes(values: list, kinds: list[str]) -> list[str]:
    """Cells of the XLSX written as the page writes them (« – » for no figure, « 4,0 », « 1 209 »)."""
    return [
        "0" if kind == GAP and value == 0 else " ".join(cell(value, kind).split())
        for value, kind in zip(values, kinds, strict=True)
    ]


def as_csv_writes(values: list, kinds: list[str]) -> list[str]:
    """Cells of the XLSX written as the CSV writes them (empty for no figure, decimal comma). A decimal of the
    XLSX reads back as an int when it is whole (3.0 is stored « 3 », shown « 3,0 » by its number format)."""
    return [
        ""
        if v is None
        else f"{v:.1f}".replace(".", ",")
        if isinstance(v, float) or (kind == DEC and isinstance(v, int))
        else str(v)
        for v, kind in zip(values, kinds, strict=True)
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_xlsx_holds_the_rows_of_the_page_and_of_the_csv(client, dataset, slug):
    client.force_login(UserFactory(national=True))
    page = page_tables(client.get("/pilotage/"))[slug]
    response = client.get(f"/pilotage/{slug}.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pilotage-{slug}.xlsx"'
    rows = xlsx_rows(response)
    table = selectors.tables_for_csv()[slug](selectors.Scope())
    assert rows[0] == table.csv_header
    kinds = [c.kind for c in table.columns]
    assert len(rows) == len(page) > 1
    assert [as_page_writes(r, kinds) for r in rows[1:]] == page[1:]
    csv = csv_rows(client.get(f"/pilotage/{slug}.csv"))
    assert csv[0] == table.csv_header
    assert csv[1:] == [as_csv_writes(r, kinds) for r in rows[1:]]


def test_xlsx_numbers_are_numeric_cells(client, dataset):
    client.force_login(UserFactory(national=True))
    rows = xlsx_rows(client.get("/pilotage/designations-regions.xlsx"))
    [ara] = [r for r in rows if r[0] == ARA]
    assert ara[1:] == [10, 2, 3, 30]
    assert all(type(v) is int for v in ara[1:])
    [occitanie] = [r for r in xlsx_rows(client.get("/pilotage/demandes-suivi.xlsx")) if r[0] == "Occitanie"]
    assert occitanie[4] == 10.0
    assert isinstance(occitanie[4], int | float)


def test_xlsx_decimals_and_counts_have_a_number_format(client, dataset):
    client.force_login(UserFactory(national=True))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/pilotage/demandes-suivi.xlsx").content)).active
    table = selectors.tables_for_csv()["demandes-suivi"](selectors.Scope())
    decimal_column = [c.kind for c in table.columns].index(DEC) + 1
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Occitanie")
    assert row[decimal_column - 1].number_format == "#,##0.0"
    assert row[1].number_format == "#,##0"


def test_xlsx_sheet_is_laid_out_for_reading(client, dataset):
    client.force_login(UserFactory(national=True))
    response = client.get("/pilotage/evenements-mois.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    caption = selectors.tables_for_csv()["evenements-mois"](selectors.Scope()).caption
    assert workbook.properties.title == caption
    assert len(sheet.title) <= 31
    assert sheet.title.endswith("…")
    assert caption.startswith(sheet.title.removesuffix("…"))
    assert sheet.column_dimensions["A"].width >= len("Provence-Alpes-Côte d’Azur")


def test_xlsx_formula_looking_text_is_a_text_cell(client, dataset):
    dataset.call2.title = '=HYPERLINK("https://exemple.test")'
    dataset.call2.save()
    client.force_login(UserFactory(national=True))
    response = client.get("/pilotage/recrutement-appels.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    [title] = [c for c in sheet["A"] if c.value == '=HYPERLINK("https://exemple.test")']
    assert title.data_type == "s"


def test_regional_xlsx_has_only_its_region(client, dataset):
    client.force_login(UserFactory(regional=True))
    for slug in SLUGS:
        text = repr(xlsx_rows(client.get(f"/pilotage/{slug}.xlsx")))
        assert "Occitanie" not in text, slug
        assert dataset.a4.full_name not in text, slug


def test_unknown_xlsx_is_a_404(client, dataset):
    client.force_login(UserFactory(national=True))
    assert client.get("/pilotage/inconnu.xlsx").status_code == 404


def test_page_offers_both_downloads(client, dataset):
    client.force_login(UserFactory(national=True))
    body = client.get("/pilotage/").content.decode()
    for slug in SLUGS:
        assert f'href="/pilotage/{slug}.csv"' in body
        assert f'href="/pilotage/{slug}.xlsx"' in body
    assert body.count("Télécharger (XLSX)") == len(SLUGS)
