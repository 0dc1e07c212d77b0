from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import AuditEntry

# What the journal says of a private field that changed: that it changed, never its value (the journal is kept
# five years and read by the national coordination; a private address or phone must not outlive its own
# retention there).
REDACTED = "modifié"
# What an anonymised entry says in place of a value that could name or describe an erased person.
ERASED = "[effacé]"


def private_fields(model: type[models.Model] | models.Model) -> frozenset[str]:
    """The fields a model declares private (``PRIVATE_FIELDS`` on the model class): the audit log records that
    they changed, never their values. Declaring a new private field there is enough to keep it out of the log."""
    return frozenset(getattr(model, "PRIVATE_FIELDS", ()))


def redact(changes: dict | None, private: Iterable[str]) -> dict:
    """``changes`` with every private key's value replaced by « modifié » (a before/after pair included)."""
    private = set(private)
    return {key: (REDACTED if key in private else value) for key, value in (changes or {}).items()}


def audit_log(
    *, actor, action: str, obj: models.Model, changes: dict | None = None, private: Iterable[str] = ()
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``. Call it inside the transaction of the change itself,
    so the entry exists if and only if the change does.

    Guarantees: the values of the private fields of ``obj``'s model (``PRIVATE_FIELDS``), and of the names in
    ``private``, are never stored: the entry says « modifié »."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.email if actor is not None and actor.is_authenticated else "système"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=redact(changes, private_fields(obj) | set(private)),
    )


def audit_anonymise(*, model: type[models.Model], pks: Iterable, label: str, kept: Iterable[str] = ()) -> int:
    """Erase what the audit entries about the objects ``pks`` of ``model`` say of the person behind them: the
    object's name becomes ``label`` (formatted with ``pk``: « Ambassadeur n° {pk} (effacé) ») and every value of
    ``changes`` whose key is not in ``kept`` (states, scores, ids: nothing that names or describes someone)
    becomes « [effacé] ». Who did what and when stays. Returns how many entries were rewritten."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    kept = set(kept)
    ids = [str(pk) for pk in pks]
    count = 0
    for start in range(0, len(ids), 500):
        entries = AuditEntry.objects.filter(content_type=content_type, object_id__in=ids[start : start + 500])
        for entry in entries:
            entry.object_repr = label.format(pk=entry.object_id)[:255]
            entry.changes = {
                key: (value if key in kept else ERASED) for key, value in (entry.changes or {}).items()
            }
            entry.save(update_fields=["object_repr", "changes"])
            count += 1
    return count


def admin_log_anonymise(*, model: type[models.Model], pks: Iterable, label: str) -> int:
    """The same for the admin's own history (``django.contrib.admin`` LogEntry keeps the object's name and the
    fields changed): the entries about the objects ``pks`` of ``model`` no longer name the person."""
    from django.contrib.admin.models import LogEntry

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    count = 0
    for pk in pks:
        count += LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(
            object_repr=label.format(pk=pk)[:200], change_message=""
        )
    return count


def audit_anonymise_actor(*, user, label: str) -> int:
    """The entries written by ``user`` no longer name them (their email was kept as ``actor_label`` so the entry
    outlives the account): for a person whose data is erased (an ambassador), not for a coordinator, whose
    decisions the journal must attribute for five years."""
    return AuditEntry.objects.filter(Q(actor=user) | Q(actor_label__iexact=user.email)).update(
        actor_label=label[:255]
    )


AUDIT_RETENTION_YEARS = 5


def years_before(moment: datetime, years: int) -> datetime:
    """The same instant ``years`` calendar years earlier (29 February → 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def audit_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the audit entries older than five years (the journal's retention on the personal-data page).
    Returns how many."""
    cutoff = years_before(now or timezone.now(), AUDIT_RETENTION_YEARS)
    return AuditEntry.objects.filter(at__lt=cutoff).delete()[0]
