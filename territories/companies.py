"""A company from its SIRET, through the State's « API Recherche d’entreprises »
(https://recherche-entreprises.api.gouv.fr, ``/search?q=<siret>``, JSON, no key): its name, its NAF activity and
our NAF section, its size band (INSEE's « tranche d’effectif salarié ») and its commune, for a form to show and
prefill, the person confirming or changing them.

Configured by the setting ``SIRET_LOOKUP_URL`` (the search address); without it nothing is asked. Whatever goes
wrong (slow, down, 429, another company, a JSON of another shape) gives ``None``, never an exception: the form
stays usable and the person fills the fields in. Answers are cached (found or not found: a day; a failure: a
minute), and the calls to the service are limited to ``RATE_PER_SECOND`` for all the servers together (counted
in the shared cache: the service allows 7 requests a second)."""

import json
import logging
import re
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core import throttle
from core.fetch import FetchError, fetch_url
from territories.enums import NafLevel
from territories.models import Commune, NafActivity

logger = logging.getLogger(__name__)

TIMEOUT = 3  # seconds for the whole exchange (headers included): the form must not wait on a slow service
MAX_BYTES = 200_000
CACHE_SECONDS = 86400  # an answer, found or not found
FAILURE_CACHE_SECONDS = 60  # a failure (down, slow, odd answer): retried a minute later
RATE_PER_SECOND = 6  # the service allows 7 requests a second from one address; one left for safety
# What a form says when the lookup gave nothing (off, unknown, down, slow, odd), and for a SIRET of a wrong key.
FAILED_MESSAGE = "La recherche de l’entreprise n’a pas abouti : remplissez les champs vous-même."
INVALID_MESSAGE = (
    "Ce numéro SIRET n’est pas valide : il compte 14 chiffres et sa clé de contrôle doit être juste. "
    "Vérifiez-le, ou remplissez les champs vous-même."
)
_NOT_FOUND = "not-found"
_FAILED = "failed"

# INSEE's « tranches d’effectif salarié » (SIRENE's tranche_effectif_salarie), in French.
SIZE_BANDS = {
    "NN": "unité non employeuse",
    "00": "0 salarié",
    "01": "1 ou 2 salariés",
    "02": "3 à 5 salariés",
    "03": "6 à 9 salariés",
    "11": "10 à 19 salariés",
    "12": "20 à 49 salariés",
    "21": "50 à 99 salariés",
    "22": "100 à 199 salariés",
    "31": "200 à 249 salariés",
    "32": "250 à 499 salariés",
    "41": "500 à 999 salariés",
    "42": "1 000 à 1 999 salariés",
    "51": "2 000 à 4 999 salariés",
    "52": "5 000 à 9 999 salariés",
    "53": "10 000 salariés et plus",
}
# The band's upper bound of employees, for a form's « TPE / PME / ETI » choice (NN: no employee).
SIZE_BAND_MAX = {
    "NN": 0, "00": 0, "01": 2, "02": 5, "03": 9, "11": 19, "12": 49, "21": 99, "22": 199, "31": 249,
    "32": 499, "41": 999, "42": 1999, "51": 4999, "52": 9999, "53": 10**9,
}  # fmt: skip
NAF_CODE = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
SIRET = re.compile(r"^\d{14}$")


@dataclass(frozen=True)
class Company:
    siren: str
    siret: str
    name: str
    naf_code: str = ""  # « 25.62B », the establishment's main activity (else the company's)
    section_code: str = ""  # our NAF section (« C »), or empty when unknown
    section_label: str = ""
    size_code: str = ""  # INSEE's band code (« 12 »), or empty
    size_label: str = ""  # « 20 à 49 salariés »
    commune_code: str = ""  # INSEE code of the establishment's commune, when we know it
    commune_name: str = ""
    postcode: str = ""

    @property
    def employees_at_most(self) -> int | None:
        return SIZE_BAND_MAX.get(self.size_code)


def lookup_enabled() -> bool:
    return bool(settings.SIRET_LOOKUP_URL)


