from django.db import migrations, models

from core.search import document

POSTGRESQL = """
CREATE INDEX ambassadors_ambassador_search_fts ON ambassadors_ambassador
    USING gin (to_tsvector('osez_search'::regconfig, search_text));
"""
POSTGRESQL_BACK = "DROP INDEX IF EXISTS ambassadors_ambassador_search_fts;"
AMBASSADOR_FIELDS = ("first_name", "last_name", "structure_name", "job_title", "bio")


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def fill(apps, schema_editor):
    for name, fields in (("Ambassador", AMBASSADOR_FIELDS), ("Topic", ("name",))):
        model = apps.get_model("ambassadors", name)
        rows = list(model.objects.only("pk", *fields))
        for row in rows:
            row.search_text = document(*(getattr(row, f) for f in fields))
        model.objects.bulk_update(rows, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('territories', '0002_search'),
        ('ambassadors', '0003_request_availability'),
    ]

    operations = [
        migrations.AddField(
            model_name='ambassador',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='texte de recherche'),
        ),
        migrations.AddField(
            model_name='topic',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='texte de recherche'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(POSTGRESQL), on_postgresql(POSTGRESQL_BACK)),
    ]
