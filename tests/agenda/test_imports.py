"""Imports of other calendars: the service (every door calls it), the command, the task, a real local HTTP server,
and the back-office pages.

The fixtures of tests/agenda/data/ are dated around January 2030; the service is given ``now`` (NOW) so that they
stay within the import horizon whatever the day the tests run. The command and the HTTP server use
``forever.ics``, a weekly event with no end, always within the horizon.
"""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from time import monotonic
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda import imports
from agenda.enums import Format, Mode, Moderation, Status
from agenda.imports import FetchError, fetch, fetch_url, import_calendar, import_source, importer
from agenda.models import Event, ImportRun, ImportSource
from agenda.tasks import refresh_source, refresh_sources
from core.models import AuditEntry
from territories.models import Region
from tests.agenda.conftest import ambassador_user, as_user, regional_user
from tests.agenda.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def source(**fields) -> ImportSource:
    defaults = {"name": "Agenda de la CCI", "default_region": Region.objects.get(code="84")}
    return ImportSource.objects.create(**{**defaults, **fields})


def imported(src: ImportSource, name: str, *, now=NOW) -> ImportRun:
    return import_calendar(source=src, content=read(name), now=now)


def event(src: ImportSource, uid: str) -> Event:
    return Event.objects.get(source=src, source_uid=uid)


def counts(run: ImportRun) -> dict[str, int]:
    return {name: getattr(run, name) for name in ("created", "updated", "unchanged", "skipped", "missing")}


def reasons(run: ImportRun) -> dict[str, str]:
    return {r["uid"]: r["raison"] for r in run.skipped_reasons}


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


# The command.


def test_command_imports_a_file_and_reports_counts_and_skipped_reasons():
    out = StringIO()
    call_command("import_events", str(DATA / "forever.ics"), "--region", "84", stdout=out)

    text = out.getvalue()
    src = ImportSource.objects.get(name="forever.ics")
    run = src.runs.get()
    assert run.created == Event.objects.filter(source=src).count() > 20
    assert f"{run.created} créé(s), 0 mis à jour, 0 inchangé(s), 1 ignoré(s)" in text
    assert "sans-titre@partenaire.exemple : Pas de titre (SUMMARY)." in text
    # A second time: nothing new.
    out = StringIO()
    call_command("import_events", str(DATA / "forever.ics"), "--region", "84", stdout=out)
    assert f"0 créé(s), 0 mis à jour, {run.created} inchangé(s), 1 ignoré(s)" in out.getvalue()
    assert Event.objects.filter(source=src).count() == run.created


def test_command_options_set_the_source():
    call_command(
        "import_events",
        str(DATA / "forever.ics"),
        "--source",
        "Permanences de la CCI",
        "--region",
        "04",
        "--format",
        "atelier",
        "--publish",
        stdout=StringIO(),
    )

    src = ImportSource.objects.get(name="Permanences de la CCI")
    assert (src.default_region.code, src.default_format, src.publish_directly) == ("04", "atelier", True)
    # The events' place (Lyon, 69001) decides their region; published directly only in the source's region.
    assert set(Event.objects.filter(source=src).values_list("region", "moderation")) == {
        ("84", Moderation.SUBMITTED)
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(DATA / "absent.ics")], "Fichier introuvable"),
        ([str(DATA / "not_a_calendar.ics"), "--region", "84"], "n’est pas un calendrier iCalendar"),
        ([str(DATA / "forever.ics"), "--region", "99"], "Région inconnue : « 99 »"),
        ([str(DATA / "forever.ics"), "--format", "banquet"], "Format inconnu : « banquet »"),
        ([], "Indiquez un fichier ou une adresse"),
    ],
)
def test_command_fatal_errors_fail_with_a_french_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_events", *args, stdout=StringIO())


def test_command_malformed_file_does_not_crash_and_reports(tmp_path):
    path = tmp_path / "messy.ics"
    path.write_bytes(read("zones.ics"))
    out = StringIO()
    call_command("import_events", str(path), "--region", "84", stdout=out)

    assert "5 ignoré(s)" in out.getvalue()
    assert "mars@partenaire.exemple : Fuseau horaire inconnu « Mars/Olympus »" in out.getvalue()


# Remote calendars: a real local HTTP server.


