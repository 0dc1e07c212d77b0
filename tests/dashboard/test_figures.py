"""The figures of /pilotage/ for the national coordination, section by section, against the data set of conftest.py
counted by hand; and the CSV exports carry the same figures."""

from datetime import date

import pytest
from django.utils import timezone

from tests.dashboard.conftest import csv_rows, labels, page_tables, page_text, row, strs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CCI = "CCI France"
NO_REQUEST = ["0", "0", "0", "–", "0"]


@pytest.fixture
def national(client, dataset):
    client.force_login(UserFactory(national=True))
    response = client.get("/pilotage/")
    assert response.status_code == 200
    return response, page_tables(response)


def test_designations_by_region_against_targets(national):
    _, tables = national
    rows = tables["designations-regions"]
    assert rows[0] == ["Région", "Objectif", "Désignés", "Publiés", "Publiés / objectif (%)"]
    assert row(rows, "Auvergne-Rhône-Alpes") == strs(10, 2, 3, 30)  # a1, a2 designated; a1, a2, a3 published
    assert row(rows, "Occitanie") == strs(1, 2, 1, 100)  # a4, a5 designated; a4 published
    assert row(rows, "Bretagne") == strs(None, 0, 0, None)
    assert row(rows, "Sans région (ambassadeurs nationaux)") == strs(None, 1, 1, None)  # a6
    assert row(rows, "Ensemble du périmètre") == strs(300, 5, 5, 2)
    assert len(labels(rows)) == 18 + 2  # every region, the national ambassadors, the total


def test_regions_are_in_french_alphabetical_order(national):
    _, tables = national
    regions = labels(tables["designations-regions"])[:18]
    assert regions.index("Hauts-de-France") < regions.index("Île-de-France") < regions.index("La Réunion")


def test_designations_by_profile_and_network(national):
    _, tables = national
    assert row(tables["designations-profils"], "Sectoriel et régional") == strs(
        4, 3
    )  # a1 a2 a4 a5 / a1 a2 a4
    assert row(tables["designations-profils"], "Grand public") == strs(1, 2)  # a6 / a3 a6
    networks = tables["designations-reseaux"]
    assert row(networks, CCI) == strs(3, 3)  # a1 a4 a6
    assert row(networks, "Bpifrance") == strs(2, 1)  # a2 a5 / a2
    assert row(networks, "France Num") == strs(0, 1)  # a3


def test_map_colours_regions_by_share_of_target(national):
    response, _ = national
    body = response.content.decode()
    assert 'role="img" aria-labelledby="carte-titre"' in body
    assert 'id="carte-titre"' in body
    assert body.count('<g class="ai-cov-') == 18
    assert (
        '<g class="ai-cov-1"><title>Auvergne-Rhône-Alpes : 3 publiés pour un objectif de 10 (30 %)</title>'
        in body
    )
    assert '<g class="ai-cov-4"><title>Occitanie : 1 publié pour un objectif de 1 (100 %)</title>' in body
    assert '<g class="ai-cov-na"><title>Bretagne : 0 publié, pas d’objectif</title>' in body
    for code in ("GUA", "MAR", "GUY", "LRE", "MAY"):  # the overseas insets
        assert f">{code}</text>" in body


def test_coverage_regions_and_sector_cells(national):
    response, tables = national
    summary = tables["couverture-regions"]
    # Published « sectoriel et régional »: a1 (84: C, J), a2 (84: C), a4 (76: C). a5 (76, F) is not published.
    assert row(summary, "Auvergne-Rhône-Alpes")[:2] == ["2", "2"]
    assert "C" not in row(summary, "Auvergne-Rhône-Alpes")[2].split(", ")
    assert "J" not in row(summary, "Auvergne-Rhône-Alpes")[2].split(", ")
    assert row(summary, "Occitanie")[:2] == ["1", "1"]
    assert "F" in row(summary, "Occitanie")[2].split(", ")
    assert row(summary, "Bretagne") == ["0", "0", "toutes"]
    matrix = tables["couverture-secteurs"]
    sections = matrix[0][1:]
    assert len(sections) == 21
    cells_84 = dict(zip(sections, row(matrix, "Auvergne-Rhône-Alpes"), strict=True))
    cells_76 = dict(zip(sections, row(matrix, "Occitanie"), strict=True))
    assert (cells_84["C"], cells_84["J"], cells_84["A"]) == ("2", "1", "0")
    assert (cells_76["C"], cells_76["F"]) == ("1", "0")
    body = page_text(response)
    assert "16 régions sans ambassadeur sectoriel et régional publié" in body
    assert "375 croisements région et secteur sans ambassadeur, sur 378" in body  # 18 x 21 cells, 3 covered


