"""The charts of /pilotage/ (DSFR Chart's web components): they carry the figures of the selectors and of the tables
beside them, for the national and a regional coordination; the component is served from our static files, and the
Content-Security-Policy stays as strict as it is (no 'unsafe-eval', no inline style, no other origin)."""

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from accounts.enums import Role
from contact.models import CompanyRequest
from core.formats import french_month
from dashboard import selectors
from recruitment.models import Application
from territories.models import Departement, Region
from tests.contact.factories import CompanyRequestFactory
from tests.dashboard.conftest import TableParser
from tests.dashboard.conftest import network as network_of
from tests.factories import AmbassadorFactory, ApplicationFactory, CallFactory, UserFactory

pytestmark = pytest.mark.django_db

CHART_TAGS = {"line-chart", "bar-chart"}


class _ChartParser(TableParser):
    """Every chart element of a page (its attributes, by the id of the area it is drawn in, « graphique-… »
    without its prefix), and every ``<table id="donnees-…">`` beside one."""

    def __init__(self):
        super().__init__(prefix="donnees-")
        self.charts: list[tuple[str, dict]] = []
        self.areas: dict[str, tuple[str, dict]] = {}
        self._area = None

    def handle_starttag(self, tag, attrs):
        if tag == "div" and "ai-chart-area" in dict(attrs).get("class", ""):
            self._area = dict(attrs)["id"].removeprefix("graphique-")
        if tag in CHART_TAGS:
            self.charts.append((tag, dict(attrs)))
            assert self._area not in self.areas, self._area
            self.areas[self._area] = (tag, dict(attrs))
        else:
            super().handle_starttag(tag, attrs)


def _parse(response) -> _ChartParser:
    assert response.status_code == 200
    parser = _ChartParser()
    parser.feed(response.content.decode())
    return parser


def _chart(parser: _ChartParser, area: str, tag: str = "line-chart") -> dict:
    """The x, y and names of the chart drawn in ``graphique-<area>``, a ``tag``."""
    found, attrs = parser.areas[area]
    assert found == tag, (area, found)
    return {key: json.loads(attrs[key]) for key in ("x", "y", "name")}


def _page(client, user):
    client.force_login(user)
    return client.get("/pilotage/")


def _events_per_month(scope) -> tuple[list[str], list[int]]:
    table = selectors.events_by_region_month(scope)
    months = [column.title for column in table.columns[1:-1]]
    return months, [sum(row[1 + i] for row in table.rows) for i in range(len(months))]


def test_the_events_chart_has_the_figures_of_the_selector_and_of_its_tables(client, dataset):
    user = UserFactory(national=True)
    parser = _parse(_page(client, user))
    chart = _chart(parser, "evenements")
    months, counts = _events_per_month(selectors.scope_for(user))
    assert sum(counts) > 0, "the data set has events in the window: the test would prove nothing"
    assert chart == {"x": [months], "y": [counts], "name": ["Événements publiés"]}
    # The table beside it: the same months, the same counts.
    assert parser.tables["evenements"] == [
        ["Mois", "Événements publiés"],
        *([month, str(count)] for month, count in zip(months, counts, strict=True)),
    ]
    # And the total row of the detailed table by region and month.
    page = selectors.events_by_region_month(selectors.scope_for(user))
    assert page.footer[1:-1] == counts


def test_the_profiles_chart_has_the_shares_and_the_national_baseline(client, dataset):
    user = UserFactory(national=True)
    parser = _parse(_page(client, user))
    chart = _chart(parser, "profils", "bar-chart")
    _, shares = selectors.diagnostics(selectors.scope_for(user))
    labels = [share.label for share in shares]
    assert all(share.share is not None for share in shares)
    assert chart == {
        "x": [labels, labels],
        "y": [[share.share for share in shares], [share.baseline for share in shares]],
        "name": ["Périmètre", "Référence nationale"],
    }
    assert chart["y"] == [[40, 20, 20, 20], [19, 28, 27, 26]]  # tests/dashboard/test_figures.py, by hand
    assert parser.tables["profils"] == [
        ["Profil", "Périmètre (%)", "Référence nationale (%)"],
        *([share.label, str(share.share), str(share.baseline)] for share in shares),
    ]


def test_a_regional_coordination_sees_the_charts_of_its_region(client, dataset):
    user = UserFactory(regional=True)  # Auvergne-Rhône-Alpes
    parser = _parse(_page(client, user))
    scope = selectors.scope_for(user)
    months, counts = _events_per_month(scope)
    assert _chart(parser, "evenements")["y"] == [counts]
    national_months, national_counts = _events_per_month(selectors.scope_for(UserFactory(national=True)))
    assert months == national_months and counts != national_counts  # its region only, not the whole country
    _, shares = selectors.diagnostics(scope)
    assert _chart(parser, "profils", "bar-chart")["y"] == [
        [s.share for s in shares],
        [s.baseline for s in shares],
    ]
    assert _chart(parser, "profils", "bar-chart")["y"][0] == [50, 0, 25, 25]


