import json

import django.core.serializers.json
from django.db import migrations, models

# agenda/versions.py FIELDS when this migration was written (a migration does not follow later code).
FIELDS = (
    "title", "description", "starts_at", "ends_at", "all_day", "timezone", "mode", "venue_name", "address",
    "commune", "departement", "region", "latitude", "longitude", "online_url", "format", "audience", "sectors",
    "topics", "is_free", "registration_url", "organizer_name", "organizer_url", "ambassadors", "status",
)  # fmt: skip


def keep_published(apps, schema_editor):
    """The events published today: their current version is the one the public sees."""
    Event = apps.get_model("agenda", "Event")
    for event in Event.objects.filter(moderation="published").iterator():
        values = {}
        for name in FIELDS:
            field = Event._meta.get_field(name)
            if field.many_to_many:
                values[name] = sorted(getattr(event, name).values_list("pk", flat=True))
            else:
                values[name] = getattr(event, field.attname)
        snapshot = json.loads(json.dumps(values, cls=django.core.serializers.json.DjangoJSONEncoder))
        Event.objects.filter(pk=event.pk).update(published_snapshot=snapshot)


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0004_event_previous_starts_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="published_snapshot",
            field=models.JSONField(
                blank=True,
                editable=False,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
                verbose_name="dernière version publiée",
            ),
        ),
        migrations.RunPython(keep_published, migrations.RunPython.noop),
    ]