def test_recruitment_funnel_by_call_region_and_network(national, dataset):
    _, tables = national
    calls = tables["recrutement-appels"]
    assert calls[0][1:] == [
        "Candidatures",
        "Déposée",
        "En cours d’examen",
        "Correction demandée",
        "Retenue : ambassadeur désigné",
        "Non retenue",
        "Irrecevable",
        "Retirée par la personne",
        "Délai médian jusqu’à la décision (jours)",
    ]
    assert row(calls, dataset.call1.title) == strs(4, 1, 1, 0, 1, 1, 0, 0, "3,0")  # median of 2 and 4 days
    assert row(calls, dataset.call2.title) == strs(1, 1, 0, 0, 0, 0, 0, 0, None)
    by_region = tables["recrutement-regions"]
    assert [r[:2] for r in by_region[1:]] == [
        [dataset.call2.title, "Occitanie"],  # the latest call first
        [dataset.call1.title, "Auvergne-Rhône-Alpes"],
        [dataset.call1.title, "Occitanie"],
    ]
    assert by_region[2][2:] == strs(3, 1, 1, 0, 0, 1, 0, 0)
    assert by_region[3][2:] == strs(1, 0, 0, 0, 1, 0, 0, 0)
    by_network = tables["recrutement-reseaux"]
    assert [r[:3] for r in by_network[1:]] == [
        [dataset.call2.title, CCI, "1"],
        [dataset.call1.title, "Bpifrance", "1"],
        [dataset.call1.title, CCI, "3"],
    ]


def _month_index(day: date) -> int:
    """Column of ``day``'s month in the events table (8 months back ... 3 ahead)."""
    today = timezone.localdate()
    return (day.year * 12 + day.month) - (today.year * 12 + today.month) + 8


def test_events_by_region_and_month(national, dataset):
    _, tables = national
    rows = tables["evenements-mois"]
    assert len(rows[0]) == 1 + 12 + 1
    expected_84, expected_76 = [0] * 12, [0] * 12
    for key, expected in (("e1", expected_84), ("e2", expected_84), ("e3", expected_76)):  # e5 is too old
        expected[_month_index(timezone.localtime(dataset.events[key].starts_at).date())] += 1
    assert row(rows, "Auvergne-Rhône-Alpes") == strs(*expected_84, 2)
    assert row(rows, "Occitanie") == strs(*expected_76, 1)  # e4 waits for moderation
    assert row(rows, "Total")[-1] == "3"


def test_events_by_format_and_origin(national):
    response, tables = national
    formats = tables["evenements-formats"]
    assert row(formats, "Atelier") == strs(2, 1)  # e1, e5 (past); e4 is not public
    assert row(formats, "Webinaire") == strs(1, 0)
    assert row(formats, "Conférence") == strs(1, 1)
    assert row(formats, "Total") == strs(4, 2)
    origins = tables["evenements-origines"]
    assert row(origins, "Ambassadeurs") == strs(1, 25)  # e1
    assert row(origins, "Coordination") == strs(1, 25)  # e2
    assert row(origins, "Imports de calendriers") == strs(1, 25)  # e3
    assert row(origins, "Autres") == strs(1, 25)  # e5
    assert "2 événements à venir" in page_text(response)


