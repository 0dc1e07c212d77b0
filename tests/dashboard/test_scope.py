"""Each one sees the figures of their scope only: a regional coordinator their region, a reviewer what their network
proposed (within their region if they have one). The data set of conftest.py has data of Occitanie (76) and of other
networks that would show."""

import pytest

from accounts import scope as accounts_scope
from accounts.enums import Role
from agenda.enums import Moderation
from ambassadors.selectors import ambassadors_for_user
from dashboard import selectors
from dashboard.selectors.scope import _ambassadors
from territories.models import Region
from tests.agenda.factories import EventFactory
from tests.dashboard.conftest import csv_rows, labels, network, page_tables, page_text, row, strs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ARA = "Auvergne-Rhône-Alpes"
REGION_TABLES = [
    "designations-regions",
    "couverture-regions",
    "couverture-secteurs",
    "evenements-mois",
    "demandes-suivi",
    "demandes-satisfaction",
]


def regional_84():
    return UserFactory(regional=True)


def reviewer(slug: str, region: str | None = None):
    return UserFactory(
        role=Role.REVIEWER,
        partner_network=network(slug),
        region=Region.objects.get(code=region) if region else None,
    )


@pytest.fixture
def as_regional(client, dataset):
    client.force_login(regional_84())
    return client


def test_regional_page_shows_only_its_region(as_regional, dataset):
    response = as_regional.get("/pilotage/")
    tables = page_tables(response)
    for slug in REGION_TABLES:
        assert labels(tables[slug])[0] == ARA, slug
        assert "Occitanie" not in labels(tables[slug]), slug
    assert labels(tables["designations-regions"]) == [ARA, "Ensemble du périmètre"]
    assert row(tables["designations-regions"], "Ensemble du périmètre") == strs(10, 2, 3, 30)
    assert row(tables["designations-profils"], "Sectoriel et régional") == strs(2, 2)  # a1, a2
    assert row(tables["designations-reseaux"], "Bpifrance") == strs(1, 1)  # a2 (a5 is in 76)
    assert row(tables["recrutement-appels"], dataset.call1.title) == strs(3, 1, 1, 0, 0, 1, 0, 0, "4,0")
    assert row(tables["recrutement-appels"], dataset.call2.title) == strs(0, 0, 0, 0, 0, 0, 0, 0, None)
    assert {r[1] for r in tables["recrutement-regions"][1:]} == {ARA}
    assert row(tables["evenements-formats"], "Total") == strs(3, 1)  # e1, e2, e5; not e3 (76)
    assert row(tables["evenements-origines"], "Imports de calendriers") == strs(0, 0)
    assert row(tables["demandes-suivi"], "Ensemble du périmètre") == strs(3, 2, 2, "3,0", 0)
    assert labels(tables["autodiagnostics"])[1:] == ["Ensemble du périmètre", ARA]
    assert row(tables["autodiagnostics"], "Ensemble du périmètre") == strs(12, 50, 0, 25, 25)
    assert [r[0] for r in tables["activite-ambassadeurs"][1:]] == [dataset.a1.full_name, dataset.a2.full_name]
    text = page_text(response)
    assert dataset.a4.full_name not in text and dataset.a5.full_name not in text
    assert "Périmètre : région Auvergne-Rhône-Alpes." in text
    assert "0 demande d’entreprise sans réponse après 10 jours" in text  # r4 is in 76


def test_regional_map_greys_other_regions(as_regional):
    body = as_regional.get("/pilotage/").content.decode()
    assert body.count('<g class="ai-cov-out">') == 17
    assert "<title>Occitanie : hors périmètre</title>" in body
    assert "<title>Auvergne-Rhône-Alpes : 3 publiés pour un objectif de 10 (30 %)</title>" in body


@pytest.mark.parametrize("slug", sorted(selectors.tables_for_csv()))
def test_regional_csv_has_only_its_region(as_regional, dataset, slug):
    response = as_regional.get(f"/pilotage/{slug}.csv")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Occitanie" not in content
    for other in (dataset.a3, dataset.a4, dataset.a5, dataset.a6):
        assert other.full_name not in content


