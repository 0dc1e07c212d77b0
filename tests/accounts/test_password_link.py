"""« Mot de passe oublié ? » and a new activation link: one page, the same neutral answer whether the address has
an account or not, a real email (local SMTP) with a one-time link, and the person signed in on their space once the
password is chosen."""

import re

import pytest
from django.test import Client

from accounts.models import User
from core import throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://\S+/compte/activer/\S+/")


def ask(client, email, **extra):
    return client.post("/connexion/mot-de-passe-oublie/", {"email": email}, **extra)


def test_forgotten_password_sends_a_link_that_signs_in_on_the_space(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    UserFactory(email="camille@exemple.test", regional=True)
    assert "Mot de passe oublié" in client.get("/connexion/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "Camille@Exemple.test")

    assert response.status_code == 302
    assert response.url == "/connexion/mot-de-passe-oublie/envoye/"
    [message] = smtp_inbox.to("camille@exemple.test")
    link = LINK.search(smtp_inbox.body(message)).group(0).replace("http://testserver", "")
    form_page = client.get(link, follow=True)  # Django moves the token into the session, then shows the form
    assert "Choisir mon mot de passe" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "une phrase de passe solide", "new_password2": "une phrase de passe solide"},
    )
    assert done.status_code == 302
    assert done.url == "/espace/"
    assert client.get("/espace/").status_code == 200  # signed in
    assert User.objects.get(email="camille@exemple.test").check_password("une phrase de passe solide")
    # The link served once.
    again = client.get(link, follow=True).content.decode()
    assert "Ce lien n’est plus valable" in again


def test_unknown_or_closed_address_gets_the_same_answer_and_no_email(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    UserFactory(email="ferme@exemple.test", is_active=False)
    UserFactory(email="ouvert@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            ask(Client(), email)
            for email in ("inconnu@exemple.test", "ferme@exemple.test", "ouvert@exemple.test")
        ]

    assert {(a.status_code, a.url) for a in answers} == {(302, "/connexion/mot-de-passe-oublie/envoye/")}
    assert [m["To"] for m in smtp_inbox.messages] == ["ouvert@exemple.test"]


def test_expired_invitation_offers_a_new_link(
    client, settings, smtp_inbox, django_capture_on_commit_callbacks
):
    from accounts.services import activation_path, user_get_or_invite_ambassador

    user, _ = user_get_or_invite_ambassador(
        email="nouvelle@exemple.test", first_name="Iris", last_name="Neuve"
    )
    expired = activation_path(user)
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link made before now has expired
    page = client.get(expired, follow=True).content.decode()
    assert "Ce lien n’est plus valable" in page
    assert 'href="/connexion/mot-de-passe-oublie/"' in page

    settings.PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "nouvelle@exemple.test")  # an invited account has no password yet: it gets its link too
    [message] = smtp_inbox.to("nouvelle@exemple.test")
    assert "valable 7\u00a0jours" in smtp_inbox.body(message)


def test_links_to_one_address_are_limited_and_the_answer_stays_the_same(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    UserFactory(email="cible@exemple.test")
    count, _ = throttle.limits()["password-link"]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask(Client(REMOTE_ADDR=f"203.0.113.{n}"), "cible@exemple.test") for n in range(count + 2)]
    assert {a.status_code for a in answers} == {302}
    assert len(smtp_inbox.to("cible@exemple.test")) == count


def test_requests_from_one_visitor_are_limited(client):
    count, _ = throttle.limits()["password-link-ip"]
    statuses = [ask(client, f"personne{n}@exemple.test").status_code for n in range(count + 1)]
    assert statuses == [302] * count + [429]
    assert "Trop de demandes depuis votre adresse" in ask(client, "x@exemple.test").content.decode()


def test_bad_address_is_a_french_form_error(client):
    response = ask(client, "pas-une-adresse")
    assert response.status_code == 400
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
