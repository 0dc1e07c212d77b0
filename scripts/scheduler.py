#!/usr/bin/env python3
"""The periodic jobs, enqueued for the task worker (``manage.py db_worker``) at their hour, for ``make prod``.
On a server, the systemd timers of deploy/ run the same jobs (see deploy/README.md); this loop is their twin
for a machine without systemd. Times are Paris time (settings.TIME_ZONE).

    hourly at :05   agenda.tasks.refresh_sources         (= manage.py import_events --toutes)
    daily  03:30    core.tasks.apply_retention           (= manage.py apply_retention)
    daily  08:00    contact.tasks.send_request_reminders (= manage.py remind_requests)
    every minute    dashboard.tasks.refresh_figures      (= manage.py refresh_figures)

``scripts/scheduler.py --list`` prints the next run of each job.
"""

import os
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import close_old_connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

# (task path, minute or None for every minute, hour or None for every hour)
JOBS = [
    ("agenda.tasks.refresh_sources", 5, None),
    ("core.tasks.apply_retention", 30, 3),
    ("contact.tasks.send_request_reminders", 0, 8),
    ("dashboard.tasks.refresh_figures", None, None),
]


def next_run(now: datetime, minute: int | None, hour: int | None) -> datetime:
    if minute is None:
        return now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    candidate = now.replace(minute=minute, second=0, microsecond=0)
    if hour is None:
        return candidate if candidate > now else candidate + timedelta(hours=1)
    candidate = candidate.replace(hour=hour)
    return candidate if candidate > now else candidate + timedelta(days=1)


def main() -> int:
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    now = timezone.localtime()
    due = {path: next_run(now, minute, hour) for path, minute, hour in JOBS}
    for path, when in due.items():
        print(f"{path} : prochain passage {when:%Y-%m-%d %H:%M}", flush=True)
    if "--list" in sys.argv:
        return 0
    while running:
        now = timezone.localtime()
        for path, minute, hour in JOBS:
            if now >= due[path]:
                close_old_connections()
                result = import_string(path).enqueue()
                print(f"{now:%Y-%m-%d %H:%M:%S} {path} mis en file ({result.id})", flush=True)
                due[path] = next_run(now, minute, hour)
        # Short sleeps: a stop signal is honoured within a second.
        time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
