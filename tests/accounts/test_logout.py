"""« Se déconnecter » after the session expired, and a login whose ``next`` is the logout address."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test"  # tests.factories.UserFactory


def test_logout_clicked_after_the_session_expired_lands_on_the_home_page(client):
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_with_the_logout_address_as_next_goes_to_the_space(client):
    user = UserFactory(regional=True)
    response = client.post(
        "/connexion/?next=/deconnexion/",
        {"username": user.email, "password": PASSWORD, "next": "/deconnexion/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/espace/"
    assert client.get("/espace/").status_code == 200  # still signed in


def test_login_keeps_any_other_next(client):
    user = UserFactory(regional=True)
    response = client.post(
        "/connexion/?next=/pilotage/", {"username": user.email, "password": PASSWORD, "next": "/pilotage/"}
    )
    assert response["Location"] == "/pilotage/"


def test_logout_signs_out(client):
    client.force_login(UserFactory(regional=True))
    assert client.post("/deconnexion/")["Location"] == "/"
    assert client.get("/espace/")["Location"].startswith("/connexion/")
