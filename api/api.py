"""The public, read-only API and the partners' API, at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs). The public endpoints use the same filter forms and selectors as the pages, so the same rules: only
published profiles and events, only public fields. Errors are JSON with a French ``message``."""

import functools
import math
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.csp import csp_override
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.responses import Status
from ninja.security import APIKeyHeader, HttpBearer

from agenda import services as agenda_services
from agenda.forms import AgendaFilterForm
from agenda.models import Event
from agenda.selectors import FOUND_SECONDS, events_public, found_key
from agenda.text import markdown_safe_html, markdown_text, plain_line
from ambassadors.exports import PublicRecords, records, row_for_json
from ambassadors.forms import DirectoryFilterForm
from ambassadors.selectors import ambassadors_public
from api import schemas, throttling
from api.partner import Invalid, event_fields
from api.services import api_key_authenticate
from core.dates import localtime
from core.errors import NotAllowed
from core.http import json_error_body
from core.ids import parse_id
from diagnostic.selectors import statistics
from territories.models import Departement, Region

DOCS_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # Swagger UI sets styles at run time; this page only
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
ERRORS = {400: schemas.Error, 404: schemas.Error, 422: schemas.Error, 429: schemas.Error}
AUTH_ERRORS = {**ERRORS, 401: schemas.Error, 403: schemas.Error}


def _docs_decorator(view):
    return csp_override(DOCS_CSP)(view)


def _rate_in_french(rate: str) -> str:
    count, seconds = throttling.parse_rate(rate)
    return f"{count} requêtes par {({1: 'seconde', 60: 'minute', 3600: 'heure'}).get(seconds, 'jour')}"


api = NinjaAPI(
    title="API des ambassadeurs IA",
    version="1",
    description=(
        "Les données publiques du réseau des ambassadeurs IA (plan « Osez l’IA ») : régions et départements, "
        "ambassadeurs publiés, événements publiés de l’agenda, statistiques de l’autodiagnostic. Lecture libre, "
        f"paginée, limitée à {_rate_in_french(settings.API_ANON_RATE)} et par adresse. Les partenaires envoient leurs "
        "événements avec une clé délivrée par la coordination nationale (en-tête `Authorization: Bearer <clé>`), "
        f"limitée à {_rate_in_french(settings.API_KEY_RATE)} : ils passent par la modération de la région. Les "
        "erreurs sont en JSON, avec un message en français."
    ),
    urls_namespace="api",
    docs_decorator=_docs_decorator,
    throttle=[throttling.AnonThrottle(), throttling.KeyThrottle()],
)


def _error(request, status: int, message: str, errors: dict | None = None):
    return api.create_response(request, json_error_body(message, errors), status=status)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("query", "body", "path", "payload")]
        errors.setdefault(".".join(loc) or "requête", []).append(_french(item))
    return _error(request, 422, "Paramètres ou données invalides : voyez le détail par champ.", errors)


def _french(item: dict) -> str:
    kind = item.get("type", "")
    return {
        "missing": "Champ obligatoire.",
        "int_parsing": "Nombre entier attendu.",
        "bool_parsing": "Booléen attendu (true ou false).",
        "datetime_parsing": "Date et heure attendues (ISO 8601, ex. 2026-03-12T14:30:00+01:00).",
        "datetime_from_date_parsing": "Date et heure attendues (ISO 8601, ex. 2026-03-12T14:30:00+01:00).",
        "string_too_long": "Texte trop long.",
        "string_too_short": "Texte trop court.",
        "string_type": "Texte attendu.",
        "list_type": "Liste attendue.",
        "too_long": "Trop d’éléments.",
        "greater_than_equal": "Valeur trop petite.",
        "less_than_equal": "Valeur trop grande.",
        "json_invalid": "JSON invalide.",
        "model_attributes_type": "Objet JSON attendu.",
        "dict_type": "Objet JSON attendu.",
    }.get(kind, f"Valeur invalide ({kind}).")


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    throttling.auth_failure_record(request)
    return _error(request, 401, "Clé d’API absente, inconnue ou révoquée.")


class TooManyAuthFailures(Throttled):
    pass


