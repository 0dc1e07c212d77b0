"""A person who forgot their password gets back in, in a real browser: « Mot de passe oublié ? » on the login page,
the link by email (a real local SMTP server), a new password, and they land signed in on their space. An expired
invitation offers a new link the same way. Keyboard and axe-core on every page."""

import re

from playwright.sync_api import expect

from tests.factories import UserFactory

NEW_PASSWORD = "une phrase de passe toute neuve"
LINK = re.compile(r"http://\S+/compte/activer/\S+/")


def test_forgotten_password_journey_ends_signed_in_on_the_space(
    page, live_server, check_a11y, smtp_inbox, settings
):
    settings.SITE_URL = live_server.url
    UserFactory(email="oubli@exemple.test", first_name="Ophélie", regional=True)

    page.goto("/connexion/")
    page.get_by_role("link", name="Mot de passe oublié").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    check_a11y(page)
    page.get_by_label("Adresse électronique de votre compte").fill("oubli@exemple.test")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    check_a11y(page)

    [mail] = smtp_inbox.wait_for("oubli@exemple.test")
    link = LINK.search(smtp_inbox.body(mail)).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir mon mot de passe")
    check_a11y(page)
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_text("Votre mot de passe est enregistré")).to_be_visible()
    check_a11y(page)
    # Back: the used link no longer works, and says what to do.
    page.goto(link)
    expect(page.get_by_text("Ce lien n’est plus valable")).to_be_visible()
    expect(page.get_by_role("link", name="Recevoir un nouveau lien")).to_be_visible()


def test_expired_invitation_journey_asks_for_a_new_link(page, live_server, check_a11y, smtp_inbox, settings):
    from accounts.services import activation_path, user_get_or_invite_ambassador

    settings.SITE_URL = live_server.url
    user, _ = user_get_or_invite_ambassador(
        email="invitee@exemple.test", first_name="Inès", last_name="Invitée"
    )
    expired = activation_path(user)
    settings.PASSWORD_RESET_TIMEOUT = -1
    page.goto(expired)
    expect(page.get_by_text("Ce lien n’est plus valable")).to_be_visible()
    check_a11y(page)
    settings.PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
    page.get_by_role("link", name="Recevoir un nouveau lien").click()
    page.get_by_label("Adresse électronique de votre compte").fill("invitee@exemple.test")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    [invitation] = smtp_inbox.wait_for("invitee@exemple.test")
    assert LINK.search(smtp_inbox.body(invitation))
