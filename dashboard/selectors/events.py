"""The events of the public agenda: by region and month, by format, by origin."""

from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.enums import Role
from agenda.enums import Format
from core.formats import french_month
from dashboard.models import EventDayTally, EventOrigin
from dashboard.selectors.months import _add_months, _aware, months_window
from dashboard.selectors.scope import Scope, _event_tallies, _events, _percent, regions_in
from dashboard.tables import TEXT, Column, Table
from dashboard.tallies import next_day_start, next_month_start, tallied_on


def _by_region_month(scope: Scope, months: list[date]) -> dict[tuple[str, date], int]:
    if not scope.uses_tallies:
        return _counted_by_region_month(scope, months)
    rows = (
        _event_tallies(scope)
        .filter(start_month__gte=months[0], start_month__lte=months[-1])
        .values_list("region_id", "start_month")
        .annotate(n=Sum("n"))
    )
    return {(region, month): n for region, month, n in rows}


def _counted_by_region_month(scope: Scope, months: list[date]) -> dict[tuple[str, date], int]:
    """The same, each month a count between its bounds in one pass over the scope's events."""
    bounds = [_aware(m) for m in months] + [_aware(_add_months(months[-1], 1))]
    rows = (
        _events(scope)
        .filter(starts_at__gte=bounds[0], starts_at__lt=bounds[-1])
        .values("region_id")
        .annotate(
            **{
                f"month_{i}": Count("pk", filter=Q(starts_at__gte=bounds[i], starts_at__lt=bounds[i + 1]))
                for i in range(len(months))
            }
        )
    )
    return {(row["region_id"], month): row[f"month_{i}"] for row in rows for i, month in enumerate(months)}


def events_by_region_month(scope: Scope, now: datetime | None = None) -> Table:
    """Published events by region and month of their start (Paris time): the tallies' sums (``dashboard.tallies``);
    for a network, each month a count between its bounds in one pass over its events."""
    months = months_window(now)
    counts = _by_region_month(scope, months)
    table = Table(
        "evenements-mois",
        f"Événements publiés par région et par mois de début, de {french_month(months[0])} "
        f"à {french_month(months[-1])}",
        [
            Column("Région", TEXT),
            *(Column(french_month(m, short=True), title=french_month(m)) for m in months),
            Column("Total"),
        ],
    )
    totals = [0] * len(months)
    for region in regions_in(scope):
        cells = [counts.get((region.code, m), 0) for m in months]
        totals = [a + b for a, b in zip(totals, cells, strict=True)]
        table.rows.append([region.name, *cells, sum(cells)])
    if scope.region_code is None:
        table.footer = ["Total", *totals, sum(totals)]
    return table


def event_counts(scope: Scope, now: datetime | None = None) -> dict[str, int]:
    """The published events of the scope by format, published and still to come, and by origin, for
    ``events_by_format`` and ``events_by_origin``: from the tallies, or in one pass over a network's events."""
    now = now or timezone.now()
    return _tallied_counts(scope, now) if scope.uses_tallies else _counted(scope, now)


def _counted(scope: Scope, now: datetime) -> dict[str, int]:
    """``event_counts`` in one pass over the scope's events (each pass reads them all)."""
    manual = Q(source__isnull=True)
    counts = {
        "total": Count("pk"),
        "imports": Count("pk", filter=~manual),
        "ambassadors": Count("pk", filter=manual & Q(created_by__role=Role.AMBASSADOR)),
        "coordinators": Count(
            "pk",
            filter=manual & Q(created_by__role__in=[Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR]),
        ),
    }
    for n, value in enumerate(Format.values):
        counts[f"published_{n}"] = Count("pk", filter=Q(format=value))
        counts[f"upcoming_{n}"] = Count("pk", filter=Q(format=value, ends_at__gte=now))
    return _events(scope).aggregate(**counts)


ORIGIN_KEYS = {
    EventOrigin.IMPORT: "imports",
    EventOrigin.AMBASSADOR: "ambassadors",
    EventOrigin.COORDINATION: "coordinators",
}


def _tallied_counts(scope: Scope, now: datetime) -> dict[str, int]:
    """``event_counts`` from the tallies. Still to come: the events whose end month is after the current one
    (tallies), those that end after today in the current month (day tallies), and those that end today at ``now``
    or later (counted in the events: one range of the index on their end; for a ``now`` of another month than the
    tallies', the rest of its month)."""
    index = {value: n for n, value in enumerate(Format.values)}
    counts = {"total": 0, **dict.fromkeys(ORIGIN_KEYS.values(), 0)}
    for key in index.values():
        counts[f"published_{key}"] = counts[f"upcoming_{key}"] = 0
    tallies = _event_tallies(scope)
    for format_, origin, n in tallies.values_list("format", "origin").annotate(n=Sum("n")):
        counts["total"] += n
        if origin in ORIGIN_KEYS:
            counts[ORIGIN_KEYS[origin]] += n
        if format_ in index:
            counts[f"published_{index[format_]}"] += n
    after = next_month_start(now)
    later = tallies.filter(end_month__gte=after.date()).values_list("format").annotate(n=Sum("n"))
    today = timezone.localdate(now, timezone.get_default_timezone())
    if today.replace(day=1) == tallied_on(scope.tallies).replace(day=1):
        # The days of the month after today from their tallies, then today's events not yet ended.
        days = _event_tallies(scope, EventDayTally).filter(end_date__gt=today)
        later = [*later, *days.values_list("format").annotate(n=Sum("n"))]
        after = next_day_start(now)
    soon = (
        _events(scope, first=Q(ends_at__gte=now, ends_at__lt=after))
        .values_list("format")
        .annotate(n=Count("pk"))
    )
    for format_, n in [*later, *soon]:
        if format_ in index:
            counts[f"upcoming_{index[format_]}"] += n
    return counts


def events_by_format(
    scope: Scope, now: datetime | None = None, counts: dict[str, int] | None = None
) -> Table:
    counts = counts or event_counts(scope, now)
    rows = [
        [label, counts[f"published_{n}"], counts[f"upcoming_{n}"]]
        for n, (_value, label) in enumerate(Format.choices)
    ]
    return Table(
        "evenements-formats",
        "Événements publiés par format, dont à venir",
        [Column("Format", TEXT), Column("Publiés"), Column("À venir")],
        rows,
        footer=["Total", sum(r[1] for r in rows), sum(r[2] for r in rows)],
    )


def events_by_origin(scope: Scope, counts: dict[str, int] | None = None) -> Table:
    """Who brought the published events: ambassadors, coordinators, imported calendars, or others (an account of
    another role, a partner's API, an account since deleted)."""
    counts = counts or event_counts(scope)
    others = counts["total"] - counts["imports"] - counts["ambassadors"] - counts["coordinators"]
    rows = [
        ["Ambassadeurs", counts["ambassadors"]],
        ["Coordination", counts["coordinators"]],
        ["Imports de calendriers", counts["imports"]],
        ["Autres", others],
    ]
    return Table(
        "evenements-origines",
        "Qui a apporté les événements publiés",
        [Column("Origine", TEXT), Column("Événements publiés"), Column("Part (%)")],
        [[label, n, _percent(n, counts["total"])] for label, n in rows],
        footer=["Total", counts["total"], 100 if counts["total"] else None],
    )
