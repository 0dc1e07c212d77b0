"""Dates and times as a French reader expects them: « jeudi 15 janvier 2026, 14 h 30 – 17 h », with the time zone
named when it is not Paris time."""

import functools
from zoneinfo import ZoneInfo, available_timezones

from core.dates import localtime
from core.formats import french_date, french_time

ZONE_NAMES = {
    "Europe/Paris": "heure de Paris",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
}


@functools.cache
def iana_zones() -> frozenset[str]:
    """The IANA time zone names known here, read once: ``available_timezones()`` walks the zone files at each call."""
    return frozenset(available_timezones())


def french_day(value) -> str:
    return french_date(value)


def event_when(event) -> str:
    zone = ZoneInfo(event.timezone)
    start = localtime(event.starts_at, zone)
    end = localtime(event.ends_at, zone)
    if event.all_day:
        text = (
            french_day(start)
            if start.date() == end.date()
            else f"du {french_day(start)} au {french_day(end)}"
        )
    elif start.date() == end.date():
        text = f"{french_day(start)}, {french_time(start)} – {french_time(end)}"
    else:
        text = f"du {french_day(start)}, {french_time(start)} au {french_day(end)}, {french_time(end)}"
    if event.timezone != "Europe/Paris":
        text += f" ({ZONE_NAMES.get(event.timezone, event.timezone)})"
    return text


def event_first_day(event) -> str:
    """The day a postponed or rescheduled event was first announced for, on its own clock: « jeudi 15 janvier
    2026 »."""
    start = event.previous_starts_at or event.starts_at
    return french_day(localtime(start, ZoneInfo(event.timezone)))


def event_when_announced(event) -> str:
    """When, as a list or a feed says it: « Nouvelle date à venir (initialement prévu le …) » for a postponed event,
    the new date then « (reporté, initialement prévu le …) » for a rescheduled one, else ``event_when``."""
    if event.is_postponed:
        return f"Nouvelle date à venir (initialement prévu le {event_first_day(event)})"
    if event.is_rescheduled:
        return f"{event_when(event)} (reporté, initialement prévu le {event_first_day(event)})"
    return event_when(event)
