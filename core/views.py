from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
    return _error(
        request,
        403,
        "Accès refusé",
        "Vous n’avez pas les droits nécessaires pour accéder à cette page ou faire cette action.",
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
