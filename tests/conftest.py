import socket
import threading

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
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def wait_for(self, address: str, count: int = 1, timeout: float = 5.0) -> list:
        """The messages to ``address``, once ``count`` of them arrived (a browser's request returns when the mail
        is handed to the server, whose thread may file it a moment later): woken by each arrival, no polling."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.to(address)) >= count, timeout)
        messages = self.to(address)
        assert len(messages) >= count, [m["Subject"] for m in self.messages]
        return messages

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


def bound_socket() -> socket.socket:
    """A local TCP socket bound to a port the system chose, kept bound by the caller: no other process can take
    the port between the choice and its use (as a probe closed before the server binds would allow)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on a socket bound beforehand; Django's default mailer points at it."""
    from aiosmtpd.controller import Controller

    class BoundController(Controller):
        """aiosmtpd's controller serving the given socket (it binds host and port itself otherwise)."""

        def __init__(self, handler, sock):
            self.sock = sock
            super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1])

        def _create_server(self):
            return self.loop.create_server(self._factory_invoker, sock=self.sock, ssl=self.ssl_context)

    inbox = _Inbox()
    sock = bound_socket()
    controller = BoundController(inbox, sock)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
            }
        }
        yield inbox
    finally:
        controller.stop()
        sock.close()
    # Every email a test received reads as French (what people type in the test is theirs: not checked).
    from tests.typography import typography_faults

    faults = [
        f"« {m['Subject']} » : {fault}"
        for m in inbox.messages
        for fault in typography_faults(f"{m['Subject']}\n{inbox.body(m)}")
    ]
    assert not faults, "typographie des courriels :\n" + "\n".join(faults)
