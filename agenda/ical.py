"""Our events as iCalendar (RFC 5545): one VEVENT per event with a stable UID, DTSTAMP, SEQUENCE, LAST-MODIFIED,
STATUS, times with their TZID and the VTIMEZONE of every zone used, URL, LOCATION, GEO when known."""

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from agenda.enums import Mode, Status
from agenda.models import Event

PRODID = "-//Ambassadeurs IA//Agenda//FR"
# RFC 5545 has three VEVENT statuses: a postponed event has no firm date yet (TENTATIVE); the others take place.
ICAL_STATUS = {Status.CANCELLED: "CANCELLED", Status.POSTPONED: "TENTATIVE"}


def event_location(event: Event) -> str:
    parts = [event.venue_name, event.address]
    if event.commune_id:
        parts.append(f"{event.commune.name}")
    if event.mode in (Mode.ONLINE, Mode.HYBRID) and not any(parts):
        parts.append("En ligne")
    return ", ".join(p for p in parts if p)


def _vevent(event: Event, stamp) -> icalendar.Event:
    zone = ZoneInfo(event.timezone)
    if event.all_day:
        start = timezone.localtime(event.starts_at, zone).date()
        end = timezone.localtime(event.ends_at, zone).date() + timedelta(days=1)  # DTEND is exclusive
    else:
        start = timezone.localtime(event.starts_at, zone)
        end = timezone.localtime(event.ends_at, zone)
    description = event.description
    if event.status != Status.SCHEDULED:
        description = f"[{event.get_status_display()}] {description}"
    url = settings.SITE_URL + event.get_absolute_url()
    vevent = icalendar.Event.new(
        uid=event.uid,
        summary=event.title
        if event.status == Status.SCHEDULED
        else f"{event.title} ({event.get_status_display()})",
        start=start,
        end=end,
        stamp=stamp,
        sequence=event.sequence,
        last_modified=event.updated_at,
        description=f"{description}\n\n{url}".strip(),
        url=url,
        location=event_location(event) or None,
        status=ICAL_STATUS.get(event.status, "CONFIRMED"),
        categories=[event.get_format_display()],
    )
    if event.latitude is not None and event.longitude is not None:
        vevent.add("geo", (float(event.latitude), float(event.longitude)))
    return vevent


def calendar_for(events: Iterable[Event], *, name: str) -> bytes:
    # NAME (RFC 7986) and X-WR-CALNAME come with ``name``; the calendar's UID is stable across fetches.
    cal = icalendar.Calendar.new(
        name=name, prodid=PRODID, refresh_interval=timedelta(hours=6), uid="agenda@ambassadeurs-ia"
    )
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 § 5.7: the value type MUST be given
    cal.add("x-published-ttl", "PT6H")
    stamp = timezone.now()
    for event in events:
        cal.add_component(_vevent(event, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
