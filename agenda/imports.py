"""Imports of other calendars (iCalendar files and URLs) into the agenda.

One service for every door (back office, management command, background task): ``import_calendar``. What it
guarantees:

* Input that is not a calendar (an HTML page, JSON, an empty or truncated file, more than ``MAX_BYTES``) is refused
  with a clear French ``ImportRun.error`` and nothing already imported is touched.
* Each VEVENT is read on its own: a malformed one is skipped with a readable French reason in
  ``ImportRun.skipped_reasons`` and never stops the others. The whole run is one transaction: a crash half-way loses
  nothing. Events are written by batches of ``WRITE_BATCH`` (one ``bulk_create``, one ``bulk_update``, each batch a
  savepoint); a batch the database refuses is written again event by event, so a database error on one event skips
  that event only. At most ``MAX_EVENTS_PER_RUN`` events are read per run.
* Re-importing the same feed creates no duplicate: an event is matched on (source, ``source_uid``). Recurring events
  are expanded over ``[now - HORIZON_PAST, now + HORIZON_FUTURE]``, each occurrence its own event whose
  ``source_uid`` is ``"{UID}#{RECURRENCE-ID in UTC}"``.
* An event of the source that is no longer in the feed (within the horizon) is marked
  (``missing_from_source_since``), never deleted; it is cleared when the event comes back.

Time zones. Untrusted feeds carry every kind of TZID, and icalendar silently turns an unknown one into a naive
(floating) time. Each TZID is therefore resolved here: an IANA name as is; a Windows name through ``WINDOWS_ZONES``
(France and overseas) then icalendar's CLDR table; a "globally unique" TZID (``/mozilla.org/.../Europe/Paris``) by its
IANA suffix; a custom zone defined by a VTIMEZONE of the file is trusted for the instant. Anything else skips the
event, with a reason. Floating times are read in the calendar's X-WR-TIMEZONE, else in the event's region zone.
"""

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from hashlib import sha256
from operator import attrgetter
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Field, prefetch_related_objects
from django.utils import timezone
from django.utils.text import slugify
from icalendar.parser import Contentline, Contentlines, Parameters, validate_token
from icalendar.parser.content_line import NEWLINE, UFOLD
from icalendar.parser.ical import CalendarIcalParser
from icalendar.parser_tools import to_unicode
from icalendar.prop import vDDDLists, vDDDTypes
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
from recurring_ical_events.adapters.event import EventAdapter
from recurring_ical_events.occurrence import Occurrence

from agenda import versions
from agenda.dates import iana_zones
from agenda.enums import Mode, Moderation, Status
from agenda.models import Event, ImportRun, ImportSource
from agenda.services import MODERATED_FIELDS, NOT_AT_CREATION, event_unique_slugs
from core import fetch
from core.dates import in_range
from core.formats import french_number
from core.services import audit_log
from territories.selectors import communes_for_postcode

logger = logging.getLogger(__name__)

MAX_BYTES = 5_000_000
FETCH_TIMEOUT = 10  # seconds
HORIZON_PAST = timedelta(days=1)
HORIZON_FUTURE = timedelta(days=180)
# Bounds on what one feed may cost: a daily event over the horizon is 181 occurrences.
MAX_OCCURRENCES_PER_SERIES = 200
# 20,000 events: what a file of MAX_BYTES holds when its events are short; a run writes them by batches (``flush``).
MAX_EVENTS_PER_RUN = 20_000
WRITE_BATCH = 1000  # events written per query (``_Importer.flush``)
DEFAULT_DURATION = timedelta(hours=1)  # RFC 5545 says 0 for a DTSTART alone; nobody means that in an agenda
USER_AGENT = "ambassadeurs-ia-import/1.0 (+agenda)"

# Windows time-zone names (Outlook, Exchange) for France and the overseas regions. Each is the zone a French
# reader expects; icalendar's CLDR table (WINDOWS_TO_OLSON) would give Berlin, La Paz, Mauritius or Nairobi: the
# same offsets, but not the name the event pages show. Other Windows names fall back to that CLDR table.
# Windows has no zone of its own for La Réunion (it uses "Mauritius Standard Time", UTC+4) nor for the Antilles
# (Bolivia's "SA Western Standard Time", UTC-4): when the event's region has the same offsets, its zone wins
# (Guadeloupe rather than Martinique, for instance).
WINDOWS_ZONES = {
    "Romance Standard Time": "Europe/Paris",  # Paris, Bruxelles, Madrid, Copenhague
    "W. Europe Standard Time": "Europe/Paris",  # Amsterdam, Berlin, Rome…: same rules as Paris
    "Central Europe Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Paris",
    "SA Western Standard Time": "America/Martinique",  # UTC-4 without summer time: Guadeloupe, Martinique
    "SA Eastern Standard Time": "America/Cayenne",  # UTC-3: Guyane
    "Mauritius Standard Time": "Indian/Reunion",  # UTC+4: La Réunion
    "E. Africa Standard Time": "Indian/Mayotte",  # UTC+3: Mayotte
    "Saint Pierre Standard Time": "America/Miquelon",
}

POSTCODE_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?!\d)")
# NUL and other control characters: PostgreSQL refuses NUL in text, and none of them is meant to be shown.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ONLINE_LOCATION = re.compile(r"^https?://\S+$", re.IGNORECASE)
TOO_FREQUENT = {"SECONDLY", "MINUTELY"}
# Zones that say "UTC" rather than where the event is: the event then reads in its calendar's or region's zone.
NO_PLACE_ZONES = {"UTC", "GMT", "UCT", "Universal", "Zulu", "Greenwich"}
_url_validator = URLValidator(schemes=["http", "https"])


class ImportFailed(Exception):
    """The whole input is refused (not a calendar, too big, unreachable); the message is for the user, in French."""


class _Skip(Exception):
    """One event is skipped; the message is the French reason."""


