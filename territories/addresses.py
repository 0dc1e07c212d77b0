"""Addresses through the Base Adresse Nationale's geocoder (« API Adresse »: ``<base>/search/?q=<text>&limit=<n>``,
optionally ``citycode=<INSEE code>`` or ``postcode=``; a GeoJSON FeatureCollection, no key): suggestions as one
types a venue's address in the event form, and the point of an event's venue (``address_point``), for distances.

Configured by the setting ``ADDRESS_LOOKUP_URL`` (the service's base address); without it nothing is asked. As the
company lookup (``territories.companies``), whatever goes wrong (slow, down, 429, a body that is not JSON, an
answer of another shape) gives nothing, never an exception: features of an odd shape or with coordinates out of
range are left out. Answers are cached (found or not found: a day; a failure: a minute) and the calls to the service
are limited to ``RATE_PER_SECOND`` for all the servers together (counted in the shared cache: the service allows 50
requests a second from one address). Only venues of events are looked up: never the address of a person."""

import hashlib
import json
import logging
import math
import re
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core import throttle
from core.fetch import FetchError, fetch_url

logger = logging.getLogger(__name__)

TIMEOUT = 3  # seconds for the whole exchange: suggestions that come late are of no use to the person typing
MAX_BYTES = 200_000
CACHE_SECONDS = 86400  # an answer, found or not found
FAILURE_CACHE_SECONDS = 60  # a failure (down, slow, odd answer): retried a minute later
RATE_PER_SECOND = 40  # the service allows 50 requests a second from one address; some left for safety
MIN_SCORE = 0.5  # below, the best match is a guess: the commune's centre is a truer point
MIN_LENGTH, MAX_LENGTH = 3, 200  # what the service accepts of ``q``
MAX_LIMIT = 10
POINT_TYPES = {"housenumber", "street"}  # a venue's point: a number in a street, or the street itself
TYPES = {"housenumber", "street", "locality", "municipality"}
POSTCODE = re.compile(r"^\d{5}$")
CITYCODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
# Paris, Marseille and Lyon are one commune of ours, their arrondissements in the Base Adresse Nationale.
ARRONDISSEMENTS = {
    "75056": {f"751{n:02d}" for n in range(1, 21)},
    "13055": {f"132{n:02d}" for n in range(1, 17)},
    "69123": {f"6938{n}" for n in range(1, 10)},
}
_FAILED = "failed"


@dataclass(frozen=True)
class Suggestion:
    label: str  # « 28 Avenue Henri Barbusse 69100 Villeurbanne »
    name: str  # the number and street (« 28 Avenue Henri Barbusse »), what the form's address field holds
    type: str  # housenumber, street, locality or municipality
    score: float
    latitude: float
    longitude: float
    housenumber: str = ""
    street: str = ""
    postcode: str = ""
    citycode: str = ""
    city: str = ""


def lookup_enabled() -> bool:
    return bool(settings.ADDRESS_LOOKUP_URL)


def clean_query(text) -> str:
    """The text as the service is asked it: spaces folded, at most ``MAX_LENGTH`` characters."""
    return " ".join(str(text or "").split())[:MAX_LENGTH]


def address_suggestions(
    text: str, *, citycode: str = "", postcode: str = "", limit: int = 5
) -> list[Suggestion]:
    """At most ``limit`` addresses matching ``text`` (best first), in the commune ``citycode`` or the postcode
    ``postcode`` when given; none when the lookup is off, the text too short, or the service failed."""
    return address_search(text, citycode=citycode, postcode=postcode, limit=limit) or []


