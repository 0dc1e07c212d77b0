from django.tasks import task

from recruitment.services import applications_purge_expired


@task
def purge_expired_applications() -> int:
    """Daily: erase applications past their retention period (run by the task worker's scheduler or cron)."""
    return applications_purge_expired()
