"""Rate limits on the public forms (contact, self-diagnostic), counted in the shared cache (Redis when several
servers run), and the visitor's address behind reverse proxies (also for the API and the login throttle).

A limit is ``(count, seconds)``: at most ``count`` requests per key over a fixed window of ``seconds``. Keys are
the SHA-256 of the value: no email or IP address sits in the cache, and a long email still makes a short key."""

import functools
import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DEFAULT_LIMITS = {
    "contact-ip": (5, 3600),  # five messages to ambassadors an hour from one address
    "contact-email": (3, 86400),  # three a day from one email address
    # Twenty self-diagnostics an hour from one address (a training room shares one).
    "diagnostic-ip": (20, 3600),
    # Twenty failed logins in 15 minutes from one address, whatever the accounts (accounts/throttling.py).
    "login-ip": (20, 900),
    # Corrections from a private link send emails (to a new address, to the ambassador): ten a day per object,
    # three of them changing the email, so a link cannot be used to send mail to anyone, again and again.
    "correction": (10, 86400),
    "correction-email": (3, 86400),
    # An ambassador's requests to the coordination to change their regions (emails): three a day.
    "territory-change": (3, 86400),
    # Links to choose a password (forgotten, or an invitation expired): three an hour to one address, twenty an
    # hour from one visitor (counted by client_key).
    "password-link": (3, 3600),
    "password-link-ip": (20, 3600),
}


def limits() -> dict[str, tuple[int, int]]:
    """The defaults, overridden kind by kind by the setting ``RATE_LIMITS``."""
    return {**DEFAULT_LIMITS, **getattr(settings, "RATE_LIMITS", {})}


def digest(value: str) -> str:
    """What a cache key holds of an email or an address: its SHA-256, never the value."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def _key(kind: str, value: str) -> str:
    return f"rate:{kind}:{digest(value)}"


def hit(kind: str, value: str, seconds: int) -> int:
    """Count one more request of ``kind`` for ``value`` in a fixed window of ``seconds`` (from the first one);
    the count so far."""
    key = _key(kind, value)
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def hits(kind: str, value: str) -> int:
    """The count of the current window, without adding to it."""
    return cache.get(_key(kind, value), 0)


def over_limit(kind: str, value: str) -> bool:
    """Count one more request for ``value``; True when it goes beyond the limit of ``kind``."""
    count, seconds = limits()[kind]
    return hit(kind, value, seconds) > count


def correction_refused(kind_of_object: str, pk, *, changes_email: bool) -> str | None:
    """Count one correction of an object from its private link; the French reason when it goes beyond the limits,
    else None. Shared by applications and company requests."""
    key = f"{kind_of_object}:{pk}"
    if changes_email and over_limit("correction-email", key):
        return "Vous avez déjà changé d’adresse électronique plusieurs fois aujourd’hui : réessayez demain."
    if over_limit("correction", key):
        return "Vous avez déjà fait beaucoup de corrections aujourd’hui : réessayez demain."
    return None


@functools.cache
def _warn_proxy_unset() -> None:
    # Once per process: behind a proxy left uncounted, every visitor has the proxy's address, and the limits
    # (the login's per address above all) would count everyone as one.
    logger.warning(
        "X-Forwarded-For reçu mais AXES_PROXY_COUNT vaut 0 : derrière un proxy, réglez AXES_PROXY_COUNT, sinon "
        "tous les visiteurs partagent l’adresse du proxy dans les limites de débit."
    )


def client_ip(request) -> str:
    """The visitor's address, behind the number of reverse proxies the login throttle is told of
    (``AXES_IPWARE_PROXY_COUNT``, from the environment variable ``AXES_PROXY_COUNT``).

    With N proxies, the last one is ``REMOTE_ADDR`` and each appended the address it received from to
    ``X-Forwarded-For``: the visitor is the N-th entry from the right. Entries further left were written by the
    visitor and can be forged, so they are never read. A header shorter than N (a request that did not come
    through every proxy) or an entry that is not an address falls back to ``REMOTE_ADDR``.

    django-axes has a setting for this but, installed without django-ipware (as here), reads ``REMOTE_ADDR``
    only; this function reads the same setting and applies it, and axes is given it as
    ``AXES_CLIENT_IP_CALLABLE`` (``login_client_ip``), so the login throttle counts the visitor, not the proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or "inconnue"
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if proxies <= 0:
        if "HTTP_X_FORWARDED_FOR" in request.META:
            _warn_proxy_unset()
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def client_key(request) -> str:
    """What the rate limits count a visitor by: their address (``client_ip``), an IPv6 one folded to its /64,
    the block one subscriber or one machine receives whole (counted address by address, 40 attempts from one
    /64 were 40 visitors)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:203.0.113.5 is the IPv4 visitor 203.0.113.5
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def login_client_ip(request) -> str | None:
    """``client_ip`` for django-axes, which stores it in an address field: None when the request carries no
    address (a test client's forced login), as axes itself would give."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