class _Calendars(BaseHTTPRequestHandler):
    big = b"BEGIN:VCALENDAR\r\n" + b"X" * imports.MAX_BYTES + b"\r\nEND:VCALENDAR\r\n"

    def do_GET(self):
        if self.path == "/lent.ics":
            self.server.release.wait(5)  # longer than the client's timeout; released at the end of the test
        if self.path == "/en-tetes-lents.ics":
            self.slow_headers()
            return
        routes = {
            "/agenda.ics": (200, read("forever.ics")),
            "/lent.ics": (200, read("forever.ics")),
            "/trop-gros.ics": (200, self.big),
            "/page.ics": (200, read("not_a_calendar.ics")),
            "/absent.ics": (404, b"introuvable"),
        }
        if self.path == "/redirection.ics":
            self.send_response(302)
            self.send_header("Location", "/agenda.ics")
            self.end_headers()
            return
        status, body = routes.get(self.path, (404, b""))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            if self.path != "/trop-gros.ics":  # no Content-Length: the limit applies while reading
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout, size limit)
            pass

    def slow_headers(self):
        """One header line every half second: every read gets its byte in time, only a deadline on the whole
        download stops it (30 s at most, so that a client without one fails rather than hangs)."""
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(60):
                if self.server.release.wait(0.5):
                    return
                self.wfile.write(f"X-Lent-{i}: encore\r\n".encode())
                self.wfile.flush()
        except OSError:  # the client gave up
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def calendar_server(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the test server is on 127.0.0.1
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Calendars)
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def test_import_source_from_url(calendar_server):
    src = source(url=f"{calendar_server}/agenda.ics")
    run = import_source(src)

    assert run.error == ""
    assert run.created == Event.objects.filter(source=src).count() > 20
    assert import_source(src).unchanged == run.created


def test_import_source_follows_redirects_and_webcal(calendar_server):
    assert fetch_url(f"{calendar_server}/redirection.ics") == read("forever.ics")
    with pytest.raises(FetchError):  # webcal is https: this local server only speaks http
        fetch_url(calendar_server.replace("http://", "webcal://") + "/agenda.ics", timeout=2)


def test_import_source_too_big_is_refused(calendar_server):
    src = source(url=f"{calendar_server}/trop-gros.ics")
    imported(src, "feed.ics")
    run = import_source(src)

    assert run.error == ("Le calendrier dépasse la taille maximale (5 Mo) : il n’est pas importé.")
    assert Event.objects.filter(source=src, missing_from_source_since__isnull=True).count() == 3
    with pytest.raises(FetchError, match="taille maximale"):
        fetch_url(f"{calendar_server}/agenda.ics", max_bytes=100)


def test_import_source_slow_server_times_out(calendar_server):
    with pytest.raises(FetchError, match="n’a pas pu être téléchargé à cette adresse"):
        fetch_url(f"{calendar_server}/lent.ics", timeout=0.5)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/absent.ics", "Le serveur a répondu par une erreur 404"),
        ("/page.ics", "Ce fichier n’est pas un calendrier iCalendar : c’est une page web"),
    ],
)
def test_import_source_errors_are_recorded(calendar_server, path, message):
    src = source(url=f"{calendar_server}{path}")
    run = import_source(src)

    assert run.error.startswith(message)
    assert run.finished_at is not None


def test_fetch_refuses_other_schemes_and_private_networks():
    with pytest.raises(FetchError, match="seules les adresses http, https et webcal"):
        fetch_url("file:///etc/passwd")
    with pytest.raises(FetchError, match="n’a pas pu être téléchargé à cette adresse"):
        fetch_url("http://127.0.0.1:9/agenda.ics")
    src = source(url="http://localhost:9/agenda.ics")
    assert import_source(src).error == imports.UNREACHABLE


def test_task_refreshes_active_url_sources(calendar_server):
    active = source(url=f"{calendar_server}/agenda.ics")
    source(name="Inactive", url=f"{calendar_server}/agenda.ics", is_active=False)
    source(name="Fichier")

    result = refresh_sources.enqueue()

    assert list(result.return_value) == [active.name]
    assert active.events.count() == active.runs.get().created > 0
    assert ImportRun.objects.count() == 1


def test_task_refresh_source_reports_its_run(calendar_server):
    active = source(url=f"{calendar_server}/agenda.ics")
    inactive = source(name="Inactive", url=f"{calendar_server}/agenda.ics", is_active=False)

    result = refresh_source.enqueue(active.pk)

    assert result.return_value == {"source": active.name, "créés": active.events.count(), "erreur": ""}
    assert refresh_source.enqueue(inactive.pk).return_value == {}  # deactivated since it was enqueued
    assert ImportRun.objects.count() == 1