def test_company_requests_followup_and_satisfaction(national):
    response, tables = national
    followup = tables["demandes-suivi"]
    assert row(followup, "Auvergne-Rhône-Alpes") == strs(3, 2, 2, "3,0", 0)  # median of 2 h and 4 h
    assert row(followup, "Occitanie") == strs(2, 1, 1, "10,0", 1)  # r4, given 11 days ago
    assert row(followup, "Bretagne") == NO_REQUEST
    assert row(followup, "Ensemble du périmètre") == strs(5, 3, 3, "4,0", 1)
    satisfaction = tables["demandes-satisfaction"]
    assert row(satisfaction, "Auvergne-Rhône-Alpes") == strs(2, 50, 50, 0, 50)
    assert row(satisfaction, "Occitanie") == strs(0, None, None, None, None)
    assert row(satisfaction, "Ensemble du périmètre") == strs(2, 50, 50, 0, 50)
    assert "1 demande d’entreprise sans réponse après 10 jours" in page_text(response)


def test_diagnostics_against_baseline_hide_small_groups(national):
    response, tables = national
    rows = tables["autodiagnostics"]
    assert rows[0] == [
        "Groupe",
        "Résultats",
        "Innovateur (%)",
        "Expérimentateur (%)",
        "Sceptique (%)",
        "Bloqué (%)",
    ]
    assert row(rows, "Référence nationale (Bpifrance Le Lab, 2025)") == ["1 209", "19", "28", "27", "26"]
    assert row(rows, "Ensemble du périmètre") == strs(15, 40, 20, 20, 20)
    assert row(rows, "Auvergne-Rhône-Alpes") == strs(12, 50, 0, 25, 25)
    assert row(rows, "Occitanie") == strs("moins de 10", None, None, None, None)
    assert row(rows, "Bretagne") == strs(0, None, None, None, None)
    assert '<meter min="0" max="100" value="40"' in response.content.decode()


def test_ambassadors_activity_most_active_first(national, dataset):
    _, tables = national
    rows = tables["activite-ambassadeurs"]
    assert rows[1:] == [
        [dataset.a1.full_name, CCI, "1", "2", "3"],  # created e1; answered r1, r2
        [dataset.a2.full_name, "Bpifrance", "1", "0", "1"],  # takes part in e5
        [dataset.a4.full_name, CCI, "0", "1", "1"],  # answered r3
    ]


CSV_EXPECTED = {
    "designations-regions": ("Auvergne-Rhône-Alpes", ["10", "2", "3", "30"]),
    "designations-profils": ("Sectoriel et régional", ["4", "3"]),
    "designations-reseaux": ("Bpifrance", ["2", "1"]),
    "couverture-regions": ("Occitanie", ["1", "1"]),
    "evenements-formats": ("Atelier", ["2", "1"]),
    "evenements-origines": ("Imports de calendriers", ["1", "25"]),
    "demandes-suivi": ("Occitanie", ["2", "1", "1", "10,0", "1"]),
    "demandes-satisfaction": ("Occitanie", ["0", "", "", "", ""]),
    "autodiagnostics": ("Occitanie", ["moins de 10", "", "", "", ""]),
}


