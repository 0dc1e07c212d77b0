"""ProConnect, the State's login for professionals: OpenID Connect through mozilla-django-oidc.

* On when ``PROCONNECT_ISSUER``, ``OIDC_RP_CLIENT_ID`` and ``OIDC_RP_CLIENT_SECRET`` are set (``enabled``); off, the
  button is not shown and every address of this module answers 404.
* The endpoints come from the issuer's discovery document (``discovery``: read on first use, 10 seconds at most, then
  cached an hour); an ``OIDC_OP_*_ENDPOINT`` setting wins over it.
* Authorization code flow with PKCE (S256), ``state`` and ``nonce`` (mozilla-django-oidc's views keep them in the
  session, one use each); the ID token's signature (the provider's JWKS), issuer, audience, expiry and nonce are
  checked; the userinfo, a signed JWT at ProConnect (``application/jwt``), is checked the same way and must name the
  same ``sub``.
* Accounts are matched by email without case (``services.account_for_proconnect``), never by ``sub`` (ProConnect's
  differs for each service); no account is created. An unknown or closed address gets a page saying whom to ask.
* The logout (``logout_url``) goes through ProConnect's end-session endpoint with ``id_token_hint`` and a ``state``
  checked on the way back (``LoggedOutView``).
"""

import hashlib
import logging
import secrets
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from mozilla_django_oidc import auth as oidc_auth
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.utils import import_from_settings

from accounts import services
from accounts.models import User

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 3600
# mozilla-django-oidc's settings -> the discovery document's keys.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
LOGOUT_STATE_KEY = "proconnect_logout_state"


class Unavailable(Exception):
    """ProConnect did not answer (discovery, token, keys, userinfo), or answered something unusable."""


def enabled() -> bool:
    return bool(settings.PROCONNECT_ISSUER and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET)


def discovery() -> dict:
    """The issuer's OpenID configuration, cached an hour (per issuer). ``Unavailable`` when it cannot be read or
    names another issuer."""
    issuer = settings.PROCONNECT_ISSUER
    key = "proconnect-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()[:16]
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise Unavailable(f"discovery: {exc}") from exc
        if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
            raise Unavailable("discovery: another issuer")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def setting(attr, *default):
    """mozilla-django-oidc's settings, the endpoints from the environment or else from the discovery document."""
    if attr in ENDPOINTS:
        value = getattr(settings, attr, "") or discovery().get(ENDPOINTS[attr])
        if value:
            return value
        if default:
            return default[0]
        raise Unavailable(f"no {ENDPOINTS[attr]}")
    return import_from_settings(attr, *default)


class ProConnectBackend(oidc_auth.OIDCAuthenticationBackend):
    """Signs in the account of the email ProConnect vouches for. Last of ``AUTHENTICATION_BACKENDS``: it answers
    only a ProConnect return (the callback's ``nonce`` and ``code_verifier``), never a password."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Built for every authentication and every signed-in request (get_user): nothing is read from the network
        # here, the endpoints are read in authenticate() only.
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        if request is None or not enabled() or set(kwargs) != {"nonce", "code_verifier"}:
            return None
        try:
            self.OIDC_OP_TOKEN_ENDPOINT = setting("OIDC_OP_TOKEN_ENDPOINT")
            self.OIDC_OP_USER_ENDPOINT = setting("OIDC_OP_USER_ENDPOINT")
            self.OIDC_OP_JWKS_ENDPOINT = setting("OIDC_OP_JWKS_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            return super().authenticate(request, **kwargs)
        except (Unavailable, requests.RequestException) as exc:
            logger.warning("ProConnect unavailable: %s", exc)
            request.proconnect_refusal = "unavailable"
        except SuspiciousOperation as exc:
            logger.warning("ProConnect refused: %s", exc)
            request.proconnect_refusal = "refused"
        return None

    def get_user(self, user_id):
        return ModelBackend.get_user(
            self, user_id
        )  # a closed account's sessions end (is_active), as with a password

    def verify_token(self, token, **kwargs):
        """The signature, the expiry and the nonce (mozilla-django-oidc), then the issuer and the audience, which it
        leaves unchecked."""
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs or "iss" in payload:
            if str(payload.get("iss", "")).rstrip("/") != discovery()["issuer"].rstrip("/"):
                raise SuspiciousOperation("JWT issuer mismatch")
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("JWT audience mismatch")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo sub mismatch")
        return userinfo

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        if not email:
            raise SuspiciousOperation("no email claim")
        user = services.account_for_proconnect(
            email=email,
            given_name=str(claims.get("given_name") or ""),
            usual_name=str(claims.get("usual_name") or ""),
        )
        if user is None:
            self.request.proconnect_refusal = "unknown"
            self.request.proconnect_email = email
        return user


def _failure(request, reason: str):
    status = {"unknown": 403, "unavailable": 503}.get(reason, 400)
    return render(
        request,
        "accounts/proconnect_failed.html",
        {"reason": reason, "email": getattr(request, "proconnect_email", "")},
        status=status,
    )


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class LoginView(_OnlyWhenEnabled, oidc_views.OIDCAuthenticationRequestView):
    """« S’identifier avec ProConnect »: on to ProConnect's authorization endpoint with state, nonce and PKCE."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        View.__init__(
            self, *args, **kwargs
        )  # the endpoint is read in get(), once ProConnect is known to be on

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except Unavailable as exc:
            logger.warning("ProConnect unavailable: %s", exc)
            return _failure(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(_OnlyWhenEnabled, oidc_views.OIDCAuthenticationCallbackView):
    """ProConnect's return: the state must be one this browser's session holds (once), then the backend checks the
    tokens and finds the account."""

    get_settings = staticmethod(setting)

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # a state this session never sent, or already used
            logger.warning("ProConnect callback refused: %s", exc)
            return _failure(request, "refused")

    def login_failure(self):
        return _failure(self.request, getattr(self.request, "proconnect_refusal", "refused"))


def logout_url(request, id_token: str) -> str | None:
    """ProConnect's end-session address for the session being closed (``id_token_hint``, a ``state`` kept in the
    new session, the way back); None when ProConnect cannot be reached (the local logout is done anyway)."""
    try:
        endpoint = setting("OIDC_OP_LOGOUT_ENDPOINT")
    except Unavailable as exc:
        logger.warning("ProConnect unavailable for the logout: %s", exc)
        return None
    state = secrets.token_urlsafe(32)
    request.session[LOGOUT_STATE_KEY] = state
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:proconnect_logged_out")),
        }
    )
    return f"{endpoint}?{query}"


@method_decorator(login_not_required, name="dispatch")
class LoggedOutView(_OnlyWhenEnabled, View):
    """Back from ProConnect's logout: to the home page, told so when the state is the one this browser sent."""

    http_method_names = ["get"]

    def get(self, request):
        expected = request.session.pop(LOGOUT_STATE_KEY, None)
        if expected and secrets.compare_digest(expected, request.GET.get("state", "")):
            messages.success(request, "Vous êtes déconnecté de la plateforme et de ProConnect.")
        return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