def _same_rules(a: str, b: str, around: datetime) -> bool:
    """Whether two zones give the same offsets at ``around`` and in winter and summer of that year."""
    za, zb = ZoneInfo(a), ZoneInfo(b)
    naive = around.replace(tzinfo=None)
    probes = (naive, naive.replace(month=1, day=15), naive.replace(month=7, day=15))
    return all(za.utcoffset(p) == zb.utcoffset(p) for p in probes)


def zone_name_for_tzid(
    tzid: str, *, around: datetime | None = None, preferred: str | None = None
) -> str | None:
    """The IANA zone a TZID means, or None when nobody knows (see the module docstring)."""
    tzid = (tzid or "").strip().strip('"').strip()
    if not tzid:
        return None
    if tzid in iana_zones():
        return tzid
    windows = WINDOWS_ZONES.get(tzid) or WINDOWS_TO_OLSON.get(tzid)
    if windows:
        if preferred and preferred != windows and _same_rules(windows, preferred, around or timezone.now()):
            return preferred
        return windows if windows in iana_zones() else None
    parts = [p for p in tzid.split("/") if p]
    for i in range(1, len(parts)):
        candidate = "/".join(parts[i:])
        if candidate in iana_zones():
            return candidate
    return None


# Fetching a remote calendar: the network part (checked addresses, pinned connections, one deadline for the
# whole exchange) is core.fetch; here only what a calendar adds (webcal, its size limit, messages that say
# « calendrier »).

# Every network failure, a private address included, gives this one message (see core.fetch).
UNREACHABLE = "Le calendrier n’a pas pu être téléchargé à cette adresse : vérifiez-la ou réessayez plus tard."


class FetchError(ImportFailed, fetch.FetchError):
    """A calendar could not be downloaded; the message is for the user, in French."""


def fetch_url(url: str, *, timeout: float | None = None, max_bytes: int = MAX_BYTES) -> bytes:
    """The body at ``url`` (http, https; webcal read as https), as ``core.fetch.fetch_url`` guarantees: never from
    a private or local network, within ``timeout`` seconds for the whole exchange (``FETCH_TIMEOUT`` by default),
    no more than ``max_bytes``; every failure a ``FetchError`` with a French message."""
    url = (url or "").strip()
    if url[:9].lower() == "webcal://":  # webcal:// is https:// for calendar applications
        url = "https://" + url[9:]
    try:
        return fetch.fetch_url(
            url,
            timeout=FETCH_TIMEOUT if timeout is None else timeout,
            max_bytes=max_bytes,
            accept="text/calendar, */*;q=0.5",
            user_agent=USER_AGENT,
        )
    except fetch.FetchError as exc:
        if exc.reason == "unreachable":
            message = UNREACHABLE
        elif exc.reason == "status":
            message = f"Le serveur a répondu par une erreur {exc.status} : vérifiez l’adresse du calendrier."
        elif exc.reason == "too_big":
            message = f"Le calendrier dépasse la taille maximale ({max_bytes / 1_000_000:g} Mo) : il n’est pas importé."
        elif exc.reason == "scheme":
            message = "Adresse refusée : seules les adresses http, https et webcal sont acceptées."
        else:
            message = str(exc)
        raise FetchError(message, reason=exc.reason, status=exc.status) from exc


# Reading a calendar.


def _not_a_calendar(reason: str) -> ImportFailed:
    return ImportFailed(f"Ce fichier n’est pas un calendrier iCalendar : {reason}.")


class _ContentLine(Contentline):
    """A content line that splits a line without parameters (« SUMMARY:Atelier », most lines of a calendar) without
    reading its value character by character, as the library does for every line (half of the parsing time of a
    file of 10,000 events). Same parts as the library's: any line with a parameter, a quote or a backslash before
    its first colon, or a name the library would refuse, goes the library's way."""

    def raw_parts(self):
        colon = self.find(":")
        if colon > 0:
            head = self[:colon]
            if ";" not in head and '"' not in head and "\\" not in head:
                name = head if self.strict else _BLANKS.sub("", head.strip())
                try:
                    validate_token(name)
                except ValueError:
                    pass  # the library's own message
                else:
                    return name, Parameters(), self[colon + 1 :]
        return super().raw_parts()


_BLANKS = re.compile(r"[ \t]+")


def _content_lines(text: str) -> list[Contentline]:
    """``Contentlines.from_ical(text)``, of ``_ContentLine``: the lines unfolded, then split."""
    lines = Contentlines(_ContentLine(line) for line in NEWLINE.split(UFOLD.sub("", text)) if line)
    lines.append("")
    return lines


