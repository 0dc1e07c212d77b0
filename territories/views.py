from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core import throttle
from core.http import json_error
from territories import addresses
from territories.selectors import POSTCODE_RE, communes_for_postcode

# Suggestions as one types: a request every few keystrokes; 120 a minute from one visitor is plenty for a person
# and keeps anyone from using us as a free relay to the service (setting ``RATE_LIMITS`` may change it).
SUGGESTIONS_LIMIT = (120, 60)
SUGGESTED_TYPES = {
    "housenumber",
    "street",
    "locality",
}  # the form's field is « numéro et voie »: not a commune


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def postcode_lookup(request, postcode: str):
    """The communes of a postcode, for forms: ``{"communes": [{code, nom, departement, region}]}``."""
    if not POSTCODE_RE.match(postcode):
        return json_error(400, "Un code postal compte cinq chiffres.")
    communes = [
        {
            "code": c.code,
            "nom": c.name,
            "departement": {"code": c.departement.code, "nom": c.departement.name},
            "region": {"code": c.departement.region.code, "nom": c.departement.region.name},
        }
        for c in communes_for_postcode(postcode)
    ]
    if not communes:
        return json_error(404, f"Aucune commune ne porte le code postal {postcode}.")
    return JsonResponse({"code_postal": postcode, "communes": communes})


@login_not_required
@require_GET
def address_suggestions(request):
    """Addresses of venues matching ``q`` (3 to 200 characters), in the postcode ``code_postal`` when given, for the
    event form's address field (``territories/static/territories/address-suggestions.js``):
    ``[{label, adresse, code_postal, commune, code_commune, type}]``, best first. ``[]`` when the address service
    is off or fails (the field stays a plain text input); a bad query is a French 400, too many queries from one
    visitor a 429."""
    query = " ".join(request.GET.get("q", "").split())
    postcode = request.GET.get("code_postal", "").strip()
    if len(query) > addresses.MAX_LENGTH:
        return json_error(400, "Une adresse compte 200\u00a0caractères au plus.")
    if len(query) < addresses.MIN_LENGTH or not query[0].isalnum():
        return json_error(
            400, "Tapez au moins 3\u00a0caractères de l’adresse, en commençant par un chiffre ou une lettre."
        )
    if postcode and not POSTCODE_RE.match(postcode):
        return json_error(400, "Un code postal compte cinq chiffres.")
    count, seconds = getattr(settings, "RATE_LIMITS", {}).get("address-suggestions-ip", SUGGESTIONS_LIMIT)
    if throttle.hit("address-suggestions-ip", throttle.client_key(request), seconds) > count:
        response = json_error(
            429, "Trop de recherches d’adresse en peu de temps\u00a0: réessayez dans une minute."
        )
        response["Retry-After"] = str(seconds)
        return response
    found = addresses.address_suggestions(query, postcode=postcode)
    suggestions = [
        {
            "label": s.label,
            "adresse": s.name,
            "code_postal": s.postcode,
            "commune": s.city,
            "code_commune": s.citycode,
            "type": s.type,
        }
        for s in found
        if s.type in SUGGESTED_TYPES
    ]
    # The same answer for everyone: public for 30 s, as any public page (``core.middleware.PublicCacheMiddleware``);
    # the client keeps the service's answers a day, its failures a minute.
    return JsonResponse(suggestions, safe=False, json_dumps_params={"ensure_ascii": False})
