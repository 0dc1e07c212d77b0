import pytest

from core.csvsafe import safe_cell
from tests.factories import AmbassadorFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+33", "'+33"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Dupont", "Dupont"),
        ("", ""),
        (3, 3),
        (True, True),
    ],
)
def test_safe_cell_neutralises_formulas(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_open_data_csv_never_starts_a_cell_with_a_formula(client):
    AmbassadorFactory(published=True, structure_name="=cmd|' /C calc'!A0")
    body = client.get("/donnees/ambassadeurs.csv").content.decode()
    assert "'=cmd|" in body
    assert ",=cmd|" not in body
