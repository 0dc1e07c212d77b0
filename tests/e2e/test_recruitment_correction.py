"""In a real browser: withdrawing an application asks to confirm (and « Garder ma candidature » keeps it); a
reviewer sends an application back for a correction, the applicant follows the emailed link, corrects before the
date, and the application is back in review, the reviewer told by email. The emails go through a real local SMTP
server; every page visited through axe-core. See tests/e2e/conftest.py."""

import re

import pytest
from playwright.sync_api import expect

from recruitment.enums import ApplicationState as S
from recruitment.models import Application, CallQuestion
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"
LINK = re.compile(r"https?://\S+/candidature/[\w-]+/corriger/")
ASK = "Indiquez le nom exact de votre structure, s’il vous plaît."


def _log_in(page, email):
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_withdrawal_asks_to_confirm_and_back_keeps_the_application(page, check_a11y, csp_violations):
    application = ApplicationFactory(under_review=True)
    page.goto(application.get_private_url())
    page.get_by_role("link", name="Retirer ma candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retirer ma candidature\u00a0?")
    check_a11y(page)
    # Changing one's mind: the page's own button, then the browser's Back, leave it as it was.
    page.get_by_role("link", name="Garder ma candidature").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("État\u00a0: En cours d’examen")
    page.go_back()
    expect(page.get_by_role("button", name="Confirmer le retrait")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma candidature")
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW

    page.get_by_role("link", name="Retirer ma candidature").click()
    page.get_by_role("button", name="Confirmer le retrait").click()
    expect(page).to_have_url(re.compile(rf"/candidature/{application.token}/$"))
    expect(page.locator(".fr-alert--success")).to_contain_text("Votre candidature est retirée.")
    expect(page.get_by_role("heading", level=2).first).to_have_text("État\u00a0: Retirée par la personne")
    expect(page.get_by_role("link", name="Retirer ma candidature")).to_have_count(0)
    check_a11y(page)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert csp_violations == []


def test_correction_requested_then_corrected_by_the_applicant_is_back_in_review(
    page, check_a11y, csp_violations, smtp_inbox, settings, live_server
):
    settings.SITE_URL = live_server.url
    reviewer = UserFactory(reviewer=True, first_name="Rémi", last_name="Relecteur", email="remi@cci.test")
    application = ApplicationFactory(under_review=True, structure_name="Sans nom")
    question = CallQuestion.objects.create(call=application.call, label="Quel public visez-vous ?", order=1)
    Application.objects.filter(pk=application.pk).update(
        answers={str(question.pk): {"question": question.label, "reponse": "Les PME du Rhône."}}
    )

    # 1. The reviewer sends it back, with a message and the proposed date.
    _log_in(page, reviewer.email)
    page.goto(application.get_absolute_url())
    check_a11y(page)
    page.get_by_label("Ce que la personne doit corriger").fill(ASK)
    expect(page.get_by_label("À corriger au plus tard le")).not_to_have_value("")
    page.get_by_role("button", name="Envoyer la demande de correction").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La demande de correction est envoyée")
    expect(page.locator(".fr-badge").first).to_have_text("Correction demandée")
    expect(page.locator("#echanges ~ ol")).to_contain_text(ASK)
    check_a11y(page)
    page.goto("/espace/candidatures/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=application.full_name))
    expect(row.get_by_role("cell").last).to_have_text("Après la correction")
    page.get_by_role("button", name="Se déconnecter").click()

    # 2. The applicant follows the emailed link, sees what they sent and the request, and corrects.
    [mail] = smtp_inbox.wait_for(application.email, 1)
    body = smtp_inbox.body(mail)
    assert "remi@cci.test" not in body and "Relecteur" not in body
    page.goto(LINK.search(body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Corriger ma candidature")
    expect(page.locator(".fr-alert--warning")).to_contain_text(ASK)
    check_a11y(page)
    page.get_by_label("Nom de votre structure").fill("Usinage Lyonnais SAS")
    page.get_by_role("button", name="Enregistrer mes corrections").click()
    expect(page).to_have_url(re.compile(rf"/candidature/{application.token}/$"))
    expect(page.locator(".fr-alert--success")).to_contain_text("votre candidature retourne à l’examen")
    expect(page.get_by_role("heading", level=2).first).to_have_text("État\u00a0: En cours d’examen")
    expect(page.get_by_text("Les PME du Rhône.")).to_be_visible()
    expect(page.get_by_text("Usinage Lyonnais SAS")).to_be_visible()
    assert "Relecteur" not in page.content() and "remi@cci.test" not in page.content()
    check_a11y(page)
    for size in ({"width": 375, "height": 812}, {"width": 1280, "height": 900}):
        page.set_viewport_size(size)
        _no_overflow(page)

    # 3. The reviewer is told, and finds it back in review.
    [told] = smtp_inbox.wait_for(reviewer.email, 1)
    assert f"/espace/candidatures/{application.pk}/#echanges" in smtp_inbox.body(told)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW and application.structure_name == "Usinage Lyonnais SAS"
    _log_in(page, reviewer.email)
    page.goto(application.get_absolute_url())
    expect(page.locator(".fr-alert--success")).to_contain_text("La personne a renvoyé sa correction")
    expect(page.get_by_role("button", name="Enregistrer mon avis")).to_be_visible()
    _no_overflow(page)
    check_a11y(page)
    assert csp_violations == []


def test_applicant_answers_nothing_to_correct_and_the_reviewer_takes_the_examination_back_up(
    page, check_a11y, csp_violations, smtp_inbox, settings, live_server
):
    settings.SITE_URL = live_server.url
    reviewer = UserFactory(reviewer=True, email="relecture@cci.test")
    application = ApplicationFactory(under_review=True, gender="")

    # 1. Asked to correct, the applicant answers by a message that there is nothing to correct.
    _log_in(page, reviewer.email)
    page.goto(application.get_absolute_url())
    page.get_by_label("Ce que la personne doit corriger").fill(ASK)
    page.get_by_role("button", name="Envoyer la demande de correction").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La demande de correction est envoyée")
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(application.get_private_url())
    page.get_by_label("Votre message").fill("Rien à corriger : c’est déjà le nom exact.")
    page.get_by_role("button", name=re.compile("Envoyer")).click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Votre message est envoyé")

    # 2. The reviewer sees it awaiting, and takes the examination back up after confirming.
    _log_in(page, reviewer.email)
    expect(page.get_by_text("Demandes de correction avec une réponse à lire")).to_be_visible()
    page.goto(application.get_absolute_url())
    expect(page.get_by_role("button", name="Enregistrer mon avis")).to_have_count(0)
    page.get_by_role("link", name="Reprendre l’examen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reprendre l’examen\u00a0?")
    check_a11y(page)
    for size in ({"width": 375, "height": 812}, {"width": 1280, "height": 900}):
        page.set_viewport_size(size)
        _no_overflow(page)
    # Changing one's mind keeps waiting for the correction.
    page.get_by_role("link", name="Attendre encore la correction").click()
    expect(page.locator(".fr-badge").first).to_have_text("Correction demandée")
    page.get_by_role("link", name="Reprendre l’examen").click()
    page.get_by_role("button", name="Confirmer : reprendre l’examen".replace(" :", "\u00a0:")).click()
    expect(page.locator(".fr-alert--success")).to_contain_text("L’examen reprend")
    expect(page.locator(".fr-badge").first).to_have_text("En cours d’examen")
    expect(page.get_by_role("button", name="Enregistrer mon avis")).to_be_visible()
    expect(page.get_by_role("link", name="Reprendre l’examen")).to_have_count(0)
    check_a11y(page)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW

    # 3. The applicant is told by email.
    mails = smtp_inbox.wait_for(application.email, 2)
    resumed = [m for m in mails if "reprend" in m["Subject"]]
    assert len(resumed) == 1
    assert "relecture@cci.test" not in smtp_inbox.body(resumed[0])
    assert csp_violations == []
