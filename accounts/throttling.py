"""Login throttling, in two layers.

* django-axes counts failures per (email, address): five wrong passwords for one account from one address lock
  that pair for 15 minutes (``AXES_*`` settings).
* ``AddressThrottleBackend`` counts failures per address across every account: one address that tries many
  accounts with one password each (password spraying) is locked after ``RATE_LIMITS["login-ip"]`` failures
  (20 in 15 minutes by default: a training room or an office behind one address stays usable). Counted in the
  shared cache (Redis when several servers run), under a SHA-256 of the address (``core.throttle``).

Both answer with the same 429 page (axes' lockout response, through ``request.axes_locked_out``)."""

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from core import throttle

KIND = "login-ip"


def login_username(request, credentials) -> str | None:
    """The email a login attempt was for, lower-cased, so that changing its case does not dodge the throttle
    (emails log in case-insensitively)."""
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None


def address_locked(request) -> bool:
    count, _ = throttle.limits()[KIND]
    return throttle.hits(KIND, throttle.client_key(request)) >= count


class AddressThrottleBackend:
    """First authentication backend: refuses every login attempt from an address that has failed too often,
    before any password is checked, whatever the account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and address_locked(request):
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout page (429)
            raise PermissionDenied
        return None  # let the next backends decide

    # No get_user: this backend never signs anyone in (and the test client's force_login skips it).


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    # Attempts refused while locked are not counted again: the window ends 15 minutes after the failures.
    if request is not None and not getattr(request, "axes_locked_out", False):
        _, seconds = throttle.limits()[KIND]
        throttle.hit(KIND, throttle.client_key(request), seconds)
