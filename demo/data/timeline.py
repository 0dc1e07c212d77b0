"""The calendar of the demo world. The plan and its first call are history (1 July 2025, 15 September 2025);
everything after is placed relative to the day of loading, so that the demo is coherent whatever day it is loaded:
the second call is open, recent requests are recent, upcoming events are to come. Every past instant of the demo
is before ``anchor(today)``, midnight of the day of loading (Paris time): loading twice the same day writes the
same values. Instants are computed in UTC: wall-clock arithmetic in Paris time would land some of them in the
hour repeated when summer time ends, which Python never finds equal to anything (PEP 495)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")
PLAN_LAUNCH = date(2025, 7, 1)
FIRST_CALL_OPENS = datetime(2025, 7, 1, 9, 0, tzinfo=PARIS)
FIRST_CALL_CLOSES = datetime(2025, 9, 15, 23, 59, 59, tzinfo=PARIS)
# The coordination accounts exist before the plan starts; reviewers before the first applications.
ACCOUNTS_JOINED = {
    "coordination.nationale": datetime(2025, 6, 16, 9, 30, tzinfo=PARIS),
    "coordination.aura": datetime(2025, 6, 23, 10, 0, tzinfo=PARIS),
    "coordination.occitanie": datetime(2025, 6, 23, 11, 0, tzinfo=PARIS),
    "relecteur.cci": datetime(2025, 6, 30, 14, 0, tzinfo=PARIS),
    "relecteur.bpifrance.aura": datetime(2025, 6, 30, 15, 0, tzinfo=PARIS),
}


def today() -> date:
    return timezone.localdate()


def anchor(day: date) -> datetime:
    """Midnight (Paris) of ``day``, in UTC: every past instant of the demo is before it."""
    return datetime.combine(day, time(0, 0), tzinfo=PARIS).astimezone(UTC)


def moment(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour``:``minute`` in Paris on ``day``, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)


def _month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def second_call(day: date) -> tuple[datetime, datetime]:
    """The second call: opened on the 1st of the month two months ago, closes at the last second of the month two
    months ahead (on 1 December 2026: from 1 October 2026 to 31 January 2027), never before the first one closed."""
    opens = max(moment(_month(day, -2), 9), FIRST_CALL_CLOSES + timedelta(days=30))
    closes = datetime.combine(_month(day, 3), time(0, 0), tzinfo=PARIS) - timedelta(seconds=1)
    return opens, closes


def between(rng, start: datetime, end: datetime, *, office_hours: bool = True) -> datetime:
    """A random instant between ``start`` and ``end`` (during office hours if asked, still within the bounds)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return start
    value = start + (end - start) * rng.random()
    if office_hours:
        local = value.astimezone(PARIS)
        shaped = local.replace(hour=rng.randint(8, 18), minute=rng.choice([0, 5, 10, 20, 30, 40, 45, 50]))
        if start <= shaped.astimezone(UTC) <= end:
            value = shaped.astimezone(UTC)
    rounded = value.replace(second=0, microsecond=0)
    return rounded if rounded >= start else value
