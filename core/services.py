from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEntry


def audit_log(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``. Call it inside the transaction of the change itself,
    so the entry exists if and only if the change does."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.email if actor is not None and actor.is_authenticated else "système"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
    )
