"""Background work of ambassador profiles (Django's ``django.tasks``). Thin: the rules are in
``ambassadors.data_rights``. Schedule it daily (cron ``manage.py erase_ambassadors``, or enqueue this): a person
who asks for erasure is told it happens within 24 hours."""

from django.tasks import task

from ambassadors.data_rights import ambassadors_erase_expired


@task
def erase_expired_ambassadors() -> int:
    """Daily: erase the profiles whose mandate ended more than a year ago, and those whose erasure was asked."""
    return ambassadors_erase_expired()
