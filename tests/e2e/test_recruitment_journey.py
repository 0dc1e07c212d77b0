"""The whole recruitment journey in a real browser, from the call (AMI) to the public directory: a visitor applies,
a partner network's reviewer gives an opinion, the regional coordinator designates, the new ambassador activates
their account and consents, the coordinator publishes. Every page visited goes through axe-core (WCAG 2.1 AA,
serious and critical violations); the emails go through a real local SMTP server. See tests/e2e/conftest.py."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from recruitment.models import Application, CallQuestion
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"
NEW_PASSWORD = "Une-phrase-de-passe-solide-2025"
APPLICANT_EMAIL = "ines.marchand@exemple-candidate.test"
INVALID_SIRET = "12345678901234"  # 14 digits, wrong check key

# What the applicant types: field -> value (text inputs and text areas, found by id; the labels are checked too).
TYPED = {
    "#id_first_name": "Inès",
    "#id_last_name": "Marchand",
    "#id_email": APPLICANT_EMAIL,
    "#id_phone": "06 12 34 56 78",
    "#id_job_title": "Directrice de production",
    "#id_structure_name": "Atelier Marchand et fils",
    "#id_postcode": "69001",
    "#id_ai_experience": "Vision par ordinateur pour le contrôle qualité de nos pièces.",
    "#id_motivation": "Partager ce que nous avons appris avec les PME lyonnaises.",
    "#id_availability_hours": "8",
}
QUESTION_ANSWER = "Un outil de planification de la maintenance pour un sous-traitant."
SELECTED = {
    "#id_structure_size": "pme",
    "#id_profile_kind": "sectoriel_regional",
    "#id_proposing_network": "cci",
}


def _no_csp_violation(csp_violations):
    assert csp_violations == [], "violations de la Content-Security-Policy :\n" + "\n".join(csp_violations)


def _log_in(page, check_a11y, email, password):
    page.goto("/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    check_a11y(page)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    check_a11y(page)


def _log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def _tick(page, name, *, exact=True, role="checkbox"):
    """DSFR draws its own box over the real checkbox (or radio): a person clicks the label, and so does the test."""
    box = page.get_by_role(role, name=name, exact=exact)
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()


def _expect_application_values(page, question_id):
    for selector, value in TYPED.items():
        expect(page.locator(selector)).to_have_value(value)
    for selector, value in SELECTED.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator(f"#{question_id}")).to_have_value(QUESTION_ANSWER)
    expect(page.get_by_role("checkbox", name="C – Industrie manufacturière")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Production", exact=True)).to_be_checked()
    expect(page.locator("#id_consent")).to_be_checked()


def test_recruitment_journey_from_the_call_to_the_directory(
    page, check_a11y, csp_violations, smtp_inbox, settings, live_server
):
    # The links of the emails point at the live server, so the browser can follow them.
    settings.SITE_URL = live_server.url
    call = CallFactory(title="Appel à manifestation d’intérêt 2026")
    question = CallQuestion.objects.create(
        call=call, label="Quel premier projet d’IA aimeriez-vous accompagner ?", required=True
    )
    question_id = f"id_question_{question.pk}"
    reviewer = UserFactory(reviewer=True, first_name="Rémi", last_name="Relecteur")
    coordinator = UserFactory(regional=True, first_name="Coralie", last_name="Coordinatrice")

    # 1. A visitor applies to the open call, from the menu.
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Devenir ambassadeur").click()
    expect(page).to_have_url(re.compile(r"/ami/$"))
    expect(page.get_by_role("heading", level=2, name=call.title)).to_be_visible()
    check_a11y(page)

    for selector, value in TYPED.items():
        page.locator(selector).fill(value)
    page.get_by_label("SIRET de la structure").fill(INVALID_SIRET)
    _tick(page, "Ambassadrice", role="radio")  # how Inès wants to be written of
    page.get_by_label("Taille de la structure").select_option(SELECTED["#id_structure_size"])
    page.get_by_label("Profil d’ambassadeur visé").select_option(SELECTED["#id_profile_kind"])
    page.get_by_label("Réseau partenaire qui vous propose").select_option(label="CCI France")
    _tick(page, "C – Industrie manufacturière")
    _tick(page, "Production")
    page.get_by_label(question.label).fill(QUESTION_ANSWER)
    _tick(page, "J’accepte que ces données soient traitées", exact=False)
    # The labels do name the fields the test filled through their id.
    expect(page.get_by_label("Prénom")).to_have_value("Inès")
    expect(page.get_by_label("Disponibilité (heures par mois)")).to_have_value("8")

    with page.expect_response(re.compile(r"/ami/$")) as first_post:
        page.get_by_role("button", name="Envoyer ma candidature").click()
    assert first_post.value.status == 400
    expect(page.locator(".fr-alert--error")).to_contain_text("Le formulaire contient des erreurs")
    # One error, on the SIRET, next to it and tied to it.
    errors = page.locator(".fr-error-text, .fr-message--error")
    expect(errors).to_have_count(1)
    siret = page.get_by_label("SIRET de la structure")
    expect(siret).to_have_attribute("aria-invalid", "true")
    expect(siret).to_have_attribute("aria-describedby", "id_siret-err")
    siret_group = page.locator(".fr-input-group", has=page.locator("#id_siret"))
    expect(siret_group).to_have_class(re.compile(r"fr-input-group--error"))
    expect(siret_group.locator("#id_siret-err")).to_contain_text("Ce numéro SIRET n’est pas valide")
    # Nothing typed is lost.
    expect(siret).to_have_value(INVALID_SIRET)
    _expect_application_values(page, question_id)
    check_a11y(page)
    assert not Application.objects.exists()
    assert smtp_inbox.messages == []

    siret.clear()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    # The same page whether the email had already applied or not: the private link comes by email only.
    expect(page).to_have_url(re.compile(r"/ami/envoyee/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidature envoyée")
    expect(page.locator(".fr-alert--success")).to_contain_text(
        "Un courriel part à l’adresse que vous avez indiquée"
    )
    check_a11y(page)

    application = Application.objects.get()
    status_url = f"{live_server.url}/candidature/{application.token}/"
    assert application.email == APPLICANT_EMAIL
    assert application.siret == ""
    assert application.region_id == "84"
    assert application.proposing_network.slug == "cci"
    assert application.availability_hours == 8
    assert [s.code for s in application.sectors.all()] == ["C"]
    assert [t.slug for t in application.topics.all()] == ["production"]
    assert application.answers[str(question.pk)]["reponse"] == QUESTION_ANSWER
    [submitted] = smtp_inbox.wait_for(APPLICANT_EMAIL, 1)
    assert status_url in smtp_inbox.body(submitted)
    page.goto(status_url)
    expect(page.get_by_role("heading", level=2).first).to_have_text("État : Déposée")
    check_a11y(page)

    # 2. A reviewer of the proposing network (CCI) gives an opinion.
    _log_in(page, check_a11y, reviewer.email, PASSWORD)
    page.get_by_role("link", name="Candidatures", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidatures de mon périmètre")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Inès Marchand"))
    expect(row).to_contain_text("Déposée")
    expect(page.get_by_role("columnheader").last).to_have_text("Mon avis")
    expect(row.get_by_role("cell").last).to_have_text("Manquant")
    check_a11y(page)

    row.get_by_role("link", name="Inès Marchand").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inès Marchand")
    expect(page.get_by_text(QUESTION_ANSWER)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Note").select_option(label="4 sur 5")
    page.get_by_label("Recommandation").select_option(label="Désigner")
    page.get_by_label("Commentaire").fill("Expérience concrète, très disponible : à désigner.")
    page.get_by_role("button", name="Enregistrer mon avis").click()
    expect(page.locator(".fr-alert--success")).to_have_text("Votre avis est enregistré.")
    expect(page.locator(".fr-badge")).to_have_text("En cours d’examen")
    expect(page.get_by_text("Note 4/5 – Désigner")).to_be_visible()
    check_a11y(page)
    _log_out(page)

    # 3. The regional coordinator reads the opinion and designates.
    _log_in(page, check_a11y, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Candidatures", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Inès Marchand"))
    expect(row).to_contain_text("En cours d’examen")
    check_a11y(page)
    row.get_by_role("link", name="Inès Marchand").click()
    expect(page.get_by_role("heading", level=2, name="Avis (1)")).to_be_visible()
    opinion = page.locator(".fr-card").filter(has_text=str(reviewer))
    expect(opinion).to_contain_text("CCI France")
    expect(opinion).to_contain_text("Note 4/5 – Désigner")
    expect(opinion).to_contain_text("Expérience concrète, très disponible : à désigner.")
    check_a11y(page)
    page.get_by_role("combobox", name="Décision").select_option(label="Désigner ambassadeur")
    page.get_by_label("Motif").fill("Avis favorable du réseau CCI et besoin dans le Rhône.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La décision est enregistrée")
    expect(page.locator(".fr-badge")).to_have_text("Retenue : ambassadeur désigné")
    expect(page.get_by_text("Avis favorable du réseau CCI et besoin dans le Rhône.")).to_be_visible()
    profile_link = page.get_by_role("link", name="Voir le profil d’ambassadeur créé")
    expect(profile_link).to_be_visible()
    check_a11y(page)
    profile_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inès Marchand")
    expect(page.get_by_role("main")).to_contain_text("Pas encore donné")
    check_a11y(page)
    profile_path = urlsplit(page.url).path
    application.refresh_from_db()
    assert application.state == "designated"
    assert profile_path == f"/espace/ambassadeurs/{application.ambassador.pk}/"
    _log_out(page)

    # 4. The new ambassador follows the invitation, chooses a password, logs in and consents.
    messages = smtp_inbox.wait_for(APPLICANT_EMAIL, 3)  # submitted, designated, invitation
    [designated] = [m for m in messages if m["Subject"] == "Vous êtes désignée ambassadrice IA"]
    assert "Avis favorable du réseau CCI" in smtp_inbox.body(designated)
    assert status_url in smtp_inbox.body(designated)
    [invitation] = [m for m in messages if "Créez votre accès" in m["Subject"]]
    match = re.search(r"https?://\S+/compte/activer/\S+/", smtp_inbox.body(invitation))
    assert match, smtp_inbox.body(invitation)
    page.goto(match.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir mon mot de passe")
    check_a11y(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    # Signed in at once, on the space.
    expect(page).to_have_url(re.compile(r"/espace/$"))
    expect(page.locator(".fr-alert--success")).to_contain_text("Votre mot de passe est enregistré")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    check_a11y(page)
    page.get_by_role("link", name="Mon espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.get_by_role("link", name="Mon profil d’ambassadeur").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(profile_path)}$"))
    check_a11y(page)
    page.get_by_role("link", name="Voir l’aperçu et consentir à la publication").click()
    page.get_by_role("button", name="J’accepte que mon profil soit publié").click()
    expect(page.locator(".fr-alert--success")).to_have_text("Votre consentement est enregistré.")
    expect(page.get_by_role("button", name="Retirer mon consentement à la publication")).to_be_visible()
    expect(page.get_by_role("button", name="Publier le profil")).to_have_count(0)
    check_a11y(page)
    _log_out(page)

    # 5. The coordinator publishes; the ambassador is in the directory of the region.
    _log_in(page, check_a11y, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Ambassadeurs de mon périmètre", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Inès Marchand"))
    expect(row).to_contain_text("Oui")
    expect(row).to_contain_text("Pas encore publié")
    check_a11y(page)
    row.get_by_role("link", name="Inès Marchand").click()
    page.get_by_role("link", name="Voir la page et publier le profil").click()
    page.get_by_role("button", name="Publier le profil").click()
    expect(page.locator(".fr-alert--success")).to_have_text("Le profil est publié.")
    check_a11y(page)

    page.goto("/ambassadeurs/?region=84")
    expect(page.locator("#resultats")).to_have_text("1 ambassadeur trouvé")
    check_a11y(page)
    page.get_by_role("link", name="Inès Marchand").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inès Marchand")
    content = page.content()
    assert APPLICANT_EMAIL not in content
    assert "06 12 34 56 78" not in content
    check_a11y(page)

    _no_csp_violation(csp_violations)
