"""Refuse a NUL character in the address or the query string of an API request before any view runs: PostgreSQL
refuses NUL in text (a 500 if it reached a query), and no honest request carries one. The pages check their
inputs with forms and strict URL converters (a French message next to the field, or a 404), so only /api/ is
guarded here: django-ninja reads its parameters without Django forms."""

import json

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, get_max_age, patch_cache_control

from core.http import json_error_body

# Freshness of a public page in a cache. Two caches may hold it one after the other (the proxy's, then a
# browser's, which may fetch it from the proxy when it is already this old): twice this is the 60 s within which
# a change must show.
PUBLIC_MAX_AGE = 30
# URL parameters that make an address a secret (a link sent by email): the page is private whoever opens it.
SECRET_PARAMETERS = frozenset({"token", "uidb64"})


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        query_has_nul = any("\x00" in v for values in request.GET.lists() for v in [values[0], *values[1]])
        if "\x00" in request.path_info or query_has_nul:
            body = json.dumps(json_error_body("Caractère nul interdit dans l’adresse."))
            return HttpResponse(body, status=400, content_type="application/json; charset=utf-8")
        return self.get_response(request)


def with_a_key(request) -> bool:
    """A partner's API calls (its key in Authorization or X-API-Key) answer with its unpublished events and refusal
    reasons: private, whatever the answer."""
    return "HTTP_AUTHORIZATION" in request.META or "HTTP_X_API_KEY" in request.META


def shared_answer(response) -> bool:
    """An answer a shared cache may keep for everyone: no cookie set, no ``Vary: Cookie`` (the session or the CSRF
    token was not read), nothing private said."""
    if response.cookies or "cookie" in response.get("Vary", "").lower():
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


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
        private = getattr(request, "_behind_login", False) or self._signed_in(request) or with_a_key(request)
        if private and "no-store" not in response.get(
            "Cache-Control", ""
        ):  # a view's own "private, no-store" stays
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The same attribute LoginRequiredMiddleware reads: views are behind a login unless marked otherwise. A
        # secret address (/candidature/<token>/, /demande/<token>/, /diagnostic/resultat/<token>/) is as private.
        request._behind_login = getattr(view_func, "login_required", True) or bool(
            SECRET_PARAMETERS & set(view_kwargs)
        )

    @staticmethod
    def _signed_in(request) -> bool:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, except that a request without a session cookie is anonymous at once: reading ``request.user``
    (the header's « Se connecter », a view's check) then opens no session, so the page gets no ``Vary: Cookie``
    and stays the same bytes for every anonymous visitor. Without the cookie there is no session to find anyway."""

    def process_request(self, request):
        super().process_request(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            anonymous = AnonymousUser()
            request.user = anonymous

            async def auser():
                return anonymous

            request.auser = auser


class PublicCacheMiddleware:
    """``Cache-Control: public, max-age=30`` on a public page (a view marked ``login_not_required`` and not at a
    secret address) answered to a GET or HEAD of an anonymous visitor, when the answer is the same for everyone:
    a 200 or a 304, no cookie set, no ``Vary: Cookie`` (the session or the CSRF token was not read), nothing
    private said by the view or by ``PrivatePagesMiddleware``. A view's own shorter max-age is kept, a longer one
    cut to 30 s: through a proxy and a browser, a change shows within a minute. ``ConditionalGetMiddleware`` (outside this one)
    adds the ETag of the body and answers 304. Any other answer to a GET without a ``Cache-Control`` is marked
    ``private``, so that a shared cache keeps only what is said ``public``. Placed outside the session, CSRF and
    messages middlewares, so it sees the cookies and the ``Vary`` they add."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._public_page = not getattr(view_func, "login_required", True) and not (
            SECRET_PARAMETERS & set(view_kwargs)
        )

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return response
        if self._same_for_everyone(request, response):
            max_age = get_max_age(response)
            patch_cache_control(response, public=True, max_age=min(max_age or PUBLIC_MAX_AGE, PUBLIC_MAX_AGE))
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _same_for_everyone(request, response) -> bool:
        if not getattr(request, "_public_page", False) or response.status_code not in (200, 304):
            return False
        return shared_answer(response)


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
