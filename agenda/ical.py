"""Our events as iCalendar (RFC 5545): one VEVENT per event with a stable UID, DTSTAMP, SEQUENCE, LAST-MODIFIED,
STATUS, times with their TZID and the VTIMEZONE of every zone used, URL, LOCATION, GEO when known."""

import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar.parser.content_line import Contentline
from icalendar.parser.string import _escape_char
from icalendar.prop import vDDDTypes

from agenda.dates import event_first_day
from agenda.enums import Mode, Status
from agenda.models import Event
from agenda.text import markdown_text, plain_line
from core.dates import localtime
from core.formats import NBSP
from core.search import strip_accents

logger = logging.getLogger(__name__)

PRODID = "-//Ambassadeurs IA//Agenda//FR"
# RFC 5545 has three VEVENT statuses: a postponed event has no firm date yet (TENTATIVE); the others take place.
ICAL_STATUS = {Status.CANCELLED: "CANCELLED", Status.POSTPONED: "TENTATIVE"}
_NOT_IN_WORD = re.compile(r"[^\w-]+")


def _place_words(text: str) -> str:
    """`` cci saint-etienne `` for « CCI Saint-Étienne »: folded words, a hyphenated name kept whole (« Saint-Denis »
    is not in « Seine-Saint-Denis »)."""
    folded = _NOT_IN_WORD.sub(" ", strip_accents(text).lower())
    return f" {' '.join(folded.split())} "


def event_location(event: Event) -> str:
    """Venue, address, commune, each said once: a part whose words another part already holds (accents and case
    aside) is left out: « Lyon, Lyon » and « CCI Lyon, Lyon » → « CCI Lyon »; « Salle des Lyonnais, Lyon » and « CCI
    Seine-Saint-Denis, Saint-Denis » stay whole."""
    parts = [p.strip() for p in (event.venue_name, event.address) if p and p.strip()]
    if event.commune_id:
        parts.append(event.commune.name)
    keys = [_place_words(p) for p in parts]
    kept = [
        part
        for i, part in enumerate(parts)
        if not keys[i].strip()
        or not any(j != i and keys[i] in keys[j] and (keys[i] != keys[j] or j < i) for j in range(len(parts)))
    ]
    if event.mode in (Mode.ONLINE, Mode.HYBRID) and not kept:
        kept.append("En ligne")
    return ", ".join(kept)


def event_description(event: Event) -> str:
    """The description as plain text (iCalendar and RSS readers show text, not Markdown), after what a subscriber
    must know first: « [Annulé] », « [Reporté] Nouvelle date à venir. », « Reporté : initialement prévu le … »."""
    text = markdown_text(event.description)
    if event.is_postponed:
        text = f"[{event.get_status_display()}] Nouvelle date à venir (initialement prévu le {event_first_day(event)}).\n\n{text}"
    elif event.status != Status.SCHEDULED:
        text = f"[{event.get_status_display()}] {text}"
    if event.is_rescheduled:
        text = f"Reporté{NBSP}: initialement prévu le {event_first_day(event)}.\n\n{text}"
    return text.strip()


_SENTINEL = "identifiant-de-l-evenement"


def _event_url() -> Callable[[Event], str]:
    """``settings.SITE_URL`` + the event's address, as ``get_absolute_url()`` writes it (quoted as ``reverse()``
    quotes), without resolving the pattern once per event of a feed."""
    before, after = (settings.SITE_URL + reverse("agenda:detail", args=[_SENTINEL])).split(_SENTINEL)
    return lambda event: f"{before}{quote(event.slug, safe="!$&'()*+,;=/~:@")}{after}"


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> icalendar.Timezone | None:
    """The VTIMEZONE of a zone, as ``Calendar.add_missing_timezones`` writes it: computed from the zone database over
    the library's default years, the same for every feed, so built once per process (a few hundred transitions per
    zone, a third of a feed's time when built each time). Never changed once built: calendars only serialise it."""
    try:
        return icalendar.Timezone.from_tzid(tzid)
    except ValueError:
        return None


def _fold(line: bytes) -> bytes:
    """A content line folded as icalendar folds it (``_foldline``: at most 74 octets per line, never inside a
    character, an escaping backslash or caret kept with what it escapes), on the line's octets rather than
    character by character (the library's loop took a tenth of a feed's time)."""
    if len(line) < 75:
        return line
    parts, start, size = [], 0, len(line)
    while size - start > 74:
        end = start + 74
        while line[end] & 0xC0 == 0x80:  # inside a character: fold before it
            end -= 1
        if end - start > 1 and line[end - 1] in b"\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _to_ical(cal: icalendar.Calendar) -> bytes:
    """``cal.to_ical()``, the same bytes: a line shorter than 75 octets is not folded, so only longer ones go
    through the folding."""
    return b"".join(_fold(line.encode()) + b"\r\n" for line in cal.content_lines() if line)


@lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str) -> bytes:
    component = _vtimezone(tzid)
    return _to_ical(component) if component is not None else b""


@lru_cache(maxsize=64)
def _time_parameters(zone: str) -> tuple[str, str]:
    """What icalendar writes around a local time of ``zone`` (``vDDDTypes``): the parameters before the colon
    (« ;TZID=Europe/Paris », none for UTC) and the suffix of the value (« Z » for UTC), read from the library
    once per zone."""
    sample = vDDDTypes(timezone.datetime(2026, 1, 1, 12, tzinfo=ZoneInfo(zone)))
    line = Contentline.from_parts("DTSTART", sample.params, sample).to_ical().decode()
    head, value = line.split(":", 1)
    return head.removeprefix("DTSTART"), "Z" if value.endswith("Z") else ""


def _utc(value) -> str:
    value = value.astimezone(UTC)
    return f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}Z"


def _times(name: str, value, zone: str) -> str:
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"
    parameters, suffix = _time_parameters(zone)
    return (
        f"{name}{parameters}:{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}{suffix}"
    )


def _vevent(event: Event, stamp: str, url: str | None = None) -> bytes:
    """An event's VEVENT, as the bytes ``icalendar.Event.new`` with these values and ``to_ical()`` would write
    (tests/agenda/test_feeds.py compares them for every kind of event), written as text: the library builds a
    parameter object and a content line for each property, three quarters of a feed's time."""
    zone = ZoneInfo(event.timezone)
    if event.all_day:
        start = localtime(event.starts_at, zone).date()
        end = localtime(event.ends_at, zone).date() + timedelta(days=1)  # DTEND is exclusive
    else:
        start = localtime(event.starts_at, zone)
        end = localtime(event.ends_at, zone)
    if start > end:
        raise ValueError("DTEND before DTSTART")  # as icalendar.Event.new would say
    description = event_description(event)
    url = url or settings.SITE_URL + event.get_absolute_url()
    title = plain_line(event.title)  # Outlook and Google Calendar read iCalendar texts as HTML
    summary = title if event.status == Status.SCHEDULED else f"{title} ({event.get_status_display()})"
    location = plain_line(event_location(event))
    # The library's order: its canonical properties first, then the others by name.
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_escape_char(summary)}",
        _times("DTSTART", start, event.timezone),
        _times("DTEND", end, event.timezone),
        f"DTSTAMP:{stamp}",
        f"UID:{_escape_char(event.uid)}",
        f"SEQUENCE:{int(event.sequence)}",
        f"CATEGORIES:{_escape_char(event.get_format_display())}",
        f"DESCRIPTION:{_escape_char(f'{description}\n\n{url}'.strip())}",
    ]
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{float(event.latitude)};{float(event.longitude)}")
    lines.append(f"LAST-MODIFIED:{_utc(event.updated_at)}")
    if location:
        lines.append(f"LOCATION:{_escape_char(location)}")
    lines += [f"STATUS:{ICAL_STATUS.get(event.status, 'CONFIRMED')}", f"URL:{url}", "END:VEVENT"]
    return b"".join(_fold(line.encode()) + b"\r\n" for line in lines)


def calendar_for(events: Iterable[Event], *, name: str) -> bytes:
    # NAME (RFC 7986) and X-WR-CALNAME come with ``name``; the calendar's UID is stable across fetches.
    cal = icalendar.Calendar.new(
        name=plain_line(name),  # an event's .ics is named by its title
        prodid=PRODID,
        refresh_interval=timedelta(hours=6),
        uid="agenda@ambassadeurs-ia",
    )
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 § 5.7: the value type MUST be given
    cal.add("x-published-ttl", "PT6H")
    stamp = _utc(timezone.now())
    url = _event_url()
    zones = set()  # the zones of the local times written: only DTSTART and DTEND are (the others are in UTC)
    vevents = []
    for event in events:
        try:
            vevents.append(_vevent(event, stamp, url(event)))
        except (OverflowError, ValueError):
            # One event dated at the ends of time (written past the forms) must not take the feed down for all.
            logger.warning("event %s left out of an iCalendar feed: dates out of range", event.pk)
            continue
        if not event.all_day:
            zones.add(event.timezone)
    # What ``cal.add_missing_timezones()`` adds (UTC needs none: its times end in Z), each zone built once, in the
    # order of their names (the library's follows a set's: the same feed would differ from one process to another).
    tzids = sorted({_time_parameters(zone)[0].removeprefix(";TZID=") for zone in zones} - {""})
    head = _to_ical(cal).removesuffix(b"END:VCALENDAR\r\n")
    return b"".join([head, *map(_vtimezone_bytes, tzids), *vevents, b"END:VCALENDAR\r\n"])
