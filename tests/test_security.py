import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from core import throttle
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_is_clean_with_production_variables():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "EMAIL_HOST": "smtp.ambassadeurs-ia.example",
        "DJANGO_ALLOWED_HOSTS": "ambassadeurs-ia.example",
    }
    # The browser tests allow sync DB access under Playwright's event loop; production must not inherit that.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _manage(args: list[str], **variables) -> subprocess.CompletedProcess:
    env = {**os.environ, **variables}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if not variables.get("DJANGO_SECRET_KEY"):
        env.pop("DJANGO_SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("args", [["check"], ["check", "--deploy"]])
@pytest.mark.parametrize("debug", ["0", "1"])
@pytest.mark.parametrize("key", [None, ""])
def test_production_refuses_to_start_without_a_secret_key(args, debug, key):
    variables = {
        "DJANGO_HTTPS": "1",
        "DJANGO_DEBUG": debug,
        "DJANGO_ALLOWED_HOSTS": "ambassadeurs-ia.example",
    }
    if key is not None:
        variables["DJANGO_SECRET_KEY"] = key
    result = _manage(args, **variables)
    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY doit être défini en production."
        in result.stderr
    )


@pytest.mark.parametrize("debug", ["0", "1"])
def test_laptop_starts_without_a_secret_key(debug):
    # Tests (DEBUG off) and `make run` (DEBUG on) use the development key: only production (HTTPS) refuses it.
    result = _manage(["check"], DJANGO_HTTPS="0", DJANGO_DEBUG=debug)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_login_by_email_is_case_insensitive(client):
    UserFactory(email="camille@exemple.test")
    response = client.post(
        "/connexion/", {"username": "Camille@Exemple.test", "password": "mot-de-passe-de-test"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/espace/"


@pytest.mark.django_db
def test_wrong_password_gives_a_french_message(client):
    UserFactory(email="camille@exemple.test")
    response = client.post("/connexion/", {"username": "camille@exemple.test", "password": "faux"})
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


@pytest.mark.django_db
def test_login_attempts_are_throttled(client, settings):
    UserFactory(email="camille@exemple.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/connexion/", {"username": "camille@exemple.test", "password": "faux"})
    # Locked: even the right password is refused for a while.
    response = client.post(
        "/connexion/", {"username": "camille@exemple.test", "password": "mot-de-passe-de-test"}
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_login_throttle_counts_the_visitor_behind_the_proxy_not_the_proxy(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1  # one reverse proxy: REMOTE_ADDR is the proxy's for everyone
    UserFactory(email="camille@exemple.test")
    wrong = {"username": "camille@exemple.test", "password": "faux"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/connexion/", wrong, HTTP_X_FORWARDED_FOR="198.51.100.1")

    right = {"username": "camille@exemple.test", "password": "mot-de-passe-de-test"}
    attacker = client.post("/connexion/", right, HTTP_X_FORWARDED_FOR="198.51.100.1")
    camille = client.post("/connexion/", right, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert attacker.status_code == 429
    assert camille.status_code == 302  # another visitor is not locked out by the attacker's attempts


@pytest.mark.django_db
def test_login_throttle_locks_an_address_that_sprays_many_accounts(client, settings):
    # One wrong password for each of many accounts: no (email, address) pair reaches axes' limit, the address does.
    count, _ = throttle.limits()["login-ip"]
    users = [UserFactory(email=f"compte{i}@exemple.test") for i in range(count + 1)]
    statuses = [
        client.post("/connexion/", {"username": user.email, "password": "faux"}).status_code
        for user in users[:count]
    ]
    assert set(statuses) == {200}
    # Locked: even a right password of another account is refused from this address.
    locked = client.post("/connexion/", {"username": users[-1].email, "password": "mot-de-passe-de-test"})
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    # Another visitor is not locked out.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert (
        other.post(
            "/connexion/", {"username": users[-1].email, "password": "mot-de-passe-de-test"}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_login_throttle_counts_an_ipv6_visitor_by_its_64_block(client):
    # One machine holds a whole /64: rotating the last bits must not give it new tries.
    count, _ = throttle.limits()["login-ip"]
    users = [UserFactory(email=f"v6compte{i}@exemple.test") for i in range(count + 1)]
    for i, user in enumerate(users[:count]):
        client.post(
            "/connexion/",
            {"username": user.email, "password": "faux"},
            REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}",
        )
    right = {"username": users[-1].email, "password": "mot-de-passe-de-test"}
    assert client.post("/connexion/", right, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").post("/connexion/", right).status_code == 302  # another /64


@pytest.mark.django_db
def test_logout_is_a_post_with_csrf():
    from django.test import Client

    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/deconnexion/").status_code == 403
    assert client.get("/deconnexion/").status_code == 405
