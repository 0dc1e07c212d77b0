"""Dates bounded the same way at every door (core/dates.py: 2000–2100, one French message, a 400 never a 500), and a
far date already stored (written past the forms) never takes a page, a feed or the API down."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from agenda.imports import import_calendar
from agenda.models import Event, ImportSource
from core.dates import OUT_OF_RANGE, in_range, localtime
from recruitment.models import Call
from territories.models import Region
from tests.agenda.conftest import ambassador_user, as_user, contribution_data, ics_events
from tests.agenda.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FAR_FUTURE = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
FAR_PAST = datetime(1, 1, 1, 0, 0, tzinfo=UTC)


# The rule.


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2000, 1, 1, 0, 0), True),
        (datetime(2100, 12, 31, 23, 59), True),
        (datetime(1999, 12, 31, 23, 59), False),
        (datetime(2101, 1, 1, 0, 0), False),
        (datetime(1, 1, 1), False),
        (datetime(9999, 12, 31), False),
        (None, False),
    ],
)
def test_in_range_reads_the_day_on_its_own_clock(value, expected):
    assert in_range(value) == expected


def test_localtime_of_a_far_instant_is_given_in_utc_instead_of_overflowing():
    from zoneinfo import ZoneInfo

    assert localtime(FAR_PAST, ZoneInfo("America/Cayenne")) == FAR_PAST
    assert localtime(FAR_FUTURE, ZoneInfo("Europe/Paris")) == FAR_FUTURE


# The doors: the contribution form.


@pytest.fixture
def contributor():
    return ambassador_user()


@pytest.mark.parametrize(
    "overrides",
    [
        {"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T02:00"},
        {"starts_at": "9999-12-31T20:00", "ends_at": "9999-12-31T23:00", "timezone": "America/Cayenne"},
        {"starts_at": "9999-12-31T00:00", "ends_at": "9999-12-31T23:59", "all_day": "on"},
        {"starts_at": "1999-12-31T10:00", "ends_at": "1999-12-31T12:00"},
        {"ends_at": "2101-01-01T00:00"},
    ],
)
def test_contribution_form_with_far_dates_is_a_400_in_french(client, contributor, overrides):
    response = as_user(client, contributor).post(
        "/espace/evenements/nouveau/", contribution_data(**overrides)
    )

    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert not Event.objects.exists()


def test_contribution_on_the_last_evening_of_2100_in_guyane_is_accepted_and_in_the_feed(client):
    contributor = UserFactory(national=True)
    data = contribution_data(
        starts_at="2100-12-31T20:00", ends_at="2100-12-31T23:59", timezone="America/Cayenne"
    )

    response = as_user(client, contributor).post("/espace/evenements/nouveau/", data)

    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get()
    assert event.ends_at.year == 2101  # in UTC, and still no overflow anywhere
    assert event.uid in ics_events(client.get("/agenda/flux.ics").content)
    assert client.get(f"/agenda/{event.slug}/").status_code == 200


# The call form (« appel à manifestation d’intérêt »).


def _call_data(**overrides):
    data = {
        "title": "AMI de l’an 1",
        "slug": "ami-an-1",
        "text": "Un appel.",
        "opens_at": "2026-03-01T00:00:00",
        "closes_at": "2026-03-31T23:59:59",
        "regions": ["84"],
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "overrides",
    [
        {"opens_at": "0001-01-01T00:00:00"},
        {"closes_at": "9999-12-31T23:59:59"},
        {"opens_at": "1999-12-31T23:59:59"},
    ],
)
def test_call_form_with_far_dates_is_a_400_in_french(client, overrides):
    client.force_login(UserFactory(national=True))

    response = client.post("/espace/appels/nouveau/", _call_data(**overrides))

    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert not Call.objects.exists()


# The filters, the month view and the API's parameters.


@pytest.mark.parametrize(
    "path",
    [
        "/agenda/?du=0001-01-01",
        "/agenda/?au=9999-12-31",
        "/agenda/passes/?du=1999-12-31",
        "/agenda/mois/?au=2101-01-01",
        "/agenda/flux.ics?du=0001-01-01",
        "/agenda/flux.rss?au=9999-12-31",
        "/agenda/flux.atom?du=0001-01-01",
    ],
)
def test_agenda_filters_with_far_dates_are_a_400(client, path):
    response = client.get(path)

    assert response.status_code == 400


@pytest.mark.parametrize("query", ["du=0001-01-01", "au=9999-12-31", "du=1999-12-31"])
def test_api_event_filters_with_far_dates_are_a_400_in_french(client, query):
    response = client.get(f"/api/v1/evenements?{query}")

    assert response.status_code == 400
    assert response.json()["erreurs"][query[:2]] == [OUT_OF_RANGE]


@pytest.mark.parametrize(
    "month", ["9999-12", "0001-01", "0000-01", "1999-12", "2101-01", "2026-13", "2026-00"]
)
def test_month_outside_the_agenda_is_a_404(client, month):
    assert client.get(f"/agenda/mois/{month}/").status_code == 404


def test_last_month_of_the_agenda_has_no_next_month(client):
    response = client.get("/agenda/mois/2100-12/")

    assert response.status_code == 200
    assert "/agenda/mois/2101-01/" not in response.content.decode()
    assert "/agenda/mois/2100-11/" in response.content.decode()


def test_first_month_of_the_agenda_has_no_previous_month(client):
    response = client.get("/agenda/mois/2000-01/")

    assert response.status_code == 200
    assert "/agenda/mois/1999-12/" not in response.content.decode()


# Calendar imports.


def _calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//FR\r\n{body}END:VCALENDAR\r\n".encode()


@pytest.fixture
def source():
    return ImportSource.objects.create(name="Agenda lointain", default_region=Region.objects.get(code="84"))


NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)


def test_import_skips_far_dates_with_a_reason_and_keeps_the_others(source):
    content = _calendar(
        # a daily series from year 1: refused before it is expanded over 700,000 days
        "UID:an-1\r\nSUMMARY:Depuis l’an 1\r\nDTSTART:00010101T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY\r\n",
        # in the window, but ending at the end of time
        "UID:sans-fin\r\nSUMMARY:Sans fin\r\nDTSTART:20300111T090000Z\r\nDTEND:99991231T230000Z\r\n",
        "UID:sans-fin-jour\r\nSUMMARY:Sans fin, à la journée\r\nDTSTART;VALUE=DATE:20300111\r\n"
        "DTEND;VALUE=DATE:99991231\r\n",
        # LAST-MODIFIED of year 1 on Paris time overflows in UTC: it is only a hint, ignored
        "UID:normal\r\nSUMMARY:Atelier normal\r\nDTSTART:20300112T090000Z\r\nDTEND:20300112T110000Z\r\n"
        "LAST-MODIFIED;TZID=Europe/Paris:00010101T000000\r\n",
        "UID:normal\r\nSUMMARY:Atelier normal (doublon)\r\nDTSTART:20300112T090000Z\r\nDTEND:20300112T110000Z\r\n"
        "LAST-MODIFIED;TZID=Europe/Paris:00010101T000000\r\n",
    )
    started = time.monotonic()

    run = import_calendar(source=source, content=content, now=NOW)

    assert time.monotonic() - started < 5  # the year-1 series is not expanded (it took seconds)
    assert run.error == ""
    assert list(Event.objects.values_list("source_uid", flat=True)) == ["normal"]
    reasons = {r["uid"]: r["raison"] for r in run.skipped_reasons}
    for uid in ("an-1", "sans-fin", "sans-fin-jour"):
        assert reasons[uid].startswith(
            "Date hors de l’agenda\u00a0: seuls les événements entre l’an 2000 et l’an 2100"
        )


def test_import_keeps_a_weekly_series_started_in_2000(source):
    content = _calendar(
        "UID:hebdo\r\nSUMMARY:Café IA du jeudi\r\nDTSTART:20000106T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\n"
    )

    run = import_calendar(source=source, content=content, now=NOW)

    assert run.skipped == 0
    assert Event.objects.count() == 26


# Rows written past the doors.


@pytest.fixture
def bad_rows():
    """Rows written past the forms (bulk writes, an old import): a year-9999 event, all day and timed, one of year 1
    in Guyane (its clock is behind UTC) and a rescheduled one first announced for year 1, beside a sound one."""
    return {
        "future_all_day": EventFactory(
            title="Fin des temps",
            all_day=True,
            starts_at=datetime(9999, 12, 30, 23, 0, tzinfo=UTC),
            ends_at=datetime(9999, 12, 31, 22, 59, tzinfo=UTC),
        ),
        "future": EventFactory(title="Très loin", starts_at=FAR_FUTURE, ends_at=FAR_FUTURE),
        "past": EventFactory(
            title="Très ancien",
            region_code="03",
            commune_code=None,
            timezone="America/Cayenne",
            starts_at=FAR_PAST,
            ends_at=FAR_PAST,
        ),
        "rescheduled": EventFactory(
            title="Reporté de loin",
            region_code="03",
            commune_code=None,
            timezone="America/Cayenne",
            previous_starts_at=FAR_PAST,
        ),
        "good": EventFactory(title="Atelier sain"),
    }


PUBLIC_PAGES = [
    "/agenda/",
    "/agenda/passes/",
    "/agenda/flux.ics",
    "/agenda/flux.rss",
    "/agenda/flux.atom",
    "/agenda/flux.ics?region=84",
    "/agenda/flux.ics?region=03",
    "/agenda/mois/",
    "/agenda/mois/2100-12/",
    "/regions/84/",
    "/regions/03/",
    "/regions/84/integration/",
    "/api/v1/evenements",
    "/api/v1/evenements?passes=true",
    "/api/v1/evenements?region=03",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_with_far_dates_stored_answers_without_them(client, bad_rows, path):
    response = client.get(path)

    assert response.status_code == 200
    body = response.content.decode()
    for name in ("future_all_day", "future", "past", "rescheduled"):
        assert bad_rows[name].title not in body


def test_feeds_with_far_dates_stored_keep_the_sound_events(client, bad_rows):
    assert list(ics_events(client.get("/agenda/flux.ics").content)) == [bad_rows["good"].uid]
    assert bad_rows["good"].title in client.get("/agenda/flux.rss").content.decode()
    assert bad_rows["good"].title in client.get("/agenda/flux.atom").content.decode()


@pytest.mark.parametrize("name", ["future_all_day", "future", "past", "rescheduled"])
@pytest.mark.parametrize("pattern", ["/agenda/{slug}/", "/agenda/{slug}.ics", "/api/v1/evenements/{slug}"])
def test_event_with_far_dates_stored_is_not_public(client, bad_rows, name, pattern):
    assert client.get(pattern.format(slug=bad_rows[name].slug)).status_code == 404


@pytest.mark.parametrize("path", ["/espace/evenements/", "/pilotage/", "/espace/"])
def test_back_office_with_far_dates_stored_answers(client, bad_rows, path):
    client.force_login(UserFactory(national=True))

    assert client.get(path).status_code == 200


@pytest.mark.parametrize("name", ["future_all_day", "future", "past", "rescheduled"])
def test_back_office_event_with_far_dates_stored_can_be_opened(client, bad_rows, name):
    client.force_login(UserFactory(national=True))
    pk = bad_rows[name].pk

    assert client.get(f"/espace/evenements/{pk}/").status_code == 200
    assert client.get(f"/espace/evenements/{pk}/modifier/").status_code == 200


def test_far_dates_stored_are_logged_when_shown(client, bad_rows, caplog):
    client.force_login(UserFactory(national=True))

    client.get(f"/espace/evenements/{bad_rows['past'].pk}/")

    assert "date out of range" in caplog.text


def test_event_a_day_from_the_bounds_is_still_public(client):
    """The public window is the agenda's days on every clock: an event on 1 January 2000 in La Réunion (UTC+4,
    still 1999 in UTC) is shown."""
    event = EventFactory(
        reunion=True,
        starts_at=datetime(1999, 12, 31, 20, 0, tzinfo=UTC),
        ends_at=datetime(1999, 12, 31, 22, 0, tzinfo=UTC),
    )
    assert timezone.now() - event.ends_at > timedelta(days=1)

    assert client.get(f"/agenda/{event.slug}/").status_code == 200
    assert client.get(f"/agenda/{event.slug}.ics").status_code == 200
