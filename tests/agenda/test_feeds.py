"""The feeds: /agenda/flux.ics (RFC 5545, read back with the ``icalendar`` library and with Mozilla's ical.js, the
parser of Thunderbird), /agenda/<slug>.ics, /agenda/flux.rss and /agenda/flux.atom."""

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone

from agenda import services
from agenda.enums import Format, Moderation, Status
from tests.agenda.conftest import ics_events, regional_user
from tests.agenda.factories import PARIS, REUNION, EventFactory, at, in_days

pytestmark = pytest.mark.django_db

ICS_TYPE = "text/calendar; charset=utf-8"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def scene():
    """Public events in Lyon (with coordinates), in La Réunion at 14:00 local time, online, cancelled, past but
    recent; and three that must not be in the feed: submitted, refused, ended long ago."""
    reunion_day = in_days(21)
    return {
        "lyon": EventFactory(title="Atelier IA à Lyon", latitude="45.764043", longitude="4.835659"),
        "reunion": EventFactory(
            reunion=True,
            title="Café IA à Saint-Denis",
            starts_at=at(reunion_day, 14, 0, REUNION),
            ends_at=at(reunion_day, 16, 0, REUNION),
        ),
        "online": EventFactory(online=True, title="Webinaire IA générative"),
        "cancelled": EventFactory(
            title="Conférence annulée", format=Format.CONFERENCE, status=Status.CANCELLED, sequence=2
        ),
        "recent": EventFactory(title="Atelier de la semaine dernière", starts_at=at(in_days(-7), 9, 0)),
        "submitted": EventFactory(submitted=True, title="Atelier en attente"),
        "refused": EventFactory(moderation=Moderation.REFUSED, title="Atelier refusé"),
        "old": EventFactory(title="Atelier très ancien", starts_at=at(in_days(-60), 9, 0)),
    }


PUBLIC = ["lyon", "reunion", "online", "cancelled", "recent"]
HIDDEN = ["submitted", "refused", "old"]


def _feed(client, query=""):
    response = client.get(f"/agenda/flux.ics{query}")
    assert response.status_code == 200, response.content
    return response


# iCalendar: structure and properties


def test_feed_parses_and_has_one_vevent_per_public_event(client, scene):
    response = _feed(client)

    assert response["Content-Type"] == ICS_TYPE
    calendar = icalendar.Calendar.from_ical(response.content)
    vevents = calendar.walk("VEVENT")
    assert sorted(str(v["UID"]) for v in vevents) == sorted(scene[k].uid for k in PUBLIC)
    assert len(vevents) == len(PUBLIC)
    for key in HIDDEN:
        assert scene[key].title.encode() not in response.content
    for vevent in vevents:
        assert vevent.errors == []


def test_feed_calendar_properties(client, scene):
    calendar = icalendar.Calendar.from_ical(_feed(client).content)

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Ambassadeurs IA//Agenda//FR"
    assert calendar["NAME"] == "Agenda des ambassadeurs IA"
    assert calendar["X-WR-CALNAME"] == "Agenda des ambassadeurs IA"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"


