"""Rate limits of the API, counted in the shared cache (Redis when several servers run).

- Anonymous reads: ``API_ANON_RATE`` per client address.
- Requests with a partner key: ``API_KEY_RATE`` per key; a request without a key is not counted here.
- Failed authentications (a missing, unknown or revoked key): ``API_AUTH_FAILURE_RATE`` per client address; beyond
  it, every request with a key from that address is refused (429) until the window ends, even with a valid key, so a
  key cannot be guessed by trial and error and the answer does not tell a right guess from a wrong one.

Rates read ``N/s``, ``N/m``, ``N/h`` or ``N/d``. They are read from the settings at each request. The client address
is ``core.throttle.client_ip`` (the same proxy count as the contact form and the login throttle, from
``AXES_PROXY_COUNT``): with no proxy declared, ``X-Forwarded-For`` is ignored and cannot be forged to escape a limit.
Addresses are hashed before they become cache keys, as in ``core.throttle``."""

from django.conf import settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from core import throttle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/m"`` -> (20, 60)."""
    count, period = rate.split("/", 1)
    return int(count), PERIODS[period.strip()[:1]]


class _RateFromSettings:
    """A ninja throttle whose rate is the setting ``setting``, read at each request (ninja reads it once)."""

    setting = ""

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request) -> bool:
        rate = getattr(settings, self.setting)
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = parse_rate(rate)
        return super().allow_request(request)

    def get_ident(self, request) -> str:
        # ninja's own reading of X-Forwarded-For (``NINJA_NUM_PROXIES``) takes the left-most entry of a header
        # shorter than the proxy count, which the client wrote: the contact form's reading falls back to REMOTE_ADDR.
        return throttle.digest(throttle.client_key(request))


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    setting = "API_ANON_RATE"


class KeyThrottle(_RateFromSettings, AuthRateThrottle):
    """Per partner key. ninja's ``AuthRateThrottle`` counts a request without a key by its address, at the keys'
    rate: anonymous readers would be held to the (lower) keys' rate. Here they are left to ``AnonThrottle``."""

    setting = "API_KEY_RATE"

    def get_cache_key(self, request) -> str | None:
        key = getattr(request, "auth", None)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"key-{key.pk}"}


def auth_failures_wait(request) -> int | None:
    """Seconds to wait when the client's address failed to authenticate too often in the window, else None."""
    count, seconds = parse_rate(settings.API_AUTH_FAILURE_RATE)
    return seconds if throttle.hits("api-auth-failure", throttle.client_key(request)) >= count else None


def auth_failure_record(request) -> None:
    """Count one failed authentication for the client's address (a fixed window from the first failure)."""
    _count, seconds = parse_rate(settings.API_AUTH_FAILURE_RATE)
    throttle.hit("api-auth-failure", throttle.client_key(request), seconds)