def test_task_refresh_slow_source_holds_up_none_of_the_others(calendar_server, monkeypatch):
    monkeypatch.setattr(fetch, "FETCH_TIMEOUT", 1)  # the 10 s of production, shortened
    slow = source(name="Lente", url=f"{calendar_server}/en-tetes-lents.ics")
    good = source(url=f"{calendar_server}/agenda.ics")
    started = monotonic()

    refresh_sources.enqueue()

    assert monotonic() - started < 6  # a guard on the limit, not a timing: unbounded, this took 30 s
    assert slow.runs.get().error == imports.UNREACHABLE
    assert good.runs.get().created == good.events.count() > 0


def test_command_all_slow_source_holds_up_none_of_the_others(calendar_server, monkeypatch):
    monkeypatch.setattr(fetch, "FETCH_TIMEOUT", 1)
    slow = source(name="Lente", url=f"{calendar_server}/en-tetes-lents.ics")
    good = source(url=f"{calendar_server}/agenda.ics")
    out, err = StringIO(), StringIO()
    started = monotonic()

    call_command("import_events", "--toutes", stdout=out, stderr=err)

    assert monotonic() - started < 6
    assert f"Source «\u00a0Lente\u00a0»\u00a0: {imports.UNREACHABLE}" in err.getvalue()
    assert f"{good.events.count()} créé(s)" in out.getvalue()
    assert slow.events.count() == 0


def test_command_all_refreshes_url_sources(calendar_server):
    source(url=f"{calendar_server}/agenda.ics")
    out = StringIO()
    call_command("import_events", "--toutes", stdout=out)

    assert "Agenda de la CCI" in out.getvalue()
    assert "créé(s)" in out.getvalue()


def test_command_url(calendar_server):
    out = StringIO()
    call_command("import_events", f"{calendar_server}/agenda.ics", "--region", "84", stdout=out)

    src = ImportSource.objects.get(name=f"{calendar_server}/agenda.ics")
    assert src.url == f"{calendar_server}/agenda.ics"
    assert f"{src.events.count()} créé(s)" in out.getvalue()


# Back office.


def upload(name: str = "feed.ics", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, read(name) if content is None else content, content_type="text/calendar")


def source_form(**overrides) -> dict:
    data = {
        "name": "Agenda de la CCI Lyon",
        "url": "",
        "default_region": "84",
        "default_format": "atelier",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_coordinator_adds_a_source_by_upload(client):
    coordinator = UserFactory(national=True)
    response = as_user(client, coordinator).post(
        "/espace/evenements/sources/nouvelle/", source_form(file=upload("forever.ics"))
    )

    src = ImportSource.objects.get(name="Agenda de la CCI Lyon")
    assert response.status_code == 302
    assert response["Location"] == f"/espace/evenements/sources/{src.pk}/"
    assert src.events.count() == src.runs.get().created > 0
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Pas de titre (SUMMARY)." in body
    assert "Importer une nouvelle version du fichier" in body
    assert client.get("/espace/evenements/sources/").status_code == 200


def test_regional_coordinator_sources_are_those_of_their_region(client):
    regional = regional_user("84")
    other = source(name="Agenda occitan", default_region=Region.objects.get(code="76"))
    as_user(client, regional)

    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(default_region="76", file=upload())
    )
    assert response.status_code == 400
    assert client.get(f"/espace/evenements/sources/{other.pk}/").status_code == 404
    response = client.post("/espace/evenements/sources/nouvelle/", source_form(file=upload()))
    assert response.status_code == 302
    listing = client.get("/espace/evenements/sources/").content.decode()
    assert "Agenda de la CCI Lyon" in listing
    assert "Agenda occitan" not in listing


def test_bad_upload_shows_the_error_and_keeps_nothing(client):
    as_user(client, UserFactory(national=True))
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(file=upload("not_a_calendar.ics"))
    )

    assert response.status_code == 400
    assert "Ce fichier n’est pas un calendrier iCalendar : c’est une page web" in response.content.decode()
    assert not ImportSource.objects.exists()
    assert not ImportRun.objects.exists()


def test_coordinator_adds_a_source_by_url(client, calendar_server):
    as_user(client, UserFactory(national=True))
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(url=f"{calendar_server}/agenda.ics")
    )

    src = ImportSource.objects.get(name="Agenda de la CCI Lyon")
    assert response.status_code == 302
    assert src.url == f"{calendar_server}/agenda.ics"
    assert src.runs.get().created == src.events.count() > 0