@pytest.mark.parametrize("slug", list(CSV_EXPECTED))
def test_csv_export_has_french_header_and_the_page_figures(client, dataset, slug):
    client.force_login(UserFactory(national=True))
    page = page_tables(client.get("/pilotage/"))[slug]
    response = client.get(f"/pilotage/{slug}.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pilotage-{slug}.csv"'
    rows = csv_rows(response)
    label, expected = CSV_EXPECTED[slug]
    assert row(rows, label)[: len(expected)] == expected
    assert labels(rows) == labels(page)
    assert len(rows[0]) == len(page[0])


def test_csv_headers_spell_out_abbreviations(client, dataset):
    client.force_login(UserFactory(national=True))
    header = csv_rows(client.get("/pilotage/couverture-secteurs.csv"))[0]
    assert header[0] == "Région"
    assert header[3] == "C – Industrie manufacturière"
    months = csv_rows(client.get("/pilotage/evenements-mois.csv"))[0]
    assert months[-1] == "Total"
    assert all(m.split()[-1].isdigit() for m in months[1:-1])  # « mars 2026 »…


def test_activity_csv_lists_everyone_active(client, dataset):
    client.force_login(UserFactory(national=True))
    rows = csv_rows(client.get("/pilotage/activite-ambassadeurs.csv"))
    assert rows[0][0] == "Ambassadeur"
    assert [r[0] for r in rows[1:]] == [dataset.a1.full_name, dataset.a2.full_name, dataset.a4.full_name]


def test_csv_cells_never_start_a_formula(client, dataset):
    dataset.call2.title = '=HYPERLINK("https://exemple.test")'
    dataset.call2.save()
    client.force_login(UserFactory(national=True))
    rows = csv_rows(client.get("/pilotage/recrutement-appels.csv"))
    assert rows[1][0] == '\'=HYPERLINK("https://exemple.test")'


def test_unknown_csv_is_a_404(client, dataset):
    client.force_login(UserFactory(national=True))
    assert client.get("/pilotage/inconnu.csv").status_code == 404


def test_empty_database_renders(client, db):
    client.force_login(UserFactory(national=True))
    response = client.get("/pilotage/")
    assert response.status_code == 200
    assert "Aucune donnée dans votre périmètre." in response.content.decode()  # activity table


def test_availability_and_returned_requests_by_region_and_reason(client, dataset):
    from datetime import timedelta as days

    from contact.models import CompanyRequest, RequestDecline
    from territories.models import Region

    today = timezone.localdate()
    dataset.a2.requests_paused = True
    dataset.a2.save()
    dataset.a3.absent_from, dataset.a3.absent_until = today - days(1), today + days(3)
    dataset.a3.save()
    dataset.a1.absent_from, dataset.a1.absent_until = today + days(1), today + days(3)  # not yet
    dataset.a1.save()
    r4 = CompanyRequest.objects.get(ambassador=dataset.a4, answered_at__isnull=True)
    r5 = CompanyRequest.objects.get(ambassador=dataset.a2)
    RequestDecline.objects.create(request=r4, ambassador=dataset.a4, reason="territory")
    RequestDecline.objects.create(request=r5, ambassador=dataset.a2, reason="time")
    RequestDecline.objects.create(request=r5, ambassador=dataset.a1, reason="time")

    client.force_login(UserFactory(national=True))
    tables = page_tables(client.get("/pilotage/"))

    availability = tables["demandes-disponibilite"]
    assert availability[0] == [
        "Région",
        "Ambassadeurs publiés",
        "Demandes en pause",
        "Absents aujourd’hui",
        "Demandes rendues",
    ]
    assert row(availability, "Auvergne-Rhône-Alpes") == strs(3, 1, 1, 2)
    assert row(availability, "Occitanie") == strs(1, 0, 0, 1)
    assert row(availability, "Ensemble du périmètre") == strs(5, 1, 1, 3)  # a6, national, counted once
    reasons = tables["demandes-rendues-motifs"]
    assert row(reasons, "Pas disponible en ce moment") == strs(2, 67)
    assert row(reasons, "Trop loin de mon territoire") == strs(1, 33)
    assert row(reasons, "Hors du champ des ambassadeurs IA") == strs(0, 0)
    assert row(reasons, "Ensemble") == strs(3, 100)

    client.force_login(UserFactory(regional=True, region=Region.objects.get(code="76")))
    tables = page_tables(client.get("/pilotage/"))
    assert row(tables["demandes-disponibilite"], "Ensemble du périmètre") == strs(1, 0, 0, 1)
    assert row(tables["demandes-rendues-motifs"], "Ensemble") == strs(1, 100)
    xlsx = client.get("/pilotage/demandes-rendues-motifs.xlsx")
    assert xlsx.status_code == 200
