"""The pre-aggregated counts of the steering page: the public events by region, format, origin and months of start
and end (``EventTally``), and each ambassador's public events (``AmbassadorTally``).

Why: the national page counted every public event of the agenda twice (by format, origin and month; by
ambassador). On the bench data (scripts/bench.py: 200,000 events) that took 0.6 s on PostgreSQL and 1.2 s on
SQLite, whatever the shape of the queries: a pass over the events costs 0.1 to 0.2 s on SQLite even as a plain
scan. The tallies are a few thousand rows; read, the page's event tables take a few milliseconds.

Exact, never stale: the tallies hold the version of what they were computed from (``source_version``, one query
of indexed maxima and counts: the events' last change, highest key and number, the same for the links between
events and ambassadors and for the ambassadors, the number of accounts of each role that gives an origin, of
import sources, and the current month). ``fresh()`` compares it with the data's: the page reads the tallies only
when they are equal; otherwise it counts from the events as it did before the tallies (``_counted`` in
``dashboard.selectors.events``), and a rebuild is queued for the worker. Every change an event table shows moves
the version: a save or an import writes ``updated_at`` (the moderation's compare-and-set too), a deletion lowers a
count, an account's role moves the counts of roles, a deleted account or import source (their events' origin
becomes « Autres ») a count.

Rebuilt by the worker: queued by the first page that found them stale, and every minute when the version moved
(``dashboard.tasks.refresh_tallies``; ``refresh_figures``, run by the scheduler and the systemd timer of
deploy/). A rebuild reads every public event (about 1.7 s on the bench data, ``TallyState.took_ms``): never in a
request.

What passes with time is not in the tallies: the events still to come are those whose end month (Paris time) is
after the current one (``EventTally``), those that end after today in the current month (``EventDayTally``), and
those that end today and not yet, counted in the events at each read (one range of the index on the end)."""

import logging
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, OuterRef, Value, When
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from agenda.models import Event, ImportSource
from ambassadors.models import Ambassador
from dashboard.caching import aggregates_query
from dashboard.models import AmbassadorTally, EventDayTally, EventOrigin, EventTally, TallyState

EventAmbassador = Event.ambassadors.through
logger = logging.getLogger(__name__)
COORDINATION_ROLES = (Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR)

# (model, SQL aggregate over one column, the roles counted): each an index's end or the number of rows of a table
# (on SQLite the smallest index; on PostgreSQL an index-only scan), with the accounts' few thousand rows. Read by
# ``dashboard.caching.aggregates_query``, as the version of the page's figures.
_VERSION_PARTS = [
    (Event, "MAX", "updated_at", None),
    (Event, "MAX", "id", None),
    (Event, "COUNT", "*", None),
    (EventAmbassador, "MAX", "id", None),
    (EventAmbassador, "COUNT", "*", None),
    (Ambassador, "MAX", "updated_at", None),
    (Ambassador, "COUNT", "*", None),
    (ImportSource, "COUNT", "*", None),
    (User, "COUNT", "id", (Role.AMBASSADOR,)),
    (User, "COUNT", "id", COORDINATION_ROLES),
]


