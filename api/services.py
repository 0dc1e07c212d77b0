"""Partner API keys: issue, revoke, authenticate. National coordinators only issue and revoke; both are audited."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api import rules
from api.models import ApiKey, key_hash, new_raw_key
from core.errors import NotAllowed
from core.services import audit_log


@transaction.atomic
def api_key_issue(*, by, name: str, contact_email: str, regions) -> tuple[ApiKey, str]:
    """A new key for ``regions``; returns the key and its secret, which is shown once and never stored."""
    if not rules.can_manage_keys(by):
        raise NotAllowed("Seule la coordination nationale délivre des clés d’API.")
    prefix, raw = new_raw_key()
    key = ApiKey.objects.create(
        name=name.strip(), contact_email=contact_email, prefix=prefix, hashed_key=key_hash(raw), created_by=by
    )
    key.regions.set(regions)
    audit_log(actor=by, action="api_key.issue", obj=key, changes={"régions": sorted(r.pk for r in regions)})
    return key, raw


@transaction.atomic
def api_key_revoke(*, by, key: ApiKey) -> ApiKey:
    """Revoked at once: every later request with it is refused (401). Its events stay, with their history."""
    if not rules.can_manage_keys(by):
        raise NotAllowed("Seule la coordination nationale révoque des clés d’API.")
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_log(actor=by, action="api_key.revoke", obj=key)
    return key


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The active key whose secret is ``raw``, or None."""
    prefix = (raw or "").split(".", 1)[0]
    if not prefix or len(raw) > 200:
        return None
    key = ApiKey.objects.active().filter(prefix=prefix).first()
    if key is None or not key.matches(raw):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)  # at most one write a minute
    return key


CONTACT_RETENTION = timedelta(days=365)


def api_keys_erase_contacts(*, now=None) -> int:
    """Erase the contact address of keys revoked more than a year ago (the register, docs/personal-data.md): the key
    stays, with its partner's name (an organisation), for the traceability of the events it sent. Returns how
    many addresses were erased."""
    now = now or timezone.now()
    return (
        ApiKey.objects.filter(revoked_at__lt=now - CONTACT_RETENTION)
        .exclude(contact_email="")
        .update(contact_email="")
    )
