"""Optional: the NAF section of a company from its SIRET, through a lookup service (the State’s « API Recherche
d’entreprises », https://recherche-entreprises.api.gouv.fr, answers ``/search?q=<siret>`` with JSON without a key).

Configured by ``SIRET_LOOKUP_URL``; without it, or when the service is slow, down or answers something odd (another
company, a JSON of another shape), the platform works the same and the company picks its sector in the list."""

import json
import logging
import urllib.parse

from django.conf import settings

from core.fetch import FetchError, fetch_url

logger = logging.getLogger(__name__)
TIMEOUT = 3  # seconds for the whole exchange (headers included): the form must not wait on a slow service
MAX_BYTES = 200_000


def lookup_enabled() -> bool:
    return bool(settings.SIRET_LOOKUP_URL)


def section_for_siret(siret: str) -> str | None:
    """The NAF section letter (« C ») of the establishment, or None when unknown, when the service fails, or when
    its first answer is not the company of this SIRET (a full-text search may answer a neighbour)."""
    if not lookup_enabled():
        return None
    url = f"{settings.SIRET_LOOKUP_URL}?{urllib.parse.urlencode({'q': siret, 'per_page': 1})}"
    try:
        payload = json.loads(fetch_url(url, timeout=TIMEOUT, max_bytes=MAX_BYTES, accept="application/json"))
        result = payload["results"][0]
        siren = result.get("siren")
        section = result.get("section_activite_principale") or ""
    except (FetchError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        logger.warning("SIRET lookup failed for %s", siret[:9], exc_info=True)
        return None
    if siren != siret[:9]:
        logger.warning("SIRET lookup answered another company for %s", siret[:9])
        return None
    if not isinstance(section, str):
        return None
    return section if len(section) == 1 and section.isascii() and section.isalpha() else None
