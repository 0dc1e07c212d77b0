import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

INVALID_MARKER = "!!VARIABLE-INCONNUE!!"


def pytest_configure(config):
    """With Redis (CI's second run), each xdist worker gets its own Redis database and each test process its own
    key prefix: clearing the cache between tests (``cache.clear()``) deletes only this process's keys, so neither
    the other worker nor another run of the suite on the same Redis (a second checkout, a helper's run) loses the
    rate-limit counters of a test under way."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    default = settings.CACHES["default"]
    redis = "redis" in default["BACKEND"].lower()  # Django's backend or ours (core.cache.RedisCache)
    if redis and worker.startswith("gw"):
        parts = urlsplit(default["LOCATION"])
        default["LOCATION"] = urlunsplit(parts._replace(path=f"/{int(worker[2:]) + 1}"))
    if redis:
        default["KEY_PREFIX"] = f"test-{os.getpid()}"
        from core.cache import RedisCache

        RedisCache.clear = _clear_own_keys


def _clear_own_keys(self):
    """The tests' ``cache.clear()`` with Redis: this process's keys only (Django's empties the whole database)."""
    client = self._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    return True


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


class _Inbox:
    """What a real local SMTP server received: ``inbox.messages`` are ``email.message.EmailMessage``."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on a free local port; Django's default mailer points at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port (aiosmtpd cannot be given port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        yield inbox
    finally:
        controller.stop()
    # Every email a test received reads as French (what people type in the test is theirs: not checked).
    from tests.typography import typography_faults

    faults = [
        f"« {m['Subject']} » : {fault}"
        for m in inbox.messages
        for fault in typography_faults(f"{m['Subject']}\n{inbox.body(m)}")
    ]
    assert not faults, "typographie des courriels :\n" + "\n".join(faults)
