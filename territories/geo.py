"""Facts about places that the official geographic code does not carry: the regions' time zones, and distances
between points (the communes' centres, the events' venues)."""

import re
from dataclasses import dataclass
from math import asin, cos, degrees, radians, sin, sqrt

from django.db.models import ExpressionWrapper, F, FloatField, QuerySet, Value
from django.db.models.functions import ASin, Cos, Radians, Sin, Sqrt

from core.search import name_key
from territories.models import Commune

POSTCODE_RE = re.compile(r"^\d{5}$")
# « Lyon (69) », « Saint-Denis (974) », « Ajaccio (2A) »: a commune as the lists name it.
NAME_WITH_DEPARTEMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<departement>\d[\dAB]\d?)\)$", re.IGNORECASE)

# IANA time zone of each region. Metropolitan regions (Corsica included) live in Europe/Paris.
OVERSEAS_TIMEZONES = {
    "01": "America/Guadeloupe",
    "02": "America/Martinique",
    "03": "America/Cayenne",
    "04": "Indian/Reunion",
    "06": "Indian/Mayotte",
}
DEFAULT_TIMEZONE = "Europe/Paris"


def region_timezone(code: str) -> str:
    return OVERSEAS_TIMEZONES.get(code, DEFAULT_TIMEZONE)


# Distances: « près de » a postcode or a commune (the finder, the agenda, the API).

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
DISTANCES_KM = (10, 30, 50)  # the choices offered; the API takes these too


@dataclass(frozen=True)
class Origin:
    """The point a « près de » search measures from: a commune's centre."""

    commune: Commune
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        """« Lyon (69) »: the commune understood, so that the person sees which Saint-Denis was taken."""
        return str(self.commune)


def origin_for(text: str) -> Origin | None:
    """The commune meant by ``text``: a postcode (« 69003 »: the biggest commune it serves), an INSEE code typed with
    its name as lists show it (« Lyon (69) »: the département settles which), or a name (« saint etienne »: folded;
    the biggest commune of that name). None when nothing matches or the commune has no centre."""
    from territories.selectors import commune_for_postcode

    text = " ".join((text or "").split())[:120]
    if not text:
        return None
    if POSTCODE_RE.match(text.replace(" ", "")):
        commune = commune_for_postcode(text)
    else:
        departement = ""
        named = NAME_WITH_DEPARTEMENT.match(text)
        if named:
            text, departement = named["name"], named["departement"].upper()
        communes = Commune.objects.filter(search_name=name_key(text))
        if departement:
            communes = communes.filter(departement_id=departement)
        commune = (
            communes.select_related("departement").order_by(F("population").desc(nulls_last=True)).first()
        )
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    return Origin(commune=commune, latitude=commune.latitude, longitude=commune.longitude)


def bounding_box(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float]:
    """The box (latitude min, max, longitude min, max) that holds every point within ``km`` of the origin: what an
    index on the coordinates reads before the exact distance is computed on the few rows inside."""
    dlat = degrees(km / EARTH_RADIUS_KM)
    # Longitude degrees shrink towards the poles: the widest the circle gets is at the latitude nearest a pole.
    widest = min(89.9, abs(latitude) + dlat)
    dlon = degrees(km / (EARTH_RADIUS_KM * cos(radians(widest))))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def distance_km(origin: Origin, latitude: str, longitude: str):
    """The great-circle distance in km (haversine) from ``origin`` to the point in the columns named, as a database
    expression (SQLite's and PostgreSQL's own math functions)."""
    lat0, lon0 = radians(origin.latitude), radians(origin.longitude)
    lat, lon = Radians(F(latitude)), Radians(F(longitude))
    half_dlat = Sin((lat - Value(lat0)) / Value(2.0))
    half_dlon = Sin((lon - Value(lon0)) / Value(2.0))
    a = half_dlat * half_dlat + Value(cos(lat0)) * Cos(lat) * half_dlon * half_dlon
    return ExpressionWrapper(Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a)), output_field=FloatField())


def near(queryset: QuerySet, origin: Origin, km: float, *, latitude: str, longitude: str) -> QuerySet:
    """The rows of ``queryset`` whose point (the columns named) lies within ``km`` of ``origin``, annotated with
    ``distance_km``: the box first (an index range), then the exact distance on the rows inside."""
    lat_min, lat_max, lon_min, lon_max = bounding_box(origin.latitude, origin.longitude, km)
    return (
        queryset.filter(
            **{
                f"{latitude}__gte": lat_min,
                f"{latitude}__lte": lat_max,
                f"{longitude}__gte": lon_min,
                f"{longitude}__lte": lon_max,
            }
        )
        .annotate(distance_km=distance_km(origin, latitude, longitude))
        .filter(distance_km__lte=km)
    )


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The same haversine distance in Python (tests, and points already in memory)."""
    lat1, lon1, lat2, lon2 = map(radians, (*a, *b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(h))


def distance_label(km: float) -> str:
    """« à 800 m », « à 4,2 km », « à 27 km »: as a person reads a distance."""
    if km < 1:
        return f"à {max(100, round(km * 10) * 100)} m".replace("1000 m", "1 km")
    if km < 10:
        return f"à {km:.1f} km".replace(".", ",")
    return f"à {round(km)} km"
