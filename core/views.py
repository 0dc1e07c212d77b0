from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, get_script_prefix, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.errors import NotAllowed
from core.http import private_link_page


@login_not_required
@require_GET
def page(request, template):
    return render(request, template)


@login_not_required
@never_cache
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _error(request, status, title, text):
    return render(request, "core/error.html", {"status": status, "title": title, "text": text}, status=status)


def bad_request(request, exception=None):
    return _error(
        request, 400, "Requête incorrecte", "La demande n’a pas pu être comprise. Vérifiez l’adresse."
    )


def permission_denied(request, exception=None):
    """A service's ``NotAllowed`` says why (« Seuls les coordinateurs de la région de l’événement le modèrent. »);
    any other refusal, the general reason."""
    reason = str(exception) if isinstance(exception, NotAllowed) and str(exception) else ""
    return _error(
        request,
        403,
        "Accès refusé",
        reason or "Vous n’avez pas les droits nécessaires pour accéder à cette page ou faire cette action.",
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page non trouvée",
        "La page que vous cherchez est introuvable. Vérifiez l’adresse, ou revenez à l’accueil.",
    )


def server_error(request):
    return _error(
        request, 500, "Erreur inattendue", "Désolé, le service rencontre un problème. Réessayez plus tard."
    )


def _page_of_the_button(request) -> str | None:
    """The address one level up (« /espace/ambassadeurs/12/publier/ » → « /espace/ambassadeurs/12/ »), where the
    button of a POST-only address usually is, when it is a page of the site."""
    parent = request.path_info.rstrip("/").rpartition("/")[0] + "/"
    if parent in {"/", "/espace/"}:
        return None
    try:
        resolve(parent)
    except Resolver404:
        return None
    return get_script_prefix().rstrip("/") + parent


def method_not_allowed(request):
    """The page of ``core.middleware.NotAllowedPageMiddleware`` (status 405; the middleware keeps ``Allow``)."""
    signed_in = request.user.is_authenticated
    page = render(
        request,
        "core/method_not_allowed.html",
        {"status": 405, "back": _page_of_the_button(request), "signed_in": signed_in},
        status=405,
    )
    # Many POST-only addresses carry a private token (/demande/<token>/avis/): never indexed, never a referrer.
    return private_link_page(page)
