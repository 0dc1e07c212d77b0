"""The calendar imports write events only through the agenda services (``agenda.services.events_import_*``), so that
they follow the rules of every door (moderation, slugs, versions): the importer reads a feed and matches its events,
it never saves, creates, updates or deletes an event itself."""

import re
from pathlib import Path

import agenda.imports

WRITES = re.compile(
    r"Event\.objects\.[^\n]*\b(update|delete|bulk_create|bulk_update|create|get_or_create|update_or_create)\("
    r"|\bevents?\.(save|delete)\("
    r"|\binsert_all\("
)


def test_the_importer_writes_no_event_itself():
    package = Path(agenda.imports.__file__).parent
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(package.glob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if WRITES.search(line)
    ]
    assert found == []


def test_the_guard_sees_a_write():
    # The pattern above catches the writes it is there for (else the first test could never fail).
    for line in (
        "Event.objects.bulk_update(changed, UPDATED_FIELDS)",
        "Event.objects.filter(pk__in=newly).update(missing_from_source_since=now)",
        "event.save()",
        "insert_all(events)",
    ):
        assert WRITES.search(line), line
