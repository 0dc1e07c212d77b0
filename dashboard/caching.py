"""The figures of the steering page kept in the shared cache for at most ``FRESH_SECONDS``, keyed by a version of
the data they are computed from.

Why: the national page aggregates every ambassador, the 200,000 events of the agenda, the company requests and
the applications. Measured on the bench data (scripts/bench.py, 5,000 ambassadors, 200,000 events), computing it
takes 0.5 s on PostgreSQL and 1 to 2 s on SQLite, most of it two passes over the events (``event_counts`` and the
activity counts), which read every public event whatever the query's shape; then the template writes some 3,000
cells (about 40 ms). Kept, the page costs one small query (``data_version``) and one read of the cache.

Freshness, the rule of the back office (a change shows within 60 s):

- an entry lives ``FRESH_SECONDS`` after the instant its figures were read, at most: whatever changed, even what
  no version sees (the passing of time: « à venir », « sans réponse après 10 jours », « absents aujourd’hui »; a
  request taken or answered; a row deleted; a bulk write), shows within that time;
- most changes show at once: the key holds ``data_version``, one query of indexed maxima and small counts, which
  moves when an event or an ambassador is created or saved (``save()`` with ``update_fields`` leaves the date
  alone), an application, a request, a decline, a message or a link (region, sector, event) is added, an
  application, a target or a call changes, a diagnostic is counted, or a reference list (regions, sections,
  networks: ``core.fragments.reference_version``) is edited. Not seen, hence within the minute: a request taken
  or answered, an account's role (the origin of events), a deletion other than an ambassador's or a target's.

Section by section: the page is made of sections (``dashboard.selectors.page.SECTIONS``), each kept under the
version of what it reads (``reads``: the ambassadors and targets, the applications and calls, the events, the
company requests, the diagnostics), then the whole HTML under the whole version. A change recomputes the sections
that read it, not the others: a new self-diagnostic result, the most frequent write of a national platform, costs
the page its diagnostics' table and the writing of the HTML, not the ambassadors' and the requests' tables.

The page says when its figures were computed (``computed_at``, the instant the oldest of its sections was read)."""

from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from agenda.models import Event
from ambassadors.models import Ambassador
from contact.models import CompanyRequest, RequestDecline, RequestMessage
from core.fragments import digest, reference_version
from dashboard.models import RegionTarget
from diagnostic.models import DiagnosticCount
from recruitment.models import Application, Call

FRESH_SECONDS = 60

# name: (model, SQL aggregate over one column): each read through an index (a primary key, ``updated_at`` of events
# and ambassadors) or over a small table (targets, calls, the few thousand counts of diagnostics). Together under a
# millisecond on the bench data, on SQLite and PostgreSQL.
_VERSION_PARTS = {
    "events": (Event, "MAX", "updated_at"),
    "events_id": (Event, "MAX", "id"),
    "event_ambassadors": (Event.ambassadors.through, "MAX", "id"),
    "ambassadors_n": (Ambassador, "COUNT", "id"),
    "ambassadors": (Ambassador, "MAX", "updated_at"),
    "ambassador_regions": (Ambassador.regions.through, "MAX", "id"),
    "ambassador_sectors": (Ambassador.sectors.through, "MAX", "id"),
    "requests": (CompanyRequest, "MAX", "id"),
    "declines": (RequestDecline, "MAX", "id"),
    "messages": (RequestMessage, "MAX", "id"),
    "applications_id": (Application, "MAX", "id"),
    "applications": (Application, "MAX", "updated_at"),
    "calls_n": (Call, "COUNT", "id"),
    "calls": (Call, "MAX", "updated_at"),
    "targets_n": (RegionTarget, "COUNT", "region_id"),
    "targets": (RegionTarget, "MAX", "updated_at"),
    "diagnostics": (DiagnosticCount, "SUM", "n"),
}
AMBASSADORS = ("ambassadors_n", "ambassadors", "ambassador_regions", "ambassador_sectors")
EVENTS = ("events", "events_id", "event_ambassadors")


def aggregates_query(parts) -> tuple[str, list]:
    """One SELECT of a scalar sub-select per part: ``(model, function, column)``, or with a fourth item, the roles
    the rows are limited to (``role IN …``). The column ``*`` for ``COUNT(*)`` (on SQLite read from the smallest
    index: ten times faster than ``COUNT(id)`` over 200,000 events)."""
    quote = connection.ops.quote_name
    selects, params = [], []
    for model, function, column, *roles in parts:
        # Names from the models, quoted; the roles as parameters.
        target = column if column == "*" else quote(column)
        sql = f"SELECT {function}({target}) FROM {quote(model._meta.db_table)}"  # noqa: S608
        if roles and roles[0]:
            sql += f" WHERE {quote('role')} IN ({', '.join(['%s'] * len(roles[0]))})"
            params.extend(str(role) for role in roles[0])
        selects.append(f"({sql})")
    return "SELECT " + ", ".join(selects), params


def versions() -> dict:
    """What the figures are computed from, part by part (see the module's docstring for what it sees), in one
    query, with the version of the reference lists (``reference``)."""
    sql, params = aggregates_query(_VERSION_PARTS.values())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {**dict(zip(_VERSION_PARTS, row, strict=True)), "reference": reference_version()}


def data_version(parts: dict | None = None, reads: tuple[str, ...] | None = None) -> str:
    """The version of the data, or of what ``reads`` names of it (and the reference lists), from ``parts``
    (``versions()``, read again when not given)."""
    parts = versions() if parts is None else parts
    names = list(_VERSION_PARTS) if reads is None else [name for name in _VERSION_PARTS if name in reads]
    return repr(([parts[name] for name in names], parts["reference"]))


def kept[T](
    name: str,
    parts: tuple,
    compute: Callable[[], T],
    *,
    version: str | None = None,
    dated: bool = False,
    renew: bool = False,
) -> tuple[T, datetime]:
    """``compute()`` and the instant it started reading, from the cache if computed less than ``FRESH_SECONDS``
    ago from the same ``version`` (by default ``data_version()``). ``parts``: what else the value depends on (the
    scope, the user's role). ``dated``: ``compute()`` returns the value and the instant its figures were read, when
    it is made of parts kept earlier (the page from its sections): the entry's age is theirs. ``renew``: computed
    again whatever the cache holds (the worker's minute, ``dashboard.tasks.refresh_figures``)."""
    key = "dashboard:" + digest(name, parts, data_version() if version is None else version)
    entry = None if renew else cache.get(key)
    # The age is checked here too, not left to the cache's expiry alone: a backend may keep a key a little longer.
    if entry is not None and (timezone.now() - entry[1]).total_seconds() < FRESH_SECONDS:
        return entry
    computed_at = timezone.now()
    value = compute()
    if dated:
        value, computed_at = value
    # The entry ends FRESH_SECONDS after the figures were read, not after they were written: a long computation
    # does not stretch the rule.
    left = FRESH_SECONDS - (timezone.now() - computed_at).total_seconds()
    if left >= 1:
        cache.set(key, (value, computed_at), int(left))
    return value, computed_at
