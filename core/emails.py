"""Plain French emails, sent once the current transaction commits (never for a change that was rolled back)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def email_send_on_commit(*, to: list[str], template: str, context: dict) -> None:
    """Render ``<template>`` (first line: the subject; then the body) and send it after commit.

    The body always ends with the platform's name and address (``core/email/signature.txt``)."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    body = body.strip() + "\n\n" + render_to_string("core/email/signature.txt", context).strip() + "\n"
    message = EmailMessage(subject=subject.strip(), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    transaction.on_commit(message.send)
