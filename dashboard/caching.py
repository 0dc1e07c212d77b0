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

The page says when its figures were computed (``computed_at``, the instant they were read)."""

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

# (model, SQL aggregate over one column): each read through an index (a primary key, ``updated_at`` of events and
# ambassadors) or over a small table (targets, calls, the few thousand counts of diagnostics). Together under a
# millisecond on the bench data, on SQLite and PostgreSQL.
_VERSION_PARTS = [
    (Event, "MAX", "updated_at"),
    (Event, "MAX", "id"),
    (Event.ambassadors.through, "MAX", "id"),
    (Ambassador, "COUNT", "id"),
    (Ambassador, "MAX", "updated_at"),
    (Ambassador.regions.through, "MAX", "id"),
    (Ambassador.sectors.through, "MAX", "id"),
    (CompanyRequest, "MAX", "id"),
    (RequestDecline, "MAX", "id"),
    (RequestMessage, "MAX", "id"),
    (Application, "MAX", "id"),
    (Application, "MAX", "updated_at"),
    (Call, "COUNT", "id"),
    (Call, "MAX", "updated_at"),
    (RegionTarget, "COUNT", "region_id"),
    (RegionTarget, "MAX", "updated_at"),
    (DiagnosticCount, "SUM", "n"),
]


def _version_sql() -> str:
    quote = connection.ops.quote_name
    parts = [
        # Names from the models above, quoted: no value from outside.
        f"(SELECT {function}({quote(column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608
        for model, function, column in _VERSION_PARTS
    ]
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    """What the figures are computed from, in one query (see the module's docstring for what it sees)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return repr((row, reference_version()))


def kept[T](name: str, parts: tuple, compute: Callable[[], T]) -> tuple[T, datetime]:
    """``compute()`` and the instant it started reading, from the cache if computed less than ``FRESH_SECONDS``
    ago from the same ``data_version``. ``parts``: what else the value depends on (the scope, the user's role)."""
    key = "dashboard:" + digest(name, parts, data_version())
    entry = cache.get(key)
    # The age is checked here too, not left to the cache's expiry alone: a backend may keep a key a little longer.
    if entry is not None and (timezone.now() - entry[1]).total_seconds() < FRESH_SECONDS:
        return entry
    computed_at = timezone.now()
    value = compute()
    # The entry ends FRESH_SECONDS after the figures were read, not after they were written: a long computation
    # does not stretch the rule.
    left = FRESH_SECONDS - (timezone.now() - computed_at).total_seconds()
    if left >= 1:
        cache.set(key, (value, computed_at), int(left))
    return value, computed_at
