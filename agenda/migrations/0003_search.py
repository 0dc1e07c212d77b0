from django.db import migrations, models

from core.search import document

POSTGRESQL = """
CREATE INDEX agenda_event_search_fts ON agenda_event USING gin (to_tsvector('osez_search'::regconfig, search_text));
"""
POSTGRESQL_BACK = "DROP INDEX IF EXISTS agenda_event_search_fts;"
EVENT_FIELDS = ("title", "description", "organizer_name", "venue_name")


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def fill(apps, schema_editor):
    model = apps.get_model("agenda", "Event")
    rows = list(model.objects.only("pk", *EVENT_FIELDS))
    for row in rows:
        row.search_text = document(*(getattr(row, f) for f in EVENT_FIELDS))
    model.objects.bulk_update(rows, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('territories', '0002_search'),
        ('agenda', '0002_event_partner_key_event_unique_partner_uid'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='texte de recherche'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(POSTGRESQL), on_postgresql(POSTGRESQL_BACK)),
    ]