def test_too_few_results_draw_no_profiles_chart(client, db):
    # No self-diagnostic at all: no bar chart of empty shares, a sentence instead; the events chart stays.
    response = _page(client, UserFactory(national=True))
    parser = _parse(response)
    assert [name for name, _ in parser.charts] == ["line-chart"] * 4
    assert list(parser.areas) == ["designations", "candidatures", "evenements", "demandes"]
    assert "Pas assez de résultats d’autodiagnostic dans le périmètre" in response.content.decode()


def test_the_charts_come_first_with_an_accessible_name(client, dataset):
    html = _page(client, UserFactory(national=True)).content.decode()
    assert html.index('id="chiffres-cles"') < html.index('id="graphiques"') < html.index('id="designations"')
    areas = ("designations", "candidatures", "evenements", "demandes", "profils")
    for area in areas:
        tag = re.search(rf'<div class="ai-chart-area" id="graphique-{area}"[^>]*>', html).group(0)
        assert 'role="img"' in tag and f'aria-labelledby="graphique-{area}-titre"' in tag, tag
        assert f'aria-describedby="donnees-{area}"' in tag and f'<table id="donnees-{area}">' in html, tag
        assert f'<figcaption id="graphique-{area}-titre">' in html
    assert html.count("<summary>Voir les données</summary>") == len(areas)
    assert '<a class="fr-summary__link" href="#graphiques">' in html


def test_the_component_is_served_from_our_static_files(client, dataset):
    html = _page(client, UserFactory(national=True)).content.decode()
    scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html)
    styles = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in scripts + styles), scripts + styles
    chart_js = "/static/dashboard/vendor/dsfr-chart/DSFRChart.js"
    assert f'<script type="module" src="{chart_js}"></script>' in html
    assert "/static/dashboard/vendor/dsfr-chart/DSFRChart.css" in styles
    source = Path(finders.find("dashboard/vendor/dsfr-chart/DSFRChart.js")).read_text()
    assert 'customElements.define("line-chart"' in source and 'customElements.define("bar-chart"' in source
    # Nothing in it that the CSP would need to loosen: no code built from strings, no shadow root's <style>.
    assert "new Function" not in source and "eval(" not in source
    assert source.count("shadowRoot: !1") >= 2
    vendor = Path(finders.find("dashboard/vendor/dsfr-chart/README.md")).parent
    assert "2.0.4" in (vendor / "README.md").read_text() and "MIT License" in (vendor / "LICENSE").read_text()


def test_the_content_security_policy_is_unchanged(client, dataset):
    response = _page(client, UserFactory(national=True))
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split("; ")
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"] == client.get("/").headers["Content-Security-Policy"]


# The monthly trends: designations, applications, company requests ------------------------------------------


