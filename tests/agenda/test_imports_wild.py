"""Imports of other calendars: feeds as they come from the wild (custom and vendor zones, recurrence limits,
duplicate UIDs, unsafe values)."""

from datetime import UTC, datetime

import pytest

from agenda import imports
from agenda.enums import Mode
from agenda.imports import import_calendar
from agenda.models import Event
from territories.models import Region
from tests.agenda.imports_helpers import (
    NOW,
    calendar,
    event,
    reasons,
    source,
    vevent,
)

pytestmark = pytest.mark.django_db


# Feeds as they come from the wild.


def test_import_outlook_custom_zone_and_vendor_prefixed_tzid():
    content = calendar(
        "BEGIN:VTIMEZONE\nTZID:Customized Time Zone\nBEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\n"
        "TZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\n"
        "DTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\n"
        "END:DAYLIGHT\nEND:VTIMEZONE\n",
        vevent("custom", "DTSTART;TZID=Customized Time Zone:20300115T140000"),
        vevent("mozilla", "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20300115T140000"),
    )
    src = source()
    run = import_calendar(source=src, content=content, now=NOW)

    assert run.created == 2
    for uid in ("custom", "mozilla"):
        imported_event = event(src, uid)
        assert imported_event.starts_at == datetime(2030, 1, 15, 13, 0, tzinfo=UTC)
        assert imported_event.timezone == "Europe/Paris"


def test_import_windows_antilles_zone_takes_the_region_zone():
    src = source(default_region=Region.objects.get(code="01"))
    content = calendar(vevent("antilles", "DTSTART;TZID=SA Western Standard Time:20300115T140000"))
    import_calendar(source=src, content=content, now=NOW)

    antilles = event(src, "antilles")
    assert (antilles.timezone, antilles.starts_at) == (
        "America/Guadeloupe",
        datetime(2030, 1, 15, 18, 0, tzinfo=UTC),
    )


def test_import_rrule_until_with_floating_and_utc_times():
    content = calendar(
        vevent("floating-until", "DTSTART:20300114T100000", "RRULE:FREQ=WEEKLY;UNTIL=20300128T100000"),
        vevent(
            "utc-until",
            "DTSTART;TZID=Europe/Paris:20300114T100000",
            "RRULE:FREQ=WEEKLY;UNTIL=20300128T090000Z",
        ),
    )
    src = source()
    run = import_calendar(source=src, content=content, now=NOW)

    assert run.skipped_reasons == []
    for uid in ("floating-until", "utc-until"):
        assert Event.objects.filter(source=src, source_uid__startswith=f"{uid}#").count() == 3


def test_import_recurrence_limits():
    content = calendar(
        vevent("minutely", "DTSTART:20300114T100000Z", "RRULE:FREQ=MINUTELY"),
        vevent("hourly", "DTSTART:20300114T100000Z", "RRULE:FREQ=HOURLY"),
    )
    src = source()
    run = import_calendar(source=src, content=content, now=NOW)

    assert reasons(run)["minutely"].startswith("Répétition trop fréquente")
    assert reasons(run)["hourly"].startswith(
        f"Répétition limitée à {imports.MAX_OCCURRENCES_PER_SERIES} occurrences"
    )
    assert run.created == imports.MAX_OCCURRENCES_PER_SERIES


def test_import_duplicate_uid_keeps_the_latest_version():
    content = calendar(
        vevent("double", "SEQUENCE:1", "DTSTART:20300115T100000Z", summary="Version 1"),
        vevent("double", "SEQUENCE:2", "DTSTART:20300115T100000Z", summary="Version 2"),
    )
    src = source()
    run = import_calendar(source=src, content=content, now=NOW)

    assert event(src, "double").title == "Version 2"
    assert run.skipped_reasons == [
        {
            "uid": "double",
            "resume": "Version 1",
            "raison": "UID en double dans le calendrier : seule la version la plus récente est importée.",
        }
    ]


def test_import_end_before_start_and_unsafe_urls():
    content = calendar(
        vevent("backwards", "DTSTART:20300115T100000Z", "DTEND:20300115T090000Z"),
        vevent(
            "unsafe", "DTSTART:20300115T100000Z", "URL:javascript:alert(1)", "LOCATION:javascript:alert(1)"
        ),
    )
    src = source()
    run = import_calendar(source=src, content=content, now=NOW)

    assert reasons(run)["backwards"] == "La fin (DTEND) précède le début (DTSTART)."
    unsafe = event(src, "unsafe")
    assert (unsafe.registration_url, unsafe.online_url, unsafe.mode) == ("", "", Mode.IN_PERSON)
