from django.db import transaction

from core.errors import NotAllowed
from core.services import audit_log
from dashboard import rules
from dashboard.models import RegionTarget


@transaction.atomic
def region_targets_set(*, targets: dict, by) -> int:
    """Set the target of each region given (None removes it). Only the national coordination may; every change
    (not an unchanged value) writes an audit entry in the same transaction. Returns the number of changes."""
    if not rules.can_set_targets(by):
        raise NotAllowed("Seule la coordination nationale fixe les objectifs régionaux.")
    current = {
        t.region_id: t for t in RegionTarget.objects.select_for_update().filter(region__in=list(targets))
    }
    changed = 0
    for region, value in targets.items():
        existing = current.get(region.code)
        before = existing.target if existing else None
        if before == value:
            continue
        changes = {"région": region.name, "objectif": {"avant": before, "après": value}}
        if value is None:
            audit_log(actor=by, action="region_target.delete", obj=existing, changes=changes)
            existing.delete()
        else:
            target = existing or RegionTarget(region=region)
            target.target = value
            target.full_clean()
            target.save()
            audit_log(actor=by, action="region_target.set", obj=target, changes=changes)
        changed += 1
    return changed
