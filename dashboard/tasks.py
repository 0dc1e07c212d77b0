"""Background work of the steering page (Django's ``django.tasks``). Thin: the rules are in ``dashboard.tallies``."""

from django.tasks import task

from dashboard import tallies


@task
def refresh_tallies() -> dict:
    """Every minute: the pre-aggregated counts of events rebuilt when the events moved, ahead of the coordinators."""
    return tallies.refresh_if_moved()
