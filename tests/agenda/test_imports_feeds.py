"""Imports of other calendars, the service every door calls: a normal feed (once, twice, changed, shrunk),
recurrences, times and time zones, files that are not calendars.

The fixtures of tests/agenda/data/ are dated around January 2030; the service is given ``now`` (NOW) so that they
stay within the import horizon whatever the day the tests run (tests/agenda/imports_helpers.py).
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from agenda import imports
from agenda.enums import Format, Mode, Moderation, Status
from agenda.imports import import_calendar
from agenda.models import Event
from core.models import AuditEntry
from territories.models import Region
from tests.agenda.factories import EventFactory
from tests.agenda.imports_helpers import (
    NOW,
    PARIS,
    calendar,
    counts,
    event,
    imported,
    read,
    reasons,
    source,
    vevent,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# A normal feed, imported once, twice, changed, shrunk.


def test_import_feed_creates_events_with_their_fields():
    src = source()
    run = imported(src, "feed.ics")

    assert run.error == ""
    assert counts(run) == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "missing": 0}
    assert run.finished_at is not None
    conf = event(src, "conf-ia-lyon@partenaire.exemple")
    assert conf.title == "Conférence IA et industrie"
    assert conf.description == "Des cas concrets d’IA dans l’industrie, présentés par des PME de la région."
    assert conf.starts_at == datetime(2030, 1, 15, 14, 30, tzinfo=PARIS)
    assert conf.ends_at == datetime(2030, 1, 15, 17, 0, tzinfo=PARIS)
    assert conf.timezone == "Europe/Paris"
    assert (conf.venue_name, conf.address) == (
        "Maison des entreprises",
        "12 rue de la République, 69001 Lyon",
    )
    assert conf.commune.name == "Lyon"
    assert (conf.departement.code, conf.region.code) == ("69", "84")
    assert (conf.latitude, conf.longitude) == (Decimal("45.764043"), Decimal("4.835659"))
    assert conf.registration_url == "https://inscriptions.exemple.fr/conf-ia"
    assert (conf.source_sequence, conf.sequence) == (0, 0)
    assert conf.source_last_modified == datetime(2029, 12, 1, 10, 0, tzinfo=UTC)
    assert conf.format == Format.AUTRE
    assert conf.moderation == Moderation.SUBMITTED
    assert conf.created_by is None
    assert conf.slug == "conference-ia-et-industrie-2030-01-15"
    webinar = event(src, "webinaire-ia@partenaire.exemple")
    assert (webinar.mode, webinar.online_url) == (Mode.ONLINE, "https://visio.exemple.fr/webinaire-ia")
    assert webinar.starts_at == datetime(2030, 1, 22, 13, 0, tzinfo=UTC)
    assert webinar.timezone == "Europe/Paris"  # UTC times read in the region's zone


def test_import_source_settings_give_format_and_moderation():
    src = source(default_format=Format.CAFE_IA, publish_directly=True)
    imported(src, "feed.ics")

    assert set(Event.objects.filter(source=src).values_list("format", flat=True)) == {Format.CAFE_IA}
    assert set(Event.objects.filter(source=src).values_list("moderation", flat=True)) == {
        Moderation.PUBLISHED
    }


def test_import_same_feed_twice_creates_no_duplicate():
    src = source()
    imported(src, "feed.ics")
    second = imported(src, "feed.ics")

    assert Event.objects.filter(source=src).count() == 3
    assert counts(second) == {"created": 0, "updated": 0, "unchanged": 3, "skipped": 0, "missing": 0}
    assert set(Event.objects.filter(source=src).values_list("sequence", flat=True)) == {0}


def test_import_changed_feed_updates_and_marks_missing():
    src = source()
    imported(src, "feed.ics")
    cafe = event(src, "cafe-ia-grenoble@partenaire.exemple")
    later = NOW + timedelta(hours=1)
    run = imported(src, "feed_changed.ics", now=later)

    assert (run.created, run.updated, run.unchanged, run.missing) == (1, 1, 1, 1)
    conf = event(src, "conf-ia-lyon@partenaire.exemple")
    assert conf.title == "Conférence IA et industrie (nouvelle salle)"
    assert (conf.source_sequence, conf.sequence) == (1, 1)
    assert conf.source_last_modified == datetime(2029, 12, 20, 9, 0, tzinfo=UTC)
    # Gone from the source: marked, not deleted.
    cafe.refresh_from_db()
    assert cafe.missing_from_source_since == later
    assert event(src, "salon-ia@partenaire.exemple").title == "Salon de l’IA pour l’industrie"
    assert Event.objects.filter(source=src).count() == 4


def test_import_event_back_in_source_is_no_longer_missing():
    src = source()
    imported(src, "feed.ics")
    imported(src, "feed_changed.ics")
    run = imported(src, "feed.ics")

    assert event(src, "cafe-ia-grenoble@partenaire.exemple").missing_from_source_since is None
    assert event(src, "salon-ia@partenaire.exemple").missing_from_source_since == NOW
    assert run.missing == 1


def test_import_older_copy_of_an_event_does_not_undo_a_newer_one():
    src = source()
    imported(src, "feed_changed.ics")  # SEQUENCE 1
    run = imported(src, "feed.ics")  # SEQUENCE 0: a stale copy

    assert (
        event(src, "conf-ia-lyon@partenaire.exemple").title == "Conférence IA et industrie (nouvelle salle)"
    )
    assert run.updated == 0


def test_import_different_values_with_the_same_sequence_update_the_event():
    """Many feeds never raise SEQUENCE nor give LAST-MODIFIED: different values are enough."""
    src = source()
    imported(src, "feed.ics")
    content = read("feed.ics").replace(
        b"Caf\xc3\xa9 IA de Grenoble", b"Caf\xc3\xa9 IA de Grenoble et d'Is\xc3\xa8re"
    )
    run = import_calendar(source=src, content=content, now=NOW)

    cafe = event(src, "cafe-ia-grenoble@partenaire.exemple")
    assert (run.updated, cafe.title, cafe.sequence) == (1, "Café IA de Grenoble et d'Isère", 1)


def test_import_keeps_moderation_and_our_own_fields_on_update():
    src = source()
    imported(src, "feed.ics")
    Event.objects.filter(source=src).update(moderation=Moderation.REFUSED, format=Format.SALON)
    imported(src, "feed_changed.ics")

    conf = event(src, "conf-ia-lyon@partenaire.exemple")
    assert (conf.moderation, conf.format) == (Moderation.REFUSED, Format.SALON)


def test_import_publishes_directly_only_in_the_source_region():
    src = source(publish_directly=True, default_region=Region.objects.get(code="04"))
    imported(src, "zones.ics")

    assert event(src, "reunion@partenaire.exemple").moderation == Moderation.PUBLISHED
    # Lyon's postcode puts the next one in Auvergne-Rhône-Alpes: its moderators decide.
    imported(src, "feed.ics")
    assert event(src, "conf-ia-lyon@partenaire.exemple").moderation == Moderation.SUBMITTED


def test_import_change_of_a_published_event_goes_back_to_moderation():
    # A coordinator published the event; the calendar's owner then rewrites it: the moderators see it again.
    src = source()
    imported(src, "feed.ics")
    Event.objects.filter(source=src).update(moderation=Moderation.PUBLISHED)

    imported(src, "feed_changed.ics", now=NOW + timedelta(hours=1))

    conf = event(src, "conf-ia-lyon@partenaire.exemple")
    assert conf.title == "Conférence IA et industrie (nouvelle salle)"
    assert conf.moderation == Moderation.SUBMITTED
    # Unchanged: stays published.
    assert event(src, "webinaire-ia@partenaire.exemple").moderation == Moderation.PUBLISHED


def test_import_moving_a_published_event_to_another_region_sends_it_to_that_region_moderation():
    src = source(publish_directly=True)  # publishes directly, in 84 only
    imported(src, "feed.ics")
    assert event(src, "conf-ia-lyon@partenaire.exemple").moderation == Moderation.PUBLISHED

    moved = (
        read("feed.ics")
        .decode()
        .replace(
            "SEQUENCE:0\nDTSTART;TZID=Europe/Paris:20300115T143000",
            "SEQUENCE:1\nDTSTART;TZID=Europe/Paris:20300115T143000",
        )
        .replace("69001 Lyon", "31000 Toulouse")
    )
    import_calendar(source=src, content=moved.encode(), now=NOW + timedelta(hours=1))

    conf = event(src, "conf-ia-lyon@partenaire.exemple")
    assert conf.region_id == "76"
    assert conf.moderation == Moderation.SUBMITTED


# Recurrences.


def test_import_weekly_rrule_with_exdate_rdate_and_moved_occurrence():
    src = source()
    run = imported(src, "recurring.ics")

    club = Event.objects.filter(source=src, source_uid__startswith="club-ia@").order_by("starts_at")
    assert [e.starts_at.astimezone(PARIS).replace(tzinfo=None) for e in club] == [
        # 7 January is before the horizon, 21 January is an EXDATE, 24 January an RDATE, 4 February moved to the 5th.
        datetime(2030, 1, 14, 18, 30),
        datetime(2030, 1, 24, 9, 0),
        datetime(2030, 1, 28, 18, 30),
        datetime(2030, 2, 5, 18, 30),
        datetime(2030, 2, 11, 18, 30),
        datetime(2030, 2, 18, 18, 30),
        datetime(2030, 2, 25, 18, 30),
    ]
    moved = club.get(starts_at=datetime(2030, 2, 5, 18, 30, tzinfo=PARIS))
    assert moved.source_uid == "club-ia@partenaire.exemple#2030-02-04T17:30:00Z"  # its RECURRENCE-ID, in UTC
    assert moved.title == "Club IA des dirigeants (décalé au mardi)"
    assert club.first().source_uid == "club-ia@partenaire.exemple#2030-01-14T17:30:00Z"
    assert club.get(starts_at=datetime(2030, 1, 24, 9, 0, tzinfo=PARIS)).ends_at == datetime(
        2030, 1, 24, 10, 30, tzinfo=PARIS
    )
    # A rule without end stops at the horizon: every Wednesday from the day before NOW to NOW + 180 days.
    wednesdays = Event.objects.filter(source=src, source_uid__startswith="permanence-ia@")
    expected = [
        day
        for day in (date(2030, 1, 9) + timedelta(days=n) for n in range(0, 200))
        if day.weekday() == 2
        and NOW - timedelta(days=1) <= datetime(day.year, day.month, day.day, 12, tzinfo=PARIS)
        and datetime(day.year, day.month, day.day, 10, tzinfo=PARIS) <= NOW + timedelta(days=180)
    ]
    assert sorted(e.starts_at.astimezone(PARIS).date() for e in wednesdays) == expected
    assert run.created == 7 + len(expected)
    assert imported(src, "recurring.ics").unchanged == run.created


def test_import_recurring_occurrence_past_the_horizon_is_not_missing():
    src = source()
    imported(src, "recurring.ics")
    much_later = NOW + timedelta(days=60)
    run = imported(src, "recurring.ics", now=much_later)

    assert run.missing == 0
    assert not Event.objects.filter(source=src, missing_from_source_since__isnull=False).exists()


# Times and time zones.


def test_import_all_day_events():
    src = source()
    imported(src, "zones.ics")

    days = event(src, "journees-ia@partenaire.exemple")
    assert days.all_day
    assert days.starts_at == datetime(2030, 1, 20, 0, 0, tzinfo=PARIS)
    assert days.ends_at == datetime(2030, 1, 21, 23, 59, tzinfo=PARIS)  # DTEND 22 January is exclusive
    single = event(src, "journee-unique@partenaire.exemple")
    assert single.all_day
    assert (single.starts_at, single.ends_at) == (
        datetime(2030, 1, 25, 0, 0, tzinfo=PARIS),
        datetime(2030, 1, 25, 23, 59, tzinfo=PARIS),
    )


def test_import_all_day_event_with_a_duration_in_hours():
    # RFC 5545 wants days after a date; the expansion made such a start a naive datetime and the whole import stopped.
    src = source()
    run = import_calendar(
        source=src,
        content=calendar(
            vevent("heures", "DTSTART;VALUE=DATE:20300120", "DURATION:PT3H"),
            vevent("jour-et-heures", "DTSTART;VALUE=DATE:20300120", "DURATION:P2DT3H"),
            vevent("autre", "DTSTART:20300121T090000Z"),
        ),
        now=NOW,
    )
    assert (run.error, run.created, run.skipped) == ("", 3, 0)
    hours, days = event(src, "heures"), event(src, "jour-et-heures")
    assert hours.all_day and days.all_day
    assert (hours.starts_at, hours.ends_at) == (
        datetime(2030, 1, 20, 0, 0, tzinfo=PARIS),
        datetime(2030, 1, 20, 23, 59, tzinfo=PARIS),
    )
    assert days.ends_at == datetime(2030, 1, 21, 23, 59, tzinfo=PARIS)


def test_import_floating_time_is_read_in_the_region_zone():
    src = source(default_region=Region.objects.get(code="04"))
    imported(src, "zones.ics")

    floating = event(src, "flottant@partenaire.exemple")
    assert floating.starts_at == datetime(2030, 1, 18, 5, 30, tzinfo=UTC)  # 9 h 30 in La Réunion (UTC+4)
    assert floating.timezone == "Indian/Reunion"


def test_import_floating_time_in_x_wr_timezone():
    src = source()
    content = read("zones.ics").replace(b"X-WR-CALNAME", b"X-WR-TIMEZONE:America/Cayenne\r\nX-WR-CALNAME")
    import_calendar(source=src, content=content, now=NOW)

    floating = event(src, "flottant@partenaire.exemple")
    assert floating.starts_at == datetime(2030, 1, 18, 12, 30, tzinfo=UTC)  # 9 h 30 in Guyane (UTC-3)
    assert floating.timezone == "America/Cayenne"


def test_import_missing_dtend_lasts_one_hour_or_its_duration():
    src = source()
    imported(src, "zones.ics")

    no_end = event(src, "sans-fin@partenaire.exemple")
    assert no_end.ends_at - no_end.starts_at == timedelta(hours=1)
    with_duration = event(src, "duree@partenaire.exemple")
    assert with_duration.ends_at - with_duration.starts_at == timedelta(hours=2, minutes=30)


def test_import_unknown_tzid_is_skipped_and_the_others_imported():
    src = source()
    run = imported(src, "zones.ics")

    assert "Mars/Olympus" in reasons(run)["mars@partenaire.exemple"]
    assert not Event.objects.filter(source=src, source_uid="mars@partenaire.exemple").exists()
    assert run.created == 7  # and the event cancelled before its import is not created (next test)


def test_import_windows_tzid_means_europe_paris():
    src = source()
    imported(src, "zones.ics")

    outlook = event(src, "outlook@partenaire.exemple")
    assert outlook.timezone == "Europe/Paris"
    assert outlook.starts_at == datetime(2030, 1, 16, 13, 0, tzinfo=UTC)


def test_import_reunion_event_at_14_is_10_utc_in_its_region():
    src = source()  # Auvergne-Rhône-Alpes by default: the postcode 97400 places the event in La Réunion
    imported(src, "zones.ics")

    reunion = event(src, "reunion@partenaire.exemple")
    assert reunion.starts_at == datetime(2030, 1, 17, 10, 0, tzinfo=UTC)
    assert reunion.timezone == "Indian/Reunion"
    assert (reunion.commune.name, reunion.region.code) == ("Saint-Denis", "04")


def test_import_event_cancelled_before_its_import_is_not_created():
    src = source()
    run = imported(src, "zones.ics")

    assert not Event.objects.filter(source=src, source_uid="annule@partenaire.exemple").exists()
    assert reasons(run)["annule@partenaire.exemple"] == (
        "Annulé dans la source avant d’avoir été importé\u00a0: un événement n’est jamais créé annulé."
    )


def test_import_event_cancelled_after_its_import_is_kept_as_cancelled():
    src = source()
    scheduled = read("zones.ics").replace(b"STATUS:CANCELLED\r\n", b"").replace(b"STATUS:CANCELLED\n", b"")
    import_calendar(source=src, content=scheduled, now=NOW)
    assert event(src, "annule@partenaire.exemple").status == Status.SCHEDULED

    imported(src, "zones.ics")

    assert event(src, "annule@partenaire.exemple").status == Status.CANCELLED


def test_import_malformed_events_are_skipped_with_a_reason():
    src = source()
    run = imported(src, "zones.ics")

    by_uid = reasons(run)
    assert run.skipped == 6  # with the event cancelled before its import
    assert by_uid["sans-titre@partenaire.exemple"] == "Pas de titre (SUMMARY)."
    assert by_uid["sans-debut@partenaire.exemple"] == "Pas de date de début (DTSTART)."
    assert (
        by_uid["date-cassee@partenaire.exemple"] == "Propriété DTSTART illisible (valeur « le 3 février »)."
    )
    assert by_uid[""].startswith("Pas d’identifiant (UID)")
    assert {r["resume"] for r in run.skipped_reasons} >= {"Conférence martienne", "Sans identifiant"}


def test_import_without_any_region_skips_with_a_reason():
    src = source(default_region=None)
    run = imported(src, "feed.ics")

    # Lyon and Grenoble are found by their postcode; the webinar has no place.
    assert run.created == 2
    assert reasons(run)["webinaire-ia@partenaire.exemple"].startswith("Aucune région")


# Files that are not calendars.


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (read("not_a_calendar.ics"), "c’est une page web"),
        (read("truncated.ics"), "il est tronqué"),
        (b"", "il est vide"),
        (b'{"events": []}', "c’est un document JSON"),
        (b"\x00\x01 garbage", "il ne commence pas par BEGIN:VCALENDAR"),
        (
            b"BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "il est mal formé",
        ),
    ],
)
def test_import_not_a_calendar_is_an_error_and_touches_nothing(content, reason):
    src = source()
    imported(src, "feed.ics")
    before = list(Event.objects.filter(source=src).values())
    run = import_calendar(source=src, content=content, now=NOW + timedelta(days=1))

    assert run.error.startswith("Ce fichier n’est pas un calendrier iCalendar : ")
    assert reason in run.error
    assert (run.created, run.updated, run.missing) == (0, 0, 0)
    assert run.finished_at is not None
    assert list(Event.objects.filter(source=src).values()) == before


def test_import_too_big_is_refused():
    src = source()
    run = import_calendar(source=src, content=b"BEGIN:VCALENDAR\r\n" + b" " * imports.MAX_BYTES, now=NOW)

    assert run.error.startswith("Le fichier est trop volumineux")


def test_import_audits_what_changed():
    src = source()
    coordinator = UserFactory(national=True)
    import_calendar(source=src, content=read("feed.ics"), now=NOW, by=coordinator)

    entry = AuditEntry.objects.get(action="event.import")
    assert (entry.actor, entry.object_id, entry.changes["créés"]) == (coordinator, str(src.pk), 3)


def test_import_removes_control_characters():
    src = source()
    content = read("feed.ics").replace(b"SUMMARY:Caf\xc3\xa9 IA", b"SUMMARY:Caf\xc3\xa9\x00 IA\x07")
    run = import_calendar(source=src, content=content, now=NOW)

    assert run.created == 3
    assert event(src, "cafe-ia-grenoble@partenaire.exemple").title == "Café IA de Grenoble"


def test_import_does_not_touch_manual_events():
    manual = EventFactory()
    src = source()
    imported(src, "feed.ics")
    imported(src, "feed_changed.ics")

    manual.refresh_from_db()
    assert (manual.source, manual.missing_from_source_since) == (None, None)
