"""The company contact journey in a real browser: a company leader describes their need, gets a ranked list of
ambassadors with the reasons, writes to the best one through the platform (the ambassador's own address and phone
never show), the ambassador takes the request, records the exchange and closes it, and the company answers the two
follow-up questions from the link of the closing email. Every page visited goes through axe-core (WCAG 2.1 AA,
serious and critical violations) and no page may break the Content-Security-Policy; the emails go through a real
local SMTP server. See tests/e2e/conftest.py."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from contact.models import CompanyRequest
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"
COMPANY_EMAIL = "claire.dupuis@usinage-garonne.test"
QUESTION = "Nous voulons prévoir les pannes de nos machines de production grâce à l’IA."
SIZE = "PME (10 à 249 salariés)"


def _no_csp_violation(csp_violations):
    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)


def _click_label(page, control):
    """DSFR draws its own box over the real checkbox or radio: a person clicks the label, and so does the test."""
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()
    expect(control).to_be_checked()


def _log_in(page, check_a11y, email):
    page.goto("/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    check_a11y(page)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    check_a11y(page)


def _log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def _assert_private(text, ambassador, where):
    assert ambassador.contact_email not in text, f"adresse privée de l’ambassadeur dans {where}"
    assert ambassador.contact_phone not in text, f"téléphone privé de l’ambassadeur dans {where}"


def test_contact_journey_from_the_need_to_the_company_feedback(
    page, check_a11y, csp_violations, smtp_inbox, settings, live_server
):
    # The links of the emails point at the live server, so the browser can follow them.
    settings.SITE_URL = live_server.url
    user = UserFactory(first_name="Odile", last_name="Garonne")
    ambassador = AmbassadorFactory(
        user=user,
        published=True,
        first_name="Odile",
        last_name="Garonne",
        job_title="Directrice industrielle",
        structure_name="Aéro-Pièces Toulouse",
        regions=["76"],
        departements=["31"],
        sectors=["C"],
        topics=["production"],
    )
    other = AmbassadorFactory(
        published=True,
        first_name="Hugo",
        last_name="Hérault",
        structure_name="Conseil numérique Montpellier",
        regions=["76"],
        departements=["34"],
        bio="J’aide les commerçants à vendre en ligne.",
    )
    # Noise: a published ambassador of another region must not be proposed.
    AmbassadorFactory(published=True, first_name="Lina", last_name="Lyonnaise", regions=["84"], sectors=["C"])

    # 1. A company leader describes the need and gets the ranked list, with the reasons.
    page.goto("/trouver-un-ambassadeur/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver un ambassadeur IA")
    check_a11y(page)
    page.get_by_label("Code postal de l’entreprise").fill("31000")
    page.get_by_label("Secteur d’activité").select_option(label="C – Industrie manufacturière")
    _click_label(page, page.get_by_role("radio", name=SIZE))
    _click_label(page, page.get_by_role("checkbox", name="Production", exact=True))
    page.get_by_label("Votre question, avec vos mots").fill(QUESTION)
    page.get_by_role("button", name="Trouver un ambassadeur").click()

    expect(page.locator("#resultats")).to_have_text("Les ambassadeurs qui vous correspondent")
    cards = page.locator("ol.ai-card-list > li")
    expect(cards).to_have_count(2)
    best = cards.first
    expect(best.get_by_role("heading", level=3)).to_have_text("Odile Garonne")
    expect(best).to_contain_text("Directrice industrielle, Aéro-Pièces Toulouse")
    # Each card reads in order: who (name), what they do, why they fit, then the button.
    order = best.evaluate(
        "card => [card.querySelector('h3'), card.querySelector('.fr-card__desc'), card.querySelector('.ai-reasons'),"
        " card.querySelector('.fr-btn')].map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert order == sorted(order) and len(set(order)) == 4, order
    reasons = best.locator(".ai-reasons")
    expect(reasons).to_contain_text("même département (Haute-Garonne)")
    expect(reasons).to_contain_text("secteur Industrie manufacturière")
    expect(reasons).to_contain_text("thématique Production")
    second = cards.nth(1)
    expect(second.get_by_role("heading", level=3)).to_have_text("Hugo Hérault")
    expect(second.locator(".ai-reasons")).to_contain_text("même région (Occitanie)")
    expect(page.get_by_role("main")).not_to_contain_text("Lina Lyonnaise")
    # The form keeps what was typed.
    expect(page.get_by_label("Code postal de l’entreprise")).to_have_value("31000")
    expect(page.get_by_label("Votre question, avec vos mots")).to_have_value(QUESTION)
    _assert_private(page.content(), ambassador, "la liste")
    _assert_private(page.content(), other, "la liste")
    check_a11y(page)

    # The results have their own address: to share, to bookmark, and for the Back button below.
    results_url = page.url
    assert urlsplit(results_url).path == "/trouver-un-ambassadeur/" and "postcode=31000" in results_url

    # 2. The company writes to the best match: the form is prefilled from the need.
    best.get_by_role("link", name="Écrire à Odile Garonne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire à Odile Garonne")
    # Back: the same list, with the form as typed (no « Confirm Form Resubmission »); then forward again.
    page.go_back()
    expect(page).to_have_url(results_url)
    expect(cards).to_have_count(2)
    expect(page.get_by_label("Votre question, avec vos mots")).to_have_value(QUESTION)
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire à Odile Garonne")
    expect(page.get_by_label("Code postal de l’entreprise")).to_have_value("31000")
    expect(page.get_by_label("Votre message")).to_have_value(QUESTION)
    expect(page.get_by_role("radio", name=SIZE)).to_be_checked()
    expect(page.get_by_label("Secteur d’activité")).to_have_value(
        page.get_by_label("Secteur d’activité")
        .locator("option", has_text="Industrie manufacturière")
        .get_attribute("value")
    )
    expect(page.get_by_label("Thématique")).to_have_value(
        page.get_by_label("Thématique").locator("option", has_text="Production").get_attribute("value")
    )
    _assert_private(page.content(), ambassador, "le formulaire de contact")
    check_a11y(page)

    page.get_by_label("Nom de l’entreprise").fill("Usinage de la Garonne")
    page.get_by_label("Vos prénom et nom").fill("Claire Dupuis")
    page.get_by_label("Votre adresse électronique").fill(COMPANY_EMAIL)
    page.get_by_label("Votre téléphone").fill("05 61 00 11 22")
    # This company chooses to show its address to the ambassador (tests/e2e/test_contact_thread.py: one that does
    # not).
    _click_label(
        page, page.get_by_role("checkbox", name="Je souhaite que l’ambassadeur voie mon adresse", exact=False)
    )
    _click_label(
        page,
        page.get_by_role("checkbox", name="J’accepte que ces informations soient transmises", exact=False),
    )
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page).to_have_url(re.compile(r"/demande/[A-Za-z0-9_-]{20,64}/$"))
    company_request = CompanyRequest.objects.get()
    followup_path = f"/demande/{company_request.token}/"
    assert urlsplit(page.url).path == followup_path
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma demande à un ambassadeur IA")
    expect(page.locator(".fr-alert--success")).to_contain_text("Votre demande est transmise à Odile Garonne")
    expect(page.get_by_role("heading", level=2, name="État : Nouvelle")).to_be_visible()
    _assert_private(page.content(), ambassador, "la page de suivi")
    check_a11y(page)

    assert company_request.ambassador == ambassador
    assert company_request.email == COMPANY_EMAIL
    assert company_request.departement_id == "31"
    assert company_request.region_id == "76"
    assert company_request.sector.code == "C"
    assert company_request.topic.slug == "production"
    assert company_request.size == "pme"
    assert company_request.message == QUESTION

    [to_ambassador] = smtp_inbox.wait_for(ambassador.contact_email, 1)
    body = smtp_inbox.body(to_ambassador)
    assert to_ambassador["Subject"] == f"Une entreprise vous écrit : demande n° {company_request.pk}"
    assert "Usinage de la Garonne" in body
    assert QUESTION in body
    assert COMPANY_EMAIL in body  # the company chose so
    assert f"{live_server.url}/espace/demandes/{company_request.pk}/" in body
    [ack] = smtp_inbox.wait_for(COMPANY_EMAIL, 1)
    assert ack["Subject"] == "Votre demande à un ambassadeur IA est transmise"
    assert f"{live_server.url}{followup_path}" in smtp_inbox.body(ack)
    _assert_private(smtp_inbox.body(ack), ambassador, "l’accusé de réception")
    _assert_private(str(ack), ambassador, "l’accusé de réception (en-têtes)")
    assert smtp_inbox.to(other.contact_email) == []

    # 3. The ambassador logs in, takes the request, records the exchange, closes it.
    _log_in(page, check_a11y, user.email)
    page.get_by_role("link", name="Demandes des entreprises", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes des entreprises")
    expect(page.get_by_text("1 demande à prendre en charge")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"n° {company_request.pk}"))
    expect(row).to_contain_text("Usinage de la Garonne")
    expect(row).to_contain_text("Haute-Garonne")
    expect(row).to_contain_text("Nouvelle")
    check_a11y(page)

    row.get_by_role("link", name=f"n° {company_request.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Demande n° {company_request.pk} – Nouvelle")
    main = page.get_by_role("main")
    expect(main).to_contain_text(QUESTION)
    expect(main.get_by_role("link", name=COMPANY_EMAIL)).to_be_visible()
    check_a11y(page)

    page.get_by_role("button", name="Je prends en charge").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Vous avez pris en charge la demande")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Demande n° {company_request.pk} – Prise en charge"
    )
    check_a11y(page)

    _click_label(page, page.get_by_role("group", name="Échange réalisé").get_by_role("radio", name="Appel"))
    page.get_by_role("button", name="L’échange a eu lieu").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("L’échange est noté")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Demande n° {company_request.pk} – Échange réalisé"
    )
    check_a11y(page)

    page.get_by_label("Motif de clôture").select_option(label="Échange réalisé, demande traitée")
    page.get_by_role("button", name="Clore la demande…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Clore la demande n°\u00a0{company_request.pk}\u00a0?"
    )
    check_a11y(page)
    page.get_by_role("button", name="Oui, clore la demande").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La demande est close")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Demande n° {company_request.pk} – Close")
    expect(page.get_by_role("button", name="Clore la demande")).to_have_count(0)
    history = page.locator("#historique")
    for step in ["Demande reçue", "Prise en charge", "Échange réalisé", "Close"]:
        expect(history).to_contain_text(step)
    check_a11y(page)
    _log_out(page)

    company_request.refresh_from_db()
    assert company_request.state == "closed"
    assert company_request.answer_kind == "call"
    assert company_request.close_reason == "done"

    # 4. The company follows the link of the closing email and answers the two questions.
    messages = smtp_inbox.wait_for(COMPANY_EMAIL, 2)
    [closed] = [m for m in messages if m["Subject"] == "Votre demande est close : deux questions"]
    closed_body = smtp_inbox.body(closed)
    _assert_private(closed_body, ambassador, "le courriel de clôture")
    match = re.search(r"https?://\S+/demande/[A-Za-z0-9_-]+/", closed_body)
    assert match, closed_body
    page.goto(match.group(0))
    assert urlsplit(page.url).path == followup_path
    expect(page.get_by_role("heading", level=2, name="État : Close")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Votre demande est close : échange réalisé, demande traitée."
    )
    expect(page.get_by_role("heading", level=2, name="Votre avis, en deux questions")).to_be_visible()
    _assert_private(page.content(), ambassador, "la page de suivi close")
    check_a11y(page)

    useful = page.get_by_role("group", name="L’échange avec l’ambassadeur vous a-t-il été utile ?")
    _click_label(page, useful.get_by_role("radio", name="Oui", exact=True))
    contacted = page.get_by_role("group", name="L’ambassadeur a-t-il pris contact avec vous ?")
    _click_label(page, contacted.get_by_role("radio", name="Oui", exact=True))
    page.get_by_role("button", name="Envoyer mon avis").click()

    expect(page.locator(".fr-alert--success")).to_be_visible()
    assert urlsplit(page.url).path == followup_path
    expect(page.locator(".fr-alert--success")).to_contain_text("Merci pour votre avis")
    expect(page.get_by_role("button", name="Envoyer mon avis")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Merci : votre avis a été enregistré")
    _assert_private(page.content(), ambassador, "la page de suivi après l’avis")
    check_a11y(page)

    company_request.refresh_from_db()
    assert company_request.feedback_useful == "yes"
    assert company_request.feedback_contacted is True
    assert company_request.feedback_at is not None

    _no_csp_violation(csp_violations)
