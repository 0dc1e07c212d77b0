"""Background work of core (Django's ``django.tasks``). Thin: the rules are in ``core.retention``."""

from django.tasks import task

from core import retention


@task
def apply_retention() -> dict:
    """Daily: every retention period of the register of personal data."""
    return {job: str(result) for job, result in retention.apply_retention().items()}