def company_for_siret(siret: str) -> Company | None:
    """The establishment of ``siret`` (14 digits, checked beforehand), or None: lookup off, unknown SIRET, a
    failure of the service, too many lookups this second, or an answer that is not about this SIRET's company."""
    siret = (siret or "").strip()
    if not lookup_enabled() or not SIRET.match(siret):
        return None
    key = f"company:{siret}"
    cached = cache.get(key)
    if isinstance(cached, Company):
        return cached
    if cached in (_NOT_FOUND, _FAILED):
        return None
    if throttle.hit("company-search", "all", 1) > RATE_PER_SECOND:
        logger.info("Company lookup skipped: rate limit of the service reached")
        return None  # not cached: the next second may ask
    try:
        payload = json.loads(_fetch(siret))
        company = _parse(payload, siret)
    except (FetchError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        logger.warning("Company lookup failed for %s", siret[:9], exc_info=True)
        cache.set(key, _FAILED, FAILURE_CACHE_SECONDS)
        return None
    cache.set(key, company or _NOT_FOUND, CACHE_SECONDS)
    return company


def _fetch(siret: str) -> bytes:
    query = urllib.parse.urlencode({"q": siret, "page": 1, "per_page": 1})
    return fetch_url(
        f"{settings.SIRET_LOOKUP_URL}?{query}",
        timeout=TIMEOUT,
        max_bytes=MAX_BYTES,
        accept="application/json",
    )


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _parse(payload, siret: str) -> Company | None:
    """The company of the answer; None when the answer has no result (unknown SIRET). A result about another
    company, or of another shape, is a ValueError (a failure, cached briefly)."""
    results = payload["results"]
    if not isinstance(results, list):
        raise ValueError("results is not a list")
    if not results:
        return None
    result = results[0]
    if not isinstance(result, dict):
        raise ValueError("result is not an object")
    if result.get("siren") != siret[:9]:
        raise ValueError("another company")
    establishment = _establishment(result, siret)
    naf_code = _text(establishment.get("activite_principale")) or _text(result.get("activite_principale"))
    if not NAF_CODE.match(naf_code):
        naf_code = ""
    section = _section(naf_code, _text(result.get("section_activite_principale")))
    size_code = _text(establishment.get("tranche_effectif_salarie")) or _text(
        result.get("tranche_effectif_salarie")
    )
    if size_code not in SIZE_BANDS:
        size_code = ""
    commune = _commune(_text(establishment.get("commune")))
    postcode = _text(establishment.get("code_postal"))
    name = _text(result.get("nom_raison_sociale")) or _text(result.get("nom_complet"))
    if result.get("statut_diffusion") == "P" or "NON-DIFFUSIBLE" in name.upper():
        name = ""  # a sole trader who refused the diffusion of their name: the person types it
    return Company(
        siren=siret[:9],
        siret=siret,
        name=name[:200],
        naf_code=naf_code,
        section_code=section.code if section else "",
        section_label=section.label if section else "",
        size_code=size_code,
        size_label=SIZE_BANDS.get(size_code, ""),
        commune_code=commune.code if commune else "",
        commune_name=commune.name if commune else "",
        postcode=postcode if re.fullmatch(r"\d{5}", postcode) else "",
    )


def _establishment(result: dict, siret: str) -> dict:
    """The establishment of this SIRET among those the search matched (or the head office), else nothing."""
    candidates = result.get("matching_etablissements") or []
    if not isinstance(candidates, list):
        candidates = []
    siege = result.get("siege")
    for candidate in [*candidates, siege]:
        if isinstance(candidate, dict) and candidate.get("siret") == siret:
            return candidate
    return {}


def _section(naf_code: str, section_letter: str) -> NafActivity | None:
    """Our NAF section: the one of the activity's division (« 25.62B » → division 25 → C), else the letter the
    service gives."""
    sections = NafActivity.objects.filter(version="rev2", level=NafLevel.SECTION)
    if naf_code:
        division = (
            NafActivity.objects.filter(version="rev2", level=NafLevel.DIVISION, code=naf_code[:2])
            .select_related("section")
            .first()
        )
        if division and division.section:
            return division.section
    if len(section_letter) == 1 and section_letter.isascii() and section_letter.isalpha():
        return sections.filter(code=section_letter.upper()).first()
    return None


def _commune(code: str) -> Commune | None:
    if not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code):
        return None
    return Commune.objects.filter(code=code).first()
