"""Imports of other calendars: writing by batches (query counts, small batches, slugs, a batch the database refuses)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.imports import import_calendar, importer
from agenda.models import Event, ImportSource
from tests.agenda.factories import EventFactory
from tests.agenda.imports_helpers import NOW, calendar, reasons, source, vevent

pytestmark = pytest.mark.django_db


# Writing by batches: the events of a run are written with one bulk_create or bulk_update per batch.


def _many(count: int, *, summary: str = "Atelier IA n° {i}", changed: bool = False) -> bytes:
    return calendar(
        *(
            vevent(
                f"lot-{i}",
                f"DTSTART:203001{15 + i % 10:02d}T{9 + i % 8:02d}0000Z",
                "LOCATION:CCI de Lyon, 69002 Lyon",
                *(["SEQUENCE:1", "DESCRIPTION:Programme revu."] if changed else []),
                summary=summary.format(i=i),
            )
            for i in range(count)
        )
    )


def _write_queries(content: bytes, src: ImportSource) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_calendar(source=src, content=content, now=NOW)
    return len(queries)


def test_import_query_count_does_not_grow_with_the_events():
    # 3 then 12 new events, then the same changed: as many queries each time (none per event; SQLite takes at most
    # 999 parameters a query, so Django splits an insert of more than 26 events).
    _write_queries(
        _many(1, summary="Premier import"), source(name="Premier")
    )  # the audit's content type, cached
    few, many = source(name="Peu"), source(name="Beaucoup")
    assert _write_queries(_many(3, summary="Peu {i}"), few) == _write_queries(_many(12), many)
    assert _write_queries(_many(3, summary="Peu {i}", changed=True), few) == _write_queries(
        _many(12, changed=True), many
    )
    assert Event.objects.filter(source=many).count() == 12
    assert set(Event.objects.filter(source=many).values_list("sequence", "description")) == {
        (1, "Programme revu.")
    }


def test_import_by_small_batches_writes_what_one_batch_writes(monkeypatch):
    def fields(src):
        return sorted(
            Event.objects.filter(source=src).values_list(
                "source_uid", "title", "starts_at", "commune_id", "moderation", "sequence", "search_text"
            )
        )

    whole = source(name="En une fois", publish_directly=True)
    import_calendar(source=whole, content=_many(7), now=NOW)
    import_calendar(source=whole, content=_many(7, changed=True), now=NOW)
    monkeypatch.setattr(importer, "WRITE_BATCH", 2)
    batches = source(name="Par lots", publish_directly=True)
    first = import_calendar(source=batches, content=_many(7), now=NOW)
    second = import_calendar(source=batches, content=_many(7, changed=True), now=NOW)

    assert (first.created, second.updated) == (7, 7)
    assert [row[1:] for row in fields(batches)] == [row[1:] for row in fields(whole)]
    published = Event.objects.filter(source=batches).first()
    assert published.published_snapshot["description"] == "Programme revu."


def test_import_slugs_of_a_batch_are_those_given_one_by_one():
    from agenda.services import event_unique_slug, event_unique_slugs

    start = datetime(2030, 1, 15, 9, tzinfo=UTC)
    long_title = "a" * 107  # its slug and date make 118 characters: with « -2 », the base of the next title
    wanted = [
        ("Atelier IA", start),
        ("Atelier IA", start),
        ("Atelier IA", start),
        ("Café IA", start),
        ("Café IA", start + timedelta(days=1)),
        (long_title, start),
        (f"{long_title} 2030-01-15 2 suite", start),
    ]
    for slug in ("atelier-ia-2030-01-15", "atelier-ia-2030-01-15-3", f"{long_title}-2030-01-15"):
        EventFactory(slug=slug)

    in_bulk = event_unique_slugs(wanted)
    one_by_one = []
    for title, starts_at in wanted:
        one_by_one.append(event_unique_slug(title=title, starts_at=starts_at))
        EventFactory(slug=one_by_one[-1])

    assert in_bulk == one_by_one
    assert in_bulk[:3] == ["atelier-ia-2030-01-15-2", "atelier-ia-2030-01-15-4", "atelier-ia-2030-01-15-5"]
    assert in_bulk[5:] == [f"{long_title}-2030-01-15-2", f"{long_title}-2030-01-15-2-2"]


@pytest.fixture
def refused_title():
    """A database that refuses to store an event titled « Refusé par la base » (a trigger): a real refusal."""
    title = "Refusé par la base"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN IF NEW.title = %s THEN "
                "RAISE EXCEPTION 'refusé'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                [title],
            )
            cursor.execute(
                "CREATE TRIGGER refuse_event BEFORE INSERT OR UPDATE ON agenda_event "
                "FOR EACH ROW EXECUTE FUNCTION refuse_event()"
            )
        else:
            for action in ("INSERT", "UPDATE"):
                cursor.execute(
                    f"CREATE TRIGGER refuse_event_{action} BEFORE {action} ON agenda_event "
                    f"WHEN NEW.title = '{title}' BEGIN SELECT RAISE(ABORT, 'refusé'); END"
                )
    return title


def test_import_a_batch_refused_by_the_database_loses_only_the_refused_event(refused_title):
    src = source()
    content = calendar(
        vevent("un", "DTSTART:20300115T100000Z"),
        vevent("refuse", "DTSTART:20300116T100000Z", summary=refused_title),
        vevent("trois", "DTSTART:20300117T100000Z"),
    )
    run = import_calendar(source=src, content=content, now=NOW)

    assert (run.error, run.created, run.skipped) == ("", 2, 1)
    assert reasons(run)["refuse"] == (
        "Enregistrement impossible (donnée refusée par la base)\u00a0: événement ignoré."
    )
    assert set(Event.objects.filter(source=src).values_list("source_uid", flat=True)) == {"un", "trois"}
    again = import_calendar(
        source=src, content=content, now=NOW
    )  # the others unchanged, the refused one again
    assert (again.created, again.unchanged, again.skipped, again.missing) == (0, 2, 1, 0)
