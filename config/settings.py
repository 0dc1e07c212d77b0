"""Settings, read from the environment only.

Defaults suit a laptop (SQLite in var/, a local-memory cache, an in-database task queue). Production differs only
by environment variables: see the README, section « Configuration ».
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# HTTPS: the site is served behind TLS (production). Turns on secure cookies, HSTS and the redirect to https.
HTTPS = env_bool("DJANGO_HTTPS", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if HTTPS:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY doit être défini en production.")
    SECRET_KEY = "insecure-dev-key-only-for-a-laptop-never-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address of the site, used in embeds snippets and emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Ambassadeurs IA"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "axes",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from our own static files (the CSP allows no CDN)
    "core",
    "territories",
    "accounts",
    "ambassadors",
    "recruitment",
    "agenda",
    "contact",
    "diagnostic",
    "dashboard",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag of the body and 304; outside the next one, which says what is public (public, max-age=30) or private.
    "django.middleware.http.ConditionalGetMiddleware",
    "core.middleware.PublicCacheMiddleware",
    "core.middleware.RejectNulMiddleware",  # /api/ only
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: French only, so no language to read from the request and no Vary: Accept-Language.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.middleware.AuthenticationMiddleware",  # Django's; no session cookie: anonymous, no session read
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.PrivatePagesMiddleware",  # private, no-store behind a login and for the signed-in
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.NotAllowedPageMiddleware",  # a French page for a POST-only address opened by hand
    # Last: axes must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
            # An unknown variable in a template fails loudly in tests (see tests/conftest.py).
            "string_if_invalid": os.environ.get("DJANGO_TEMPLATE_STRING_IF_INVALID", ""),
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let the web server and the task worker share the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",  # Django's, one client per pool (core/cache.py)
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "osez-ia"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Downloads from remote addresses (calendar imports, core/fetch.py) refuse servers of private or local networks
# (no probing of our own network); a development machine fetching from a local server may allow them. The
# variable's former name, AGENDA_IMPORT_ALLOW_PRIVATE_HOSTS, is still read.
FETCH_ALLOW_PRIVATE_HOSTS = env_bool(
    "FETCH_ALLOW_PRIVATE_HOSTS", env_bool("AGENDA_IMPORT_ALLOW_PRIVATE_HOSTS")
)

# Optional lookup of a company from its SIRET (territories/companies.py: name, sector, size band, commune for the
# contact and AMI forms' « Rechercher », the sector of the finder), the search address of the State's API Recherche
# d'entreprises: https://recherche-entreprises.api.gouv.fr/search (public, no key). Off when unset, so that tests
# and CI never reach the Internet; deploy/env.example sets it.
SIRET_LOOKUP_URL = os.environ.get("SIRET_LOOKUP_URL", "").strip()

# Optional geocoder of the Base Adresse Nationale (territories/addresses.py: suggestions of the venue's address in the
# event form, the point of an event's venue for distances), the base address of the « API Adresse »
# (https://api-adresse.data.gouv.fr, public, no key; asked at <base>/search/). Off when unset, like the SIRET lookup.
ADDRESS_LOOKUP_URL = os.environ.get("ADDRESS_LOOKUP_URL", "").strip().rstrip("/")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The retention jobs of the register of personal data (docs/personal-data.md), run daily in this order by
# ``manage.py apply_retention`` (core/retention.py): profiles before accounts, as an erased profile closes its account.
RETENTION_JOBS = [
    "ambassadors.data_rights.ambassadors_erase_expired",
    "recruitment.services.applications_purge_expired",
    "contact.services.requests_anonymise_expired",
    "api.services.api_keys_erase_contacts",
    "accounts.services.accounts_purge",
    "core.retention.admin_log_purge",
    "core.retention.sessions_purge_expired",
    "core.retention.task_results_purge",
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Throttles login attempts per address (across accounts), then per account and address (django-axes), then
    # the ordinary backend.
    "accounts.throttling.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # ProConnect's returns only (accounts/proconnect.py), after the throttles; a password never reaches it.
    "accounts.proconnect.ProConnectBackend",
]
# ProConnect, the State's login for professionals (OpenID Connect through mozilla-django-oidc, accounts/proconnect.py):
# « S’identifier avec ProConnect » on /connexion/ when the issuer and the client's identifier and secret are set; off
# otherwise (no button, its addresses answer 404). The endpoints come from the issuer's discovery document
# (/.well-known/openid-configuration, read on first use with a timeout, then cached); an OIDC_OP_*_ENDPOINT set in the
# environment wins over it. Accounts are matched by email; none is created (README, section « ProConnect »).
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "").strip()
PROCONNECT_ENABLED = bool(PROCONNECT_ISSUER and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET)
PROCONNECT_ORIGIN = "/".join(PROCONNECT_ISSUER.split("/")[:3])  # https://host, for the CSP's form-action
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip()
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email given_name usual_name uid siret"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the logout's id_token_hint
OIDC_CREATE_USER = False
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"

# Invitation links (set a password) stay valid 7 days.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "ambassadors:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: 5 failures for one email from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttling.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None
AXES_CLIENT_IP_CALLABLE = (
    "core.throttle.login_client_ip"  # reads AXES_IPWARE_PROXY_COUNT (axes alone would not)
)
AXES_VERBOSE = False

# API rate limits (api/throttling.py): anonymous reads per address, requests per partner key, failed
# authentications per address. The client address is read behind the same number of proxies as above
# (core.throttle.client_ip); ninja's own setting gets the same count (0: X-Forwarded-For is ignored, whereas
# ninja's default, None, would trust the whole header and let a client forge a new address at each request).
API_ANON_RATE = os.environ.get("API_ANON_RATE", "300/m")
API_KEY_RATE = os.environ.get("API_KEY_RATE", "120/m")
API_AUTH_FAILURE_RATE = os.environ.get("API_AUTH_FAILURE_RATE", "20/m")
NINJA_NUM_PROXIES = AXES_IPWARE_PROXY_COUNT or 0

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Fingerprinted names (style.0123456789ab.css, after collectstatic) that nginx may cache for a year: on in
# production (HTTPS), and in `make prod`, which runs like production over plain HTTP on 127.0.0.1.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", HTTPS)
# WhiteNoise warns when the folder is missing (laptop, tests): make sure it exists.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "core.storage.StaticFilesStorage"  # WhiteNoise's, each URL worked out once (core/storage.py)
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without a collectstatic (laptop, tests), WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = VAR_DIR / "media"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email (Django 6.1 MAILERS): a real SMTP server when EMAIL_HOST is set, the console otherwise (laptop).
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
        if _EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Ambassadeurs IA <ne-pas-repondre@ambassadeurs-ia.test>"
)

# Security. CSP: no inline script or style anywhere; DSFR's files are served from 'self'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # No nonce: scripts are files only, and a nonce would make every page's bytes differ (no shared cache, no 304).
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    # ProConnect's logout: « Se déconnecter » posts here, which redirects to its end-session endpoint.
    "form-action": [CSP.SELF, *([PROCONNECT_ORIGIN] if PROCONNECT_ENABLED else [])],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The application servers run behind a proxy that adds the header; tell the health check apart.
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# django-dsfr: the pages use neither its sheets nor its bundle of scripts but the parts they need, generated by
# scripts/dsfr_subset.py (core/static/css/dsfr.css, core/static/js/dsfr.module.js and dsfr.nomodule.js), without
# integrity checksums: collectstatic rewrites the url() inside a .css, so a checksum of the source would make
# browsers refuse the sheet (which is what happened to dsfr.min.css in production), and a checksum of a same-origin
# file guards nothing the page that names it does not.
