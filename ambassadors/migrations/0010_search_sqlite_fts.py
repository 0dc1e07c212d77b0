from django.db import migrations

# SQLite: a full-text index (FTS5) of the profiles' search_text, so that a word of the directory's search is looked
# up instead of read with LIKE in every profile (core/search.py: _fts_ids), as agenda/migrations/0008 for the
# events: an external-content table (it stores the index only), kept by triggers on every insert, update of the
# column and delete, whatever writes (save(), bulk_create, bulk_update, raw SQL, the erasure), then filled from the
# rows already there. PostgreSQL has its GIN index (0004).
SQLITE = [
    """CREATE VIRTUAL TABLE ambassadors_ambassador_fts USING fts5(
        search_text, content='ambassadors_ambassador', content_rowid='id', prefix='2 3 4'
    )""",
    """CREATE TRIGGER ambassadors_ambassador_fts_insert AFTER INSERT ON ambassadors_ambassador BEGIN
        INSERT INTO ambassadors_ambassador_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER ambassadors_ambassador_fts_delete AFTER DELETE ON ambassadors_ambassador BEGIN
        INSERT INTO ambassadors_ambassador_fts (ambassadors_ambassador_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER ambassadors_ambassador_fts_update AFTER UPDATE OF search_text ON ambassadors_ambassador BEGIN
        INSERT INTO ambassadors_ambassador_fts (ambassadors_ambassador_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO ambassadors_ambassador_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO ambassadors_ambassador_fts (ambassadors_ambassador_fts) VALUES ('rebuild')",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS ambassadors_ambassador_fts_insert",
    "DROP TRIGGER IF EXISTS ambassadors_ambassador_fts_delete",
    "DROP TRIGGER IF EXISTS ambassadors_ambassador_fts_update",
    "DROP TABLE IF EXISTS ambassadors_ambassador_fts",
]


def on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0009_directory_index"),
    ]

    operations = [migrations.RunPython(on_sqlite(SQLITE), on_sqlite(SQLITE_BACK), elidable=False)]
