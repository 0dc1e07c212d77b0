"""The events of the public agenda: by region and month, by format, by origin."""

from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from accounts.enums import Role
from agenda.enums import Format
from core.formats import french_month
from dashboard.selectors.months import _add_months, _aware, months_window
from dashboard.selectors.scope import Scope, _events, _percent, regions_in
from dashboard.tables import TEXT, Column, Table


def events_by_region_month(scope: Scope, now: datetime | None = None) -> Table:
    """Published events by region and month of their start (Paris time). Each month a count between its bounds,
    in one pass: no truncation of every start to its month (on SQLite a Python function called for each event)."""
    months = months_window(now)
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
    counts: dict[tuple[str, date], int] = {
        (row["region_id"], month): row[f"month_{i}"] for row in rows for i, month in enumerate(months)
    }
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
    """One pass over the published events of the scope (each pass reads them all): by format, published and still
    to come, and by origin, for ``events_by_format`` and ``events_by_origin``."""
    now = now or timezone.now()
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
