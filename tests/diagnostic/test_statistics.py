"""The public statistics of the self-diagnostic protect small groups: in each breakdown (region, size, sector), a
group of fewer than 10 results is merged into one « Autres » row, with the next-smallest groups when that row would
itself be under 10 (so that no small group can be recovered by subtracting the shown rows from the total); shares
add up to 100; the page and the API obey the same rules, next to the national baseline."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contact.enums import CompanySize
from diagnostic import services
from diagnostic.enums import Profile
from diagnostic.selectors import MIN_GROUP, OTHERS, _shares, statistics
from territories.models import Departement, NafActivity
from tests.diagnostic.test_scoring import CHATGPT_A_BIT, INNOVATEUR, NO_ONE_TO_HELP, SCEPTIQUE

pytestmark = pytest.mark.django_db

ANSWERS = {
    Profile.INNOVATEUR: INNOVATEUR,
    Profile.EXPERIMENTATEUR: CHATGPT_A_BIT,
    Profile.SCEPTIQUE: SCEPTIQUE,
    Profile.BLOQUE: NO_ONE_TO_HELP,
}
OCCITANIE, AURA, BRETAGNE = "31", "69", "35"  # départements of three regions


def _results(n, *, departement="31", sector="C", size="pme", profile=Profile.BLOQUE, level="section"):
    for _ in range(n):
        services.diagnostic_submit(
            answers=ANSWERS[profile],
            departement=Departement.objects.get(code=departement),
            sector=NafActivity.objects.filter(level=level, code__startswith=sector).order_by("code").first(),
            size=size,
        )


def _rows(rows):
    return [(row.label, row.total) for row in rows]


def _assert_protected(stats):
    """What a reader could compute from any breakdown: every row has at least 10 results, and the overall total
    minus the named rows is either nothing or the « Autres » row (itself at least 10)."""
    for rows in (stats["by_region"], stats["by_size"], stats["by_sector"]):
        assert all(row.total >= MIN_GROUP for row in rows)
        named = sum(row.total for row in rows if not row.others)
        others = [row.total for row in rows if row.others]
        if rows:
            assert stats["total"] - named == sum(others)
        assert others in ([], [stats["total"] - named])
        assert all(sum(row.shares.values()) == 100 for row in rows)


def test_statistics_merge_the_next_smallest_group_when_others_would_be_under_10():
    _results(25, departement=OCCITANIE)
    _results(12, departement=AURA, profile=Profile.EXPERIMENTATEUR)
    _results(3, departement=BRETAGNE, profile=Profile.INNOVATEUR)

    stats = statistics()

    # The 3 alone would be recovered as 40 − 25 − 12: the 12 joins it.
    assert _rows(stats["by_region"]) == [("Occitanie", 25), (OTHERS, 15)]
    assert list(stats["by_region"][1].shares.values()) == [20, 80, 0, 0]  # 3 innovateurs, 12 expérimentateurs
    _assert_protected(stats)


def test_statistics_merge_small_groups_into_others_without_touching_large_ones():
    _results(30, size="pme")
    _results(9, size="tpe")
    _results(8, size="eti")

    stats = statistics()

    assert _rows(stats["by_size"]) == [(CompanySize.PME.label, 30), (OTHERS, 17)]
    assert [row.others for row in stats["by_size"]] == [False, True]
    _assert_protected(stats)


def test_statistics_with_groups_of_10_or_more_have_no_others_row():
    _results(10, departement=OCCITANIE)
    _results(11, departement=BRETAGNE)

    stats = statistics()

    assert _rows(stats["by_region"]) == [("Bretagne", 11), ("Occitanie", 10)]
    _assert_protected(stats)


def test_statistics_secondary_suppression_takes_the_smallest_groups_until_others_reaches_10():
    _results(40, departement=OCCITANIE)
    _results(10, departement=AURA)
    _results(11, departement=BRETAGNE)
    _results(1, departement="13")  # Provence-Alpes-Côte d’Azur

    stats = statistics()

    assert _rows(stats["by_region"]) == [("Bretagne", 11), ("Occitanie", 40), (OTHERS, 11)]
    _assert_protected(stats)


def test_statistics_with_fewer_than_10_results_show_no_breakdown():
    _results(4, departement=OCCITANIE)
    _results(5, departement=AURA)

    stats = statistics()

    assert stats["total"] == 9 and stats["overall"] is None
    assert stats["by_region"] == stats["by_size"] == stats["by_sector"] == []


def test_statistics_count_a_sector_without_label_in_others_never_alone():
    _results(20, sector="C")
    _results(10, sector="I")
    _results(3, sector="01", level="division")  # not a NAF section: no row of its own

    stats = statistics()

    assert _rows(stats["by_sector"]) == [("C – Industrie manufacturière", 20), (OTHERS, 13)]
    _assert_protected(stats)


def test_statistics_shares_add_up_to_100_by_largest_remainder():
    _results(10, profile=Profile.INNOVATEUR)
    _results(10, profile=Profile.EXPERIMENTATEUR)
    _results(10, profile=Profile.SCEPTIQUE)

    stats = statistics()

    # 33.3 % each: the point left goes to the first profile (equal remainders, in the order of the profiles).
    assert stats["overall"] == {"innovateur": 34, "experimentateur": 33, "sceptique": 33, "bloque": 0}
    assert stats["by_region"][0].shares == stats["overall"]


@pytest.mark.parametrize("total", [11, 13, 17, 23, 29, 30, 99, 101])
def test_shares_always_add_up_to_100_and_stay_within_1_of_the_exact_percent(total):
    for counts in itertools.product(range(0, total + 1, max(1, total // 12)), repeat=3):
        if sum(counts) > total:
            continue
        by_profile = dict(zip(Profile.values, (*counts, total - sum(counts)), strict=True))

        shares = _shares(by_profile)

        assert sum(shares.values()) == 100
        assert all(abs(shares[p] - 100 * by_profile[p] / total) < 1 for p in Profile.values)


def test_statistics_page_never_names_a_suppressed_group(client):
    _results(25, departement=OCCITANIE)
    _results(12, departement=AURA, sector="I", profile=Profile.EXPERIMENTATEUR)
    _results(3, departement=BRETAGNE, sector="F", size="eti", profile=Profile.INNOVATEUR)

    response = client.get("/diagnostic/statistiques/")

    body = response.content.decode()
    # By size, 37 PME and 3 ETI: the PME joins the ETI, the only breakdown left is « Autres », 40.
    hidden = ("Bretagne", "Auvergne-Rhône-Alpes", "Construction", "Hébergement", CompanySize.ETI.label)
    for suppressed in (*hidden, CompanySize.PME.label, "<td>3</td>", "<td>12</td>", "<td>37</td>"):
        assert suppressed not in body
    assert "Occitanie" in body and "Industrie manufacturière" in body
    assert body.count(f'<th scope="row">{OTHERS}</th><td>15</td>') == 2
    assert body.count(f'<th scope="row">{OTHERS}</th><td>40</td>') == 1
    assert "Pour protéger l’anonymat" in body
    # The national baseline in the overall table and in each of the three breakdowns.
    baseline = (
        '<th scope="row">Référence nationale (Bpifrance Le Lab)</th><td>1 209</td><td>19 %</td><td>28 %</td>'
    )
    assert body.count(baseline) == 4
    _assert_protected(response.context["stats"])


def test_statistics_page_with_fewer_than_10_results_names_no_group(client):
    _results(3, departement=BRETAGNE)

    body = client.get("/diagnostic/statistiques/").content.decode()

    assert "Bretagne" not in body and "Industrie manufacturière" not in body
    assert body.count("Pas encore détaillé : moins de 10 résultats au total.") == 3


def test_api_statistics_obey_the_same_rules(client):
    _results(25, departement=OCCITANIE)
    _results(12, departement=AURA, profile=Profile.EXPERIMENTATEUR)
    _results(3, departement=BRETAGNE, profile=Profile.INNOVATEUR)

    response = client.get("/api/v1/diagnostic/statistiques")

    data = response.json()
    assert "Bretagne" not in response.content.decode() and "Auvergne" not in response.content.decode()
    assert data["total"] == 40
    assert data["par_region"] == [
        {"groupe": "Occitanie", "resultats": 25, "repartition": {
            "innovateur": 0, "experimentateur": 0, "sceptique": 0, "bloque": 100}},
        {"groupe": OTHERS, "resultats": 15, "repartition": {
            "innovateur": 20, "experimentateur": 80, "sceptique": 0, "bloque": 0}},
    ]  # fmt: skip
    for groups in (data["par_region"], data["par_taille"], data["par_secteur"]):
        assert all(g["resultats"] >= MIN_GROUP and sum(g["repartition"].values()) == 100 for g in groups)
        named = sum(g["resultats"] for g in groups if g["groupe"] != OTHERS)
        assert data["total"] - named in (0, *(g["resultats"] for g in groups if g["groupe"] == OTHERS))


def test_statistics_query_count_does_not_grow_with_groups(client):
    _results(10, departement=OCCITANIE)
    with CaptureQueriesContext(connection) as one:
        client.get("/diagnostic/statistiques/")
    _results(10, departement=AURA, sector="I", size="tpe")
    _results(10, departement=BRETAGNE, sector="F", size="eti")
    with CaptureQueriesContext(connection) as three:
        client.get("/diagnostic/statistiques/")

    assert len(three) == len(one) == 6  # the same on SQLite and PostgreSQL


def test_statistics_are_kept_until_a_result_changes_the_counts(client):
    _results(10, departement=OCCITANIE)
    first = client.get("/diagnostic/statistiques/").content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get("/diagnostic/statistiques/").content.decode()
        api = client.get("/api/v1/diagnostic/statistiques").json()

    # Read again: the tables and the API's figures from the cache, the counts not added up again.
    assert second == first
    assert api["total"] == 10
    assert not [q for q in again.captured_queries if "diagnostic_diagnosticcount" in q["sql"]]
    assert "10 autodiagnostics au total" in first

    # A new result shows at once, on the page and in the API.
    _results(1, departement=OCCITANIE)
    assert "11 autodiagnostics au total" in client.get("/diagnostic/statistiques/").content.decode()
    assert client.get("/api/v1/diagnostic/statistiques").json()["total"] == 11