@api.exception_handler(TooManyAuthFailures)
def _too_many_auth_failures(request, exc):
    response = _error(
        request,
        429,
        "Trop d’échecs d’authentification depuis cette adresse : réessayez dans quelques minutes.",
    )
    response["Retry-After"] = str(math.ceil(exc.wait))
    return response


@api.exception_handler(Throttled)
def _throttled(request, exc):
    response = _error(request, 429, "Trop de requêtes : réessayez dans une minute.")
    if exc.wait:
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response


@api.exception_handler(NotAllowed)
def _not_allowed(request, exc):
    """A service's refusal (``core.errors.NotAllowed``): its reason, in the API's error body."""
    return _error(request, 403, str(exc) or "Action non permise.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "Ressource introuvable.")


# The few errors ninja raises itself, in English, by the start of their message (DEBUG appends details).
NINJA_MESSAGES = {
    "Cannot parse request body": "JSON invalide : le corps de la requête doit être un objet JSON bien formé.",
}


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc)
    for english, french in NINJA_MESSAGES.items():
        if message.startswith(english):
            message = french
    return _error(request, exc.status_code, message)


def json_errors_outside_operations(view):
    """Wraps a view of ``api.urls``: the 405 that ninja answers in plain text for a method an address does not take
    becomes a French JSON error, with the same ``Allow`` header."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = ", ".join(
                sorted(m.strip() for m in response["Allow"].split(","))
            )  # ninja's comes from a set
            response = _error(request, 405, f"Méthode non permise à cette adresse : utilisez {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapper


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a French JSON 404, not the site's HTML page."""
    return _error(request, 404, "Adresse inconnue dans l’API : voyez /api/v1/docs.")


def _echo(value: str, limit: int = 50) -> str:
    """What a client sent, cut short when quoted back in an error message."""
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


class BadFilter(Exception):
    def __init__(self, errors):
        self.errors = errors


@api.exception_handler(BadFilter)
def _bad_filter(request, exc):
    return _error(request, 400, "Filtre invalide : voyez le détail par paramètre.", exc.errors)


# Pagination


