"""Background work of company requests (Django's ``django.tasks``). Thin: the rules are in ``contact.services``.
Schedule them daily (cron ``manage.py remind_requests`` / ``manage.py anonymise_requests``, or enqueue these)."""

from django.tasks import task

from contact.services import requests_anonymise_expired, requests_send_reminders


@task
def send_request_reminders() -> dict:
    """Remind ambassadors after 5 days without taking a request; alert coordinators after 10; remind ambassadors
    10 days after taking a request with no exchange recorded."""
    return requests_send_reminders()


@task
def anonymise_expired_requests() -> dict:
    """Close requests idle for six months; anonymise requests closed 12 months ago."""
    return requests_anonymise_expired()
