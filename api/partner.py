"""Reading a partner's event (``schemas.PartnerEventIn``) into the agenda's fields, with French errors per field."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from agenda.dates import iana_zones
from agenda.enums import Format, Mode, Status
from ambassadors.models import Topic
from core.dates import OUT_OF_RANGE, in_range
from territories.models import Region
from territories.selectors import communes_for_postcode, naf_sections

_url = URLValidator(schemes=["http", "https"])


class Invalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


def event_fields(payload) -> tuple[dict, dict]:
    """(data, m2m) for ``agenda.services.event_save_by_partner``, or ``Invalid`` with every error found."""
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    for field, value in payload.dict().items():
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            error(field, "Caractère nul interdit.")
    if errors:  # PostgreSQL refuses NUL in text: stop before any query
        raise Invalid(errors)

    if payload.modalite not in Mode.values:
        error("modalite", f"Modalité inconnue : choisissez parmi {', '.join(Mode.values)}.")
    if payload.format not in Format.values:
        error("format", f"Format inconnu : choisissez parmi {', '.join(Format.values)}.")
    if payload.statut not in Status.values:
        error("statut", f"Statut inconnu : choisissez parmi {', '.join(Status.values)}.")
    commune, region = None, None
    if payload.code_postal:
        postcode = payload.code_postal.strip()
        commune = (
            communes_for_postcode(postcode).select_related("departement__region").first()
            if postcode.isascii() and postcode.isdigit()
            else None
        )
        if commune is None:
            error("code_postal", "Code postal inconnu (5 chiffres).")
        else:
            region = commune.departement.region
    elif payload.region:
        region = Region.objects.filter(code=payload.region).first()
        if region is None:
            error("region", "Région inconnue : donnez son code INSEE (ex. 84).")
    else:
        error("region", "Donnez le code postal du lieu, ou la région pour un événement en ligne.")
    zone_name = payload.fuseau_horaire or (region.timezone if region else "Europe/Paris")
    if zone_name not in iana_zones():
        error("fuseau_horaire", "Fuseau horaire inconnu : donnez un nom IANA, ex. Europe/Paris.")
        zone_name = "Europe/Paris"
    zone = ZoneInfo(zone_name)
    times = {}
    for name in ("debut", "fin"):
        value: datetime = getattr(payload, name)
        # The forms' rule (core/dates.py): the day on the clock it is written with, then on the event's own clock
        # (the first check keeps the conversion from overflowing).
        local = value.replace(tzinfo=zone) if value.tzinfo is None else value
        if not in_range(value) or not in_range(local.astimezone(zone)):
            error(name, OUT_OF_RANGE)
            continue
        times[name] = local
    if len(times) == 2 and times["fin"] < times["debut"]:
        error("fin", "La fin doit être après le début.")
    for name in ("lien_en_ligne", "lien_inscription", "site_organisateur"):
        if getattr(payload, name):
            try:
                _url(getattr(payload, name))
            except ValidationError:
                error(name, "Adresse web invalide (http:// ou https://).")
    if (
        payload.modalite in (Mode.ONLINE, Mode.HYBRID)
        and not payload.lien_en_ligne
        and payload.statut != Status.CANCELLED
    ):
        error("lien_en_ligne", "Donnez le lien de connexion d’un événement en ligne.")
    sectors = list(naf_sections().filter(code__in=payload.secteurs))
    if len(sectors) != len(set(payload.secteurs)):
        error("secteurs", "Section NAF inconnue : des lettres de A à U.")
    topics = list(Topic.objects.filter(slug__in=payload.thematiques))
    if len(topics) != len(set(payload.thematiques)):
        known = ", ".join(Topic.objects.order_by("order").values_list("slug", flat=True))
        error("thematiques", f"Thématique inconnue : choisissez parmi {known}.")
    if errors:
        raise Invalid(errors)
    data = {
        "title": payload.titre.strip(),
        "description": payload.description,
        "starts_at": times["debut"],
        "ends_at": times["fin"],
        "all_day": payload.toute_la_journee,
        "timezone": zone_name,
        "mode": payload.modalite,
        "venue_name": payload.lieu,
        "address": payload.adresse,
        "commune": commune,
        "departement": commune.departement if commune else None,
        "region": region,
        "online_url": payload.lien_en_ligne,
        "format": payload.format,
        "audience": payload.public,
        "is_free": payload.gratuit,
        "registration_url": payload.lien_inscription,
        "organizer_name": payload.organisateur,
        "organizer_url": payload.site_organisateur,
        "status": payload.statut,
        "source_uid": payload.identifiant_externe.strip(),
    }
    return data, {"sectors": sectors, "topics": topics}
