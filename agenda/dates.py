"""Dates and times as a French reader expects them: « jeudi 15 janvier 2026, 14 h 30 – 17 h », with the time zone
named when it is not Paris time."""

import functools
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone

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
    start = timezone.localtime(event.starts_at, zone)
    end = timezone.localtime(event.ends_at, zone)
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
