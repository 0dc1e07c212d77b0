"""The rules of what a contributor says about an event, for every door that takes one typed by a person or sent by a
partner: the contribution form (``forms.EventForm``) and the partners' API (``api.partner``). Each door reads its own
input (a form's fields, a JSON body) and hands the values here; this module places the event (postcode → commune →
région → default time zone), puts the event's zone on its times and checks them, and says what is wrong, field by
field, in one set of French messages. The door shows the errors under its own field names.

The services (``services._write``) check again what no door may skip (the region gives the zone, the end is after the
start, a new event is born scheduled), and the calendar imports have their own reading of a feed
(``agenda.imports``): a feed has no form to correct, so an event it cannot place is skipped with a reason.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from agenda.dates import iana_zones
from agenda.enums import Mode, Status
from core.dates import OUT_OF_RANGE, in_range
from core.search import name_key
from territories.models import Region
from territories.selectors import communes_for_postcode

DEFAULT_ZONE = "Europe/Paris"

UNKNOWN_POSTCODE = "Ce code postal est inconnu : vérifiez-le (5 chiffres)."
POSTCODE_WANTED = "Indiquez le code postal de la commune."
REGION_WANTED = "Indiquez la région, ou le code postal du lieu."
UNKNOWN_REGION = "Région inconnue : donnez son code INSEE (ex. 84)."
UNKNOWN_ZONE = "Fuseau horaire inconnu : donnez un nom IANA, par exemple Europe/Paris."
END_BEFORE_START = "La fin doit être après le début."
ONLINE_LINK_WANTED = "Indiquez le lien de connexion d’un événement en ligne."


@dataclass
class Checked:
    """The values worked out (``commune``, ``departement``, ``region``, ``timezone``, ``starts_at``, ``ends_at``:
    those that could be) and the errors by field, in the model's names (and ``postcode``, ``commune_name``)."""

    values: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def check_event(
    *,
    postcode: str = "",
    commune_name: str = "",
    region: Region | str | None = None,
    timezone: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    mode: str = "",
    online_url: str = "",
    status: str = "",
) -> Checked:
    """Place and check an event.

    - A postcode gives the commune (the one named ``commune_name``, else the biggest it serves), hence the
      département and the region; without a postcode, ``region`` (a Region, or its INSEE code) must be given.
    - The time zone is the one given (an IANA name), else the region's.
    - A time without a zone (``starts_at``, ``ends_at``) is read on the event's clock; every time must fall within
      the agenda's years (``core.dates``) on the clock it is written with and on the event's; the end is not before
      the start.
    - An online or hybrid event that is not cancelled has its connection link."""
    checked = Checked()
    commune = None
    postcode = (postcode or "").strip()
    if postcode:
        communes = list(communes_for_postcode(postcode)) if postcode.isascii() else []
        wanted = name_key(commune_name or "")
        if not communes:
            checked.error("postcode", UNKNOWN_POSTCODE)
        elif wanted:
            commune = next((c for c in communes if name_key(c.name) == wanted), None)
            if commune is None:
                names = ", ".join(c.name for c in communes)
                checked.error(
                    "commune_name",
                    f"Cette commune n’a pas le code postal {postcode} : choisissez parmi {names}.",
                )
        else:
            commune = communes[0]
    elif commune_name:
        checked.error("postcode", POSTCODE_WANTED)
    if commune is not None:
        region = commune.departement.region
    elif isinstance(region, str):
        code = region
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            checked.error("region", UNKNOWN_REGION)
    if region is None and not checked.errors:
        checked.error("region", REGION_WANTED)
    checked.values |= {
        "commune": commune,
        "departement": commune.departement if commune else None,
        "region": region,
    }

    zone_name = timezone or (region.timezone if region else DEFAULT_ZONE)
    if zone_name not in iana_zones():
        checked.error("timezone", UNKNOWN_ZONE)
        zone_name = DEFAULT_ZONE
    else:
        checked.values["timezone"] = zone_name
    zone = ZoneInfo(zone_name)
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is None:
            continue
        # The day on the clock it is written with, then on the event's own clock (the first check keeps the
        # conversion from overflowing).
        local = value.replace(tzinfo=zone) if value.tzinfo is None else value
        if not in_range(value) or not in_range(local.astimezone(zone)):
            checked.error(name, OUT_OF_RANGE)
            continue
        checked.values[name] = local
    times = checked.values
    if "starts_at" in times and "ends_at" in times and times["ends_at"] < times["starts_at"]:
        checked.error("ends_at", END_BEFORE_START)
    if mode in (Mode.ONLINE, Mode.HYBRID) and not online_url and status != Status.CANCELLED:
        checked.error("online_url", ONLINE_LINK_WANTED)
    return checked
