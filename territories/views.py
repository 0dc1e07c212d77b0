from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.http import json_error
from territories.selectors import POSTCODE_RE, communes_for_postcode


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
