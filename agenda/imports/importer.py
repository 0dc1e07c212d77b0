"""The importer: a feed's events matched to those of its source, expanded over the horizon, then created or updated
by batches (``_Importer``); ``import_calendar``, ``import_source`` and ``import_all_sources``, the service every door
calls (see the package docstring, ``agenda.imports``, for what it guarantees)."""

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from icalendar.prop import vDDDLists, vDDDTypes
from recurring_ical_events.adapters.event import EventAdapter
from recurring_ical_events.occurrence import Occurrence

from agenda import services
from agenda.bulk import new_objects
from agenda.enums import Mode, Status
from agenda.fields import FEED_FIELDS
from agenda.imports.errors import ImportFailed, SkipEvent
from agenda.imports.fetch import FetchError, fetch_url
from agenda.imports.parsing import parse_calendars
from agenda.imports.timezones import own_zone, resolve, zone_name_for_tzid
from agenda.imports.values import (
    _coordinate,
    _first,
    _instant_key,
    _int,
    _last,
    _one_line,
    _source_uid,
    _text,
    _url,
    _utc,
    _within_years,
)
from agenda.models import Event, ImportRun, ImportSource
from agenda.services import NOT_AT_CREATION
from core.dates import in_range
from core.formats import french_number
from core.services import audit_log
from territories.selectors import communes_for_postcode

logger = logging.getLogger(__name__)

HORIZON_PAST = timedelta(days=1)
HORIZON_FUTURE = timedelta(days=180)
# Bounds on what one feed may cost: a daily event over the horizon is 181 occurrences.
MAX_OCCURRENCES_PER_SERIES = 200
# 20,000 events: what a file of MAX_BYTES holds when its events are short; a run writes them by batches (``flush``).
MAX_EVENTS_PER_RUN = 20_000
WRITE_BATCH = 1000  # events written per query (``_Importer.flush``)
DEFAULT_DURATION = timedelta(hours=1)  # RFC 5545 says 0 for a DTSTART alone; nobody means that in an agenda

POSTCODE_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?!\d)")
ONLINE_LOCATION = re.compile(r"^https?://\S+$", re.IGNORECASE)
TOO_FREQUENT = {"SECONDLY", "MINUTELY"}

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


# What the import writes on an event (``agenda.fields``); the rest (format, topics, moderation…) is ours.
IMPORTED_FIELDS = FEED_FIELDS
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


