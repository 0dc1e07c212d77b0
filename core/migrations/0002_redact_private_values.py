from django.db import migrations

# Private fields whose before/after values earlier versions wrote into the journal (an ambassador's contact email
# and phone; the same names on other models). From now on ``core.services.audit_log`` writes « modifié » for
# them; this rewrites what is already stored the same way.
PRIVATE_KEYS = ["contact_email", "contact_phone", "email", "phone", "password"]


def redact(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for entry in AuditEntry.objects.filter(changes__has_any_keys=PRIVATE_KEYS).iterator(chunk_size=500):
        entry.changes = {
            key: ("modifié" if key in PRIVATE_KEYS else value) for key, value in entry.changes.items()
        }
        entry.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
