"""The steering page's charts in a real browser (DSFR Chart's web components, tests/dashboard/test_charts.py for
their figures): each draws a canvas, under the site's Content-Security-Policy, with no error in the console; the
data beside each one opens with « Voir les données »; the detailed tables' sections open by their title. axe-core
on the page, on a desktop and on a 375 px phone. See tests/e2e/conftest.py."""

import pytest
from playwright.sync_api import expect

from tests.dashboard.conftest import build_dataset
from tests.e2e.conftest import DESKTOP, MOBILE
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"  # tests.factories.UserFactory


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_the_charts_draw_under_the_csp_with_their_data_beside(page, check_a11y, csp_violations, viewport):
    build_dataset()
    coordinator = UserFactory(national=True)
    page.set_viewport_size(viewport)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.goto("/pilotage/")

    for name, tag in (
        ("Événements publiés par mois", "line-chart"),
        ("Profils des autodiagnostics", "bar-chart"),
    ):
        chart = page.get_by_role("img", name=name)
        expect(chart).to_be_visible()
        canvas = chart.locator(f"{tag} canvas")
        expect(canvas).to_have_count(1)
        box = canvas.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100, box
    # Something drawn on the canvas, not an empty box: some pixels are not transparent.
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('line-chart canvas, bar-chart canvas')].map(c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })"""
    )
    # Five charts: designations, applications, events, requests by month; the profiles against the baseline.
    assert len(drawn) == 5 and all(n > 500 for n in drawn), drawn

    data = page.get_by_role("table", name="Événements publiés par mois de début")
    expect(data).to_be_hidden()
    # The third chart's data (designations, applications, then events).
    page.locator("summary", has_text="Voir les données").nth(2).click()
    expect(data).to_be_visible()

    # The detailed tables: the first section open, the others by their title.
    expect(page.get_by_role("table", name="Ambassadeurs désignés et publiés par région")).to_be_visible()
    activity = page.get_by_role("table", name="Activité des ambassadeurs")
    expect(activity).to_be_hidden()
    page.get_by_role("heading", name="Activité des ambassadeurs", level=3).click()
    expect(activity).to_be_visible()

    check_a11y(page)
    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)
    assert errors == [], errors