def test_feed_vevent_properties(client, scene):
    lyon = scene["lyon"]
    before = timezone.now().replace(microsecond=0)

    vevent = ics_events(_feed(client).content)[lyon.uid]

    assert str(vevent["SUMMARY"]) == "Atelier IA à Lyon"
    assert before <= vevent["DTSTAMP"].dt <= timezone.now()
    assert vevent["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert vevent["SEQUENCE"] == 0
    lyon.refresh_from_db()
    assert vevent["LAST-MODIFIED"].dt == lyon.updated_at.replace(microsecond=0)
    assert vevent["STATUS"] == "CONFIRMED"
    assert str(vevent["URL"]) == f"{settings.SITE_URL}/agenda/{lyon.slug}/"
    assert str(vevent["LOCATION"]) == "Maison des entreprises, 12 rue de la République, Lyon"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (45.764043, 4.835659)
    assert vevent["DTSTART"].dt == lyon.starts_at
    assert vevent["DTEND"].dt == lyon.ends_at
    assert vevent["DTSTART"].params["TZID"] == PARIS
    assert f"{settings.SITE_URL}/agenda/{lyon.slug}/" in str(vevent["DESCRIPTION"])
    assert vevent.categories == ["Atelier"]


def test_feed_geo_only_when_known_and_location_of_online_event(client, scene):
    events = ics_events(_feed(client).content)

    assert "GEO" not in events[scene["reunion"].uid]
    assert "GEO" not in events[scene["online"].uid]
    assert str(events[scene["online"].uid]["LOCATION"]) == "En ligne"


def test_feed_cancelled_event_is_kept_as_cancelled(client, scene):
    vevent = ics_events(_feed(client).content)[scene["cancelled"].uid]

    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 2
    assert str(vevent["SUMMARY"]) == "Conférence annulée (Annulé)"
    assert str(vevent["DESCRIPTION"]).startswith("[Annulé]")


def test_feed_has_vtimezone_for_every_tzid_used(client, scene):
    calendar = icalendar.Calendar.from_ical(_feed(client).content)

    used = {
        vevent[name].params["TZID"]
        for vevent in calendar.walk("VEVENT")
        for name in ("DTSTART", "DTEND")
        if "TZID" in vevent[name].params
    }
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert used == {PARIS, REUNION}
    assert used <= defined


def test_feed_reunion_event_reads_local_time_and_converts_to_utc(client, scene):
    event = scene["reunion"]
    day = timezone.localtime(event.starts_at, ZoneInfo(REUNION)).date()

    content = _feed(client).content

    unfolded = content.replace(b"\r\n ", b"").decode()
    assert f"DTSTART;TZID=Indian/Reunion:{day:%Y%m%d}T140000\r\n" in unfolded
    assert f"DTEND;TZID=Indian/Reunion:{day:%Y%m%d}T160000\r\n" in unfolded
    start = ics_events(content)[event.uid]["DTSTART"].dt
    assert start.astimezone(UTC) == datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def test_feed_all_day_event_has_dates_and_exclusive_end(client):
    day = in_days(10)
    event = EventFactory(all_day=True, starts_at=at(day, 0, 0), ends_at=at(day + timedelta(days=1), 23, 59))

    vevent = ics_events(_feed(client).content)[event.uid]

    assert vevent["DTSTART"].dt == day
    assert vevent["DTEND"].dt == day + timedelta(days=2)
    assert isinstance(vevent["DTSTART"].dt, date) and not isinstance(vevent["DTSTART"].dt, datetime)


def test_feed_uid_is_stable_and_sequence_grows_with_changes(client, scene):
    first = ics_events(_feed(client).content)
    second = ics_events(_feed(client).content)
    assert set(first) == set(second)

    event = scene["lyon"]
    services.event_save(
        by=regional_user("84"),
        data={"title": "Atelier IA à Lyon – salle changée", "venue_name": "Salle B"},
        event=event,
    )
    third = ics_events(_feed(client).content)

    assert set(third) == set(first)
    assert third[event.uid]["SEQUENCE"] == first[event.uid]["SEQUENCE"] + 1
    assert str(third[event.uid]["SUMMARY"]) == "Atelier IA à Lyon – salle changée"
    assert third[event.uid]["LAST-MODIFIED"].dt >= first[event.uid]["LAST-MODIFIED"].dt


# HTTP: conditional requests and filters


def test_feed_conditional_get_gives_304(client, scene):
    response = _feed(client)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag
    assert last_modified
    assert "public" in response["Cache-Control"]
    assert "max-age=30" in response["Cache-Control"]  # a change shows within a minute, through two caches

    assert client.get("/agenda/flux.ics", headers={"if-none-match": etag}).status_code == 304
    assert client.get("/agenda/flux.ics", headers={"if-modified-since": last_modified}).status_code == 304
    # Another selection is another representation.
    assert client.get("/agenda/flux.ics?region=04", headers={"if-none-match": etag}).status_code == 200


def test_feed_deletion_of_an_older_event_shows_at_once(client, scene, django_capture_on_commit_callbacks):
    # A deletion does not move the events' last change: the feed's version and its cached body follow it anyway
    # (core.fragments.events_deleted_version), and so does the month view.
    older = scene["lyon"]  # created first: not the events' last change
    month = f"/agenda/mois/{timezone.localtime(older.starts_at):%Y-%m}/"
    etag = _feed(client)["ETag"]
    assert older.uid in _feed(client).content.decode()
    assert f"/agenda/{older.slug}/" in client.get(month).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        older.delete()

    response = client.get("/agenda/flux.ics", headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag
    assert older.uid not in response.content.decode()
    assert f"/agenda/{older.slug}/" not in client.get(month).content.decode()


def test_feed_change_invalidates_conditional_get(client, scene):
    etag = _feed(client)["ETag"]

    event = scene["lyon"]
    event.title = "Atelier IA à Lyon (nouvel horaire)"
    event.save()

    response = client.get("/agenda/flux.ics", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"nouvel horaire" in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?region=04", ["reunion"]),
        ("?region=84&mode=in_person", ["lyon", "cancelled", "recent"]),
        ("?format=webinaire", ["online"]),
        ("?q=saint-denis", ["reunion"]),
        (f"?du={in_days(14)}", ["reunion"]),
    ],
)
def test_feed_filters_apply(client, scene, query, expected):
    events = ics_events(_feed(client, query).content)

    assert sorted(events) == sorted(scene[k].uid for k in expected)


@pytest.mark.parametrize(
    "query",
    [
        "?region=zz",
        "?format=zzz",
        "?du=2026-99-01",
        "?du=2027-03-10&au=2027-03-01",
        "?au=9999-12-31",
        "?mode=%00",
    ],
)
@pytest.mark.parametrize("path", ["/agenda/flux.ics", "/agenda/flux.rss", "/agenda/flux.atom"])
def test_feed_bad_filter_is_400_in_french(client, scene, path, query):
    response = client.get(f"{path}{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Filtre invalide")


def test_event_ics_has_one_event(client, scene):
    event = scene["reunion"]

    response = client.get(f"/agenda/{event.slug}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == ICS_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == event.uid
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [REUNION]
    assert calendar["NAME"] == event.title


def test_event_ics_uid_matches_feed(client, scene):
    event = scene["cancelled"]

    [vevent] = icalendar.Calendar.from_ical(client.get(f"/agenda/{event.slug}.ics").content).walk("VEVENT")

    assert str(vevent["UID"]) == event.uid
    assert vevent["STATUS"] == "CANCELLED"


# RSS and Atom


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own feed, written by Django's feed generator


def test_rss_parses_with_upcoming_items(client, scene):
    response = client.get("/agenda/flux.rss")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = _xml(response.content).find("channel")
    assert channel.findtext("title") == "Agenda des ambassadeurs IA"
    items = channel.findall("item")
    titles = [item.findtext("title") for item in items]
    # Upcoming only, soonest first.
    assert titles == [
        "Atelier IA à Lyon",
        "Webinaire IA générative",
        "Conférence annulée (Annulé)",
        "Café IA à Saint-Denis",
    ]
    links = {item.findtext("title"): item.findtext("link") for item in items}
    assert links["Café IA à Saint-Denis"].endswith(f"/agenda/{scene['reunion'].slug}/")
    assert links["Café IA à Saint-Denis"].startswith("http")
    description = next(
        i.findtext("description") for i in items if i.findtext("title") == "Café IA à Saint-Denis"
    )
    assert "14\u00a0h – 16\u00a0h (heure de La Réunion)" in description


def test_atom_parses_with_entries_and_filters(client, scene):
    response = client.get("/agenda/flux.atom?region=84&format=atelier")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = _xml(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Atelier IA à Lyon"]
    [entry] = entries
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/agenda/{scene['lyon'].slug}/")
    assert entry.findtext(f"{ATOM}updated")


def test_rss_filters_apply(client, scene):
    channel = _xml(client.get("/agenda/flux.rss?region=04").content).find("channel")

    assert [i.findtext("title") for i in channel.findall("item")] == ["Café IA à Saint-Denis"]


# Mozilla's ical.js (Thunderbird's parser), run with node on the feed

ICALJS_SCRIPT = r"""
const { createRequire } = require("node:module");
const fs = require("node:fs");
const [projectDir, feedPath] = process.argv.slice(1);
const ICAL = createRequire(projectDir + "/package.json")("ical.js");
const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(feedPath, "utf8")));
// As Thunderbird does: the zones come from the feed's own VTIMEZONE blocks.
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    tzid: event.startDate.zone.tzid,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
  };
});
console.log(JSON.stringify({ name: calendar.getFirstPropertyValue("name"), events }));
"""


def _icaljs_available() -> bool:
    node = shutil.which("node")
    return node is not None and (settings.BASE_DIR / "node_modules" / "ical.js" / "package.json").exists()


def test_feed_parses_with_mozilla_icaljs(client, scene, tmp_path):
    if not _icaljs_available():
        pytest.skip("node ou ical.js absent : npm ci")
    feed = tmp_path / "flux.ics"
    feed.write_bytes(_feed(client).content)

    result = subprocess.run(
        [shutil.which("node"), "-e", ICALJS_SCRIPT, str(settings.BASE_DIR), str(feed)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TZ": "America/New_York"},  # not UTC, not Paris: no accidental match
    )

    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["name"] == "Agenda des ambassadeurs IA"
    events = {e["uid"]: e for e in parsed["events"]}
    assert sorted(events) == sorted(scene[k].uid for k in PUBLIC)
    reunion = events[scene["reunion"].uid]
    day = timezone.localtime(scene["reunion"].starts_at, ZoneInfo(REUNION)).date()
    assert reunion["start"] == f"{day:%Y-%m-%d}T10:00:00.000Z"
    assert reunion["end"] == f"{day:%Y-%m-%d}T12:00:00.000Z"
    assert reunion["tzid"] == REUNION
    assert reunion["summary"] == "Café IA à Saint-Denis"
    lyon = events[scene["lyon"].uid]
    assert lyon["start"] == scene["lyon"].starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert lyon["tzid"] == PARIS
    assert events[scene["cancelled"].uid]["status"] == "CANCELLED"
    assert events[scene["cancelled"].uid]["sequence"] == 2
    for event in parsed["events"]:
        assert event["start"] < event["end"]


def test_feed_postponed_event_is_tentative(client, scene):
    lyon = scene["lyon"]
    lyon.status = Status.POSTPONED
    lyon.save()

    vevent = ics_events(_feed(client).content)[lyon.uid]

    assert vevent["STATUS"] == "TENTATIVE"


# Feeds carry text, never markup a reader would run (security issue 13, fault 5): RSS readers and many calendar
# clients read these texts as HTML once unescaped, so the markup must be gone, raw or escaped.

ATTACKS = (
    "Avant.\n\n"
    "<svg onload=alert(1)>\n\n"
    "<script>alert(2)</script>\n\n"
    '<a href="javascript:alert(3)">x</a>\n\n'
    "<img src=x onerror=alert(4)>\n\n"
    # markup written as text: it comes out of Markdown as « <svg …> » once the entities are decoded
    "&lt;svg onload=alert(5)&gt;\n\n"
    "`<img src=x onerror=alert(6)>`\n\n"
    "    <script>alert(7)</script>\n\n"
    "[lien](javascript:alert(8))\n\n"
    "Après."
)
FORBIDDEN = (
    "<svg",
    "onload",
    "javascript:",
    "onerror",
    "<script",
    "<img",
    "&lt;svg",
    "&lt;script",
    "&lt;img",
)


@pytest.fixture
def attacked():
    return EventFactory(
        title="Atelier <svg onload=alert(9)> IA",
        description=ATTACKS,
        venue_name="<img src=x onerror=alert(10)>Maison des entreprises",
    )


@pytest.mark.parametrize("path", ["/agenda/flux.rss", "/agenda/flux.atom", "/agenda/flux.ics", "{ics}"])
def test_feed_carries_no_markup_of_a_description(client, attacked, path):
    response = client.get(path.format(ics=f"/agenda/{attacked.slug}.ics"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Avant." in body
    assert "Après." in body
    for forbidden in FORBIDDEN:
        assert forbidden not in body, forbidden


def test_event_jsonld_carries_no_markup_of_a_description(client, attacked):
    body = client.get(f"/agenda/{attacked.slug}/").content.decode()
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)

    data = json.loads(block)
    description = data["description"]

    assert description.startswith("Avant.")
    assert description.endswith("Après.")
    assert data["name"] == "Atelier IA"
    assert data["location"]["name"] == "Maison des entreprises"
    # Every text of the block, decoded: a consumer of the data may show any of them as HTML.
    for forbidden in FORBIDDEN:
        assert forbidden not in json.dumps(data, ensure_ascii=False), forbidden


def test_atom_summary_is_text(client, attacked):
    [entry] = _xml(client.get("/agenda/flux.atom").content).findall(f"{ATOM}entry")

    summary = entry.find(f"{ATOM}summary")

    assert summary.get("type") == "text"
    assert "\n\nAvant.\n\nx\n\n" in summary.text  # lines kept: a text summary is shown as it is
    assert summary.text.endswith("\n\nlien\n\nAprès.")


def test_feed_description_keeps_text_and_safe_links(client):
    EventFactory(description="**Au programme** : [le site](https://exemple.fr) et a < b.")

    [item] = _xml(client.get("/agenda/flux.rss").content).find("channel").findall("item")

    assert item.findtext("description").endswith("Au programme\u00a0: le site (https://exemple.fr) et a < b.")


def test_api_event_description_carries_no_markup(client, attacked):
    # A regional site inserting the API's text as HTML must not run what a contributor typed.
    [item] = [
        e for e in client.get("/api/v1/evenements").json()["resultats"] if e["identifiant"] == attacked.slug
    ]
    detail = client.get(f"/api/v1/evenements/{attacked.slug}").json()

    for event in (item, detail):
        assert (event["titre"], event["lieu"]["lieu"]) == ("Atelier IA", "Maison des entreprises")
        texts = json.dumps({k: v for k, v in event.items() if k != "description_html"}, ensure_ascii=False)
        for forbidden in FORBIDDEN:
            assert forbidden not in texts, forbidden
        assert event["description"].startswith("Avant.")
        assert "<p>Avant.</p>" in event["description_html"]
        for forbidden in FORBIDDEN:
            assert forbidden not in event["description"], forbidden
        # HTML: what is escaped stays text (as on the event page); every tag and attribute is a harmless one.
        assert _tags_and_attributes(event["description_html"]) <= {
            ("p", ()),
            ("code", ()),
            ("pre", ()),
            ("a", ("rel",)),
        }


def _tags_and_attributes(html: str) -> set:
    from html.parser import HTMLParser

    found = set()

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.add((tag, tuple(sorted(name for name, _ in attrs))))

    Parser().feed(html)
    return found


def _library_vevent(event, stamp):
    """An event's VEVENT through ``icalendar.Event.new``, the library's documented constructor."""
    from agenda import ical
    from core.dates import localtime

    zone = ZoneInfo(event.timezone)
    start, end = localtime(event.starts_at, zone), localtime(event.ends_at, zone)
    if event.all_day:
        start, end = start.date(), end.date() + timedelta(days=1)
    url = settings.SITE_URL + event.get_absolute_url()
    title = ical.plain_line(event.title)
    vevent = icalendar.Event.new(
        uid=event.uid,
        summary=title if event.status == Status.SCHEDULED else f"{title} ({event.get_status_display()})",
        start=start,
        end=end,
        stamp=stamp,
        sequence=event.sequence,
        last_modified=event.updated_at,
        description=f"{ical.event_description(event)}\n\n{url}".strip(),
        url=url,
        location=ical.plain_line(ical.event_location(event)) or None,
        status=ical.ICAL_STATUS.get(event.status, "CONFIRMED"),
        categories=[event.get_format_display()],
    )
    if event.latitude is not None and event.longitude is not None:
        vevent.add("geo", (float(event.latitude), float(event.longitude)))
    return vevent


def test_feed_bytes_are_those_the_library_writes(scene, monkeypatch):
    # calendar_for writes each VEVENT as text, builds each VTIMEZONE once per process and folds long lines on
    # their octets: the bytes must stay those of icalendar's Event.new(), add_missing_timezones() and to_ical(),
    # for every kind of event (all day, cancelled, postponed, online, with coordinates, in UTC), the characters
    # that TEXT escapes, and long lines of accented text folded at every place a character or an escape falls.
    from agenda import ical
    from agenda.models import Event

    EventFactory(
        title="Atelier « l’IA générative » " * 6,
        description="Démonstrations, retours d’expérience ; café. " * 12,
        all_day=True,
    )
    EventFactory(title="Atelier reporté", status=Status.POSTPONED, venue_name="CCI", address="1 rue de Lyon")
    EventFactory(
        title="Données; IA, \\ robots ^ capteurs",
        description="Première ligne\n\nDeuxième ; avec, des\\barres",
        latitude=Decimal("45.764043"),
        longitude=Decimal("4.835659"),
        timezone="UTC",
        venue_name="Salle 1; 2, 3",
    )
    # « SUMMARY: » then 65 characters puts the next one at the 74th octet, the last of the first folded line: an
    # escape (« \; »), a caret, a character of two or three octets there.
    for tail in (";", "^", "é", "€", "a;b", "éé"):
        for shift in range(3):
            EventFactory(title="a" * (64 + shift) + tail + " suite" * 20)
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    events = list(Event.objects.public().select_related("commune").order_by("pk"))
    ours = ical.calendar_for(events, name="Agenda des ambassadeurs IA")

    cal = icalendar.Calendar.new(
        name="Agenda des ambassadeurs IA",
        prodid=ical.PRODID,
        refresh_interval=timedelta(hours=6),
        uid="agenda@ambassadeurs-ia",
    )
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.add("x-published-ttl", "PT6H")
    for event in events:
        cal.add_component(_library_vevent(event, now))
    cal.add_missing_timezones()
    cal.subcomponents.sort(key=lambda c: (c.name != "VTIMEZONE", str(c.get("TZID", ""))))  # zones by name
    assert {"Europe/Paris", "Indian/Reunion"} <= {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
    assert ours == cal.to_ical()
