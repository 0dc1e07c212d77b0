"""CSV injection (security issue 13, fault 6): every CSV of the project is written by ``core.csvsafe.csv_writer``,
which quotes text cells and neutralises a formula at the start of a cell or after a separator, so a spreadsheet
that splits the file on « , », « ; » or a tab never runs one; Python's csv module reads the file back as written."""

import csv
import io

import pytest

from core.csvsafe import csv_writer, safe_cell
from dashboard.tables import TEXT, Column, Table, to_csv
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory

FORMULA_CHARS = ("=", "+", "-", "@")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+33", "'+33"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+2", "'\t'=1+2"),
        ("\r=1+2", "'\r'=1+2"),
        ("\n=1+2", "'\n'=1+2"),
        ("  =1+2", "'  =1+2"),
        ("Consultant;=1+2", "Consultant;'=1+2"),
        ("Consultant; =1+2", "Consultant; '=1+2"),
        ('Conseil;"=1+2', "Conseil;\"'=1+2"),
        ('"=1+2', "'\"=1+2"),
        ("Consultant,+1", "Consultant,'+1"),
        ("Consultant\t@SUM(A1)", "Consultant\t'@SUM(A1)"),
        ("Consultant\n-1+2", "Consultant\n'-1+2"),
        ("=1;=2", "'=1;'=2"),
        ("Consultant\r\n=1", "Consultant\r\n'=1"),
        ("Dupont", "Dupont"),
        ("Saint-Denis", "Saint-Denis"),
        ("Lyon, Villeurbanne; Bron", "Lyon, Villeurbanne; Bron"),
        ("R&D = 3 %", "R&D = 3 %"),
        ("", ""),
        (None, ""),
        (3, 3),
        (-3, -3),
        (2.5, 2.5),
        (True, "True"),
    ],
)
def test_safe_cell_neutralises_formulas(value, expected):
    assert safe_cell(value) == expected


def _formula_cells(body: str) -> list[str]:
    """The cells a spreadsheet splitting ``body`` on « , », « ; » or a tab would take for formulas."""
    found = []
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(body), delimiter=delimiter):
            for cell in row:
                text = cell.lstrip(" \t\r\n")
                try:
                    float(text.replace(",", "."))  # « -1,5 »: a number in a French spreadsheet, not a formula
                except ValueError:
                    if text.startswith(FORMULA_CHARS):
                        found.append(cell)
    return found


def test_csv_writer_quotes_text_and_reads_back_as_written():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["nom", "fonction", "nombre"])
    writer.writerow(["Dupont", "Consultant;=1+2", 3])
    writer.writerow(["Durand", None, 0])

    body = buffer.getvalue()

    assert body == '"nom","fonction","nombre"\n"Dupont","Consultant;\'=1+2",3\n"Durand","",0\n'
    assert list(csv.reader(io.StringIO(body))) == [
        ["nom", "fonction", "nombre"],
        ["Dupont", "Consultant;'=1+2", "3"],
        ["Durand", "", "0"],
    ]
    assert _formula_cells(body) == []


# What people type, and how the exports write it.
ATTACKS = {
    "Consultant;=1+2": "Consultant;'=1+2",
    'Conseil,+HYPERLINK("x")': 'Conseil,\'+HYPERLINK("x")',
    'Conseil;"=1+2': "Conseil;\"'=1+2",
    "Dirigeante\t@SUM(A1)": "Dirigeante\t'@SUM(A1)",
    "Cheffe\n=1+2": "Cheffe\n'=1+2",
    "=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
}


@pytest.mark.django_db
def test_open_data_csv_never_holds_a_formula_for_any_separator(client):
    for i, attack in enumerate(ATTACKS):
        AmbassadorFactory(published=True, job_title=attack, structure_name=f"Structure {i};-2")

    body = client.get("/donnees/ambassadeurs.csv").content.decode()

    assert _formula_cells(body) == []
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["fonction"] for r in rows) == sorted(ATTACKS.values())


@pytest.mark.django_db
def test_applications_export_never_holds_a_formula_for_any_separator(client):
    for attack in ATTACKS:
        ApplicationFactory(job_title=attack, last_name="Dupont;@SUM(A1)")
    client.force_login(UserFactory(national=True))

    response = client.get("/espace/candidatures/export.csv")

    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert _formula_cells(body) == []
    assert {r["nom"] for r in csv.DictReader(io.StringIO(body), delimiter=";")} == {"Dupont;'@SUM(A1)"}


def test_dashboard_csv_never_holds_a_formula_and_keeps_numbers():
    table = Table(
        slug="t",
        caption="Test",
        columns=[Column("Ambassadeur", kind=TEXT), Column("Demandes")],
        rows=[["Dupont;=1+2", 4], ["Durand", None], ["Dubois", -1.5]],
        footer=["Total", 4],
    )

    body = to_csv(table)

    # The back office's CSV (core.exports): byte order mark, « ; », a decimal comma, numbers unquoted.
    assert (
        body == '\ufeff"Ambassadeur";"Demandes"\n"Dupont;\'=1+2";4\n"Durand";""\n"Dubois";-1,5\n"Total";4\n'
    )
    assert _formula_cells(body.removeprefix("\ufeff")) == []


def test_a_text_without_a_formula_is_written_as_it_is_and_any_other_as_before():
    # safe_cell writes a text where no formula can start as it is, after one search: the same cells as the two
    # rules applied one after the other, over every short text of the characters that matter.
    import itertools
    import re

    after = re.compile(r'([;,\t\r\n][ \t\r\n"]*)(?=[=+\-@])')
    leading = re.compile(r'^[ "]*[=+\-@]')

    def both_rules(text):
        text = after.sub(r"\1'", text)
        return (
            "'" + text
            if text.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) or leading.match(text)
            else text
        )

    alphabet = 'a=-@;,\t\n "'
    texts = ["".join(p) for n in range(5) for p in itertools.product(alphabet, repeat=n)]
    assert len(texts) > 10_000
    assert [safe_cell(t) for t in texts] == [both_rules(t) for t in texts]
