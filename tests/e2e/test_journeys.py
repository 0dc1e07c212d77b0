"""User journeys in a real browser, with an axe-core accessibility check (WCAG 2.1 AA, serious and critical
violations) on every page visited. See tests/e2e/conftest.py for the fixtures."""

import re

import pytest
from playwright.sync_api import expect

from ambassadors.enums import PublicationState
from tests.e2e.conftest import DESKTOP, MOBILE
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.browser

REGION_84 = "Auvergne-Rhône-Alpes"


def _card_names(page):
    return sorted(page.locator(".ai-card-list .fr-card__title a").all_inner_texts())


def test_public_journey_from_home_to_an_ambassador(page, check_a11y, csp_violations):
    in_region = [
        AmbassadorFactory(
            published=True,
            first_name=first,
            last_name=last,
            regions=["84"],
            sectors=["C"],
            topics=["production"],
        )
        for first, last in [("Camille", "Arnaud"), ("Dominique", "Bernard"), ("Sacha", "Chevalier")]
    ]
    elsewhere = [
        AmbassadorFactory(published=True, first_name="Alix", last_name="Dupuis", regions=["11"]),
        AmbassadorFactory(published=True, first_name="Noa", last_name="Etienne", regions=["93"]),
    ]
    unpublished = AmbassadorFactory(first_name="Eden", last_name="Fabre", regions=["84"], consented=True)

    # Home page on a phone: DSFR collapses the navigation behind the "Menu" button, whose modal needs the DSFR
    # JavaScript (loaded with the CSP nonce) to open.
    page.set_viewport_size(MOBILE)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les ambassadeurs de l’intelligence artificielle"
    )
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_be_visible()
    check_a11y(page)
    menu_button.click()
    menu = page.locator("#menu-modal")
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Annuaire des ambassadeurs").click()
    expect(page).to_have_url(re.compile(r"/ambassadeurs/$"))

    # The rest on a desktop screen: the navigation is in the header, no "Menu" button.
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des ambassadeurs")
    expect(page.locator("#resultats")).to_have_text("5 ambassadeurs trouvés")
    check_a11y(page)

    # Filter by region with the form.
    page.get_by_label("Région", exact=True).select_option(label=REGION_84)
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"/ambassadeurs/\?.*region=84"))
    expect(page.locator("#resultats")).to_have_text("3 ambassadeurs trouvés")
    expect(page.get_by_label("Région", exact=True)).to_have_value("84")
    assert _card_names(page) == sorted(a.full_name for a in in_region)
    content = page.content()
    for other in [*elsewhere, unpublished]:
        assert other.full_name not in content
    check_a11y(page)

    # An ambassador's public page: name, region, and never the private contact details.
    chosen = in_region[1]
    page.get_by_role("link", name=chosen.full_name).click()
    expect(page).to_have_url(re.compile(rf"/ambassadeurs/{chosen.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(chosen.full_name)
    expect(page.get_by_role("link", name=REGION_84)).to_be_visible()
    check_a11y(page)
    content = page.content()
    assert chosen.contact_email not in content
    assert chosen.contact_phone not in content
    assert "secret-exemple.test" not in content

    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)


def test_public_pages_are_accessible(page, check_a11y, csp_violations):
    AmbassadorFactory(
        published=True, first_name="Lou", last_name="Girard", regions=["84"], topics=["production"]
    )
    AmbassadorFactory(published=True, first_name="Maël", last_name="Henry", is_national=True)

    for path, heading in [
        ("/regions/", "Les ambassadeurs par région"),
        ("/regions/84/", f"Ambassadeurs IA – {REGION_84}"),
        ("/regions/84/integration/", f"Les ambassadeurs IA en {REGION_84}"),
        ("/donnees/", "Données ouvertes"),
        ("/connexion/", "Se connecter"),
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_a11y(page)

    # A filter that does not exist: the directory answers 400 with the error next to the field.
    response = page.goto("/ambassadeurs/?region=zz")
    assert response.status == 400
    expect(page.get_by_label("Région", exact=True)).to_have_attribute("aria-invalid", "true")
    check_a11y(page)

    response = page.goto("/cette-page-n-existe-pas/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page non trouvée")
    check_a11y(page)

    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)

    # The listener does hear the browser when the policy blocks something: an inline style is refused.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "document.head.appendChild(document.createElement('style')).textContent = 'p{color:red}'"
        )
    assert any("style-src" in message for message in csp_violations), csp_violations


def test_check_a11y_fails_on_a_serious_violation(browser, check_a11y):
    """The axe helper is not a no-op: an image without text alternative and an unlabelled field fail."""
    page = browser.new_page()
    try:
        page.set_content(
            '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>'
        )
        with pytest.raises(AssertionError) as failure:
            check_a11y(page)
    finally:
        page.close()
    message = str(failure.value)
    assert "image-alt" in message
    assert "label" in message


def test_regional_coordinator_publishes_a_profile(page, check_a11y, csp_violations):
    coordinator = UserFactory(regional=True)
    waiting = AmbassadorFactory(first_name="Rose", last_name="Lemoine", consented=True, regions=["84"])
    assert waiting.publication_state != PublicationState.PUBLISHED

    # Not public yet.
    response = page.goto(f"/ambassadeurs/{waiting.slug}/")
    assert response.status == 404

    # Log in through the form.
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Mon espace")).to_be_visible()

    page.get_by_role("link", name="Mon espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    check_a11y(page)

    page.get_by_role("link", name="Ambassadeurs de mon périmètre", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ambassadeurs de mon périmètre")
    check_a11y(page)

    page.get_by_role("link", name=waiting.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(waiting.full_name)
    check_a11y(page)

    page.get_by_role("link", name="Voir la page et publier le profil").click()
    page.get_by_role("button", name="Publier le profil").click()
    expect(page.locator(".fr-alert--success")).to_have_text("Le profil est publié.")
    expect(page.get_by_role("button", name="Retirer de la publication")).to_be_visible()
    check_a11y(page)

    # Now on the public directory, and its page answers.
    page.goto("/ambassadeurs/")
    expect(page.get_by_role("link", name=waiting.full_name)).to_be_visible()
    page.get_by_role("link", name=waiting.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(waiting.full_name)
    waiting.refresh_from_db()
    assert waiting.publication_state == PublicationState.PUBLISHED

    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)