def test_unreadable_url_is_not_added(client, calendar_server):
    as_user(client, UserFactory(national=True))
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(url=f"{calendar_server}/absent.ics")
    )

    assert response.status_code == 400
    assert "Le serveur a répondu par une erreur 404" in response.content.decode()
    assert not ImportSource.objects.exists()


def test_source_form_slow_server_is_cut_at_the_fetch_limit(client, calendar_server, monkeypatch):
    monkeypatch.setattr(fetch, "FETCH_TIMEOUT", 1)
    as_user(client, UserFactory(national=True))
    started = monotonic()
    response = client.post(
        "/espace/evenements/sources/nouvelle/", source_form(url=f"{calendar_server}/en-tetes-lents.ics")
    )

    assert monotonic() - started < 6
    assert response.status_code == 400
    assert imports.UNREACHABLE in response.content.decode()
    assert not ImportSource.objects.exists()


def test_new_source_needs_an_url_or_a_file(client):
    as_user(client, UserFactory(national=True))
    response = client.post("/espace/evenements/sources/nouvelle/", source_form())

    assert response.status_code == 400
    assert "Indiquez l’adresse du calendrier ou choisissez un fichier" in response.content.decode()


def test_new_upload_of_a_file_source_and_bad_upload_keeps_events(client):
    src = source()
    imported(src, "feed.ics", now=timezone.now())
    as_user(client, UserFactory(national=True))

    response = client.post(
        f"/espace/evenements/sources/{src.pk}/importer/", {"file": upload("truncated.ics")}
    )
    assert response.status_code == 400
    assert "il est tronqué" in response.content.decode()
    assert src.events.filter(missing_from_source_since__isnull=True).count() == src.events.count()


def test_import_now_button_for_url_sources(client, calendar_server):
    src = source(url=f"{calendar_server}/agenda.ics")
    as_user(client, UserFactory(national=True))

    page = client.get(f"/espace/evenements/sources/{src.pk}/")
    assert "Importer maintenant" in page.content.decode()
    response = client.post(f"/espace/evenements/sources/{src.pk}/importer/")
    assert response.status_code == 302
    assert src.runs.get().created == src.events.count() > 0


@pytest.mark.parametrize(
    "path",
    [
        "/espace/evenements/sources/",
        "/espace/evenements/sources/nouvelle/",
        "/espace/evenements/sources/{pk}/",
    ],
)
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("ambassador", 403), ("reviewer", 403), ("regional", 200), ("national", 200)],
)
def test_source_pages_permissions(client, path, role, status):
    src = source()
    users = {
        "anonymous": None,
        "ambassador": lambda: ambassador_user(),
        "reviewer": lambda: UserFactory(reviewer=True),
        "regional": lambda: regional_user("84"),
        "national": lambda: UserFactory(national=True),
    }
    user = users[role]() if users[role] else None
    response = as_user(client, user).get(path.format(pk=src.pk))

    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("role", ["ambassador", "anonymous"])
def test_import_now_is_refused_to_others(client, role):
    src = source(url="https://exemple.fr/agenda.ics")
    user = ambassador_user() if role == "ambassador" else None
    response = as_user(client, user).post(f"/espace/evenements/sources/{src.pk}/importer/")

    assert response.status_code == (403 if user else 302)
    assert not src.runs.exists()


def test_dashboard_links_to_sources_for_coordinators(client):
    body = as_user(client, UserFactory(national=True)).get("/espace/").content.decode()
    assert "/espace/evenements/sources/" in body
    body = as_user(client, ambassador_user()).get("/espace/").content.decode()
    assert "/espace/evenements/sources/" not in body


def test_source_list_query_count_does_not_grow(client):
    as_user(client, UserFactory(national=True))
    src = source()
    imported(src, "feed.ics")
    client.get("/espace/evenements/sources/")
    with CaptureQueriesContext(connection) as one:
        client.get("/espace/evenements/sources/")
    for n in range(3):
        other = source(name=f"Source {n}")
        imported(other, "feed_changed.ics")
    with CaptureQueriesContext(connection) as four:
        client.get("/espace/evenements/sources/")
    assert len(four) == len(one)


# Feeds as they come from the wild.


def calendar(*events: str, head: str = "") -> bytes:
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//FR\n" + head + "".join(events) + "END:VCALENDAR\n"
    return body.replace("\n", "\r\n").encode()


def vevent(uid: str, *lines: str, summary: str = "Atelier IA") -> str:
    return (
        "BEGIN:VEVENT\n"
        + f"UID:{uid}\nSUMMARY:{summary}\n"
        + "".join(f"{line}\n" for line in lines)
        + "END:VEVENT\n"
    )


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
