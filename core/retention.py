"""Every retention period of the register of personal data (docs/personal-data.md), carried out by one daily job.

Each domain owns its retention service (``<app>.services``, with ``now=`` so tests move the clock); the list of
those services is the setting ``RETENTION_JOBS`` (dotted paths: core imports no domain app), run in that order by
``apply_retention`` — from the command ``manage.py apply_retention`` (cron, systemd timer) or the task
``core.tasks.apply_retention`` (enqueued by a scheduler, run by ``db_worker``). The register test checks that the
register and this list name the same jobs."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

TASK_RESULTS_RETENTION = timedelta(days=30)


def sessions_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the sessions past their expiry (12 hours after the last request): a session holds who is signed in
    and a self-diagnostic being answered. What ``clearsessions`` does, with a clock tests can move."""
    now = now or timezone.now()
    return Session.objects.filter(expire_date__lt=now).delete()[0]


def task_results_purge(*, now: datetime | None = None) -> int:
    """Delete the results of background tasks finished more than 30 days ago: their arguments are ids, their
    results counts and source names, their tracebacks may quote data."""
    from django_tasks_db.models import DBTaskResult  # the database queue's table (absent from other backends)

    now = now or timezone.now()
    return DBTaskResult.objects.filter(finished_at__lt=now - TASK_RESULTS_RETENTION).delete()[0]


ADMIN_LOG_RETENTION_YEARS = 5


def admin_log_purge(*, now: datetime | None = None) -> int:
    """Delete the entries of the admin's own history (``django.contrib.admin.LogEntry``: who changed which object,
    with its name) older than five years, like the audit log."""
    from django.contrib.admin.models import LogEntry

    now = now or timezone.now()
    try:
        cutoff = now.replace(year=now.year - ADMIN_LOG_RETENTION_YEARS)
    except ValueError:  # 29 February
        cutoff = now.replace(year=now.year - ADMIN_LOG_RETENTION_YEARS, day=28)
    return LogEntry.objects.filter(action_time__lt=cutoff).delete()[0]


def apply_retention(*, now: datetime | None = None) -> dict:
    """Run every job of ``RETENTION_JOBS`` at ``now``; what each did, by dotted path. One job failing does not stop
    the others: it is reported (and raised again at the end, so a scheduler sees the failure)."""
    now = now or timezone.now()
    done, failed = {}, []
    for path in settings.RETENTION_JOBS:
        try:
            done[path] = import_string(path)(now=now)
        except Exception as exc:  # reported below; the next jobs must still run
            done[path] = f"échec : {exc!r}"
            failed.append(exc)
    if failed:
        raise RuntimeError(f"Conservation : {len(failed)} tâche(s) en échec : {done}") from failed[0]
    return done
