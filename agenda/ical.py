"""Our events as iCalendar (RFC 5545): one VEVENT per event with a stable UID, DTSTAMP, SEQUENCE, LAST-MODIFIED,
STATUS, times with their TZID and the VTIMEZONE of every zone used, URL, LOCATION, GEO when known."""

import logging
import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import lru_cache
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar.prop import vCategory, vDDDTypes, vInt, vText, vUri

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


def _to_ical(cal: icalendar.Calendar) -> bytes:
    """``cal.to_ical()``, the same bytes: a line shorter than 75 octets is not folded, so only longer ones go
    through the library's folding (``Contentline.to_ical``), which reads them character by character."""
    lines = []
    for line in cal.content_lines():
        if line:
            data = line.encode()
            lines.append(data if len(data) < 75 else line.to_ical())
    return b"\r\n".join(lines) + b"\r\n"


def _vevent(event: Event, stamp, url: str | None = None) -> icalendar.Event:
    zone = ZoneInfo(event.timezone)
    if event.all_day:
        start = localtime(event.starts_at, zone).date()
        end = localtime(event.ends_at, zone).date() + timedelta(days=1)  # DTEND is exclusive
    else:
        start = localtime(event.starts_at, zone)
        end = localtime(event.ends_at, zone)
    description = event_description(event)
    url = url or settings.SITE_URL + event.get_absolute_url()
    title = plain_line(event.title)  # Outlook and Google Calendar read iCalendar texts as HTML
    if start > end:
        raise ValueError("DTEND before DTSTART")  # as icalendar.Event.new would say
    # The properties ``icalendar.Event.new`` would write, given as the library's value types: the same bytes (test)
    # in half the time, without the checks and conversions of each keyword (a feed writes a thousand events).
    vevent = icalendar.Event()
    vevent["SUMMARY"] = vText(
        title if event.status == Status.SCHEDULED else f"{title} ({event.get_status_display()})"
    )
    vevent["DTSTART"] = vDDDTypes(start)
    vevent["DTEND"] = vDDDTypes(end)
    vevent["DTSTAMP"] = vDDDTypes(stamp)
    vevent["UID"] = vText(event.uid)
    vevent["SEQUENCE"] = vInt(event.sequence)
    vevent["LAST-MODIFIED"] = vDDDTypes(event.updated_at)
    vevent["DESCRIPTION"] = vText(f"{description}\n\n{url}".strip())
    vevent["URL"] = vUri(url)
    location = plain_line(event_location(event))
    if location:
        vevent["LOCATION"] = vText(location)
    vevent["STATUS"] = vText(ICAL_STATUS.get(event.status, "CONFIRMED"))
    vevent["CATEGORIES"] = vCategory([event.get_format_display()])
    if event.latitude is not None and event.longitude is not None:
        vevent.add("geo", (float(event.latitude), float(event.longitude)))
    return vevent


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
    stamp = timezone.now()
    url = _event_url()
    zones = set()  # the TZIDs written: only DTSTART and DTEND are local times (the others are in UTC)
    for event in events:
        try:
            vevent = _vevent(event, stamp, url(event))
        except (OverflowError, ValueError):
            # One event dated at the ends of time (written past the forms) must not take the feed down for all.
            logger.warning("event %s left out of an iCalendar feed: dates out of range", event.pk)
            continue
        cal.add_component(vevent)
        zones.update(vevent[name].params.get("TZID") for name in ("DTSTART", "DTEND") if name in vevent)
    # What ``cal.add_missing_timezones()`` adds (UTC needs none: its times end in Z), each zone built once, in the
    # order of their names (the library's follows a set's: the same feed would differ from one process to another).
    timezones = [_vtimezone(tzid) for tzid in sorted(zones - {None, "UTC"})]
    cal.subcomponents[:0] = [component for component in timezones if component is not None]
    return _to_ical(cal)
