"""Time zones of untrusted feeds: what a TZID means, and the zone a floating time reads in.

Feeds carry every kind of TZID, and icalendar silently turns an unknown one into a naive (floating) time. Each TZID
is therefore resolved here: an IANA name as is; a Windows name through ``WINDOWS_ZONES`` (France and overseas) then
icalendar's CLDR table; a "globally unique" TZID (``/mozilla.org/.../Europe/Paris``) by its IANA suffix; a custom
zone defined by a VTIMEZONE of the file is trusted for the instant. Anything else skips the event, with a reason.
Floating times are read in the calendar's X-WR-TIMEZONE, else in the event's region zone (``resolve``)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from agenda.dates import iana_zones
from agenda.imports.errors import SkipEvent

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

# Zones that say "UTC" rather than where the event is: the event then reads in its calendar's or region's zone.
NO_PLACE_ZONES = {"UTC", "GMT", "UCT", "Universal", "Zulu", "Greenwich"}


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


def resolve(value, tzid, floating_zone: str):
    """``value`` (a DTSTART, DTEND, RDATE… of a property whose TZID is ``tzid``) as an aware datetime, or the date
    it is (all day); a floating time in ``floating_zone``. ``SkipEvent`` when the TZID means no known zone."""
    if not isinstance(value, datetime):
        return value  # a DATE: all day
    if tzid:
        name = zone_name_for_tzid(str(tzid), around=value, preferred=floating_zone)
        if name:
            return value.replace(tzinfo=ZoneInfo(name))  # the wall-clock time, in the zone it means
        if value.tzinfo is not None:
            return value  # a custom zone, defined by a VTIMEZONE of the file
        raise SkipEvent(f"Fuseau horaire inconnu « {tzid} » : l’heure de l’événement serait fausse.")
    if value.tzinfo is not None:
        return value  # UTC
    return value.replace(tzinfo=ZoneInfo(floating_zone))


def own_zone(start) -> str | None:
    """The zone an event reads in when its start says where it is (a real zone, not UTC nor an Etc/ offset)."""
    if isinstance(start, datetime):
        key = getattr(start.tzinfo, "key", None)
        if key in iana_zones() and key not in NO_PLACE_ZONES and not key.startswith("Etc/"):
            return key
    return None
