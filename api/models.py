"""Partner API keys: a partner (a CCI, a French Tech, a regional agency) pushes its events with a key that a national
coordinator issues for some regions and may revoke. Only a hash of the key is stored; the key is shown once."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models

KEY_PREFIX = "oia_"


def key_hash(raw: str) -> str:
    # A key is 256 random bits: a fast hash is enough (no dictionary to guess from), compared in constant time.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_key() -> tuple[str, str]:
    """(prefix, full key). The prefix identifies the key in lists and logs; it is not secret."""
    prefix = KEY_PREFIX + secrets.token_hex(4)
    return prefix, f"{prefix}.{secrets.token_urlsafe(32)}"


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    name = models.CharField("partenaire", max_length=200)
    contact_email = models.EmailField(
        "adresse de contact du partenaire",
        help_text="Reçoit les décisions de modération des événements envoyés. Jamais publique.",
    )
    regions = models.ManyToManyField(
        "territories.Region", verbose_name="régions autorisées", related_name="+"
    )
    prefix = models.CharField("préfixe", max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "clé d’API partenaire"
        verbose_name_plural = "clés d’API partenaires"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def matches(self, raw: str) -> bool:
        return hmac.compare_digest(self.hashed_key, key_hash(raw))
