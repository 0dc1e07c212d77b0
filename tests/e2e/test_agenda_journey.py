"""The agenda journey in a real browser: an ambassador proposes an event, it waits for moderation; the regional
coordinator publishes it; it appears in the agenda, on its page (with its JSON-LD) and on the region page. Every page
visited goes through axe-core (WCAG 2.1 AA, serious and critical violations) and no page may break the
Content-Security-Policy. See tests/e2e/conftest.py."""

import json
import re

import pytest
from playwright.sync_api import expect

from agenda.enums import Moderation
from agenda.models import Event
from tests.agenda.factories import in_days
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"
TITLE = "Café IA des dirigeants de Villeurbanne"


def _log_in(page, check_a11y, email):
    page.goto("/connexion/")
    check_a11y(page)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    check_a11y(page)


def _log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def _tick(page, name):
    """DSFR draws its own box over the real checkbox: a person clicks the label, and so does the test."""
    box = page.get_by_role("checkbox", name=name, exact=True)
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()


def test_agenda_journey_from_proposal_to_public_agenda(
    page, check_a11y, csp_violations, smtp_inbox, settings, live_server
):
    settings.SITE_URL = live_server.url
    ambassador = UserFactory(first_name="Amandine", last_name="Contributrice")
    AmbassadorFactory(user=ambassador, published=True, regions=["84"])
    coordinator = UserFactory(regional=True, first_name="Corentin", last_name="Coordinateur")
    day = in_days(30)

    # 1. The ambassador proposes an event from their space.
    _log_in(page, check_a11y, ambassador.email)
    page.get_by_role("link", name="Événements", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Événements")
    check_a11y(page)
    page.get_by_role("link", name="Proposer un événement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer un événement")
    check_a11y(page)

    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Description").fill("Trois dirigeants racontent leur **premier projet d’IA**.")
    page.get_by_label(re.compile(r"^Début\b")).fill(f"{day:%Y-%m-%d}T08:30")
    page.get_by_label(re.compile(r"^Fin\b")).fill(f"{day:%Y-%m-%d}T07:00")  # a slip: before the start
    page.get_by_label("Modalité").select_option(label="En présentiel")
    page.get_by_label("Nom du lieu").fill("Maison du livre")
    page.get_by_label(re.compile(r"^Adresse\b")).fill("247 cours Émile Zola")
    page.get_by_label(re.compile(r"^Code postal")).fill("69100")
    page.get_by_label(re.compile(r"^Format\b")).select_option(label="Café IA")
    page.get_by_label("Public visé").fill("Dirigeants de TPE et PME")
    _tick(page, "Production")
    _tick(page, "C – Industrie manufacturière")
    page.get_by_label(re.compile(r"^Organisateur\b")).fill("CCI Lyon Métropole")
    with page.expect_response(re.compile(r"/espace/evenements/nouveau/$")) as refused:
        page.get_by_role("button", name="Enregistrer").click()
    assert refused.value.status == 400
    # The error is next to the field and tied to it; nothing typed is lost.
    end = page.get_by_label(re.compile(r"^Fin\b"))
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(end).to_have_attribute("aria-describedby", "id_ends_at-err")
    expect(page.locator("#id_ends_at-err")).to_have_text("La fin doit être après le début.")
    expect(page.get_by_label("Titre")).to_have_value(TITLE)
    expect(page.get_by_label(re.compile(r"^Code postal"))).to_have_value("69100")
    expect(page.get_by_role("checkbox", name="Production", exact=True)).to_be_checked()
    check_a11y(page)
    end.fill(f"{day:%Y-%m-%d}T10:00")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".fr-alert--success")).to_contain_text("en attente de modération")
    expect(page.get_by_role("main")).to_contain_text("En attente de modération")
    check_a11y(page)
    event = Event.objects.get(title=TITLE)
    assert event.moderation == Moderation.SUBMITTED
    assert event.created_by == ambassador
    assert event.commune.name == "Villeurbanne"
    assert [t.slug for t in event.topics.all()] == ["production"]
    assert page.request.get(f"/agenda/{event.slug}/").status == 404
    _log_out(page)

    # 2. The regional coordinator publishes it from the moderation list.
    _log_in(page, check_a11y, coordinator.email)
    page.get_by_role("link", name="Événements", exact=True).click()
    to_moderate = page.locator("h2:has-text('À modérer') + ul")
    expect(page.get_by_role("heading", level=2, name="À modérer (1)")).to_be_visible()
    check_a11y(page)
    to_moderate.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_a11y(page)
    page.get_by_label("Décision").select_option(label="Publier")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La décision de modération est enregistrée")
    expect(page.get_by_role("main")).to_contain_text("Publié")
    check_a11y(page)
    [mail] = smtp_inbox.wait_for(ambassador.email)
    assert f"/agenda/{event.slug}/" in smtp_inbox.body(mail)

    # 3. The event is public: agenda, its page (with JSON-LD), region page.
    page.get_by_role("link", name="Voir la page publique").click()
    expect(page).to_have_url(re.compile(rf"/agenda/{event.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_a11y(page)
    _log_out(page)
    page.goto("/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda des événements IA")
    card = page.locator(".fr-card").filter(has=page.get_by_role("link", name=TITLE))
    expect(card).to_contain_text("8\u00a0h\u00a030 – 10\u00a0h")
    check_a11y(page)
    card.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("link", name="Google Agenda")).to_be_visible()
    expect(page.locator("main strong").first).to_have_text("premier projet d’IA")
    check_a11y(page)
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Event"
    assert data["name"] == TITLE
    assert data["startDate"].startswith(f"{day:%Y-%m-%d}T08:30:00+0")
    assert data["location"]["address"]["addressLocality"] == "Villeurbanne"
    assert data["url"] == f"{live_server.url}/agenda/{event.slug}/"

    page.goto("/regions/84/")
    section = page.locator("section", has=page.get_by_role("heading", name="Prochains événements"))
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()
    check_a11y(page)

    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)
