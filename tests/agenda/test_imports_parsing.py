"""Imports of other calendars: the import's own parsing and expansion give what the library gives (content lines,
properties read, the occurrence of an event that does not repeat)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from agenda import imports
from agenda.imports import importer
from tests.agenda.imports_helpers import (
    NOW,
    PARIS,
    calendar,
    read,
    vevent,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["feed.ics", "feed_changed.ics", "recurring.ics", "zones.ics", "forever.ics"]
)
def test_import_reads_a_file_as_the_library_does(name):
    # parse_calendars splits lines without parameters itself (parsing._ContentLine): the same calendars as
    # icalendar's own parser, property by property, and the same errors.
    content = read(name) + calendar(
        vevent("cas", "DESCRIPTION;LANGUAGE=fr:Pause\\, café : « IA »", 'X-A;X-B="a:b":c', "DTSTART:2030011"),
        vevent("vides", "LOCATION:", "X-ESPACES :valeur", " X-PLIÉ:oui"),
    )
    ours = imports.parse_calendars(content)
    library = icalendar.Calendar.from_ical(content, multiple=True)

    assert [c.to_ical() for c in ours] == [c.to_ical() for c in library]
    assert [c.errors for cal in ours for c in cal.walk()] == [c.errors for cal in library for c in cal.walk()]


@pytest.mark.parametrize(
    "name", ["feed.ics", "feed_changed.ics", "recurring.ics", "zones.ics", "forever.ics"]
)
def test_import_reads_only_the_properties_it_uses_the_others_as_if_absent(name):
    # The import's parsing (all_properties=False) leaves out of each VEVENT what it never reads: the library's
    # calendars without those properties, with the same errors on the others; the VEVENT's alarms, the time zones
    # and the calendar keep all of theirs.
    content = read(name) + calendar(
        vevent(
            "cas",
            "DTSTAMP:n'importe quoi",
            "CREATED:20301",
            'ATTENDEE;CN="Jean Dupont";ROLE=REQ-PARTICIPANT:mailto:jean@exemple.fr',
            "CATEGORIES:IA,Atelier",
            "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
            "DTSTART:2030011",
            "GEO:45.76;4.83",
            "summary:Café\\, IA\\; \\ndonnées",
            "DESCRIPTION:un",
            "DESCRIPTION:deux",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-PT15M",
            "DESCRIPTION:Rappel",
            "END:VALARM",
        ),
        head="X-WR-TIMEZONE:Europe/Paris\nX-WR-CALNAME:Agenda\n",
    )
    ours = imports.parse_calendars(content, all_properties=False)
    library = icalendar.Calendar.from_ical(content, multiple=True)
    unread = 0
    for cal in library:
        for component in cal.walk("VEVENT"):
            for prop in [p for p in component if p not in imports.READ_PROPERTIES]:
                del component[prop]
                unread += 1
            component.errors = [
                (p, e) for p, e in component.errors if p is None or p in imports.READ_PROPERTIES
            ]

    assert unread >= 5
    assert [c.to_ical() for c in ours] == [c.to_ical() for c in library]
    assert [c.errors for cal in ours for c in cal.walk()] == [c.errors for cal in library for c in cal.walk()]
    assert tuple(p for p, _e in ours[-1].walk("VEVENT")[-1].errors) == ("DTSTART",)
    assert ours[-1].walk("VALARM")[-1]["ACTION"] == "DISPLAY"
    # The texts without parameters, made by the import's parser itself (_ReadPropertiesParser): the library's
    # values, of its types, with their parameters, a repeated property as a list.
    assert [values(c) for cal in ours for c in cal.walk()] == [
        values(c) for cal in library for c in cal.walk()
    ]
    last = ours[-1].walk("VEVENT")[-1]
    assert str(last["SUMMARY"][-1]) == "Café, IA; \ndonnées"
    assert [str(d) for d in last["DESCRIPTION"]] == ["un", "deux"]


def values(component) -> list:
    return [
        (
            name,
            [(type(v), str(v), _dt(v), dict(v.params), getattr(v, "encoding", None)) for v in value],
        )
        for name, value in ((n, v if isinstance(v, list) else [v]) for n, v in component.items())
    ]


def test_import_occurrence_of_an_event_that_does_not_repeat_is_the_library_one():
    # importer._occurrences takes a shortcut for an event without recurrence: the same occurrences as the library's
    # whole expansion, at the edges of the window too (the import's window: a day back, 180 days ahead).
    start, end = NOW - imports.HORIZON_PAST, NOW + imports.HORIZON_FUTURE
    day = timedelta(days=1)
    cases = [
        (start - timedelta(hours=2), start),  # ends as the window opens
        (start - timedelta(hours=2), start + timedelta(seconds=1)),
        (start, start),  # no duration, at the opening
        (end, end + timedelta(hours=1)),  # starts as the window closes
        (end - timedelta(seconds=1), end),
        (start - timedelta(days=400), end + timedelta(days=400)),  # around the whole window
        (NOW.astimezone(PARIS), NOW.astimezone(PARIS) + timedelta(hours=2)),
        (NOW.astimezone(ZoneInfo("Indian/Reunion")), None),  # DURATION
        (start.date(), start.date() + day),  # all day
        (start.date() - day, start.date()),
        (end.date(), end.date() + day),
        (end.date() + day, end.date() + 2 * day),
        (start.date() - timedelta(days=30), None),  # all day, DURATION
    ]
    for i, (first, last) in enumerate(cases):
        component = icalendar.Event()
        component.add("uid", f"cas-{i}")
        component.add("summary", "Atelier")
        component.add("dtstart", first)
        if last is None:
            component.add("duration", timedelta(hours=3) if isinstance(first, datetime) else day)
        else:
            component.add("dtend", last)
        ours = importer._occurrences([component], (start, end))
        library = importer._occurrences_of_series([component.copy()], (start, end))
        # The same times, and what the import reads of the occurrence (all but the times) the same.
        assert [(s, e) for _, s, e in ours] == [(o.start, o.end) for o in library], (i, first, last)
        times = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID")
        assert [{k: v for k, v in c.items() if k not in times} for c, _, _ in ours] == [
            {k: v for k, v in o.items() if k not in times} for o in library
        ], (i, first, last)


def _dt(value):
    try:
        return value.dt
    except Exception:  # a text has none; a broken property (its error kept) raises on it
        return None