def address_point(address: str, *, commune) -> tuple[float, float] | None:
    """(latitude, longitude) of ``address`` in ``commune`` (a ``territories.models.Commune``): the service's best
    match if it is a number or a street of that commune (an arrondissement of Paris, Marseille or Lyon counts as the
    city) with a score of ``MIN_SCORE`` at least; else None."""
    if commune is None:
        return None
    codes = ARRONDISSEMENTS.get(commune.code)
    if codes:  # the service knows the arrondissements only: ask by the city's name, keep its arrondissements
        found = address_search(f"{address} {commune.name}", limit=5)
    else:
        codes = {commune.code}
        found = address_search(address, citycode=commune.code, limit=1)
    best = next((s for s in found or () if s.citycode in codes), None)
    if best is None or best.type not in POINT_TYPES or best.score < MIN_SCORE:
        return None
    return best.latitude, best.longitude


def address_search(
    text, *, citycode: str = "", postcode: str = "", limit: int = 5
) -> list[Suggestion] | None:
    """``address_suggestions``, but None when the service failed or was not asked (too many calls this second): [] is
    an answer (nothing found, the lookup off, a text too short), None is to be asked again soon."""
    query = clean_query(text)
    if not lookup_enabled() or len(query) < MIN_LENGTH or not query[0].isalnum():
        return []
    params = {"q": query, "limit": max(1, min(int(limit), MAX_LIMIT))}
    if citycode:
        if not CITYCODE.match(citycode):
            return []
        params["citycode"] = citycode
    elif postcode:
        if not POSTCODE.match(postcode):
            return []
        params["postcode"] = postcode
    address = f"{settings.ADDRESS_LOOKUP_URL.rstrip('/')}/search/?{urllib.parse.urlencode(params)}"
    key = "address:" + hashlib.sha256(address.lower().encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, list):
        return cached
    if cached == _FAILED:
        return None
    if throttle.hit("address-search", "all", 1) > RATE_PER_SECOND:
        logger.info("Address lookup skipped: rate limit of the service reached")
        return None  # not cached: the next second may ask
    try:
        body = fetch_url(address, timeout=TIMEOUT, max_bytes=MAX_BYTES, accept="application/json")
        found = _parse(json.loads(body))
    except (FetchError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        logger.warning("Address lookup failed", exc_info=True)  # (the address itself is not logged)
        cache.set(key, _FAILED, FAILURE_CACHE_SECONDS)
        return None
    found = found[: params["limit"]]
    cache.set(key, found, CACHE_SECONDS)
    return found


def _text(value, length: int = 200) -> str:
    return value.strip()[:length] if isinstance(value, str) else ""


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _parse(payload) -> list[Suggestion]:
    """The features of a FeatureCollection; one of another shape or out of range is left out. An answer that is no
    FeatureCollection at all is a ValueError (a failure, cached briefly)."""
    if not isinstance(payload, dict) or payload.get("type") != "FeatureCollection":
        raise ValueError("not a FeatureCollection")
    features = payload["features"]
    if not isinstance(features, list):
        raise ValueError("features is not a list")
    found = []
    for feature in features:
        suggestion = _suggestion(feature)
        if suggestion is None:
            logger.info("Address lookup: a feature of another shape left out")
        else:
            found.append(suggestion)
    return found


def _suggestion(feature) -> Suggestion | None:
    if not isinstance(feature, dict):
        return None
    geometry, properties = feature.get("geometry"), feature.get("properties")
    if not isinstance(geometry, dict) or not isinstance(properties, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    longitude, latitude = _number(coordinates[0]), _number(coordinates[1])
    score = _number(properties.get("score"))
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    if (latitude, longitude) == (0, 0) or score is None or not 0 <= score <= 1:
        return None
    kind, label, name = (
        _text(properties.get("type")),
        _text(properties.get("label")),
        _text(properties.get("name")),
    )
    if kind not in TYPES or not label or not name:
        return None
    postcode, citycode = _text(properties.get("postcode")), _text(properties.get("citycode"))
    return Suggestion(
        label=label,
        name=name,
        type=kind,
        score=score,
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        housenumber=_text(properties.get("housenumber"), 20),
        street=_text(properties.get("street")),
        postcode=postcode if POSTCODE.match(postcode) else "",
        citycode=citycode if CITYCODE.match(citycode) else "",
        city=_text(properties.get("city"), 100),
    )
