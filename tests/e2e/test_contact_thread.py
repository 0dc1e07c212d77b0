"""The relayed thread in a real browser: a company writes to an ambassador without showing its address, then the
ambassador and the company exchange three messages through the platform, each following the link of the email
the last message sent them (real local SMTP server). No email address or phone of the other side appears in any
page or email either of them receives. Every page goes through axe-core; no page may break the CSP."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from contact.models import CompanyRequest
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"
COMPANY_EMAIL = "paul.martin@tolerie-occitane.test"
COMPANY_PHONE = "05 62 99 88 77"
AMBASSADOR_CONTACT = "nadia.ambassadrice@reseau-occitanie.test"
AMBASSADOR_LOGIN = "nadia.login@reseau-occitanie.test"
AMBASSADOR_PHONE = "06 44 55 66 77"
MESSAGES = [
    "Bonjour, je suis disponible jeudi pour en parler : quels sont vos horaires ?",
    "Merci ! Jeudi matin nous convient, dans nos ateliers de Blagnac.",
    "Parfait, à jeudi matin. Je viendrai avec deux exemples d’outils de maintenance prédictive.",
]


def _click_label(page, control):
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()
    expect(control).to_be_checked()


def _link(inbox, message, pattern):
    body = inbox.body(message)
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)


def _whole(inbox, message) -> str:
    """Headers (but the recipient's own address) and body of an email."""
    headers = "\n".join(f"{k}: {v}" for k, v in message.items() if k not in {"To", "X-Envelope-To"})
    return headers + "\n" + inbox.body(message)


def test_ambassador_and_company_exchange_three_messages_without_seeing_each_others_address(
    page, check_a11y, csp_violations, smtp_inbox, settings, live_server
):
    settings.SITE_URL = live_server.url
    user = UserFactory(email=AMBASSADOR_LOGIN, first_name="Nadia", last_name="Tarn")
    user.set_password(PASSWORD)
    user.save()
    ambassador = AmbassadorFactory(
        user=user,
        published=True,
        first_name="Nadia",
        last_name="Tarn",
        contact_email=AMBASSADOR_CONTACT,
        contact_phone=AMBASSADOR_PHONE,
        regions=["76"],
        departements=["31"],
        sectors=["C"],
        topics=["production"],
    )
    company_pages, ambassador_pages = [], []

    # 1. The company writes, without ticking « Je souhaite que l’ambassadeur voie mon adresse… ».
    page.goto(f"/ambassadeurs/{ambassador.slug}/contact/")
    page.get_by_label("Nom de l’entreprise").fill("Tôlerie occitane")
    page.get_by_label("Code postal de l’entreprise").fill("31700")
    _click_label(page, page.get_by_role("radio", name="PME (10 à 249 salariés)"))
    page.get_by_label("Secteur d’activité").select_option(label="C – Industrie manufacturière")
    page.get_by_label("Vos prénom et nom").fill("Paul Martin")
    page.get_by_label("Votre adresse électronique").fill(COMPANY_EMAIL)
    page.get_by_label("Votre téléphone").fill(COMPANY_PHONE)
    page.get_by_label("Votre message").fill("Nous voulons anticiper les pannes de nos presses plieuses.")
    expect(
        page.get_by_role("checkbox", name="Je souhaite que l’ambassadeur voie mon adresse", exact=False)
    ).not_to_be_checked()
    _click_label(
        page,
        page.get_by_role("checkbox", name="J’accepte que ces informations soient transmises", exact=False),
    )
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile(r"/demande/[A-Za-z0-9_-]{20,64}/$"))
    request = CompanyRequest.objects.get()
    assert request.company_shares_contact is False
    followup_path = f"/demande/{request.token}/"
    company_pages.append(page.content())
    check_a11y(page)

    # 2. The ambassador follows the link of the relayed request, logs in, writes the first message.
    [new] = smtp_inbox.wait_for(AMBASSADOR_CONTACT, 1)
    detail_url = _link(smtp_inbox, new, rf"https?://\S+/espace/demandes/{request.pk}/")
    page.goto(detail_url)
    page.get_by_label("Adresse électronique").fill(AMBASSADOR_LOGIN)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Demande n°\u00a0{request.pk}")
    expect(page.get_by_role("main")).to_contain_text("L’entreprise a choisi de ne pas montrer son adresse")
    ambassador_pages.append(page.content())
    check_a11y(page)
    page.get_by_label("Votre message").fill(MESSAGES[0])
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("la demande est prise en charge")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prise en charge")
    expect(page.locator("#historique")).to_contain_text(MESSAGES[0])
    ambassador_pages.append(page.content())
    check_a11y(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # 3. The company follows the link of the message's email and answers.
    mails = smtp_inbox.wait_for(COMPANY_EMAIL, 3)  # acknowledgement, taken, message
    [relayed] = [m for m in mails if "nouveau message" in m["Subject"]]
    assert "je suis disponible jeudi pour en parler" in smtp_inbox.body(relayed)
    page.goto(_link(smtp_inbox, relayed, r"https?://\S+/demande/[A-Za-z0-9_-]+/#messagerie"))
    assert urlsplit(page.url).path == followup_path
    expect(page.locator("#historique")).to_contain_text("Nadia Tarn")
    page.get_by_label("Votre message").fill(MESSAGES[1])
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Votre message est envoyé à l’ambassadeur")
    company_pages.append(page.content())
    check_a11y(page)

    # 4. The ambassador follows the link of that email, answers.
    [_, from_company] = smtp_inbox.wait_for(AMBASSADOR_CONTACT, 2)
    page.goto(_link(smtp_inbox, from_company, rf"https?://\S+/espace/demandes/{request.pk}/#messagerie"))
    page.get_by_label("Adresse électronique").fill(AMBASSADOR_LOGIN)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#historique")).to_contain_text("Jeudi matin")
    page.get_by_label("Votre message").fill(MESSAGES[2])
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Votre message est envoyé à l’entreprise")
    ambassador_pages.append(page.content())
    check_a11y(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # 5. The company reads the whole thread, in order.
    mails = smtp_inbox.wait_for(COMPANY_EMAIL, 4)
    last = [m for m in mails if "nouveau message" in m["Subject"]][-1]
    page.goto(_link(smtp_inbox, last, r"https?://\S+/demande/[A-Za-z0-9_-]+/#messagerie"))
    thread = page.locator("#historique li.fr-highlight")
    expect(thread).to_have_count(3)
    for n, words in enumerate(["disponible jeudi", "nous convient", "maintenance prédictive"]):
        expect(thread.nth(n)).to_contain_text(words)
    company_pages.append(page.content())
    check_a11y(page)
    for viewport in ({"width": 375, "height": 812}, {"width": 1280, "height": 900}):
        page.set_viewport_size(viewport)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Nothing of the other side's addresses anywhere either received.
    assert request.messages.count() == 3
    for text in company_pages + [_whole(smtp_inbox, m) for m in smtp_inbox.to(COMPANY_EMAIL)]:
        for private in (AMBASSADOR_CONTACT, AMBASSADOR_LOGIN, AMBASSADOR_PHONE):
            assert private not in text
    for text in ambassador_pages + [_whole(smtp_inbox, m) for m in smtp_inbox.to(AMBASSADOR_CONTACT)]:
        for private in (COMPANY_EMAIL, COMPANY_PHONE):
            assert private not in text
    for message in smtp_inbox.messages:
        assert message["Reply-To"] is None
    assert csp_violations == []
