"""See before you publish, in a real browser: the regional coordinator opens an event waiting for moderation and
reads its description and venue in the « Aperçu » of its public page before publishing; once its contributor
changes it, the event comes back with what changed (before → after). The ambassadors present are chosen in a list
one filters by typing (core.widgets.Checklist). Every page goes through axe-core, none breaks the CSP, and nothing
overflows a phone's width. See tests/e2e/conftest.py."""

import re

import pytest
from playwright.sync_api import expect

from agenda import services
from agenda.enums import Moderation
from agenda.models import Event
from tests.agenda.factories import EventFactory
from tests.e2e.conftest import MOBILE
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"
OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"


def _log_in(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_moderator_sees_description_and_venue_before_publishing_then_the_changes(
    page, check_a11y, csp_violations
):
    contributor = UserFactory(first_name="Amandine", last_name="Contributrice")
    AmbassadorFactory(user=contributor, published=True, regions=["84"])
    coordinator = UserFactory(regional=True, first_name="Corentin", last_name="Coordinateur")
    event = EventFactory(
        submitted=True,
        created_by=contributor,
        title="Atelier IA et devis",
        description="Un atelier **pratique** : chacun repart avec un modèle de devis.",
        venue_name="Maison des entreprises",
        address="12 rue de la République",
    )

    _log_in(page, coordinator.email)
    page.goto(f"/espace/evenements/{event.pk}/")
    preview = page.locator("section", has=page.get_by_role("heading", name="Aperçu de la page publique"))
    expect(preview).to_contain_text("Aperçu")
    expect(preview.locator("strong", has_text="pratique")).to_be_visible()  # the Markdown, rendered
    expect(preview).to_contain_text("Maison des entreprises, 12 rue de la République, Lyon")
    expect(preview.get_by_role("heading", name="Atelier IA et devis")).to_be_visible()
    expect(page.get_by_text("Modifications depuis la dernière publication")).to_have_count(0)
    check_a11y(page)
    page.get_by_label("Décision").select_option(label="Publier")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La décision de modération est enregistrée")
    event.refresh_from_db()
    assert event.moderation == Moderation.PUBLISHED

    # The contributor (not trusted) moves it to another venue: back to moderation, with its changes.
    data = {"venue_name": "Salle Molière"}
    services.event_save(by=contributor, data=data, event=Event.objects.get(pk=event.pk))
    page.goto(f"/espace/evenements/{event.pk}/")
    changes = page.locator(
        "section", has=page.get_by_role("heading", name="Modifications depuis la dernière")
    )
    row = changes.get_by_role("row", name=re.compile("Nom du lieu"))
    expect(row.get_by_role("cell").nth(0)).to_have_text("Maison des entreprises")
    expect(row.get_by_role("cell").nth(1)).to_have_text("Salle Molière")
    expect(preview).to_contain_text("Salle Molière, 12 rue de la République, Lyon")
    check_a11y(page)

    page.set_viewport_size(MOBILE)
    page.reload()
    assert page.evaluate(OVERFLOW_JS) <= 1
    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)


def test_ambassadors_present_are_filtered_as_one_types_and_ticked_ones_are_sent(
    page, check_a11y, csp_violations
):
    creator = UserFactory(first_name="Nora", last_name="Créatrice")
    own = AmbassadorFactory(
        user=creator, published=True, regions=["84"], first_name="Nora", last_name="Créatrice"
    )
    for first, last in [("Élise", "Martin"), ("Elias", "Bernard"), ("Jean", "Dupont"), ("Marie", "Curie")]:
        AmbassadorFactory(published=True, regions=["84"], first_name=first, last_name=last)
    AmbassadorFactory(published=True, regions=["76"], first_name="Élodie", last_name="Ailleurs")

    _log_in(page, creator.email)
    page.goto("/espace/evenements/nouveau/")
    group = page.get_by_role("group", name=re.compile("Ambassadeurs présents"))
    expect(group.get_by_role("checkbox", name="Nora Créatrice")).to_be_checked()  # the creator, ticked
    expect(group.get_by_role("checkbox")).to_have_count(5)  # of the region only
    count = group.locator("[data-checklist-count]")
    expect(count).to_have_text("1 case cochée sur 5.")
    check_a11y(page)

    search = group.get_by_label("Rechercher un ambassadeur par son nom")
    search.fill("eli")  # accents ignored: Élise and Elias
    expect(group.get_by_role("checkbox")).to_have_count(2)
    expect(group.get_by_role("checkbox", name="Élise Martin")).to_be_visible()
    expect(count).to_have_text("1 case cochée sur 5\u00a0; 2 affichées pour «\u00a0eli\u00a0».")
    box = group.get_by_role("checkbox", name="Élise Martin")
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(count).to_contain_text("2 cases cochées sur 5")
    search.press("Enter")  # narrows, never sends the form
    expect(page).to_have_url(re.compile(r"/espace/evenements/nouveau/$"))
    search.fill("zzz")
    expect(group.get_by_text("Aucune option ne contient ces lettres.")).to_be_visible()
    search.fill("")
    expect(group.get_by_role("checkbox")).to_have_count(5)
    check_a11y(page)

    page.get_by_role("button", name="Enregistrer").click()  # the rest of the form is empty: refused, kept
    expect(group.get_by_role("checkbox", name="Élise Martin")).to_be_checked()
    expect(group.get_by_role("checkbox", name="Nora Créatrice")).to_be_checked()
    assert own.pk
    page.set_viewport_size(MOBILE)
    assert page.evaluate(OVERFLOW_JS) <= 1
    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)