# The properties of a VEVENT that the import reads (here and through recurring_ical_events).
READ_PROPERTIES = frozenset(
    {
        *("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "GEO", "URL", "STATUS", "SEQUENCE", "LAST-MODIFIED"),
        *("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"),
    }
)


class _CalendarParser(CalendarIcalParser):
    """icalendar's parser of a calendar, the value type of a property looked up once per name and VALUE parameter
    (the library looks it up twice per line)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._factories = {}

    def get_factory_for_property(self, name, params):
        key = (name, params.value if params else None)
        factory = self._factories.get(key)
        if factory is None:
            factory = self._factories[key] = super().get_factory_for_property(name, params)
        return factory


class _ReadPropertiesParser(_CalendarParser):
    """The import's parser: a property of a VEVENT that the import never reads (DTSTAMP, ATTENDEE, CATEGORIES,
    X-…: most lines of some feeds) is not parsed. It would only be stored in the component or, broken, add an
    error that nobody reads (a VEVENT keeps its errors, it does not raise them)."""

    def handle_property(self, name, params, vals, line):
        if name not in READ_PROPERTIES and self._stack and self._stack[-1].name == "VEVENT":
            return
        super().handle_property(name, params, vals, line)


class _Calendar(icalendar.Calendar):
    """``icalendar.Calendar.from_ical`` through ``_CalendarParser`` (the calendars it gives are the library's)."""

    parser = _CalendarParser

    @classmethod
    def _get_ical_parser(cls, st):
        return cls.parser(st, cls._get_component_factory(), cls.types_factory)


class _ReadPropertiesCalendar(_Calendar):
    parser = _ReadPropertiesParser


def parse_calendars(content: bytes, *, all_properties: bool = True) -> list[icalendar.Calendar]:
    """The VCALENDARs of ``content``, or ``ImportFailed`` with a French reason. Never echoes the content: it may be
    anything (a login page, a server's internal answer). ``all_properties=False`` (the import): each VEVENT has
    only its ``READ_PROPERTIES``, the others not even parsed (``_ReadPropertiesParser``)."""
    if len(content) > MAX_BYTES:
        raise ImportFailed(
            f"Le fichier est trop volumineux ({len(content) / 1_000_000:.1f} Mo) : la limite est de "
            f"{MAX_BYTES / 1_000_000:g} Mo."
        )
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if not head:
        raise _not_a_calendar("il est vide")
    if not head.startswith(b"begin:vcalendar"):
        if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
            raise _not_a_calendar("c’est une page web (HTML ou XML), pas un calendrier")
        if head.startswith((b"{", b"[")):
            raise _not_a_calendar("c’est un document JSON, pas un calendrier")
        raise _not_a_calendar("il ne commence pas par BEGIN:VCALENDAR")
    if not content.rstrip()[-200:].lower().endswith(b"end:vcalendar"):
        raise _not_a_calendar("il est tronqué (il ne se termine pas par END:VCALENDAR)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lines = _content_lines(to_unicode(content.lstrip(b"\xef\xbb\xbf \t\r\n")))
            parser = _Calendar if all_properties else _ReadPropertiesCalendar
            components = parser.from_ical(lines, multiple=True)
    except Exception as exc:  # the parser raises ValueError, and sometimes worse, on garbage
        raise _not_a_calendar("il est mal formé (ses blocs BEGIN et END ne se correspondent pas)") from exc
    calendars = [c for c in components if c.name == "VCALENDAR"]
    if not calendars:
        raise _not_a_calendar("il ne contient pas de VCALENDAR")
    return calendars


# Importing.

RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


def _occurrences(components: list, window: tuple[datetime, datetime]) -> list[tuple]:
    """The occurrences of a series (its components prepared) that meet ``window``, as ``recurring_ical_events``
    gives them, each as (component, start, end). An event that does not repeat (one component, no RRULE, RDATE,
    EXDATE nor RECURRENCE-ID; most of them) is its own component with the start and end of the library's own
    occurrence of its adapter: without the series machinery that a rule needs (two thirds of the expansion time of
    10,000 events), nor the copy of the component that the library makes to set the same start and end on it."""
    if len(components) == 1 and not any(name in components[0] for name in RECURRENCE_PROPERTIES):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            occurrence = Occurrence(EventAdapter(components[0]))
            in_window = occurrence.is_in_span(*window)
        return [(components[0], occurrence.start, occurrence.end)] if in_window else []
    return [(o, o.start, o.end) for o in _occurrences_of_series(components, window)]


def _occurrences_of_series(components: list, window: tuple[datetime, datetime]) -> list:
    series = icalendar.Calendar()
    for component in components:
        series.add_component(component)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return recurring_ical_events.of(series).between(*window)


@dataclass
class _Item:
    """One event to create or update."""

    uid: str
    source_uid: str
    summary: str
    values: dict
    region: object
    sequence: int | None
    last_modified: datetime | None


@dataclass
class _Place:
    venue_name: str = ""
    address: str = ""
    online_url: str = ""
    mode: str = Mode.IN_PERSON
    commune: object = None
    region: object = None
    zone: str = ""


# What the import writes on an event; the rest (format, topics, moderation, region without a commune…) is ours.
IMPORTED_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "all_day",
    "timezone",
    "mode",
    "venue_name",
    "address",
    "commune",
    "departement",
    "online_url",
    "latitude",
    "longitude",
    "registration_url",
    "status",
)
# What an update writes: the imported fields and what follows from them (``_Importer.update``).
UPDATED_FIELDS = (
    *IMPORTED_FIELDS,
    "region",
    "moderation",
    "source_sequence",
    "source_last_modified",
    "sequence",
    "previous_starts_at",
    "missing_from_source_since",
    "updated_at",
    "search_text",
    "published_snapshot",
)


def _first(value):
    return value[0] if isinstance(value, list) else value


def _text(component, name: str, limit: int | None) -> str:
    value = _first(component.get(name))
    if value is None:
        return ""
    text = CONTROL_CHARACTERS.sub("", str(value).replace("\r\n", "\n")).strip()
    return text[:limit] if limit else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _int(component, name: str) -> int | None:
    try:
        return int(_first(component.get(name)))
    except (TypeError, ValueError, AttributeError):
        return None


def _utc(component, name: str) -> datetime | None:
    try:
        value = _first(component.get(name)).dt
    except Exception:  # missing or broken: LAST-MODIFIED is only a hint
        return None
    if not isinstance(value, datetime) or not in_range(value):
        return None  # outside the agenda's years (core/dates.py) the hint is worthless, and year 1 overflows in UTC
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


OUT_OF_RANGE_SKIP = "Date hors de l’agenda : seuls les événements entre l’an 2000 et l’an 2100 sont importés"


def _last(start, end):
    """The last instant or day of an event: DTEND of a day is exclusive."""
    if isinstance(end, datetime) or end <= start:
        return end
    return end - timedelta(days=1)


def _within_years(component) -> bool:
    """Whether a prepared component (``_Importer.prepare``) starts and ends within the agenda's years."""
    start = component["DTSTART"].dt
    try:
        if "DTEND" in component:
            end = _first(component["DTEND"]).dt
        elif "DURATION" in component:
            end = start + _first(component["DURATION"]).dt
        else:
            end = start
    except OverflowError:
        return False
    return in_range(start) and in_range(_last(start, end))


def _url(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 500:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value


def _coordinate(value, bound: int):
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return number if -bound <= number <= bound else None


def _instant_key(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _source_uid(uid: str, recurrence=None) -> str:
    key = uid if recurrence is None else f"{uid}#{_instant_key(recurrence)}"
    if len(key) > 500:  # the column's size: a long UID is kept unique by its digest
        digest = sha256(uid.encode()).hexdigest()
        key = f"sha256:{digest}" if recurrence is None else f"sha256:{digest}#{_instant_key(recurrence)}"
    return key


def _stored(event: Event, name: str):
    """The stored value, a foreign key as its id (no query)."""
    return getattr(event, f"{name}_id") if name in ("commune", "departement") else getattr(event, name)


def _same(a, b) -> bool:
    if hasattr(a, "pk") or hasattr(b, "pk"):
        return getattr(a, "pk", a) == getattr(b, "pk", b)
    if isinstance(a, Decimal | float) or isinstance(b, Decimal | float):
        return (a is None and b is None) or (
            a is not None
            and b is not None
            and Decimal(str(a)).quantize(Decimal("0.000001")) == Decimal(str(b)).quantize(Decimal("0.000001"))
        )
    return a == b


def insert_all(objs: list) -> None:
    """``bulk_create(objs)`` for new objects of one model whose primary key the database gives (an auto field),
    with a statement built once per batch size rather than compiled value by value (a third of the import of 10,000
    events on SQLite). Every concrete field of the model's ``_meta`` is written, so a field added to the model is
    not forgotten; each value goes through the field's ``pre_save`` (``auto_now``, ``auto_now_add``) and
    ``get_db_prep_save`` (the database's conversion), as in ``bulk_create``; the ids come back (RETURNING, in the
    order of the rows) and the objects are then saved ones. PostgreSQL receives one array per column (UNNEST, as
    ``bulk_create`` does there), the others rows of placeholders. No ``save()`` and no signal, as ``bulk_create``.
    A model this does not cover (a database default, a generated column, a field with its own placeholder or a
    type of its own, a primary key of ours) goes through ``bulk_create``."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    if (
        not meta.pk.db_returning
        or not connection.features.can_return_rows_from_bulk_insert
        or any(
            f.has_db_default()
            or f.generated
            or hasattr(f, "get_placeholder_sql")
            or (f.target_field if f.is_relation else f).get_internal_type() not in connection.data_types
            for f in fields
        )
        or any(obj.pk is not None for obj in objs)
    ):
        model._base_manager.using(using).bulk_create(objs)
        return
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = f" RETURNING {quote(meta.pk.column)}"
    unnest = connection.vendor == "postgresql"
    if unnest:  # the types without their size, as bulk_create (varchar[], not varchar(200)[])
        arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
        size = len(objs)
    else:
        row = f"({', '.join(['%s'] * len(fields))})"
        size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    convert = [_converter(f, connection) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            rows = [[value(obj) for value in convert] for obj in batch]
            # The statement holds only the model's quoted names and placeholders; every value is a parameter.
            if unnest:
                sql = f"{head}SELECT * FROM UNNEST({arrays}){tail}"  # noqa: S608 - names and placeholders
                cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            else:
                sql = f"{head}VALUES {', '.join([row] * len(batch))}{tail}"
                cursor.execute(sql, [value for r in rows for value in r])
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using


# Fields whose conversion to the database gives back a ``str`` as it is (``CharField.get_prep_value`` is ``str``'s
# ``to_python``, no backend adapts it), and the same for a ``bool`` of a ``BooleanField``.
_TEXT_FIELDS = frozenset({"CharField", "TextField", "SlugField", "URLField", "EmailField"})


def _converter(field, connection):
    """``field.get_db_prep_save(field.pre_save(obj, True), connection)`` for an object, as a function of the object:
    a field whose ``pre_save`` is Field's reads the attribute itself, and the values whose conversion is the value
    (a ``str`` of a text field, a ``bool`` of a boolean, ``None`` of any field but JSON: no backend adapts them) skip
    the conversion's calls (a tenth of the import of 10,000 events). Any other value goes the field's way."""
    kind = field.get_internal_type()
    prep = field.get_db_prep_save
    plain = type(field).pre_save is Field.pre_save
    read = attrgetter(field.attname) if plain else partial(field.pre_save, add=True)
    same = str if kind in _TEXT_FIELDS else bool if kind == "BooleanField" else None

    def value(obj):
        value = read(obj)
        if (value is None and kind != "JSONField") or (same is not None and type(value) is same):
            return value
        return prep(value, connection)

    return value


class _Importer:
    def __init__(self, *, source: ImportSource, run: ImportRun, now: datetime):
        self.source = source
        self.run = run
        self.now = now
        self.window = (now - HORIZON_PAST, now + HORIZON_FUTURE)
        self.existing = {e.source_uid: e for e in Event.objects.filter(source=source).exclude(source_uid="")}
        self.pending: dict[str, _Item] = {}  # read, not written yet (``flush``)
        self.seen: set[str] = set()
        self.unreadable_uids: set[str] = set()  # in the feed but skipped: not "missing"
        self.communes: dict[str, list] = {}
        self.calendar_zone: str | None = None
        self.total = 0
        self.newly_missing = 0

    # Reporting.

    def skip(self, *, uid: str, summary: str, reason: str) -> None:
        self.run.skipped += 1
        self.run.skipped_reasons.append({"uid": uid, "resume": summary[:200], "raison": reason})
        if uid:
            self.unreadable_uids.add(uid)

    # The calendar.

    def run_calendars(self, calendars) -> None:
        for calendar in calendars:
            self.calendar_zone = None
            x_wr = _text(calendar, "X-WR-TIMEZONE", 100)
            if x_wr:
                self.calendar_zone = zone_name_for_tzid(x_wr)
            groups: dict[str, list] = {}
            for component in calendar.subcomponents:
                if component.name != "VEVENT":
                    continue
                uid = _text(component, "UID", None)
                if not uid:
                    self.skip(
                        uid="",
                        summary=_one_line(_text(component, "SUMMARY", 200)),
                        reason="Pas d’identifiant (UID) : l’événement ne pourrait pas être reconnu d’un import "
                        "à l’autre.",
                    )
                    continue
                groups.setdefault(uid, []).append(component)
            for uid, components in groups.items():
                if self.total >= MAX_EVENTS_PER_RUN:
                    self.skip(
                        uid=uid,
                        summary="",
                        reason=f"Import limité à {french_number(MAX_EVENTS_PER_RUN)} événements par passage : la suite du "
                        "calendrier n’est pas lue.",
                    )
                    self.flush()
                    return
                self.run_series(uid, components)
        self.flush()
        self.mark_missing()

    def run_series(self, uid: str, components: list) -> None:
        masters = [c for c in components if "RECURRENCE-ID" not in c]
        overrides = [c for c in components if "RECURRENCE-ID" in c]
        summary = _one_line(_text((masters or components)[0], "SUMMARY", 200))
        if len(masters) > 1:  # broken feeds repeat a UID: keep its latest version
            masters.sort(
                key=lambda c: (
                    _int(c, "SEQUENCE") or 0,
                    _utc(c, "LAST-MODIFIED") or datetime.min.replace(tzinfo=UTC),
                )
            )
            for extra in masters[:-1]:
                self.run.skipped += 1
                self.run.skipped_reasons.append(
                    {
                        "uid": uid,
                        "resume": _one_line(_text(extra, "SUMMARY", 200)),
                        "raison": "UID en double dans le calendrier : seule la version la plus récente est importée.",
                    }
                )
            masters = masters[-1:]
        try:
            recurring = bool(overrides) or any("RRULE" in c or "RDATE" in c for c in masters)
            master_summary = summary
            places = {}
            for component in masters + overrides:
                places[id(component)] = self.prepare(component, fallback_summary=master_summary)
            occurrences = self.expand(uid, masters + overrides)
        except _Skip as exc:
            self.skip(uid=uid, summary=summary, reason=str(exc))
            return
        except Exception:  # a parser or expansion bug on one series must not stop the others
            logger.exception("import %s: series %s", self.source.pk, uid)
            self.skip(
                uid=uid, summary=summary, reason="Événement illisible (répétition ou dates incohérentes)."
            )
            return
        by_recurrence = {}
        for component in masters + overrides:
            key = component["RECURRENCE-ID"].dt if "RECURRENCE-ID" in component else None
            by_recurrence[_instant_key(key) if key is not None else None] = places[id(component)]
        master_place = places[id(masters[0])] if masters else next(iter(places.values()))
        for occurrence, start, end in occurrences:
            try:
                recurrence = occurrence["RECURRENCE-ID"].dt if "RECURRENCE-ID" in occurrence else start
                place = by_recurrence.get(_instant_key(recurrence), master_place)
                item = self.item(
                    uid,
                    occurrence,
                    start,
                    end,
                    place=place,
                    source_uid=_source_uid(uid, recurrence if recurring else None),
                )
            except Exception:  # one unreadable occurrence must not stop the others
                logger.exception("import %s: occurrence of %s", self.source.pk, uid)
                self.skip(uid=uid, summary=summary, reason="Occurrence illisible : ignorée.")
                continue
            self.total += 1
            self.save(item)

    # One component: checks, place, time zones.

    def prepare(self, component, *, fallback_summary: str) -> _Place:
        """Check what is required, resolve the place (hence the region and its zone) and rewrite every date of
        ``component`` as an aware datetime (or a date), so the expansion works on instants."""
        for name, _problem in component.errors:  # icalendar's explanation is in English: give the value
            if name in ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
                raw = _one_line(_text(component, name, 80))
                raise _Skip(f"Propriété {name} illisible (valeur « {raw} »).")
        if not _one_line(_text(component, "SUMMARY", 200)):
            if fallback_summary and "RECURRENCE-ID" in component:
                component["SUMMARY"] = icalendar.vText(fallback_summary)
            else:
                raise _Skip("Pas de titre (SUMMARY).")
        if "DTSTART" not in component:
            raise _Skip("Pas de date de début (DTSTART).")
        if isinstance(component.get("DTSTART"), list):
            raise _Skip("Plusieurs dates de début (DTSTART).")
        rule = component.get("RRULE")
        if rule is not None:
            frequency = {str(f).upper() for f in _first(rule).get("FREQ", [])}
            if frequency & TOO_FREQUENT:
                raise _Skip("Répétition trop fréquente (toutes les minutes ou secondes) : non importée.")
        place = self.place(component)
        if place.region is None:
            raise _Skip(
                "Aucune région : la source n’a pas de région par défaut et le lieu ne donne pas de code postal "
                "connu."
            )
        floating_zone = self.calendar_zone or place.region.timezone
        start_prop = component["DTSTART"]
        start = self.resolve(start_prop.dt, start_prop.params.get("TZID"), floating_zone)
        component["DTSTART"] = vDDDTypes(start)
        start_is_day = not isinstance(start, datetime)
        if "DTEND" in component:
            end_prop = _first(component["DTEND"])
            end = self.resolve(end_prop.dt, end_prop.params.get("TZID"), floating_zone)
            if start_is_day and isinstance(end, datetime):
                end = max(end.date(), start + timedelta(days=1))
            elif not start_is_day and not isinstance(end, datetime):
                end = datetime.combine(end, time(0), tzinfo=start.tzinfo)
            if end < start:
                raise _Skip("La fin (DTEND) précède le début (DTSTART).")
            component["DTEND"] = vDDDTypes(end)
        elif "DURATION" in component:
            duration = _first(component["DURATION"]).dt
            if not isinstance(duration, timedelta) or duration < timedelta(0):
                raise _Skip("Durée (DURATION) illisible ou négative.")
            if start_is_day and duration % timedelta(days=1):
                # A day with a duration in hours (RFC 5545 wants days): the expansion would make its start a naive
                # datetime (which stopped the whole import). As a DTEND with a time: all day, the duration's whole
                # days, at least one.
                del component["DURATION"]
                component["DTEND"] = vDDDTypes(start + timedelta(days=max(duration.days, 1)))
        else:
            component.add("DURATION", timedelta(days=1) if start_is_day else DEFAULT_DURATION)
        if "RECURRENCE-ID" in component:
            prop = _first(component["RECURRENCE-ID"])
            component["RECURRENCE-ID"] = vDDDTypes(
                self.resolve(prop.dt, prop.params.get("TZID"), floating_zone)
            )
        for name in ("EXDATE", "RDATE"):
            if name not in component:
                continue
            values = []
            props = component[name] if isinstance(component[name], list) else [component[name]]
            for prop in props:
                tzid = prop.params.get("TZID")
                for entry in prop.dts:
                    value = entry.dt
                    if isinstance(value, tuple):  # PERIOD: (start, end or duration)
                        first = self.resolve(value[0], tzid, floating_zone)
                        second = value[1]
                        if isinstance(second, datetime | date):
                            second = self.resolve(second, tzid, floating_zone)
                        values.append((first, second))
                    else:
                        values.append(self.resolve(value, tzid, floating_zone))
            del component[name]
            if values:
                component[name] = vDDDLists(values)
        # The zone the event reads in: its own TZID when it is a real zone, else the calendar's, else the region's.
        component_zone = None
        if isinstance(start, datetime):
            key = getattr(start.tzinfo, "key", None)
            if key in iana_zones() and key not in NO_PLACE_ZONES and not key.startswith("Etc/"):
                component_zone = key
        place.zone = component_zone or self.calendar_zone or place.region.timezone
        return place

    def resolve(self, value, tzid, floating_zone: str):
        if not isinstance(value, datetime):
            return value  # a DATE: all day
        if tzid:
            name = zone_name_for_tzid(str(tzid), around=value, preferred=floating_zone)
            if name:
                return value.replace(tzinfo=ZoneInfo(name))  # the wall-clock time, in the zone it means
            if value.tzinfo is not None:
                return value  # a custom zone, defined by a VTIMEZONE of the file
            raise _Skip(f"Fuseau horaire inconnu « {tzid} » : l’heure de l’événement serait fausse.")
        if value.tzinfo is not None:
            return value  # UTC
        return value.replace(tzinfo=ZoneInfo(floating_zone))

    def place(self, component) -> _Place:
        location = _one_line(_text(component, "LOCATION", 600).replace("\n", ", "))
        place = _Place()
        if ONLINE_LOCATION.match(location):
            place.online_url = _url(location)
            place.mode = Mode.ONLINE if place.online_url else Mode.IN_PERSON
        elif location:
            first, _, rest = location.partition(",")
            if rest and not first.strip()[:1].isdigit():
                place.venue_name, place.address = first.strip()[:200], rest.strip(" ,")[:300]
            else:
                place.address = location[:300]
            place.commune = self.commune(location)
        region = place.commune.departement.region if place.commune else self.source.default_region
        place.region = region
        return place

    def commune(self, location: str):
        codes = POSTCODE_IN_TEXT.findall(location)
        if not codes:
            return None
        code = codes[-1]
        if code not in self.communes:
            self.communes[code] = list(communes_for_postcode(code))
        communes = self.communes[code]
        if not communes:
            return None
        text = slugify(location)
        named = [c for c in communes if slugify(c.name) and slugify(c.name) in text]
        return (named or communes)[0]

    def expand(self, uid: str, components: list) -> list[tuple]:
        """The occurrences of a series within the window, each with its start and end (icalendar checks them at
        every read of ``.start`` and ``.end``: read once here), in the order of their starts."""
        # The agenda's years (core/dates.py), as at every other door, checked before expansion: a daily rule from
        # year 1 walks 700,000 days (seconds of work) to reach the window, and an end in year 9999 overflows in it.
        if not all(_within_years(c) for c in components):
            raise _Skip(f"{OUT_OF_RANGE_SKIP}.")
        occurrences = _occurrences(components, self.window)
        occurrences.sort(key=lambda o: _instant_key(o[1]))
        # An occurrence in the window may still end out of range (DTEND in year 9999): no page could show it.
        kept = [o for o in occurrences if in_range(o[1]) and in_range(_last(o[1], o[2]))]
        if len(kept) < len(occurrences):
            self.skip(
                uid=uid,
                summary=_one_line(_text(components[0], "SUMMARY", 200)),
                reason=f"{OUT_OF_RANGE_SKIP} ({len(occurrences) - len(kept)} occurrence(s) non importée(s)).",
            )
            occurrences = kept
        if len(occurrences) > MAX_OCCURRENCES_PER_SERIES:
            dropped = len(occurrences) - MAX_OCCURRENCES_PER_SERIES
            self.skip(
                uid=uid,
                summary=_one_line(_text(components[0], "SUMMARY", 200)),
                reason=f"Répétition limitée à {MAX_OCCURRENCES_PER_SERIES} occurrences : {dropped} occurrence(s) "
                "suivante(s) non importée(s).",
            )
            occurrences = occurrences[:MAX_OCCURRENCES_PER_SERIES]
        return occurrences

    # One occurrence: values, then create or update.

    def item(self, uid: str, occurrence, start, end, *, place: _Place, source_uid: str) -> _Item:
        zone = ZoneInfo(place.zone)
        all_day = not isinstance(start, datetime)
        if all_day:
            # DTEND of a day is exclusive; our ends_at is the last day, at 23:59 (as the contribution form does).
            last_day = max(start, end - timedelta(days=1))
            starts_at = datetime.combine(start, time(0), tzinfo=zone)
            ends_at = datetime.combine(last_day, time(23, 59), tzinfo=zone)
        else:
            starts_at, ends_at = start, max(end, start)
        latitude = longitude = None
        geo = occurrence.get("GEO")
        if geo is not None and hasattr(geo, "latitude"):
            latitude, longitude = _coordinate(geo.latitude, 90), _coordinate(geo.longitude, 180)
            if latitude is None or longitude is None:
                latitude = longitude = None
        status = _text(occurrence, "STATUS", 20).upper()
        summary = _one_line(_text(occurrence, "SUMMARY", 200))
        values = {
            "title": summary,
            "description": _text(occurrence, "DESCRIPTION", 10000),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "all_day": all_day,
            "timezone": place.zone,
            "mode": place.mode,
            "venue_name": place.venue_name,
            "address": place.address,
            "commune": place.commune,
            "departement": place.commune.departement if place.commune else None,
            "online_url": place.online_url,
            "latitude": latitude,
            "longitude": longitude,
            "registration_url": _url(_text(occurrence, "URL", 600)),
            "status": Status.CANCELLED if status == "CANCELLED" else Status.SCHEDULED,
        }
        return _Item(
            uid=uid,
            source_uid=source_uid,
            summary=summary,
            values=values,
            region=place.region,
            sequence=_int(occurrence, "SEQUENCE"),
            last_modified=_utc(occurrence, "LAST-MODIFIED"),
        )

    def save(self, item: _Item) -> None:
        """Queue ``item``: events are written by batches of ``WRITE_BATCH`` (``flush``), each batch in a few queries."""
        if (
            item.source_uid in self.pending
        ):  # the same event twice in one file: the first one is written first
            self.flush()
        self.seen.add(item.source_uid)
        if item.source_uid not in self.existing and item.values["status"] in NOT_AT_CREATION:
            # The rule of every door (agenda/services.py): an event is never created cancelled.
            self.skip(
                uid=item.uid,
                summary=item.summary,
                reason="Annulé dans la source avant d’avoir été importé : un événement n’est jamais créé annulé.",
            )
            return
        self.pending[item.source_uid] = item
        if len(self.pending) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the queued events: the new ones with one ``bulk_create``, the changed ones with one ``bulk_update``
        (and their published versions), each batch in a savepoint. A batch the database refuses is written again
        event by event, each in its own savepoint, so that only the refused event is skipped."""
        items, self.pending = list(self.pending.values()), {}
        creations = [item for item in items if item.source_uid not in self.existing]
        updates = [item for item in items if item.source_uid in self.existing]
        for batch, write in ((creations, self.create_all), (updates, self.update_all)):
            if not batch:
                continue
            try:
                with transaction.atomic():
                    write(batch)
            except DatabaseError:
                logger.warning("import %s: a batch was refused, written again event by event", self.source.pk)
                for item in batch:
                    if item.source_uid in self.existing:
                        self.existing[item.source_uid].refresh_from_db()  # back to what the database holds
                    self.save_one(item)

    def save_one(self, item: _Item) -> None:
        try:
            with transaction.atomic():
                event = self.existing.get(item.source_uid)
                if event is None:
                    self.create_all([item])
                else:
                    self.update_all([item])
        except DatabaseError:
            logger.exception("import %s: event %s", self.source.pk, item.source_uid)
            self.skip(
                uid=item.uid,
                summary=item.summary,
                reason="Enregistrement impossible (donnée refusée par la base) : événement ignoré.",
            )
            self.seen.discard(item.source_uid)
            if item.source_uid in self.existing:
                self.existing[item.source_uid].refresh_from_db()

    def create_all(self, items: list[_Item]) -> None:
        source = self.source
        events = []
        for item in items:
            publish = source.publish_directly and item.region.pk == source.default_region_id
            event = Event(
                source=source,
                source_uid=item.source_uid,
                source_sequence=item.sequence,
                source_last_modified=item.last_modified,
                region=item.region,
                format=source.default_format,
                moderation=Moderation.PUBLISHED if publish else Moderation.SUBMITTED,
                created_by=None,
                **item.values,
            )
            # What ``save()`` would do, ``bulk_create`` skipping it: the postponement rule, the search column.
            event.reschedule_if_moved()
            for name, value in event.search_values().items():
                setattr(event, name, value)
            events.append(event)
        slugs = event_unique_slugs([(e.title, e.starts_at) for e in events])
        for event, slug in zip(events, slugs, strict=True):
            event.slug = slug
        insert_all(events)
        self.record_published([e for e in events if e.moderation == Moderation.PUBLISHED], new=True)
        for event in events:
            event._stored = (event.status, event.starts_at)
            self.existing[event.source_uid] = event
        self.run.created += len(events)

    def update_all(self, items: list[_Item]) -> None:
        changed, came_back = [], []
        for item in items:
            event = self.existing[item.source_uid]
            outcome = self.update(event, item)
            if outcome == "updated":
                changed.append(event)
            elif outcome == "came back":
                came_back.append(event)
        now = timezone.now()  # ``auto_now``, which ``bulk_update`` does not apply
        for event in changed + came_back:
            event.updated_at = now
        if came_back:
            Event.objects.bulk_update(came_back, ["missing_from_source_since", "updated_at"])
        if changed:
            published = [e for e in changed if e.moderation == Moderation.PUBLISHED]
            self.record_published(published, new=False)
            Event.objects.bulk_update(changed, UPDATED_FIELDS)
            for event in changed:
                event._stored = (event.status, event.starts_at)
        self.run.unchanged += len(items) - len(changed)
        self.run.updated += len(changed)

    def record_published(self, events: list[Event], *, new: bool) -> None:
        """``versions.record_published`` for a batch: the many-to-many values in one query per relation, the
        versions of new events written in one ``bulk_update`` (an update writes them with its other fields)."""
        if not events:
            return
        prefetch_related_objects(events, *versions.SNAPSHOT_M2M)
        for event in events:
            event.published_snapshot = versions.snapshot(event)
        if new:
            Event.objects.bulk_update(events, ["published_snapshot"])

    def update(self, event: Event, item: _Item) -> str:
        """Apply ``item`` to ``event`` in memory: « unchanged », « came back » (only its absence cleared) or
        « updated » (written by ``update_all``)."""
        values = dict(item.values)
        if values["status"] == Status.SCHEDULED and event.status != Status.CANCELLED:
            # Full, postponed, moved online: set here by a coordinator, kept until the source cancels.
            values["status"] = event.status
        seq_new, seq_old = item.sequence, event.source_sequence
        lm_new, lm_old = item.last_modified, event.source_last_modified
        stale = (seq_new is not None and seq_old is not None and seq_new < seq_old) or (
            seq_new == seq_old and lm_new is not None and lm_old is not None and lm_new < lm_old
        )
        newer = (seq_new is not None and seq_old is not None and seq_new > seq_old) or (
            lm_new is not None and lm_old is not None and lm_new > lm_old
        )
        different = [name for name in IMPORTED_FIELDS if not _same(_stored(event, name), values[name])]
        came_back = event.missing_from_source_since is not None
        event.missing_from_source_since = None
        if stale or not (newer or different):
            # Unchanged, or an older copy of the event (a stale cache of the source): never go back in time.
            return "came back" if came_back else "unchanged"
        region_before = event.region_id
        for name, value in values.items():
            setattr(event, name, value)
        if event.commune_id:
            event.region = event.commune.departement.region
        # The moderation rule of every door (agenda/services.py): a change of what the moderators judged, or a move
        # to another region, sends a published event back to moderation, unless the source publishes directly
        # in the region the event now lies in.
        source = self.source
        direct = source.publish_directly and event.region_id == source.default_region_id
        judged = (set(different) & MODERATED_FIELDS) or event.region_id != region_before
        if event.moderation == Moderation.PUBLISHED and judged and not direct:
            event.moderation = Moderation.SUBMITTED
        event.source_sequence = seq_new
        event.source_last_modified = lm_new
        event.sequence += 1  # subscribers of our feed must see the change
        # What ``save()`` would do, ``bulk_update`` skipping it: the postponement rule, the search column.
        event.reschedule_if_moved()
        for name, value in event.search_values().items():
            setattr(event, name, value)
        return "updated"

    def mark_missing(self) -> None:
        start, end = self.window
        absent = [
            event
            for event in self.existing.values()
            if event.source_uid not in self.seen
            and event.ends_at >= start
            and event.starts_at <= end
            and event.source_uid.partition("#")[0] not in self.unreadable_uids
        ]
        newly = [e.pk for e in absent if e.missing_from_source_since is None]
        if newly:
            Event.objects.filter(pk__in=newly).update(missing_from_source_since=self.now, updated_at=self.now)
        self.run.missing = len(absent)
        self.newly_missing = len(newly)


def _finish(run: ImportRun, *, error: str = "") -> ImportRun:
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    return run


def import_calendar(*, source: ImportSource, content: bytes, now=None, by=None) -> ImportRun:
    """Import ``content`` (an iCalendar body) into ``source``'s events and return the run, saved, with its counts and
    the reason of each skipped item. Never raises on bad input: a fatal problem is in ``run.error`` and then no event
    was touched. See the module docstring for what it guarantees."""
    now = now or timezone.now()
    run = ImportRun.objects.create(source=source)
    try:
        calendars = parse_calendars(content, all_properties=False)
    except ImportFailed as exc:
        return _finish(run, error=str(exc))
    importer = None
    try:
        with transaction.atomic():
            # One run at a time per source (the task and the back office could start two).
            ImportSource.objects.select_for_update().filter(pk=source.pk).first()
            importer = _Importer(source=source, run=run, now=now)
            importer.run_calendars(calendars)
            if by is not None or run.created or run.updated or importer.newly_missing:
                audit_log(
                    actor=by,
                    action="event.import",
                    obj=source,
                    changes={
                        "créés": run.created,
                        "mis à jour": run.updated,
                        "ignorés": run.skipped,
                        "disparus": run.missing,
                    },
                )
            run.finished_at = timezone.now()
            run.save()
    except Exception:  # a bug must leave a readable run, and no half-import (the transaction rolled back)
        logger.exception("import of source %s failed", source.pk)
        run.created = run.updated = run.unchanged = run.skipped = run.missing = 0
        run.skipped_reasons = []
        return _finish(
            run,
            error="L’import s’est interrompu sur une erreur inattendue ; aucun événement n’a été modifié.",
        )
    return run


def import_source(source: ImportSource, *, by=None, now=None) -> ImportRun:
    """Fetch ``source.url`` and import it. A fetch failure is a run with its French error (nothing touched). The
    download takes at most ``FETCH_TIMEOUT`` seconds, however slowly the server answers."""
    if not source.url:
        run = ImportRun.objects.create(source=source)
        return _finish(run, error="Cette source n’a pas d’adresse : importez son fichier depuis sa page.")
    try:
        content = fetch_url(source.url)
    except FetchError as exc:
        run = ImportRun.objects.create(source=source)
        return _finish(run, error=str(exc))
    return import_calendar(source=source, content=content, now=now, by=by)


def sources_to_refresh():
    """The sources the hourly refresh re-imports: active, with an URL."""
    return ImportSource.objects.filter(is_active=True).exclude(url="").order_by("pk")


def import_all_sources() -> list[ImportRun]:
    """Refresh every source of ``sources_to_refresh`` in turn (``import_events --toutes``). One source costs at
    most the fetch limit, and whatever happens to one, the next ones are still refreshed."""
    runs = []
    for source in sources_to_refresh():
        try:
            runs.append(import_source(source))
        except Exception:  # a bug on one source must not deprive the others of their refresh
            logger.exception("refresh of source %s failed", source.pk)
            run = ImportRun.objects.create(source=source)
            runs.append(
                _finish(
                    run,
                    error="L’import s’est interrompu sur une erreur inattendue ; aucun événement n’a été modifié.",
                )
            )
    return runs