def _paris(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _last_day(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _expected(months: list[date], counts: dict[int, int]) -> list[int]:
    """One count per month of the window, from {index of the month: count}: zeros elsewhere."""
    return [counts.get(i, 0) for i in range(len(months))]


def _table(parser: _ChartParser, area: str, names: list[str], *series: list[int]) -> None:
    months = [french_month(m) for m in selectors.past_months()]
    assert parser.tables[area] == [
        ["Mois", *names],
        *([month, *map(str, counts)] for month, *counts in zip(months, *series, strict=True)),
    ]


def test_the_trends_cover_the_past_months_of_the_events_window():
    months = selectors.past_months()
    assert months == selectors.months_window()[: selectors.MONTHS_BACK + 1]
    assert months[-1] == timezone.localdate().replace(day=1) and len(months) == 9


def test_the_designations_chart_counts_the_designations_of_each_month_in_the_scope(client, db):
    months = selectors.past_months()
    # 84: 2 in the first month of the window (its first day, its last), 1 three months ago, 1 today; one of them
    # also in 76. 76 only: 1 three months ago. Not counted: before the window, never designated.
    AmbassadorFactory(designated_at=months[0], regions=["84"])
    AmbassadorFactory(designated_at=_last_day(months[0]), regions=["84", "76"])
    AmbassadorFactory(designated_at=months[-4] + timedelta(days=9), regions=["84"])
    AmbassadorFactory(designated_at=timezone.localdate(), regions=["84"], published=True)
    AmbassadorFactory(designated_at=months[-4] + timedelta(days=3), regions=["76"])
    AmbassadorFactory(designated_at=months[0] - timedelta(days=1), regions=["84"])
    AmbassadorFactory(designated_at=None, regions=["84"])

    national = _parse(_page(client, UserFactory(national=True)))
    expected = _expected(months, {0: 2, 5: 2, 8: 1})  # the one of two regions counts once
    assert _chart(national, "designations") == {
        "x": [[french_month(m) for m in months]],
        "y": [expected],
        "name": ["Ambassadeurs désignés"],
    }
    _table(national, "designations", ["Ambassadeurs désignés"], expected)

    regional = _parse(_page(client, UserFactory(regional=True)))  # Auvergne-Rhône-Alpes (84)
    assert _chart(regional, "designations")["y"] == [_expected(months, {0: 2, 5: 1, 8: 1})]
    occitanie = UserFactory(role=Role.REGIONAL_COORDINATOR, region=Region.objects.get(code="76"))
    assert _chart(_parse(_page(client, occitanie)), "designations")["y"] == [_expected(months, {0: 1, 5: 1})]


def test_the_applications_chart_counts_the_submissions_of_each_month_paris_time(client, db):
    months = selectors.past_months()
    call = CallFactory()

    def submitted(when: datetime, region: str = "84", network: str = "cci"):
        app = ApplicationFactory(call=call, region_id=region, proposing_network=network_of(network))
        Application.objects.filter(pk=app.pk).update(submitted_at=when)

    # Half past midnight on the 1st in Paris is still the last day of the month before in UTC: counted in its
    # Paris month. Half past eleven at night on the last day is the same month in Paris.
    submitted(_paris(months[3], 0, 30))
    submitted(_paris(_last_day(months[2]), 23, 30))
    submitted(_paris(months[3] + timedelta(days=14)), "76")
    submitted(_paris(months[7] + timedelta(days=2)), network="bpifrance")
    submitted(_paris(months[0], 0, 0) - timedelta(seconds=1))  # the month before the window
    ApplicationFactory(call=CallFactory(), region_id="84")  # now, another call: every call together

    national = _parse(_page(client, UserFactory(national=True)))
    expected = _expected(months, {2: 1, 3: 2, 7: 1, 8: 1})
    assert _chart(national, "candidatures") == {
        "x": [[french_month(m) for m in months]],
        "y": [expected],
        "name": ["Candidatures reçues"],
    }
    _table(national, "candidatures", ["Candidatures reçues"], expected)
    every_call = selectors.recruitment_by_call(selectors.Scope())
    assert sum(expected) == sum(row[1] for row in every_call.rows) - 1  # all but the one before the window

    regional = _parse(_page(client, UserFactory(regional=True)))
    assert _chart(regional, "candidatures")["y"] == [_expected(months, {2: 1, 3: 1, 7: 1, 8: 1})]
    reviewer = _parse(_page(client, UserFactory(reviewer=True)))  # the CCI's reviewer: what the CCI proposed
    assert _chart(reviewer, "candidatures")["y"] == [_expected(months, {2: 1, 3: 2, 8: 1})]


def test_the_requests_chart_counts_requests_received_and_answered_each_month(client, db):
    months = selectors.past_months()
    ambassador_84 = AmbassadorFactory(published=True, regions=["84"])

    def received(when: datetime, answered: datetime | None = None, region: str = "84"):
        company_request = CompanyRequestFactory(
            **({"ambassador": ambassador_84} if region == "84" else {}),
            region=Region.objects.get(code=region),
            departement=Departement.objects.get(code="69" if region == "84" else "31"),
        )
        CompanyRequest.objects.filter(pk=company_request.pk).update(created_at=when, answered_at=answered)

    # Received in one month, the exchange done in the next; one received before the window, answered in it.
    received(_paris(months[1] + timedelta(days=27)), answered=_paris(months[2] + timedelta(days=1)))
    received(_paris(months[1], 0, 15))
    received(_paris(months[4]), answered=_paris(months[4] + timedelta(days=3)))
    received(_paris(months[0]) - timedelta(days=20), answered=_paris(months[0] + timedelta(days=2)))
    received(_paris(months[4] + timedelta(days=5)), region="76")

    response = _page(client, UserFactory(national=True))
    national = _parse(response)
    got, done = _expected(months, {1: 2, 4: 2}), _expected(months, {0: 1, 2: 1, 4: 1})
    assert _chart(national, "demandes") == {
        "x": [[french_month(m) for m in months]] * 2,
        "y": [got, done],
        "name": ["Demandes reçues", "Échanges réalisés"],
    }
    _table(national, "demandes", ["Demandes reçues", "Échanges réalisés"], got, done)
    assert "(4 reçues et 3 échanges réalisés sur la période)" in response.content.decode()

    regional = _parse(_page(client, UserFactory(regional=True)))
    assert _chart(regional, "demandes")["y"] == [_expected(months, {1: 2, 4: 1}), done]


def test_an_empty_scope_draws_every_month_at_zero(client, db):
    response = _page(client, UserFactory(national=True))
    parser = _parse(response)
    assert "(0 reçue et 0 échange réalisé sur la période)" in response.content.decode()
    zeros = [0] * len(selectors.past_months())
    assert _chart(parser, "designations")["y"] == [zeros]
    assert _chart(parser, "candidatures")["y"] == [zeros]
    assert _chart(parser, "demandes")["y"] == [zeros, zeros]


@pytest.mark.parametrize("role", ["national", "regional", "reviewer"])
def test_each_trend_is_one_query(django_assert_num_queries, db, role):
    scope = selectors.scope_for(UserFactory(**{role: True}))
    scope.regions, scope.network  # noqa: B018 -- read once for the page's label, not by the trends
    for trend in (
        selectors.designations_by_month,
        selectors.applications_by_month,
        selectors.requests_by_month,
    ):
        with django_assert_num_queries(1):
            trend(scope)
