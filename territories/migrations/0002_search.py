from django.db import migrations, models

from core.search import document, name_key

# Free-text search (core/search.py). On PostgreSQL: the unaccent extension and the text search configuration that
# reads the search columns (already folded and stemmed in Python, so: unaccent as a guard, then simple), and a GIN
# index on the communes' column. SQLite needs none of it.
POSTGRESQL = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION osez_search (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION osez_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;
CREATE INDEX territories_commune_search_fts ON territories_commune
    USING gin (to_tsvector('osez_search'::regconfig, search_text));
"""
POSTGRESQL_BACK = """
DROP INDEX IF EXISTS territories_commune_search_fts;
DROP TEXT SEARCH CONFIGURATION IF EXISTS osez_search;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def fill(apps, schema_editor):
    """Rows loaded before this migration (a later load_reference_data computes them too)."""
    for name, source in (("Region", "name"), ("Departement", "name"), ("Commune", "name"), ("NafActivity", "label")):
        model = apps.get_model("territories", name)
        rows = list(model.objects.all())
        columns = ["search_text"] if source == "label" else ["search_text", "search_name"]
        for row in rows:
            row.search_text = document(getattr(row, source))
            if source == "name":
                row.search_name = name_key(row.name)
        model.objects.bulk_update(rows, columns, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('territories', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='commune',
            name='search_name',
            field=models.CharField(blank=True, default='', editable=False, max_length=200, verbose_name='nom de recherche'),
        ),
        migrations.AddField(
            model_name='commune',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='texte de recherche'),
        ),
        migrations.AddField(
            model_name='departement',
            name='search_name',
            field=models.CharField(blank=True, default='', editable=False, max_length=200, verbose_name='nom de recherche'),
        ),
        migrations.AddField(
            model_name='departement',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='texte de recherche'),
        ),
        migrations.AddField(
            model_name='nafactivity',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='texte de recherche'),
        ),
        migrations.AddField(
            model_name='region',
            name='search_name',
            field=models.CharField(blank=True, default='', editable=False, max_length=200, verbose_name='nom de recherche'),
        ),
        migrations.AddField(
            model_name='region',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='texte de recherche'),
        ),
        migrations.AddIndex(
            model_name='commune',
            index=models.Index(fields=['search_name'], name='commune_search_name'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(POSTGRESQL), on_postgresql(POSTGRESQL_BACK)),
    ]