def test_regional_csv_figures(as_regional):
    rows = csv_rows(as_regional.get("/pilotage/designations-regions.csv"))
    assert labels(rows) == [ARA, "Ensemble du périmètre"]
    assert row(rows, ARA) == ["10", "2", "3", "30"]
    rows = csv_rows(as_regional.get("/pilotage/demandes-suivi.csv"))
    assert row(rows, ARA) == ["3", "2", "2", "3,0", "0"]


def test_national_sees_what_the_regional_does_not(client, dataset):
    """The other region's data is really there: the national page shows it."""
    client.force_login(UserFactory(national=True))
    response = client.get("/pilotage/")
    assert "Occitanie" in labels(page_tables(response)["demandes-suivi"])
    assert dataset.a4.full_name in page_text(response)


def test_reviewer_sees_its_network(client, dataset):
    client.force_login(reviewer("cci"))
    response = client.get("/pilotage/")
    tables = page_tables(response)
    designations = tables["designations-regions"]
    assert row(designations, ARA) == strs(10, 1, 1, 10)  # a1 only (a2 Bpifrance, a3 France Num)
    assert row(designations, "Occitanie") == strs(1, 1, 1, 100)  # a4 (a5 is Bpifrance)
    assert row(designations, "Sans région (ambassadeurs nationaux)") == strs(None, 1, 1, None)  # a6
    assert labels(tables["designations-reseaux"]) == ["CCI France"]
    assert row(tables["recrutement-appels"], dataset.call1.title) == strs(3, 1, 1, 0, 0, 1, 0, 0, "4,0")
    assert row(tables["recrutement-appels"], dataset.call2.title) == strs(1, 1, 0, 0, 0, 0, 0, 0, None)
    assert {r[1] for r in tables["recrutement-reseaux"][1:]} == {"CCI France"}
    assert row(tables["evenements-formats"], "Total") == strs(1, 1)  # e1, created by a1 (CCI)
    assert row(tables["demandes-suivi"], "Ensemble du périmètre") == strs(4, 3, 3, "4,0", 1)  # not r5 (a2)
    assert [r[0] for r in tables["activite-ambassadeurs"][1:]] == [dataset.a1.full_name, dataset.a4.full_name]
    text = page_text(response)
    assert dataset.a2.full_name not in text
    assert "Périmètre : réseau CCI France." in text


def test_reviewer_with_region_sees_its_network_in_its_region(client, dataset):
    client.force_login(reviewer("bpifrance", "84"))
    response = client.get("/pilotage/")
    tables = page_tables(response)
    assert labels(tables["designations-regions"]) == [ARA, "Ensemble du périmètre"]
    assert row(tables["designations-regions"], ARA) == strs(10, 1, 1, 10)  # a2 (a5 is in 76)
    assert (
        row(tables["recrutement-appels"], dataset.call1.title)[0] == "0"
    )  # Bpifrance's application is in 76
    assert row(tables["evenements-formats"], "Total") == strs(1, 0)  # e5, where a2 takes part
    assert row(tables["demandes-suivi"], "Ensemble du périmètre") == strs(1, 0, 0, None, 0)  # r5
    assert [r[0] for r in tables["activite-ambassadeurs"][1:]] == [dataset.a2.full_name]
    for slug in sorted(selectors.tables_for_csv()):
        content = client.get(f"/pilotage/{slug}.csv").content.decode()
        assert "Occitanie" not in content, slug
        assert dataset.a1.full_name not in content and dataset.a4.full_name not in content, slug


@pytest.mark.parametrize(
    ("make_user", "expected"),
    [
        (lambda: UserFactory(national=True), (None, None)),
        (regional_84, ("84", None)),
        (lambda: reviewer("cci"), (None, "cci")),
        (lambda: reviewer("bpifrance", "84"), ("84", "bpifrance")),
        (lambda: UserFactory(), "none"),
    ],
    ids=["national", "regional", "reviewer", "reviewer-region", "ambassador"],
)
def test_scope_for_each_role(db, make_user, expected):
    scope = selectors.scope_for(make_user())
    if expected == "none":
        assert scope is None
    else:
        assert (scope.region_code, scope.network.slug if scope.network else None) == expected


