from django.db import migrations

# SQLite: a full-text index (FTS5) of the events' search_text, so that a word of the agenda's search is looked up
# instead of read with LIKE in every event (core/search.py: _fts_ids). An external-content table (it stores the
# index only), kept by triggers on every insert, update of the column and delete, whatever writes (save(),
# bulk_create, bulk_update, raw SQL), then filled from the rows already there. PostgreSQL has its GIN index (0003).
SQLITE = [
    """CREATE VIRTUAL TABLE agenda_event_fts USING fts5(
        search_text, content='agenda_event', content_rowid='id', prefix='2 3 4'
    )""",
    """CREATE TRIGGER agenda_event_fts_insert AFTER INSERT ON agenda_event BEGIN
        INSERT INTO agenda_event_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER agenda_event_fts_delete AFTER DELETE ON agenda_event BEGIN
        INSERT INTO agenda_event_fts (agenda_event_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER agenda_event_fts_update AFTER UPDATE OF search_text ON agenda_event BEGIN
        INSERT INTO agenda_event_fts (agenda_event_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO agenda_event_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO agenda_event_fts (agenda_event_fts) VALUES ('rebuild')",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS agenda_event_fts_insert",
    "DROP TRIGGER IF EXISTS agenda_event_fts_delete",
    "DROP TRIGGER IF EXISTS agenda_event_fts_update",
    "DROP TABLE IF EXISTS agenda_event_fts",
]


def on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0007_public_list_indexes_by_pk"),
    ]

    operations = [migrations.RunPython(on_sqlite(SQLITE), on_sqlite(SQLITE_BACK), elidable=False)]
