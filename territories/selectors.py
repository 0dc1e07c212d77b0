import re

from django.core.cache import cache
from django.db.models import QuerySet

from territories.enums import NafLevel
from territories.models import Commune, Departement, NafActivity, Region

POSTCODE_RE = re.compile(r"^\d{5}$")


def communes_for_postcode(postcode: str) -> QuerySet[Commune]:
    """The communes a postcode serves, with their département and region, biggest first.
    An ill-formed postcode gives an empty queryset."""
    postcode = (postcode or "").strip().replace(" ", "")
    if not POSTCODE_RE.match(postcode):
        return Commune.objects.none()
    return (
        Commune.objects.filter(postal_codes__code=postcode)
        .select_related("departement__region")
        .order_by("-population", "name")
        .distinct()
    )


# How long the commune of a postcode is kept in the shared cache: reference data, changed only by a release's
# ``load_reference_data`` (a bulk write that sends no signal), read by every form and search that takes a postcode.
COMMUNE_SECONDS = 3600


def commune_for_postcode(postcode: str) -> Commune | None:
    """The biggest commune ``postcode`` serves, with its département and region (``communes_for_postcode``'s
    first), or None; kept ``COMMUNE_SECONDS`` in the shared cache (an unknown postcode too: five digits at most)."""
    postcode = (postcode or "").strip().replace(" ", "")
    if not POSTCODE_RE.match(postcode):
        return None
    key = f"commune-for-postcode:{postcode}"
    found = cache.get(key)
    if found is None:
        found = communes_for_postcode(postcode).first() or ""
        cache.set(key, found, COMMUNE_SECONDS)
    return found or None


def departements_for_postcode(postcode: str) -> list[Departement]:
    """The départements a postcode serves, by code: one almost always, two for a few postcodes that cross a
    border (05110, 13780…)."""
    ids = communes_for_postcode(postcode).order_by().values("departement_id").distinct()
    return list(Departement.objects.filter(code__in=ids).select_related("region").order_by("code"))


def regions_list() -> QuerySet[Region]:
    """Metropolitan regions first, then overseas; each in the alphabetical order French readers expect (accents
    and hyphens folded: « Île-de-France » between « Hauts-de-France » and « Normandie »)."""
    return Region.objects.order_by("-zone", "search_name")


def naf_sections() -> QuerySet[NafActivity]:
    return NafActivity.objects.filter(version="rev2", level=NafLevel.SECTION).order_by("code")