def test_region_without_target_says_so(client, dataset):
    client.force_login(UserFactory(regional=True, region=Region.objects.get(code="11")))
    response = client.get("/pilotage/")
    assert response.status_code == 200
    text = page_text(response)
    assert "0 ambassadeur désigné (pas d’objectif fixé)" in text
    assert row(page_tables(response)["designations-regions"], "Île-de-France") == strs(None, 0, 0, None)


@pytest.mark.parametrize("user", [regional_84, lambda: reviewer("cci", "84")], ids=["regional", "reviewer"])
def test_activity_in_a_scope_counts_the_ambassadors_events_everywhere(client, dataset, user):
    """A region's or a network's activity is counted for its own ambassadors only (selectors._activity_counts),
    but from all they did: an event in another region, created or with participation, counts; one not public or
    created by someone else's account does not."""
    elsewhere = {"region_code": "76", "commune_code": "31555"}
    EventFactory(**elsewhere, ambassadors=[dataset.a1])
    EventFactory(**elsewhere, created_by=dataset.a1.user)
    EventFactory(**elsewhere, created_by=dataset.a1.user, ambassadors=[dataset.a1])  # counted once
    EventFactory(**elsewhere, ambassadors=[dataset.a1], moderation=Moderation.SUBMITTED)
    EventFactory(**elsewhere, created_by=UserFactory(), ambassadors=[dataset.a4])  # a4: CCI, in 76
    client.force_login(user())
    rows = page_tables(client.get("/pilotage/"))["activite-ambassadeurs"]
    # e1 and the three public ones above; r1, r2.
    assert rows[1] == [dataset.a1.full_name, "CCI France", "4", "2", "6"]
    assert dataset.a4.full_name not in [r[0] for r in rows]


# One decision of who sees what: the back office's (accounts.scope), the page only presents it.


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: UserFactory(national=True),
        regional_84,
        lambda: reviewer("cci"),
        lambda: reviewer("bpifrance", "84"),
    ],
    ids=["national", "regional", "reviewer", "reviewer-region"],
)
def test_the_page_covers_the_back_office_scope(db, make_user):
    user = make_user()
    assert selectors.scope_for(user).access == accounts_scope.scope_for(user)


@pytest.mark.parametrize(("slug", "region"), [("cci", None), ("bpifrance", "84")])
def test_a_reviewer_counts_the_ambassadors_of_their_back_office_list(dataset, slug, region):
    user = reviewer(slug, region)
    counted = _ambassadors(selectors.scope_for(user))
    assert set(counted) == set(ambassadors_for_user(user))
    assert counted.exists()


def test_what_the_page_covers_is_decided_in_accounts(client, dataset, monkeypatch):
    """Another decision in ``accounts.scope`` (here: Bpifrance in 84 for a reviewer of CCI France without a region)
    and the page follows it: the steering page takes no decision of its own."""
    bpifrance_84 = accounts_scope.Scope(region_code="84", network_id=network("bpifrance").pk)
    monkeypatch.setattr(accounts_scope, "scope_for", lambda user: bpifrance_84)
    client.force_login(reviewer("cci"))
    response = client.get("/pilotage/")
    tables = page_tables(response)
    assert labels(tables["designations-regions"]) == [ARA, "Ensemble du périmètre"]
    assert row(tables["designations-regions"], ARA) == strs(10, 1, 1, 10)  # a2
    assert labels(tables["designations-reseaux"]) == ["Bpifrance"]
    assert "Périmètre : réseau Bpifrance, région Auvergne-Rhône-Alpes." in page_text(response)


def test_each_scope_has_its_own_figures_in_the_cache(client, dataset):
    """The page's figures are kept by scope (dashboard/caching.py): two networks, one after the other, within the
    minute, each see their own."""
    client.force_login(reviewer("cci"))
    assert labels(page_tables(client.get("/pilotage/"))["designations-reseaux"]) == ["CCI France"]
    client.force_login(reviewer("bpifrance"))
    assert labels(page_tables(client.get("/pilotage/"))["designations-reseaux"]) == ["Bpifrance"]
    client.force_login(reviewer("bpifrance", "84"))
    assert labels(page_tables(client.get("/pilotage/"))["designations-regions"]) == [
        ARA,
        "Ensemble du périmètre",
    ]
