"""Background work of accounts (Django's ``django.tasks``). Thin: the rules are in ``accounts.services``.
Schedule it daily (cron ``manage.py purge_accounts``, or enqueue this)."""

from django.tasks import task

from accounts.services import accounts_purge


@task
def purge_accounts() -> dict:
    """Daily: delete accounts unused for a year, login records older than 30 days, audit entries older than
    five years."""
    return accounts_purge()
