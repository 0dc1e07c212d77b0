"""Rate limits on the public contact form, counted in the shared cache (Redis when several servers run).

A limit is ``(count, seconds)``: at most ``count`` requests per key over a fixed window of ``seconds``."""

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS = {
    "ip": (5, 3600),  # five requests an hour from one address
    "email": (3, 86400),  # three a day from one email address
}


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "CONTACT_RATE_LIMITS", {})}


def over_limit(kind: str, value: str) -> bool:
    """Count one more request for ``value``; True when it goes beyond the limit."""
    count, seconds = limits()[kind]
    key = f"contact-rate:{kind}:{value.lower()}"
    cache.add(key, 0, timeout=seconds)
    try:
        current = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        current = 1
    return current > count


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "inconnue"
