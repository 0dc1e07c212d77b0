"""The self-diagnostic in a real browser, without an account: a company leader of Toulouse who sees what AI could
bring but has no one to help answers the five pages (a forgotten answer on page 2 is shown next to its question, the
answers given stay checked, « back » keeps page 1), lands on the private result page (profile « bloqué », five
scores as meters and a table, next steps, an event of Haute-Garonne, an Occitanie ambassador of their sector to
write to), prints it without its buttons and forms, and the public statistics count the result. The stored result
keeps the département, never the postcode. Every page goes through axe-core (WCAG 2.1 AA, serious and critical
violations) and no page may break the Content-Security-Policy; on a desktop and on a 375 px phone. See
tests/e2e/conftest.py."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from diagnostic.enums import Dimension, Profile
from diagnostic.models import DiagnosticResult
from diagnostic.recommendations import NEXT_STEPS
from diagnostic.scoring import CURRENT
from tests.agenda.factories import EventFactory
from tests.e2e.conftest import DESKTOP, MOBILE
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.browser

TOULOUSE = "31555"
POSTCODE = "31000"
SECTOR = "C – Industrie manufacturière"
SIZE = "PME (10 à 249 salariés)"
MISSING = "Choisissez une réponse."

# A leader who sees the value of AI but does not use it and has no one to help: the « bloqué » profile.
# Question key -> (label of the answer clicked, value stored).
ANSWERS = {
    # Page 2: strategy and perception.
    "impact": ("Important", "2"),
    "gains": ("Oui, quelques-uns", "2"),
    "feuille_de_route": ("Non, ce n’est pas un sujet", "0"),
    # Page 3: data and skills.
    "donnees": ("Dans des tableurs", "1"),
    "numerisation": ("En partie", "1"),
    "connaissance": ("J’en ai des notions", "1"),
    "formation": ("Non", "0"),
    # Page 4: uses, none at all.
    "ia_generative": ("Jamais", "0"),
    "processus": ("Non", "0"),
    "outils": ("Aucun", "0"),
    # Page 5: means and support.
    "budget": ("Aucun", "0"),
    "accompagnement": ("Non, et je ne sais pas à qui m’adresser", "0"),
    "frein": ("Le manque d’accompagnement : je ne sais pas par où commencer", "accompagnement"),
}


def _no_csp_violation(csp_violations):
    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)


def _question(page, key):
    """A question is a fieldset: its accessible name is its text (and its error, when there is one)."""
    return page.get_by_role("group", name=CURRENT.question(key).text)


def _radio(page, key):
    label, _ = ANSWERS[key]
    return _question(page, key).get_by_role("radio", name=label, exact=True)


def _click_label(page, control):
    """DSFR draws its own circle over the real radio: a person clicks the label, and so does the test."""
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()
    expect(control).to_be_checked()


def _answer(page, *keys):
    for key in keys:
        _click_label(page, _radio(page, key))


def _expect_step(page, step, title):
    stepper = page.locator(".fr-stepper")
    expect(stepper.locator(".fr-stepper__state")).to_have_text(f"Étape {step} sur 5")
    expect(stepper.get_by_role("heading", level=2)).to_contain_text(title)


def _expect_fresh_page(page, step, title, keys):
    """A page reached with « Continuer »: its questions, unanswered, and no error before the leader sends it."""
    _expect_step(page, step, title)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_text(MISSING)).to_have_count(0)
    for key in keys:
        expect(_question(page, key)).to_be_visible()


def _continue(page):
    page.get_by_role("button", name="Continuer").click()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_diagnostic_journey_of_a_blocked_leader_to_the_result_and_statistics(
    page, check_a11y, csp_violations, viewport
):
    page.set_viewport_size(viewport)
    ambassador = AmbassadorFactory(
        published=True,
        first_name="Odile",
        last_name="Garonne",
        structure_name="Aéro-Pièces Toulouse",
        regions=["76"],
        sectors=["C"],
    )
    # Noise: an ambassador of another region, an event of another region.
    AmbassadorFactory(published=True, first_name="Lina", last_name="Lyonnaise", regions=["84"], sectors=["C"])
    event = EventFactory(title="Café IA à Toulouse", commune_code=TOULOUSE)
    assert (event.departement_id, event.region_id) == ("31", "76")
    EventFactory(title="Atelier IA à Lyon")

    # 1. Page 1: the company's context.
    page.goto("/diagnostic/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Où en est votre entreprise avec l’IA ?")
    _expect_step(page, 1, "Votre entreprise")
    expect(page.get_by_role("button", name="Revenir à l’étape précédente")).to_have_count(0)
    check_a11y(page)
    page.get_by_label("Code postal de l’entreprise").fill(POSTCODE)
    page.get_by_label("Secteur d’activité").select_option(label=SECTOR)
    _click_label(page, page.get_by_role("radio", name=SIZE))
    _continue(page)

    # 2. Page 2, sent with one question unanswered: the error is next to it, the other answers stay checked.
    _expect_fresh_page(page, 2, "Stratégie et perception", ["impact", "gains", "feuille_de_route"])
    check_a11y(page)
    _answer(page, "impact", "gains")
    _continue(page)

    _expect_step(page, 2, "Stratégie et perception")
    expect(page.get_by_role("alert")).to_contain_text("Certaines réponses manquent")
    forgotten = _question(page, "feuille_de_route")
    expect(forgotten.locator(".fr-message--error")).to_have_text(MISSING)
    # The error is part of the question's accessible name, so a screen reader announces it with the question.
    named_with_error = re.compile(
        # (an accessible name turns the non-breaking spaces of the French text into plain ones)
        re.escape(CURRENT.question("feuille_de_route").text).replace("\u00a0", " ")
        + ".*"
        + re.escape(MISSING)
    )
    expect(page.get_by_role("group", name=named_with_error)).to_be_visible()
    expect(page.locator(".fr-message--error")).to_have_count(1)  # only the forgotten question is flagged
    # The summary links to it.
    summary_link = page.get_by_role("alert").get_by_role(
        "link", name=CURRENT.question("feuille_de_route").text
    )
    expect(summary_link).to_have_attribute("href", "#id_feuille_de_route-set")
    expect(page).to_have_title(re.compile(r"^Erreur – Autodiagnostic IA"))
    expect(_radio(page, "impact")).to_be_checked()
    expect(_radio(page, "gains")).to_be_checked()
    check_a11y(page)
    _answer(page, "feuille_de_route")

    # 3. Back to page 1, once: it still holds its values; then forward again, page 2 keeps its answers.
    page.get_by_role("button", name="Revenir à l’étape précédente").click()
    _expect_step(page, 1, "Votre entreprise")
    expect(page.get_by_label("Code postal de l’entreprise")).to_have_value(POSTCODE)
    sector = page.get_by_label("Secteur d’activité")
    expect(sector).to_have_value(sector.locator("option", has_text=SECTOR).get_attribute("value"))
    expect(page.get_by_role("radio", name=SIZE)).to_be_checked()
    expect(page.get_by_text(MISSING)).to_have_count(0)
    check_a11y(page)
    _continue(page)

    _expect_step(page, 2, "Stratégie et perception")
    expect(page.get_by_role("alert")).to_have_count(0)
    for key in ("impact", "gains", "feuille_de_route"):
        expect(_radio(page, key)).to_be_checked()
    _continue(page)

    # 4. Pages 3 to 5.
    page_3 = ["donnees", "numerisation", "connaissance", "formation"]
    _expect_fresh_page(page, 3, "Données et compétences", page_3)
    check_a11y(page)
    _answer(page, *page_3)
    _continue(page)

    page_4 = ["ia_generative", "processus", "outils"]
    _expect_fresh_page(page, 4, "Usages", page_4)
    assert urlsplit(page.url).path == "/diagnostic/etape-4/"  # each page has its own address
    # The browser's Back button: page 3, as answered (no « Confirm Form Resubmission »); then forward again.
    page.go_back()
    _expect_step(page, 3, "Données et compétences")
    for key in page_3:
        expect(_radio(page, key)).to_be_checked()
    page.go_forward()
    _expect_step(page, 4, "Usages")
    check_a11y(page)
    _answer(page, *page_4)
    _continue(page)

    page_5 = ["budget", "accompagnement", "frein"]
    _expect_fresh_page(page, 5, "Moyens et accompagnement", page_5)
    expect(page.get_by_role("button", name="Continuer")).to_have_count(0)
    check_a11y(page)
    _answer(page, *page_5)
    page.get_by_role("button", name="Voir mon résultat").click()

    # 5. The private result page.
    expect(page).to_have_url(re.compile(r"/diagnostic/resultat/[A-Za-z0-9_-]{20,64}/$"))
    result = DiagnosticResult.objects.get()
    assert urlsplit(page.url).path == f"/diagnostic/resultat/{result.token}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre profil : bloqué")
    main = page.get_by_role("main")
    expect(main.locator(".fr-callout")).to_contain_text("faute d’accompagnement")

    expected_scores = CURRENT.evaluate({key: value for key, (_, value) in ANSWERS.items()}).scores
    expected_by_label = {Dimension(key).label: str(value) for key, value in expected_scores.items()}
    meters = main.get_by_role("meter")
    expect(meters).to_have_count(5)
    table = main.get_by_role("table", name="Scores par dimension, sur 100")
    expect(table.get_by_role("columnheader")).to_have_count(5)
    expect(table.get_by_role("columnheader")).to_have_text(list(expected_by_label))
    expect(table.get_by_role("cell")).to_have_text(list(expected_by_label.values()))
    for label, value in expected_by_label.items():
        expect(main.get_by_role("meter", name=label, exact=True)).to_have_attribute("value", value)
    expect(main.get_by_role("meter", name="Usages", exact=True)).to_have_attribute("value", "0")

    next_steps = main.locator("h2:has-text('Vos prochaines étapes') + ol > li")
    expect(next_steps).to_have_count(len(NEXT_STEPS[Profile.BLOQUE]))
    for i, step in enumerate(NEXT_STEPS[Profile.BLOQUE]):
        expect(next_steps.nth(i)).to_contain_text(step.title)

    events = main.locator("h2:has-text('Événements près de chez vous') + ul")
    expect(events.get_by_role("link", name="Café IA à Toulouse")).to_have_attribute(
        "href", event.get_absolute_url()
    )
    expect(main).not_to_contain_text("Atelier IA à Lyon")

    ambassadors = main.locator("h2:has-text('Des ambassadeurs de votre région') + ul > li")
    expect(ambassadors).to_have_count(1)
    expect(ambassadors.first).to_contain_text("Aéro-Pièces Toulouse")
    expect(ambassadors.first).to_contain_text("secteur Industrie manufacturière")
    expect(ambassadors.first.get_by_role("link", name="Odile Garonne", exact=True)).to_have_attribute(
        "href", ambassador.get_absolute_url()
    )
    write = ambassadors.first.get_by_role("link", name="lui écrire (Odile Garonne)")
    expect(write).to_have_attribute(
        "href", re.compile("^" + re.escape(reverse("contact:contact", args=[ambassador.slug])) + r"\?")
    )
    expect(main).not_to_contain_text("Lina Lyonnaise")
    assert ambassador.contact_email not in page.content()
    check_a11y(page)

    # Printed, the page keeps the result and drops what only works on a screen.
    no_print = main.locator(".ai-no-print")
    expect(no_print).to_be_visible()
    page.emulate_media(media="print")
    expect(no_print).to_be_hidden()
    expect(page.locator(".fr-breadcrumb")).to_be_hidden()
    for control in page.locator("form, .fr-btn").all():
        expect(control).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(main.get_by_role("meter", name="Stratégie", exact=True)).to_be_visible()
    page.emulate_media(media="screen")
    expect(no_print).to_be_visible()

    # Back from the result: page 5 with its answers; sent again, it shows the same result (not a second one).
    result_url = page.url
    page.go_back()
    _expect_step(page, 5, "Moyens et accompagnement")
    for key in page_5:
        expect(_radio(page, key)).to_be_checked()
    page.get_by_role("button", name="Voir mon résultat").click()
    expect(page).to_have_url(result_url)
    assert DiagnosticResult.objects.count() == 1

    # 6. What is stored: the answers and the département, never the postcode.
    assert result.profile == Profile.BLOQUE
    assert result.answers == {key: value for key, (_, value) in ANSWERS.items()}
    assert result.scores == expected_scores
    assert (result.departement_id, result.region_id) == ("31", "76")
    assert (result.sector.code, result.size) == ("C", "pme")
    stored = {f.name: str(getattr(result, f.attname)) for f in DiagnosticResult._meta.concrete_fields}
    assert [name for name, value in stored.items() if POSTCODE in value] == []
    assert "postcode" not in result.answers

    # 7. The public statistics count it, without detailing a group this small.
    no_print.get_by_role("link", name="Voir les statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les profils des dirigeants qui ont fait l’autodiagnostic"
    )
    expect(page.get_by_role("main")).to_contain_text("1 autodiagnostic au total")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Pas encore détaillé : moins de 10 résultats au total.")
    expect(main).not_to_contain_text("Occitanie")
    check_a11y(page)

    _no_csp_violation(csp_violations)
