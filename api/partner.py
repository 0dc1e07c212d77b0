"""Reading a partner's event (``schemas.PartnerEventIn``) into the agenda's fields, with French errors per field."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from agenda.enums import Format, Mode, Status
from agenda.validation import check_event
from ambassadors.models import Topic
from territories.selectors import naf_sections

_url = URLValidator(schemes=["http", "https"])


# The agenda's field names (``agenda.validation``) in the API's words (``schemas.PartnerEventIn``).
API_NAMES = {
    "postcode": "code_postal",
    "region": "region",
    "timezone": "fuseau_horaire",
    "starts_at": "debut",
    "ends_at": "fin",
    "online_url": "lien_en_ligne",
}


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
    checked = check_event(
        postcode=payload.code_postal or "",
        region=payload.region or None,
        timezone=payload.fuseau_horaire or "",
        starts_at=payload.debut,
        ends_at=payload.fin,
        mode=payload.modalite,
        online_url=payload.lien_en_ligne or "",
        status=payload.statut,
    )
    for name, messages in checked.errors.items():
        for message in messages:
            error(API_NAMES[name], message)
    for name in ("lien_en_ligne", "lien_inscription", "site_organisateur"):
        if getattr(payload, name):
            try:
                _url(getattr(payload, name))
            except ValidationError:
                error(name, "Adresse web invalide (http:// ou https://).")
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
        "starts_at": checked.values["starts_at"],
        "ends_at": checked.values["ends_at"],
        "all_day": payload.toute_la_journee,
        "timezone": checked.values["timezone"],
        "mode": payload.modalite,
        "venue_name": payload.lieu,
        "address": payload.adresse,
        "commune": checked.values["commune"],
        "departement": checked.values["departement"],
        "region": checked.values["region"],
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
