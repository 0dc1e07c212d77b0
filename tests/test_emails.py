"""Emails (core/emails.py): a mail server that fails never breaks the request nor a bulk decision, and plain-text
emails carry names as typed (no HTML escaping). Through a real local SMTP server, or a closed local port."""

import logging

import pytest

from recruitment.enums import ApplicationState as S
from recruitment.models import Application
from tests.conftest import bound_socket
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.recruitment.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(settings):
    """Django's mailer points at a local port bound but not listening, kept so for the test (no other process can
    take it): every send fails (connection refused)."""
    with bound_socket() as closed:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": closed.getsockname()[1], "timeout": 2},
            }
        }
        yield


def _email_failures(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "core.emails" and r.levelno == logging.ERROR]


def test_email_failure_after_commit_keeps_application_and_is_logged(
    client, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    call = CallFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ami/", form_data(call))

    assert response.status_code == 302
    assert Application.objects.filter(call=call, email="jeanne@exemple.test").exists()
    [failure] = _email_failures(caplog)
    assert failure.exc_info is None  # no traceback: it would print the addresses
    # The operators see which kind of mail failed and where to, never the person's address.
    assert "exemple.test" in failure.getMessage()
    assert "jeanne@" not in failure.getMessage()


def test_email_failure_does_not_stop_bulk_decision_half_way(
    client, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    applications = ApplicationFactory.create_batch(3, under_review=True)
    client.force_login(UserFactory(national=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/espace/candidatures/decision-groupee/",
            {
                "applications": [a.pk for a in applications],
                "action": "decline",
                "reason": "Appel très demandé.",
            },
        )

    assert response.status_code == 302
    assert set(Application.objects.values_list("state", flat=True)) == {S.DECLINED}
    assert len(_email_failures(caplog)) == 3


def test_email_failure_on_single_decision_still_redirects(
    client, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(under_review=True)
    client.force_login(UserFactory(national=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/candidatures/{application.pk}/decision/",
            {"action": "decline", "reason": "Motif.", "version": application.version},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.DECLINED
    assert len(_email_failures(caplog)) == 1


def test_email_text_is_never_html_escaped_and_reads_as_french(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    call = CallFactory(title="Appel de L’Atelier & Co")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ami/", form_data(call, first_name="L'Atelier & Co"))
    assert response.status_code == 302

    [message] = smtp_inbox.messages
    body = smtp_inbox.body(message)
    assert "Bonjour L’Atelier & Co," in body  # typed with a straight apostrophe, written the French way
    assert "« Appel de L’Atelier & Co »" in body
    assert "&#x27;" not in body
    assert "&amp;" not in body
