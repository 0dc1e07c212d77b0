"""The charts of /pilotage/ (DSFR Chart's web components): they carry the figures of the selectors and of the tables
beside them, for the national and a regional coordination; the component is served from our static files, and the
Content-Security-Policy stays as strict as it is (no 'unsafe-eval', no inline style, no other origin)."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from dashboard import selectors
from tests.dashboard.conftest import TableParser
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHART_TAGS = {"line-chart", "bar-chart"}


class _ChartParser(TableParser):
    """Every chart element of a page (its attributes), and every ``<table id="donnees-…">`` beside one."""

    def __init__(self):
        super().__init__(prefix="donnees-")
        self.charts: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag in CHART_TAGS:
            self.charts.append((tag, dict(attrs)))
        else:
            super().handle_starttag(tag, attrs)


def _parse(response) -> _ChartParser:
    assert response.status_code == 200
    parser = _ChartParser()
    parser.feed(response.content.decode())
    return parser


def _chart(parser: _ChartParser, tag: str) -> dict:
    found = [attrs for name, attrs in parser.charts if name == tag]
    assert len(found) == 1, parser.charts
    return {key: json.loads(found[0][key]) for key in ("x", "y", "name")}


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
    chart = _chart(parser, "line-chart")
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
    chart = _chart(parser, "bar-chart")
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
    assert _chart(parser, "line-chart")["y"] == [counts]
    national_months, national_counts = _events_per_month(selectors.scope_for(UserFactory(national=True)))
    assert months == national_months and counts != national_counts  # its region only, not the whole country
    _, shares = selectors.diagnostics(scope)
    assert _chart(parser, "bar-chart")["y"] == [[s.share for s in shares], [s.baseline for s in shares]]
    assert _chart(parser, "bar-chart")["y"][0] == [50, 0, 25, 25]


def test_too_few_results_draw_no_profiles_chart(client, db):
    # No self-diagnostic at all: no bar chart of empty shares, a sentence instead; the events chart stays.
    response = _page(client, UserFactory(national=True))
    parser = _parse(response)
    assert [name for name, _ in parser.charts] == ["line-chart"]
    assert "Pas assez de résultats d’autodiagnostic dans le périmètre" in response.content.decode()


def test_the_charts_come_first_with_an_accessible_name(client, dataset):
    html = _page(client, UserFactory(national=True)).content.decode()
    assert html.index('id="chiffres-cles"') < html.index('id="graphiques"') < html.index('id="designations"')
    for area in ("graphique-evenements", "graphique-profils"):
        tag = re.search(rf'<div class="ai-chart-area" id="{area}"[^>]*>', html).group(0)
        assert 'role="img"' in tag and "aria-labelledby=" in tag and "aria-describedby=" in tag, tag
    assert html.count("<summary>Voir les données</summary>") == 2
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
