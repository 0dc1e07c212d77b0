"""The space and the profile, in a real browser: the ambassador opens /espace/, sees what their profile lacks,
previews the public page and consents; the coordinator finds the profile waiting, sees the whole page and
publishes it; the ambassador is told by email (a real local SMTP server). Keyboard-free clicks, axe-core on every
page, no horizontal overflow on a phone."""

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, MOBILE
from tests.factories import AmbassadorFactory, UserFactory

PASSWORD = "mot-de-passe-de-test"


def _log_in(page, check_a11y, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    check_a11y(page)


def _fits_a_phone(page):
    page.set_viewport_size(MOBILE)
    width = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(DESKTOP)
    assert width <= 0, f"{page.url} déborde de {width} px à 375 px"


def test_ambassador_previews_and_consents_then_the_coordinator_publishes(
    page, live_server, check_a11y, smtp_inbox, settings, csp_violations
):
    settings.SITE_URL = live_server.url
    person = UserFactory(email="capucine.compte@exemple.test")
    ambassador = AmbassadorFactory(
        user=person,
        first_name="Capucine",
        last_name="Apercevoir",
        slug="capucine-apercevoir",
        regions=["84"],
        topics=["production"],
        sectors=["C"],
        website_url="https://capucine.exemple.test/",
        bio="",
        contact_email="capucine.contact@exemple.test",
        contact_phone="06 12 34 56 78",
    )
    UserFactory(regional=True, email="coordination.84@exemple.test")

    # The ambassador: what awaits, first.
    _log_in(page, check_a11y, "capucine.compte@exemple.test")
    awaiting = page.locator("#ce-qui-vous-attend + ul")
    expect(
        awaiting.get_by_role("link", name="À compléter sur votre profil\u00a0: présentation")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Vos outils")).to_be_visible()
    _fits_a_phone(page)

    # The preview, then the consent.
    awaiting.get_by_role("link", name="Consentement à la publication à donner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de la page publique")
    preview = page.get_by_role("region", name="Aperçu de la page publique")
    expect(preview.get_by_role("heading", name="Capucine Apercevoir")).to_be_visible()
    expect(preview.get_by_role("link", name="Site web")).to_be_visible()
    expect(page.get_by_text("Ne sont jamais publiés ni montrés aux entreprises")).to_be_visible()
    assert "capucine.contact@" not in preview.inner_text()
    assert "06 12 34 56 78" not in preview.inner_text()
    check_a11y(page)
    _fits_a_phone(page)
    page.get_by_role("button", name="J’accepte que mon profil soit publié").click()
    expect(page.get_by_text("Votre consentement est enregistré.")).to_be_visible()
    page.goto("/espace/")
    expect(
        page.get_by_role("link", name="Profil en attente de publication par la coordination")
    ).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    # The coordinator: the profile waits, the whole page before publishing.
    _log_in(page, check_a11y, "coordination.84@exemple.test")
    waiting = page.locator("#ce-qui-vous-attend + ul").get_by_role("link", name="Profils consentis à publier")
    expect(waiting).to_be_visible()
    _fits_a_phone(page)
    waiting.click()
    page.get_by_role("link", name="Capucine Apercevoir").click()
    page.get_by_role("link", name="Voir la page et publier le profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de la page publique")
    expect(
        page.get_by_role("region", name="Aperçu de la page publique").get_by_text("Capucine Apercevoir")
    ).to_be_visible()
    check_a11y(page)
    _fits_a_phone(page)
    page.get_by_role("button", name="Publier le profil").click()
    expect(page.get_by_text("Le profil est publié.")).to_be_visible()

    # The ambassador is told, and the page is public.
    [message] = smtp_inbox.wait_for("capucine.contact@exemple.test")
    assert message["Subject"].startswith("Votre profil est publié")
    body = smtp_inbox.body(message)
    assert f"{live_server.url}/ambassadeurs/capucine-apercevoir/" in body
    assert f"{live_server.url}/espace/" in body
    assert "coordination.84@" not in body + message["X-Envelope-To"]
    page.goto("/ambassadeurs/capucine-apercevoir/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Capucine Apercevoir")
    ambassador.refresh_from_db()
    assert ambassador.is_public
    assert csp_violations == []
