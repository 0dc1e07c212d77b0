"""Who reaches the steering page, its exports and the targets form: one table, role -> expected status, with the
data set of conftest.py in the database."""

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.enums import Role
from core.models import AuditEntry
from dashboard.models import RegionTarget
from territories.models import Region
from tests.dashboard.conftest import network
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "ambassador", "reviewer", "reviewer_region", "regional", "national"]


def make_user(role: str):
    return {
        "anonymous": lambda: None,
        "ambassador": lambda: UserFactory(),
        "reviewer": lambda: UserFactory(reviewer=True),
        "reviewer_region": lambda: UserFactory(
            role=Role.REVIEWER, partner_network=network("bpifrance"), region=Region.objects.get(code="84")
        ),
        "regional": lambda: UserFactory(regional=True),
        "national": lambda: UserFactory(national=True),
    }[role]()


PAGES = {
    "/pilotage/": {"anonymous": 302, "ambassador": 403, **dict.fromkeys(ROLES[2:], 200)},
    "/pilotage/designations-regions.csv": {
        "anonymous": 302,
        "ambassador": 403,
        **dict.fromkeys(ROLES[2:], 200),
    },
    "/pilotage/activite-ambassadeurs.csv": {
        "anonymous": 302,
        "ambassador": 403,
        **dict.fromkeys(ROLES[2:], 200),
    },
    # The XLSX twin of each table: the same people as its CSV.
    "/pilotage/designations-regions.xlsx": {
        "anonymous": 302,
        "ambassador": 403,
        **dict.fromkeys(ROLES[2:], 200),
    },
    "/pilotage/activite-ambassadeurs.xlsx": {
        "anonymous": 302,
        "ambassador": 403,
        **dict.fromkeys(ROLES[2:], 200),
    },
    "/pilotage/objectifs/": {**dict.fromkeys(ROLES, 403), "anonymous": 302, "national": 200},
}
CASES = [(url, role, status) for url, row in PAGES.items() for role, status in row.items()]


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{u}-{r}" for u, r, _ in CASES])
def test_get_status_matches_the_matrix(client, dataset, url, role, expected):
    user = make_user(role)
    if user:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/connexion/?next=")


def _audit_entries():
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(RegionTarget))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_national_coordination_changes_a_target(client, dataset, role):
    user = make_user(role)
    if user:
        client.force_login(user)
    response = client.post("/pilotage/objectifs/", {"region_84": "25", "region_76": "1"})
    target = RegionTarget.objects.get(region_id="84").target
    if role == "national":
        assert response.status_code == 302
        assert response["Location"] == "/pilotage/"
        assert target == 25
        entry = _audit_entries().get()
        assert (entry.actor, entry.action, entry.object_id) == (user, "region_target.set", "84")
        assert entry.changes == {"région": "Auvergne-Rhône-Alpes", "objectif": {"avant": 10, "après": 25}}
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert target == 10
        assert not _audit_entries().exists()


def test_targets_form_creates_and_removes_targets(client, dataset):
    national = UserFactory(national=True)
    client.force_login(national)
    response = client.post("/pilotage/objectifs/", {"region_84": "10", "region_11": "40", "region_76": ""})
    assert response.status_code == 302
    assert dict(RegionTarget.objects.values_list("region_id", "target")) == {"84": 10, "11": 40}
    assert sorted(_audit_entries().values_list("action", "object_id")) == [
        ("region_target.delete", "76"),
        ("region_target.set", "11"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "2 objectifs modifiés." in page
    assert "<title>Île-de-France : 0 publié pour un objectif de 40 (0 %)</title>" in page


def test_targets_form_shows_the_current_targets(client, dataset):
    client.force_login(UserFactory(national=True))
    body = client.get("/pilotage/objectifs/").content.decode()
    assert 'name="region_84" value="10"' in body
    assert 'name="region_11" value=""' in body
    assert "la somme des objectifs régionaux enregistrés est de 11" in body


def test_national_page_links_to_the_targets_form_others_do_not(client, dataset):
    client.force_login(UserFactory(national=True))
    assert 'href="/pilotage/objectifs/"' in client.get("/pilotage/").content.decode()
    client.force_login(UserFactory(regional=True))
    assert 'href="/pilotage/objectifs/"' not in client.get("/pilotage/").content.decode()


@pytest.mark.parametrize(("role", "shown"), [("ambassador", False), ("reviewer", True), ("regional", True)])
def test_space_shows_the_steering_tile(client, db, role, shown):
    client.force_login(make_user(role))
    assert ('href="/pilotage/"' in client.get("/espace/").content.decode()) is shown
