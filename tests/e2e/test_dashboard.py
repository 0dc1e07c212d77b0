"""The steering page in a real browser: a national coordinator logs in, opens « Pilotage » from their space, reads
the map (an image named by its caption) and the tables, sets a regional target (a bad value first: the French
message is next to the field), and sees the map change. axe-core on every page (WCAG 2.1 AA, serious and critical
violations), no Content-Security-Policy violation, on a desktop and on a 375 px phone. See tests/e2e/conftest.py."""

import pytest
from playwright.sync_api import expect

from tests.dashboard.conftest import build_dataset
from tests.e2e.conftest import DESKTOP, MOBILE
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"  # tests.factories.UserFactory


def _no_csp_violation(csp_violations):
    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_national_coordinator_reads_the_indicators_and_sets_a_target(
    page, check_a11y, csp_violations, viewport
):
    build_dataset()
    coordinator = UserFactory(national=True)
    page.set_viewport_size(viewport)

    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.get_by_role("link", name="Pilotage").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pilotage du réseau")
    figure = page.get_by_role("img", name="Carte schématique des régions")
    expect(figure).to_be_visible()
    expect(page.get_by_role("table", name="Ambassadeurs désignés et publiés par région")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Fixer les objectifs régionaux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objectifs régionaux")
    check_a11y(page)
    field = page.get_by_label("Île-de-France")
    field.fill("-3")
    page.get_by_role("button", name="Enregistrer les objectifs").click()
    expect(
        page.get_by_text("Saisissez un nombre entier positif (1 ou plus), ou laissez vide.")
    ).to_be_visible()
    expect(page.get_by_label("Île-de-France")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)

    page.get_by_label("Île-de-France").fill("40")
    page.get_by_role("button", name="Enregistrer les objectifs").click()
    expect(page.get_by_text("1 objectif modifié.")).to_be_visible()
    expect(page.locator("g.ai-cov-0 title", has_text="Île-de-France")).to_have_count(1)
    check_a11y(page)
    _no_csp_violation(csp_violations)
