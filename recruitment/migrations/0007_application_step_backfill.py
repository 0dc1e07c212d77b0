"""The history of the applications that existed before it (``ApplicationStep``), rebuilt from what was kept: the
submission date, and each move's audit entry (``application.<state>``: who, when, from, to, « reprise », the
correction's date limit). Neither the reason nor the correction's message is copied, as for the new moves."""

from datetime import date

from django.db import migrations

from core.formats import french_date

DECISIONS = {"designated": "designate", "declined": "decline", "ineligible": "rule_ineligible"}


def action_of(frm: str, to: str, resumed: bool) -> str | None:
    """The action of ``recruitment.workflow`` that moved an application from ``frm`` to ``to``."""
    if to in DECISIONS:
        return DECISIONS[to]
    if to == "withdrawn":
        return "withdraw"
    if to == "correction_requested":
        return "request_correction"
    if to == "under_review":
        if frm == "submitted":
            return "start_review"
        if frm == "correction_requested":
            return "resume" if resumed else "return_correction"
        if frm in ("declined", "ineligible"):
            return "reopen"
    return None


def note_of(changes: dict) -> str:
    try:
        return f"À corriger au plus tard le {french_date(date.fromisoformat(changes['echeance']), weekday=False)}"
    except (KeyError, TypeError, ValueError):
        return ""


def backfill(apps, schema_editor):
    Application = apps.get_model("recruitment", "Application")
    ApplicationStep = apps.get_model("recruitment", "ApplicationStep")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="recruitment", model="application").first()
    done = set(ApplicationStep.objects.values_list("application_id", flat=True).distinct())
    pending = Application.objects.exclude(pk__in=done).only("pk", "submitted_at")
    for start in range(0, pending.count(), 500):
        chunk = list(pending.order_by("pk")[start : start + 500])
        steps = [
            ApplicationStep(
                application_id=a.pk, at=a.submitted_at, action="submit", state_from="", state_to="submitted"
            )
            for a in chunk
        ]
        if content_type is not None:
            entries = AuditEntry.objects.filter(
                content_type=content_type,
                object_id__in=[str(a.pk) for a in chunk],
                action__startswith="application.",
            ).order_by("at", "pk")
            for entry in entries:
                changes = entry.changes or {}
                frm, to = changes.get("de"), changes.get("vers")
                action = action_of(frm, to, bool(changes.get("reprise"))) if frm and to else None
                if action is None:  # a correction, a message, an erasure: not a move
                    continue
                steps.append(
                    ApplicationStep(
                        application_id=int(entry.object_id),
                        at=entry.at,
                        actor_id=entry.actor_id,
                        action=action,
                        state_from=frm,
                        state_to=to,
                        note=note_of(changes) if action == "request_correction" else "",
                    )
                )
        ApplicationStep.objects.bulk_create(steps)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0006_application_step"),
        ("core", "0002_redact_private_values"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
