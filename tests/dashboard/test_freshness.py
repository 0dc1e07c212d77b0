"""The figures of /pilotage/ are kept for at most a minute (dashboard/caching.py): a change that moves the version of
the data shows at once, any other within ``FRESH_SECONDS`` (the back office's rule: within 60 s), and the page says
when its figures were computed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from contact.models import CompanyRequest
from core.formats import french_datetime, local
from dashboard import caching, selectors, services
from territories.models import Region
from tests.agenda.factories import EventFactory
from tests.dashboard.conftest import csv_rows, diagnostic, page_tables, page_text, row, strs
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


class _Later:
    """``django.utils.timezone`` as ``dashboard.caching`` reads it, ``seconds`` later."""

    def __init__(self, seconds: float):
        self.delta = timedelta(seconds=seconds)

    def now(self):
        return timezone.now() + self.delta


@pytest.fixture
def national(client, dataset):
    user = UserFactory(national=True)
    client.force_login(user)
    client.user = user
    return client


def tables(client) -> dict:
    response = client.get("/pilotage/")
    assert response.status_code == 200
    return page_tables(response)


def test_fresh_seconds_keep_the_rule_of_the_minute():
    assert 0 < caching.FRESH_SECONDS <= 60


def test_a_new_target_shows_at_once(national):
    assert row(tables(national)["designations-regions"], "Auvergne-Rhône-Alpes")[0] == "10"
    services.region_targets_set(targets={Region.objects.get(code="84"): 20}, by=national.user)
    assert row(tables(national)["designations-regions"], "Auvergne-Rhône-Alpes") == strs(20, 2, 3, 15)


def test_a_new_event_and_a_new_ambassador_show_at_once(national):
    before = tables(national)
    EventFactory()  # published, in 84, to come
    AmbassadorFactory(published=True, designated_at=timezone.localdate(), regions=["84"])
    after = tables(national)
    assert int(after["evenements-formats"][-1][2]) == int(before["evenements-formats"][-1][2]) + 1
    assert row(after["designations-regions"], "Auvergne-Rhône-Alpes") == strs(10, 3, 4, 40)


def test_a_change_no_version_sees_shows_within_the_minute(national, dataset, monkeypatch):
    """A bulk write moves no date nor key: the figures computed before it are kept, until FRESH_SECONDS after."""
    assert row(tables(national)["demandes-satisfaction"], "Auvergne-Rhône-Alpes")[0] == "2"
    CompanyRequest.objects.filter(ambassador=dataset.a2).update(feedback_useful="no")  # r5, 84
    assert row(tables(national)["demandes-satisfaction"], "Auvergne-Rhône-Alpes")[0] == "2"
    monkeypatch.setattr(caching, "timezone", _Later(caching.FRESH_SECONDS - 2))
    assert row(tables(national)["demandes-satisfaction"], "Auvergne-Rhône-Alpes")[0] == "2"
    monkeypatch.setattr(caching, "timezone", _Later(caching.FRESH_SECONDS))
    assert row(tables(national)["demandes-satisfaction"], "Auvergne-Rhône-Alpes")[0] == "3"


def test_the_page_says_when_its_figures_were_computed(national, monkeypatch):
    later = _Later(3 * 3600)
    monkeypatch.setattr(caching, "timezone", later)
    before = later.now()
    text = page_text(national.get("/pilotage/"))
    after = later.now()
    shown = {" ".join(f"(ici le {french_datetime(local(moment))})".split()) for moment in (before, after)}
    assert any(line in text for line in shown)  # the minute may turn during the request


def test_each_role_has_its_own_page(client, dataset):
    """The page's HTML is kept by scope and by role: the coordination's link to its inbox is not a reviewer's."""
    coordinator = UserFactory(regional=True)
    reviewer = UserFactory(
        role=Role.REVIEWER, region=Region.objects.get(code="84"), partner_network=dataset.a1.proposing_network
    )
    client.force_login(coordinator)
    assert 'href="/espace/demandes/"' in client.get("/pilotage/").content.decode()
    client.force_login(reviewer)
    body = client.get("/pilotage/").content.decode()
    assert 'href="/espace/demandes/"' not in body
    assert "son suivi des demandes" in body


def test_exports_follow_a_change_at_once(national):
    def target() -> str:
        return row(csv_rows(national.get("/pilotage/designations-regions.csv")), "Auvergne-Rhône-Alpes")[0]

    assert target() == "10"
    services.region_targets_set(targets={Region.objects.get(code="84"): 12}, by=national.user)
    assert target() == "12"


def test_a_change_recomputes_only_the_sections_that_read_it(national, monkeypatch):
    """A new self-diagnostic result (the most frequent write) moves the version of the diagnostics only: the page
    computes their table again and writes its HTML, the other sections come from the cache as they were."""
    built = []
    for name, (build, reads) in list(selectors.SECTIONS.items()):

        def counted(scope, build=build, name=name):
            built.append(name)
            return build(scope)

        monkeypatch.setitem(selectors.SECTIONS, name, (counted, reads))
    before = tables(national)
    assert sorted(built) == sorted(selectors.SECTIONS)
    built.clear()
    diagnostic("84", "69", "innovateur")
    after = tables(national)
    assert built == ["diagnostics"]
    assert after["autodiagnostics"] != before["autodiagnostics"]
    assert after["designations-regions"] == before["designations-regions"]
    built.clear()
    EventFactory()
    tables(national)
    assert built == ["events", "activity"]


def test_the_page_is_as_old_as_its_oldest_section(national, monkeypatch):
    """Sections kept from a first computation and one computed again 30 s later: the page says the first instant,
    and its HTML lives until FRESH_SECONDS after it, not after the second."""

    def computed_at():
        response = national.get("/pilotage/")
        assert response.status_code == 200
        said = f"(ici le {french_datetime(local(response.context['computed_at']))})"
        assert " ".join(said.split()) in " ".join(page_text(response).split())
        return response.context["computed_at"]

    first = computed_at()
    monkeypatch.setattr(caching, "timezone", _Later(30))
    diagnostic("84", "69", "innovateur")
    assert computed_at() == first  # the diagnostics computed again, the other sections as they were
    # Past the minute of the first sections: they are computed again; the oldest is now the diagnostics', 30 s in.
    monkeypatch.setattr(caching, "timezone", _Later(caching.FRESH_SECONDS + 1))
    third = computed_at()
    assert first + timedelta(seconds=30) <= third < first + timedelta(seconds=caching.FRESH_SECONDS)