OUT_OF_RANGE_SKIP = "Date hors de l’agenda : seuls les événements entre l’an 2000 et l’an 2100 sont importés"


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
        self.communes: dict[str, list[tuple]] = {}  # postcode: [(commune, its name as a slug)]
        self.located: dict[str, object] = {}  # a LOCATION: its commune (or None)
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
        except SkipEvent as exc:
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
                raise SkipEvent(f"Propriété {name} illisible (valeur « {raw} »).")
        if not _one_line(_text(component, "SUMMARY", 200)):
            if fallback_summary and "RECURRENCE-ID" in component:
                component["SUMMARY"] = icalendar.vText(fallback_summary)
            else:
                raise SkipEvent("Pas de titre (SUMMARY).")
        if "DTSTART" not in component:
            raise SkipEvent("Pas de date de début (DTSTART).")
        if isinstance(component.get("DTSTART"), list):
            raise SkipEvent("Plusieurs dates de début (DTSTART).")
        rule = component.get("RRULE")
        if rule is not None:
            frequency = {str(f).upper() for f in _first(rule).get("FREQ", [])}
            if frequency & TOO_FREQUENT:
                raise SkipEvent("Répétition trop fréquente (toutes les minutes ou secondes) : non importée.")
        place = self.place(component)
        if place.region is None:
            raise SkipEvent(
                "Aucune région : la source n’a pas de région par défaut et le lieu ne donne pas de code postal "
                "connu."
            )
        floating_zone = self.calendar_zone or place.region.timezone
        start_prop = component["DTSTART"]
        start = resolve(start_prop.dt, start_prop.params.get("TZID"), floating_zone)
        # A value already an instant (UTC, most feeds) stays the property it is: a new one would be the same,
        # and making it works out its TZID again (a fifth of the reading of 10,000 events, cProfile).
        if start is not start_prop.dt:
            component["DTSTART"] = vDDDTypes(start)
        start_is_day = not isinstance(start, datetime)
        if "DTEND" in component:
            end_prop = _first(component["DTEND"])
            end = resolve(end_prop.dt, end_prop.params.get("TZID"), floating_zone)
            if start_is_day and isinstance(end, datetime):
                end = max(end.date(), start + timedelta(days=1))
            elif not start_is_day and not isinstance(end, datetime):
                end = datetime.combine(end, time(0), tzinfo=start.tzinfo)
            if end < start:
                raise SkipEvent("La fin (DTEND) précède le début (DTSTART).")
            if end is not end_prop.dt or component["DTEND"] is not end_prop:  # changed, or one of several
                component["DTEND"] = vDDDTypes(end)
        elif "DURATION" in component:
            duration = _first(component["DURATION"]).dt
            if not isinstance(duration, timedelta) or duration < timedelta(0):
                raise SkipEvent("Durée (DURATION) illisible ou négative.")
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
            component["RECURRENCE-ID"] = vDDDTypes(resolve(prop.dt, prop.params.get("TZID"), floating_zone))
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
                        first = resolve(value[0], tzid, floating_zone)
                        second = value[1]
                        if isinstance(second, datetime | date):
                            second = resolve(second, tzid, floating_zone)
                        values.append((first, second))
                    else:
                        values.append(resolve(value, tzid, floating_zone))
            del component[name]
            if values:
                component[name] = vDDDLists(values)
        # The zone the event reads in: its own TZID when it is a real zone, else the calendar's, else the region's.
        place.zone = own_zone(start) or self.calendar_zone or place.region.timezone
        return place

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
        # The same venue on many events of a feed: its commune worked out once.
        if location not in self.located:
            self.located[location] = self._commune(location)
        return self.located[location]

    def _commune(self, location: str):
        codes = POSTCODE_IN_TEXT.findall(location)
        if not codes:
            return None
        code = codes[-1]
        if code not in self.communes:
            # Each commune with its name as a slug, worked out once per postcode.
            self.communes[code] = [(c, slugify(c.name)) for c in communes_for_postcode(code)]
        communes = self.communes[code]
        if not communes:
            return None
        text = slugify(location)
        named = [c for c, slug in communes if slug and slug in text]
        return named[0] if named else communes[0][0]

    def expand(self, uid: str, components: list) -> list[tuple]:
        """The occurrences of a series within the window, each with its start and end (icalendar checks them at
        every read of ``.start`` and ``.end``: read once here), in the order of their starts."""
        # The agenda's years (core/dates.py), as at every other door, checked before expansion: a daily rule from
        # year 1 walks 700,000 days (seconds of work) to reach the window, and an end in year 9999 overflows in it.
        if not all(_within_years(c) for c in components):
            raise SkipEvent(f"{OUT_OF_RANGE_SKIP}.")
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
        events = new_objects(
            Event,
            [
                {
                    "source_uid": item.source_uid,
                    "source_sequence": item.sequence,
                    "source_last_modified": item.last_modified,
                    "region": item.region,
                    "format": self.source.default_format,
                    **item.values,
                }
                for item in items
            ],
        )
        services.events_import_create(source=self.source, events=events)
        for event in events:
            event._stored = (event.status, event.starts_at)
            self.existing[event.source_uid] = event
        self.run.created += len(events)

    def update_all(self, items: list[_Item]) -> None:
        changed, came_back, sent_back = [], [], []
        for item in items:
            event = self.existing[item.source_uid]
            outcome = self.update(event, item)
            if outcome == "came back":
                came_back.append(event)
            elif outcome != "unchanged":
                changed.append(event)
                if outcome == "sent back":
                    sent_back.append(event)
        services.events_import_update(came_back, ["missing_from_source_since"])
        services.events_import_update(changed, UPDATED_FIELDS, sent_back=sent_back)
        for event in changed:
            event._stored = (event.status, event.starts_at)
        self.run.unchanged += len(items) - len(changed)
        self.run.updated += len(changed)

    def update(self, event: Event, item: _Item) -> str:
        """Apply ``item`` to ``event`` in memory: « unchanged », « came back » (only its absence cleared),
        « updated » or « sent back » (updated, and sent back to moderation): what follows from the change is
        ``services.event_import_change``; written by ``update_all``."""
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
        different = {name for name in IMPORTED_FIELDS if not _same(_stored(event, name), values[name])}
        came_back = event.missing_from_source_since is not None
        event.missing_from_source_since = None
        if stale or not (newer or different):
            # Unchanged, or an older copy of the event (a stale cache of the source): never go back in time.
            return "came back" if came_back else "unchanged"
        region_before = event.region_id
        for name, value in values.items():
            setattr(event, name, value)
        event.source_sequence = seq_new
        event.source_last_modified = lm_new
        sent_back = services.event_import_change(
            event, source=self.source, changed=different, region_before=region_before
        )
        return "sent back" if sent_back else "updated"

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
        services.events_import_missing(newly, since=self.now)
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
