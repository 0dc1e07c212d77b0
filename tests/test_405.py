"""A POST-only address opened by hand (a GET: a bookmark, a link copied from the address bar) answers with a French
DSFR page, status 405 and the ``Allow`` header kept, with a way back (the page of the button, the space or the
home page), for every such view of the project (core/middleware.py: NotAllowedPageMiddleware); the API keeps its
JSON 405; a client that does not read HTML keeps the bare answer."""

import pytest

from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "Cette adresse s’ouvre depuis un bouton"
NBSP = "\u00a0"


def assert_page(response, allow: str) -> str:
    assert response.status_code == 405
    assert response["Allow"] == allow
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert f"<h1>{TITLE}</h1>" in body
    assert f"elle ne fait rien{NBSP}: aucune action n’a été faite." in body
    assert 'class="fr-btn' in body
    return body


def test_unpublishing_address_opened_by_hand_links_back_to_the_profile(client):
    ambassador = AmbassadorFactory(published=True, regions=["84"])
    client.force_login(UserFactory(national=True))
    response = client.get(f"/espace/ambassadeurs/{ambassador.pk}/retirer/")
    body = assert_page(response, "POST")
    assert f'href="/espace/ambassadeurs/{ambassador.pk}/"' in body
    assert 'href="/espace/">Mon espace' in body
    assert "no-store" in response["Cache-Control"]
    assert AmbassadorFactory._meta.model.objects.get(pk=ambassador.pk).publication_state == "published"


def test_decision_address_opened_by_hand_links_back_to_the_application(client):
    application = ApplicationFactory(under_review=True)
    client.force_login(UserFactory(national=True))
    body = assert_page(client.get(f"/espace/candidatures/{application.pk}/decision/"), "POST")
    assert f'href="/espace/candidatures/{application.pk}/"' in body


def test_bulk_decision_links_back_to_the_queue(client):
    client.force_login(UserFactory(national=True))
    body = assert_page(client.get("/espace/candidatures/decision-groupee/"), "POST")
    assert 'href="/espace/candidatures/"' in body


def test_anonymous_on_a_private_link_gets_the_page_not_a_500(client):
    company_request = CompanyRequestFactory()
    response = client.get(f"/demande/{company_request.token}/avis/")
    body = assert_page(response, "POST")
    assert f'href="/demande/{company_request.token}/"' in body
    assert 'href="/">Page d’accueil' in body
    assert "Mon espace" not in body
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_erasure_address_opened_by_hand_erases_nothing(client):
    company_request = CompanyRequestFactory()
    assert_page(client.get(f"/demande/{company_request.token}/effacer/"), "POST")
    assert type(company_request).objects.filter(pk=company_request.pk, email=company_request.email)


def test_logout_opened_by_hand_signed_in_stays_signed_in(client):
    """Django's LogoutView takes only POST (and OPTIONS): its refusal gets the page too."""
    user = UserFactory(national=True)
    client.force_login(user)
    body = assert_page(client.get("/deconnexion/"), "POST, OPTIONS")
    assert 'href="/espace/">Mon espace' in body
    assert client.get("/espace/").status_code == 200


def test_anonymous_on_a_back_office_address_is_sent_to_login(client):
    ambassador = AmbassadorFactory()
    response = client.get(f"/espace/ambassadeurs/{ambassador.pk}/publier/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")


def test_api_keeps_its_json_405(client):
    response = client.delete("/api/v1/ambassadeurs")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert TITLE not in response.content.decode()


def test_a_client_that_does_not_read_html_keeps_the_bare_answer(client):
    company_request = CompanyRequestFactory()
    response = client.get(f"/demande/{company_request.token}/avis/", headers={"Accept": "application/json"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.content == b""


def test_head_keeps_the_bare_answer(client):
    company_request = CompanyRequestFactory()
    response = client.head(f"/demande/{company_request.token}/avis/")
    assert response.status_code == 405
    assert response.content == b""


def test_a_post_only_page_still_accepts_its_post(client):
    """The middleware only touches refusals: the form's own POST goes through."""
    user = UserFactory(national=True)
    client.force_login(user)
    response = client.post("/deconnexion/")
    assert response.status_code == 302
