"""Refuse a NUL character in the address or the query string of an API request before any view runs: PostgreSQL
refuses NUL in text (a 500 if it reached a query), and no honest request carries one. The pages check their
inputs with forms and strict URL converters (a French message next to the field, or a 404), so only /api/ is
guarded here: django-ninja reads its parameters without Django forms."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        query_has_nul = any("\x00" in v for values in request.GET.lists() for v in [values[0], *values[1]])
        if "\x00" in request.path_info or query_has_nul:
            body = json.dumps({"message": "Caractère nul interdit dans l’adresse.", "erreurs": {}})
            return HttpResponse(body, status=400, content_type="application/json; charset=utf-8")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` (Django's ``never_cache`` headers) on every page behind a login, on
    every answer to a signed-in person and on every request carrying an API key: they carry personal data or a name in the header, and neither a shared cache
    nor the browser's history store may keep them (ANSSI, OWASP ASVS 8.2.1). Applied once here rather than view by
    view, so a new back-office page cannot forget it. Anonymous visitors of public pages are left alone (their
    pages set their own public caching), and their session is not read: no cookie, no session, no ``Vary: Cookie``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_behind_login", False) or self._signed_in(request) or self._with_a_key(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _with_a_key(request) -> bool:
        # A partner's API calls (its key in Authorization or X-API-Key) answer with its unpublished events and
        # refusal reasons: private too, whatever the answer.
        return "HTTP_AUTHORIZATION" in request.META or "HTTP_X_API_KEY" in request.META

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The same attribute LoginRequiredMiddleware reads: views are behind a login unless marked otherwise.
        request._behind_login = getattr(view_func, "login_required", True)

    @staticmethod
    def _signed_in(request) -> bool:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


class NotAllowedPageMiddleware:
    """A POST-only address opened by hand (a bookmark, a link copied from the address bar: a GET) answers with a
    French page saying where its button lives, not Django's blank 405. Done here once, for every view refusing the
    method with an empty ``HttpResponseNotAllowed`` (``require_POST``, ``require_http_methods``, a class-based
    view's ``http_method_not_allowed``); the status and the ``Allow`` header stay. The API answers its own JSON 405
    (``api/api.py``), and a client that does not accept HTML keeps the bare answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.content
            or request.path_info.startswith("/api/")
            or request.method == "HEAD"
            or not request.accepts("text/html")
        ):
            return response
        from core.views import method_not_allowed  # views import templates and URLs: not at import time

        page = method_not_allowed(request)
        page["Allow"] = response["Allow"]
        return page
