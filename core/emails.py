"""Plain French emails, sent once the current transaction commits (never for a change that was rolled back)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template

from core.formats import french_typography

logger = logging.getLogger("core.emails")


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def _render(template: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping: « L’Atelier & Co » stays as typed, not
    ``L&#x27;Atelier &amp; Co``. Emails are never HTML, so escaping would only garble them."""
    return get_template(template).template.render(Context(context, autoescape=False))


def _send(message: EmailMessage, template: str) -> None:
    """Send, and never let a mail server failure reach the request: the change it reports is already committed,
    and one unreachable server must not stop a bulk decision half-way. The failure is logged for the operators."""
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        # The domains and the kind of failure only, no traceback (SMTPRecipientsRefused prints the addresses): the
        # logs are kept outside the retention periods of the register (docs/personal-data.md).
        domains = ", ".join(sorted({address.rpartition("@")[2] for address in message.to}))
        logger.error(
            "Échec de l’envoi du courriel %s (domaines : %s) : %s", template, domains, type(exc).__name__
        )


def email_send_on_commit(*, to: list[str], template: str, context: dict) -> None:
    """Render ``<template>`` (first line: the subject; then the body) and send it after commit.

    The body always ends with the platform's name and address (``core/email/signature.txt``). A sending failure
    is logged (logger ``core.emails``), never raised."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    # French punctuation and apostrophes on the whole text, what people typed included (addresses untouched).
    text = french_typography(_render(template, context).strip())
    subject, _, body = text.partition("\n")
    body = (
        body.strip() + "\n\n" + french_typography(_render("core/email/signature.txt", context).strip()) + "\n"
    )
    message = EmailMessage(subject=subject.strip(), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    transaction.on_commit(lambda: _send(message, template))