def source_version() -> str:
    """What the tallies are computed from, in one query (see the module's docstring for what it sees), and the
    current month in Paris (the day tallies cover it: a new month, a rebuild)."""
    sql, params = aggregates_query(_VERSION_PARTS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = tuple(cursor.fetchone())
    return f"{timezone.localdate(timezone=timezone.get_default_timezone()):%Y-%m-%d} {found!r}"


def tallied_on(state: TallyState) -> date:
    """The day (Paris time) the tallies' version was read on: their day tallies cover its month."""
    return _today(state.version)


def _today(version: str) -> date:
    """The day a version was read on (its first word)."""
    return date.fromisoformat(version.split(" ", 1)[0])


def _origin() -> Case:
    return Case(
        When(source_id__isnull=False, then=Value(EventOrigin.IMPORT)),
        When(created_by__role=Role.AMBASSADOR, then=Value(EventOrigin.AMBASSADOR)),
        When(created_by__role__in=COORDINATION_ROLES, then=Value(EventOrigin.COORDINATION)),
        default=Value(EventOrigin.OTHER),
    )


class _ParisDays(dict):
    """The day in Paris of an instant as the database gives it (aware on PostgreSQL, naive in UTC on SQLite), worked
    out once per hour of UTC: 200,000 events start in a few thousand distinct hours."""

    def __init__(self):
        super().__init__()
        self.zone = timezone.get_default_timezone()

    @staticmethod
    def hour(value: datetime) -> datetime:
        return value.replace(minute=0, second=0, microsecond=0)

    def __missing__(self, hour: datetime) -> date:
        instant = hour if hour.tzinfo is not None else hour.replace(tzinfo=UTC)
        self[hour] = day = instant.astimezone(self.zone).date()
        return day


def _event_tallies(today: date) -> tuple[list[EventTally], list[EventDayTally]]:
    """The public events' region, format, origin, start and end, read raw in one query and tallied here: truncating
    each date to its month in Paris in the database is a Python function called for every row on SQLite (2.4 s for
    the bench's 200,000 events; read raw and tallied, a fraction of it). ``today``: the day tallies cover its
    month."""
    qs = Event.objects.public().order_by().annotate(origin=_origin())
    sql, params = qs.values_list(
        "region_id", "format", "origin", "starts_at", "ends_at"
    ).query.sql_with_params()
    days = _ParisDays()
    tallied: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            for region, format_, origin, starts_at, ends_at in rows:
                tallied[region, format_, origin, days[days.hour(starts_at)], days[days.hour(ends_at)]] += 1
    month = today.replace(day=1)
    by_month: Counter = Counter()
    by_day: Counter = Counter()
    for (region, format_, origin, start, end), n in tallied.items():
        by_month[region, format_, origin, start.replace(day=1), end.replace(day=1)] += n
        if end.replace(day=1) == month:
            by_day[region, format_, end] += n
    return (
        [
            EventTally(region_id=r, format=f, origin=o, start_month=s, end_month=e, n=n)
            for (r, f, o, s, e), n in by_month.items()
        ],
        [EventDayTally(region_id=r, format=f, end_date=d, n=n) for (r, f, d), n in by_day.items()],
    )


def ambassador_tallies() -> list[AmbassadorTally]:
    """Per ambassador, the public events they are listed in, plus those their account created without being
    listed in them: each event counted once. Three GROUP BYs for everyone (no subquery per ambassador)."""
    public = Event.objects.public().order_by()
    listed = dict(
        EventAmbassador.objects.order_by()
        .filter(event__in=public.values("pk"))
        .values_list("ambassador_id")
        .annotate(n=Count("pk"))
    )
    created_only = dict(
        public.filter(created_by_id__isnull=False)
        .exclude(
            Exists(
                EventAmbassador.objects.filter(
                    event_id=OuterRef("pk"), ambassador__user_id=OuterRef("created_by_id")
                )
            )
        )
        .values_list("created_by_id")
        .annotate(n=Count("pk"))
    )
    counts = dict(listed)
    for pk, user_id in Ambassador.objects.filter(user_id__in=list(created_only)).values_list("pk", "user_id"):
        counts[pk] = counts.get(pk, 0) + created_only[user_id]
    return [AmbassadorTally(ambassador_id=pk, events=n) for pk, n in counts.items() if n]


def refresh(version: str | None = None) -> TallyState:
    """Rebuild every tally from the events, unless another rebuild did it from the same ``version`` meanwhile.
    The version is read before the events: a change committed in between is counted and moves the version again,
    so the next read rebuilds once more (never a tally older than its version). Rebuilds are one at a time: each
    holds the lock of the state's row while it deletes and writes the rows."""
    version = version or source_version()
    with transaction.atomic():
        state = TallyState.objects.select_for_update().filter(pk=1).first()
        if state is None:  # written by the migration; gone after a flush of the tables
            state, _ = TallyState.objects.get_or_create(
                pk=1, defaults={"version": "", "computed_at": timezone.now()}
            )
        if state.version == version:
            return state
        started, computed_at = time.perf_counter(), timezone.now()
        (events, days), ambassadors = _event_tallies(_today(version)), ambassador_tallies()
        EventTally.objects.all().delete()
        EventTally.objects.bulk_create(events, batch_size=2000)
        EventDayTally.objects.all().delete()
        EventDayTally.objects.bulk_create(days, batch_size=2000)
        AmbassadorTally.objects.all().delete()
        AmbassadorTally.objects.bulk_create(ambassadors, batch_size=2000)
        state.version, state.computed_at = version, computed_at
        state.took_ms = round((time.perf_counter() - started) * 1000)
        state.save()
    return state


def fresh() -> TallyState | None:
    """The state of the tallies if they were computed from the data as it is now (two queries), else None: the
    page then counts from the events themselves, and a rebuild is queued for the worker (``schedule_refresh``)."""
    state = TallyState.objects.filter(pk=1, version=source_version()).first()
    if state is None:
        schedule_refresh()
    return state


QUEUED_KEY = "dashboard:tallies-queued"
QUEUED_SECONDS = 10


def schedule_refresh() -> None:
    """A rebuild queued for the worker after the commit, at most once every ``QUEUED_SECONDS`` (the steering
    pages read while the worker rebuilds count from the events)."""
    if cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
        transaction.on_commit(_enqueue)


def _enqueue() -> None:
    """The page that queued it still answers if the queue does not (logged; the timer's run rebuilds them)."""
    from dashboard.tasks import refresh_tallies  # the tasks module imports this one

    try:
        refresh_tallies.enqueue()
    except Exception:
        logger.exception("Décomptes du pilotage : la tâche de recalcul n’a pas pu être mise en file.")


def refresh_if_moved() -> dict:
    """For the worker, every minute: rebuild when the data moved since the last rebuild."""
    version = source_version()
    state = TallyState.objects.filter(pk=1).first()
    if state is not None and state.version == version:
        return {"rebuilt": False}
    state = refresh(version)
    return {"rebuilt": True, "ms": state.took_ms}


def next_day_start(now: datetime) -> datetime:
    """Midnight in Paris at the end of ``now``'s day."""
    zone = timezone.get_default_timezone()
    day = timezone.localtime(now, zone).date() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day), zone)


def next_month_start(now: datetime) -> datetime:
    """Midnight in Paris on the first day of the month after ``now``'s."""
    first = timezone.localtime(now, timezone.get_default_timezone()).date().replace(day=1)
    after = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )
    return timezone.make_aware(datetime(after.year, after.month, 1), timezone.get_default_timezone())