class Pagination(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page, à partir de 1")
    par_page: int = Field(50, ge=1, le=100, description="Résultats par page (100 au plus)")


def _paginate(qs, pagination: Pagination, serialize) -> dict:
    if not 1 <= pagination.page <= 100_000:
        raise BadFilter({"page": ["Numéro de page entre 1 et 100 000."]})
    if not 1 <= pagination.par_page <= 100:
        raise BadFilter({"par_page": ["Entre 1 et 100 résultats par page."]})
    total = qs.count()
    start = (pagination.page - 1) * pagination.par_page
    items = list(qs[start : start + pagination.par_page]) if start < total else []
    return {
        "total": total,
        "page": pagination.page,
        "pages": max(1, math.ceil(total / pagination.par_page)),
        "par_page": pagination.par_page,
        "resultats": [serialize(item) for item in items],
    }


def _form_errors(form) -> dict[str, list[str]]:
    # The filter forms quote the value they refuse (« %(value)s »): quoted cut short here.
    errors: dict[str, list[str]] = {}
    for name, items in form.errors.as_data().items():
        for error in items:
            params = {k: _echo(v) if k == "value" else v for k, v in (error.params or {}).items()}
            errors.setdefault(name, []).append(str(error.message % params if params else error.message))
    return errors


# Public: territories


def _departement(d: Departement) -> dict:
    return {"code": d.code, "nom": d.name, "region": d.region_id}


public = Router(tags=["Données publiques"])


class Index(Schema):
    nom: str
    version: str
    documentation: str
    openapi: str
    ressources: dict[str, str]


@public.get("", response={200: Index, **ERRORS}, summary="Sommaire : où trouver quoi")
def index(request):
    """The address of the API itself answers in JSON: its documentation and its resources."""
    base = request.build_absolute_uri("/api/v1/")
    return {
        "nom": api.title,
        "version": api.version,
        "documentation": base + "docs",
        "openapi": base + "openapi.json",
        "ressources": {
            name: base + name
            for name in ("regions", "departements", "ambassadeurs", "evenements", "diagnostic/statistiques")
        },
    }


@public.get("/regions", response={200: schemas.RegionPage, **ERRORS}, summary="Régions et leurs départements")
def regions(request, pagination: Query[Pagination]):
    qs = Region.objects.order_by("code").prefetch_related("departements")
    return _paginate(
        qs,
        pagination,
        lambda r: {
            "code": r.code,
            "nom": r.name,
            "fuseau_horaire": r.timezone,
            "departements": [_departement(d) for d in sorted(r.departements.all(), key=lambda d: d.code)],
        },
    )


class DepartementFilters(Schema):
    region: str = ""


@public.get("/departements", response={200: schemas.DepartementPage, **ERRORS}, summary="Départements")
def departements(request, filters: Query[DepartementFilters], pagination: Query[Pagination]):
    qs = Departement.objects.order_by("code")
    if filters.region:
        if not Region.objects.filter(code=filters.region).exists():
            raise BadFilter({"region": [f"La région « {_echo(filters.region)} » n’existe pas."]})
        qs = qs.filter(region_id=filters.region)
    return _paginate(qs, pagination, _departement)


# Public: ambassadors


class AmbassadorFilters(Schema):
    region: str = ""
    departement: str = ""
    secteur: str = ""
    thematique: str = ""
    profil: str = ""
    reseau: str = ""
    activateur: bool = False
    q: str = ""
    pres_de: str = Field(
        "",
        max_length=120,
        description="Près de : un code postal (69003) ou une commune (Villeurbanne, « Saint-Denis (93) »). Les "
        "ambassadeurs dont la commune est à moins de distance_km du centre de celle-ci, du plus proche au plus "
        "éloigné ; chacun porte alors distance_km et sa commune. Ceux dont la commune n’est pas connue n’y "
        "figurent pas.",
    )
    distance_km: int | None = Field(
        None, description="Avec pres_de : 10, 30 ou 50 (km, à vol d’oiseau) ; 30 par défaut"
    )


class NearRecords(PublicRecords):
    """``PublicRecords`` of a « près de » search: each row with its distance and commune, read with the page's
    profiles (one query more) and kept in the cache with them."""

    def __getitem__(self, window: slice) -> list[dict]:
        def build():
            rows = records(self._found(), window)
            where = {
                pk: (km, code, name)
                for pk, km, code, name in self._found()
                .filter(pk__in=[row["pk"] for row in rows])
                .select_related(None)
                .prefetch_related(None)
                .values_list("pk", "distance_km", "commune__code", "commune__name")
            }
            for row in rows:
                km, code, name = where[row["pk"]]
                row["near"] = {"distance_km": round(km, 1), "commune": {"code": code, "nom": name}}
            return rows

        return self._cached(("near", window.start, window.stop), build)


def _listed_ambassador(row: dict) -> dict:
    return {**row_for_json(row), **row.get("near", {})}


@public.get(
    "/ambassadeurs",
    response={200: schemas.AmbassadorPage, **ERRORS},
    summary="Ambassadeurs publiés (mêmes filtres que l’annuaire ; pres_de et distance_km pour les plus proches "
    "d’une commune)",
    exclude_unset=True,  # ``distance_km`` and ``commune`` only with pres_de: unset otherwise, so not written
)
def ambassadors(request, filters: Query[AmbassadorFilters], pagination: Query[Pagination]):
    sent = filters.dict()
    data = {k: v for k, v in sent.items() if k != "distance_km" and v not in ("", False)}
    if sent["distance_km"] is not None:
        data["distance"] = str(sent["distance_km"])
    form = DirectoryFilterForm(data)
    if not form.is_valid():
        errors = _form_errors(form)
        if "distance" in errors:  # the form's name for it
            errors["distance_km"] = errors.pop("distance")
        raise BadFilter(errors)
    found = NearRecords(form) if form.near_km else PublicRecords(form)
    return _paginate(found, pagination, _listed_ambassador)


@public.get(
    "/ambassadeurs/{identifiant}",
    response={200: schemas.Ambassador, **ERRORS},
    summary="Un ambassadeur publié",
)
def ambassador(request, identifiant: str):
    return row_for_json(get_object_or_404(ambassadors_public(), slug=identifiant))


# Public: events


def event_out(event: Event) -> dict:
    zone = ZoneInfo(event.timezone)
    return {
        "identifiant": event.slug,
        # Never the raw text: a site that shows it as HTML would run what a contributor typed.
        "titre": plain_line(event.title),
        "description": markdown_text(event.description),
        "description_html": markdown_safe_html(event.description),
        "debut": localtime(event.starts_at, zone),
        "fin": localtime(event.ends_at, zone),
        "fuseau_horaire": event.timezone,
        "toute_la_journee": event.all_day,
        "modalite": event.mode,
        "lieu": {
            "lieu": plain_line(event.venue_name),
            "adresse": plain_line(event.address),
            "commune": event.commune_id,
            "nom_commune": event.commune.name if event.commune_id else None,
            "departement": event.departement_id,
            "region": event.region_id,
        },
        "debut_initial": localtime(event.previous_starts_at, zone) if event.previous_starts_at else None,
        # As on the page: nothing to register for or connect to while cancelled or postponed without a date.
        "lien_en_ligne": event.online_url if event.is_open else "",
        "format": event.format,
        "public": event.audience,
        "secteurs": sorted(s.code for s in event.sectors.all()),
        "thematiques": sorted(t.slug for t in event.topics.all()),
        "gratuit": event.is_free,
        "lien_inscription": event.registration_url if event.is_open else "",
        "organisateur": plain_line(event.organizer_name),
        "site_organisateur": event.organizer_url,
        "statut": event.status,
        "url": settings.SITE_URL + event.get_absolute_url(),
        "ical": f"{settings.SITE_URL}/agenda/{event.slug}.ics",
    }


def _near_event_out(event: Event) -> dict:
    return {**event_out(event), "distance_km": round(event.distance_km, 1)}


class EventFilters(Schema):
    region: str = ""
    departement: str = ""
    du: str = ""
    au: str = ""
    format: str = ""
    mode: str = ""
    secteur: str = ""
    thematique: str = ""
    q: str = ""
    passes: bool = False
    pres_de: str = Field(
        "",
        max_length=120,
        description="Près de : un code postal (69003) ou une commune (Lyon, « Saint-Denis (93) »). Les événements "
        "dont le lieu est à moins de distance_km du centre de cette commune, du plus proche au plus lointain puis par "
        "date ; chacun porte alors distance_km. Les événements en ligne, sans lieu, n’y figurent pas.",
    )
    distance_km: int | None = Field(
        None, description="Avec pres_de : 10, 30 ou 50 (km, à vol d’oiseau) ; 30 par défaut"
    )


@public.get(
    "/evenements",
    response={200: schemas.EventPage, **ERRORS},
    summary="Événements publiés (mêmes filtres que l’agenda ; passes=true pour les événements passés ; pres_de et "
    "distance_km pour les plus proches d’une commune)",
)
def events(request, filters: Query[EventFilters], pagination: Query[Pagination]):
    sent = filters.dict()
    data = {k: v for k, v in sent.items() if k not in ("passes", "distance_km") and v}
    if sent["distance_km"] is not None:
        data["distance"] = str(sent["distance_km"])
    form = AgendaFilterForm(data)
    if not form.is_valid():
        errors = _form_errors(form)
        if "distance" in errors:  # the form's name for it
            errors["distance_km"] = errors.pop("distance")
        raise BadFilter(errors)
    # The page is kept by the events' version, as the agenda's list is (``agenda.selectors.found_key``): counting a
    # common word's events, ordering them and writing a hundred of them (each description's Markdown as text and
    # as HTML) took 55 to 190 ms on SQLite and PostgreSQL (``scripts/bench.py``).
    # What is kept is the JSON itself, validated by the response's schema and rendered as Django Ninja does: read
    # again, the hundred events' validation (by Ninja's getters) and rendering were 8 of the 11 ms of a page whose
    # events were cached (cProfile).
    now = timezone.now()
    key = found_key("api", now, sorted(data.items()), filters.passes, pagination.page, pagination.par_page)
    body = cache.get(key)
    if body is None:
        selection = form.filters()
        serialize = _near_event_out if selection.is_near else event_out
        found = _paginate(events_public(selection, past=filters.passes, now=now), pagination, serialize)
        context = {"request": request, "response_status": 200}
        # ``distance_km`` only when asked: an item without it leaves it unset, and unset is not written.
        dumped = schemas.EventPage.model_validate(found, context=context).model_dump(
            context=context, exclude_unset=True
        )
        body = api.renderer.render(request, dumped, response_status=200)
        cache.set(key, body, FOUND_SECONDS)
    return HttpResponse(body, content_type=api.get_content_type())


@public.get(
    "/evenements/{identifiant}", response={200: schemas.Event, **ERRORS}, summary="Un événement publié"
)
def event(request, identifiant: str):
    return event_out(get_object_or_404(events_public().model.objects.public(), slug=identifiant))


# Public: diagnostic statistics


def _groups(rows) -> list[dict]:
    return [{"groupe": r.label, "resultats": r.total, "repartition": r.shares} for r in rows]


@public.get(
    "/diagnostic/statistiques",
    response={200: schemas.Statistics, **ERRORS},
    summary="Répartition des profils de l’autodiagnostic (groupes de moins de 10 résultats regroupés dans « Autres »)",
)
def diagnostic_statistics(request):
    stats = statistics()
    return {
        "total": stats["total"],
        "repartition": stats["overall"],
        "reference_nationale": stats["baseline"],
        "par_region": _groups(stats["by_region"]),
        "par_taille": _groups(stats["by_size"]),
        "par_secteur": _groups(stats["by_sector"]),
    }


# Partners


def _authenticate(request, raw: str):
    # Checked before the key, and whatever the key: past the limit, a right guess answers as a wrong one.
    wait = throttling.auth_failures_wait(request)
    if wait:
        raise TooManyAuthFailures(wait=wait)
    return api_key_authenticate(raw)


class PartnerKey(HttpBearer):
    def authenticate(self, request, token):
        return _authenticate(request, token)


class PartnerKeyHeader(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _authenticate(request, key)


partners = Router(tags=["Partenaires"], auth=[PartnerKey(), PartnerKeyHeader()])


def partner_event_out(event: Event) -> dict:
    return {
        "id": event.pk,
        "identifiant_externe": event.source_uid,
        "moderation": event.moderation,
        "motif_refus": event.refusal_reason,
        "evenement": event_out(event),
    }


def _partner_events(request):
    return (
        Event.objects.filter(partner_key=request.auth)
        .select_related("commune")
        .prefetch_related("sectors", "topics")
    )


@partners.get(
    "/evenements",
    response={200: schemas.PartnerEventPage, **AUTH_ERRORS},
    summary="Les événements envoyés avec cette clé, publiés ou non",
)
def partner_events(request, pagination: Query[Pagination]):
    return _paginate(_partner_events(request).order_by("-pk"), pagination, partner_event_out)


def _save(request, payload, event=None):
    try:
        data, m2m = event_fields(payload)
    except Invalid as exc:
        raise BadFilter(exc.errors) from exc
    try:
        saved = agenda_services.event_save_by_partner(key=request.auth, data=data, m2m=m2m, event=event)
    except agenda_services.AgendaError as exc:
        # The service names the field at fault when it is not the dates (a new event postponed or cancelled).
        field = {"status": "statut"}.get(exc.field, "fin")
        raise BadFilter({field: [str(exc)]}) from exc
    except IntegrityError as exc:
        raise HttpError(409, "Un événement avec cet identifiant externe existe déjà pour cette clé.") from exc
    return partner_event_out(Event.objects.select_related("commune").get(pk=saved.pk))


@partners.post(
    "/evenements",
    response={201: schemas.PartnerEvent, 409: schemas.Error, **AUTH_ERRORS},
    summary="Envoyer un événement : il attend la modération de la coordination de sa région",
)
def partner_event_create(request, payload: schemas.PartnerEventIn):
    return Status(201, _save(request, payload))


@partners.put(
    "/evenements/{event_id}",
    response={200: schemas.PartnerEvent, 409: schemas.Error, **AUTH_ERRORS},
    summary="Modifier un événement envoyé avec cette clé (un changement de ce qui a été modéré repasse en modération)",
)
def partner_event_update(request, event_id: int, payload: schemas.PartnerEventIn):
    # Looked up among this key's events only: another partner's event is as unknown as one that does not exist.
    event = (
        Event.objects.filter(partner_key=request.auth, pk=event_id).first()
        if parse_id(event_id) is not None
        else None
    )
    if event is None:
        raise HttpError(404, "Événement introuvable parmi ceux envoyés avec cette clé.")
    return _save(request, payload, event)


api.add_router("/", public)
api.add_router("/partenaires/", partners)
