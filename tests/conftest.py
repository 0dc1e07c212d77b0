import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

INVALID_MARKER = "!!VARIABLE-INCONNUE!!"


class InvalidVariable(str):
    """A template variable that does not exist renders as a marker that the test client refuses."""

    def __mod__(self, other):
        return f"{INVALID_MARKER}{other}"


class StrictClient(Client):
    """The test client, plus two guardrails on every HTML response: no unknown template variable, and no
    inline script or style (the Content-Security-Policy would block them in a browser)."""

    def request(self, **request):
        response = super().request(**request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and not getattr(response, "streaming", False):
            body = response.content.decode()
            assert INVALID_MARKER not in body, f"unknown template variable in {request.get('PATH_INFO')}"
            assert ' style="' not in body.replace('style="border:0"', ""), "inline style attribute"
            assert "<script>" not in body and "<style" not in body, "inline script or style"
        return response


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidVariable("%s")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def client():
    return StrictClient()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (regions, départements, communes, NAF, networks, topics) is loaded once per test
    database, as in production: tests run against the real geographic code."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
