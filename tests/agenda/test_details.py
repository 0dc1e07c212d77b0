"""The agenda's details (issue 12): a postponed event says « Nouvelle date à venir » and offers no registration nor
connection link, then, given its new dates, says when it was first planned (every door: the form, the partners'
API); a cancelled one offers nothing to add to a calendar; feeds carry plain text, not Markdown, and say their
filter in their title; a venue is not repeated; the month view (/agenda/mois/)."""

import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda import services
from agenda.enums import Mode, Status
from agenda.ical import event_location
from agenda.imports import import_calendar
from agenda.models import Event, ImportSource
from agenda.text import markdown_text
from core.formats import french_date
from territories.models import Region
from tests.agenda.conftest import as_user, contribution_data, ics_events, regional_user
from tests.agenda.factories import PARIS, EventFactory, at, in_days
from tests.api.conftest import bearer, event_payload, issue_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ATOM = "{http://www.w3.org/2005/Atom}"
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _page(client, event) -> str:
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _jsonld(body: str) -> dict:
    [block] = JSONLD.findall(body)
    return json.loads(block)


def _visible(body: str) -> str:
    """The page's text without its JSON-LD block (which has the raw facts for search engines)."""
    return html.unescape(re.sub(r"<[^>]+>", "", JSONLD.sub("", body)))


def _day(event, start=None) -> str:
    return french_date(timezone.localtime(start or event.starts_at, ZoneInfo(event.timezone)))


# 1. A postponed event


def test_postponed_event_without_new_date_says_so_and_offers_no_registration_nor_link(client):
    event = EventFactory(
        status=Status.POSTPONED,
        mode=Mode.HYBRID,
        online_url="https://visio.exemple.fr/reporte",
        title="Atelier reporté",
    )

    body = _page(client, event)

    visible = _visible(body)
    assert "Nouvelle date à venir" in visible
    assert f"Il était prévu le {_day(event)}." in visible
    assert event.registration_url not in body
    assert "S’inscrire" not in body
    assert event.online_url not in body  # neither on the page nor in its JSON-LD
    assert "Ajouter à mon agenda" not in body
    card = client.get("/agenda/").content.decode()
    assert f"Nouvelle date à venir (initialement prévu le {_day(event)})" in html.unescape(card)


def test_postponed_event_jsonld_keeps_its_date_as_previous_and_has_no_offer(client):
    event = EventFactory(status=Status.POSTPONED)

    data = _jsonld(_page(client, event))

    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["previousStartDate"] == data["startDate"]
    assert "offers" not in data


def _coordinator_edit(client, event, **overrides):
    response = as_user(client, regional_user("84")).post(
        f"/espace/evenements/{event.pk}/modifier/", contribution_data(**overrides)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    return event


def _contributed(client, *, status=None, **overrides) -> Event:
    """An event proposed through the form by the region's coordination (published at once), then given ``status``
    (a new event is never created postponed or cancelled)."""
    coordinator = regional_user("84")
    response = as_user(client, coordinator).post(
        "/espace/evenements/nouveau/", contribution_data(**overrides)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.latest("pk")
    if status is not None:
        event = services.event_set_status(event=event, by=coordinator, status=status)
    return event


def test_postponed_event_given_new_dates_in_the_form_is_rescheduled(client):
    event = _contributed(client)
    first_start = event.starts_at
    services.event_set_status(event=event, by=regional_user("84"), status=Status.POSTPONED)
    sequence = Event.objects.get(pk=event.pk).sequence
    new_day = in_days(60)

    event = _coordinator_edit(
        client,
        Event.objects.get(pk=event.pk),
        status=Status.POSTPONED.value,  # the contributor leaves « Reporté » and gives the new dates
        starts_at=f"{new_day:%Y-%m-%d}T09:00",
        ends_at=f"{new_day:%Y-%m-%d}T12:00",
    )

    assert event.status == Status.SCHEDULED
    assert event.previous_starts_at == first_start
    assert event.starts_at == at(new_day, 9, 0)
    assert event.sequence == sequence + 1
    body = as_user(client, None).get(event.get_absolute_url()).content.decode()
    visible = _visible(body)
    assert f"Reporté{NBSP}: initialement prévu le {_day(event, first_start)}." in visible
    assert f"Nouvelle date{NBSP}: {french_date(new_day)}, 9{NBSP}h – 12{NBSP}h." in visible
    assert "S’inscrire" in body and "Ajouter à mon agenda" in body  # one registers for the new date
    data = _jsonld(body)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == timezone.localtime(first_start, ZoneInfo(PARIS)).isoformat()
    assert data["startDate"] == at(new_day, 9, 0).isoformat()
    assert data["offers"]["url"] == event.registration_url
    card = html.unescape(client.get("/agenda/").content.decode())
    assert "Nouvelle date" in card
    assert f"(reporté, initialement prévu le {_day(event, first_start)})" in card


def test_event_said_postponed_with_new_dates_at_once_is_rescheduled(client):
    event = _contributed(client)
    first_start, new_day = event.starts_at, in_days(45)

    event = _coordinator_edit(
        client,
        event,
        status=Status.POSTPONED.value,
        starts_at=f"{new_day:%Y-%m-%d}T14:30",
        ends_at=f"{new_day:%Y-%m-%d}T17:00",
    )

    assert (event.status, event.previous_starts_at) == (Status.SCHEDULED, first_start)


def test_rescheduled_again_keeps_the_date_first_announced(client):
    event = _contributed(client)  # a new event is never created postponed: it is postponed afterwards
    event = services.event_set_status(event=event, by=regional_user("84"), status=Status.POSTPONED)
    first_start = event.starts_at
    for days in (40, 50):
        day = in_days(days)
        event = _coordinator_edit(
            client,
            event,
            status=Status.POSTPONED.value,
            starts_at=f"{day:%Y-%m-%d}T10:00",
            ends_at=f"{day:%Y-%m-%d}T11:00",
        )

    assert event.previous_starts_at == first_start
    assert event.starts_at == at(in_days(50), 10, 0)


def test_scheduled_event_whose_date_is_corrected_is_not_rescheduled(client):
    event = _contributed(client)
    day = in_days(31)

    event = _coordinator_edit(
        client, event, starts_at=f"{day:%Y-%m-%d}T14:30", ends_at=f"{day:%Y-%m-%d}T17:00"
    )

    assert (event.status, event.previous_starts_at) == (Status.SCHEDULED, None)


def test_postponed_event_edited_without_new_dates_stays_postponed(client):
    event = _contributed(client, status=Status.POSTPONED.value)

    event = _coordinator_edit(client, event, status=Status.POSTPONED.value, audience="Toutes les entreprises")

    assert (event.status, event.previous_starts_at) == (Status.POSTPONED, None)


def test_partner_postponed_event_given_new_dates_is_rescheduled(client):
    key = issue_key(UserFactory(role="national_coordinator"), "CCI Occitanie", "agenda@cci.test", ["76"])
    url = "/api/v1/partenaires/evenements"
    created = client.post(url, event_payload(), content_type="application/json", **bearer(key.raw))
    assert created.status_code == 201, created.content
    event = Event.objects.get(pk=created.json()["id"])
    first_start = event.starts_at
    postponed = client.put(
        f"{url}/{event.pk}",
        event_payload(statut="postponed"),
        content_type="application/json",
        **bearer(key.raw),
    )
    assert postponed.status_code == 200, postponed.content

    response = client.put(
        f"{url}/{event.pk}",
        event_payload(statut="postponed", debut="2027-04-08T14:30:00", fin="2027-04-08T17:00:00"),
        content_type="application/json",
        **bearer(key.raw),
    )

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.status, event.previous_starts_at) == (Status.SCHEDULED, first_start)
    assert event.starts_at.isoformat() == "2027-04-08T12:30:00+00:00"


def test_imported_postponed_event_moved_by_its_source_is_rescheduled():
    src = ImportSource.objects.create(name="Agenda de la CCI", default_region=Region.objects.get(code="84"))
    feed = (Path(__file__).parent / "data" / "feed.ics").read_bytes()
    now = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
    import_calendar(source=src, content=feed, now=now)
    event = Event.objects.get(source=src, source_uid="conf-ia-lyon@partenaire.exemple")
    Event.objects.filter(pk=event.pk).update(moderation="published")
    services.event_set_status(
        event=Event.objects.get(pk=event.pk), by=regional_user("84"), status=Status.POSTPONED
    )
    first_start = event.starts_at
    moved = feed.replace(
        b"SEQUENCE:0\r\nDTSTART;TZID=Europe/Paris:20300115T143000",
        b"SEQUENCE:1\r\nDTSTART;TZID=Europe/Paris:20300205T143000",
        1,
    )
    moved = moved.replace(
        b"DTEND;TZID=Europe/Paris:20300115T170000", b"DTEND;TZID=Europe/Paris:20300205T170000", 1
    )
    assert moved.count(b"20300205T143000") == 1

    run = import_calendar(source=src, content=moved, now=now)

    assert run.updated == 1
    event.refresh_from_db()
    assert (event.status, event.previous_starts_at) == (Status.SCHEDULED, first_start)
    assert event.starts_at == datetime(2030, 2, 5, 14, 30, tzinfo=ZoneInfo(PARIS))


def test_ical_says_postponed_and_rescheduled_in_plain_words(client):
    postponed = EventFactory(status=Status.POSTPONED)
    first = at(in_days(3), 14, 30)
    rescheduled = EventFactory(previous_starts_at=first, starts_at=at(in_days(20), 14, 30))

    events = ics_events(client.get("/agenda/flux.ics").content)

    assert events[postponed.uid]["STATUS"] == "TENTATIVE"
    assert str(events[postponed.uid]["DESCRIPTION"]).startswith(
        f"[Reporté] Nouvelle date à venir (initialement prévu le {_day(postponed)})."
    )
    assert events[rescheduled.uid]["STATUS"] == "CONFIRMED"
    assert str(events[rescheduled.uid]["DESCRIPTION"]).startswith(
        f"Reporté{NBSP}: initialement prévu le {french_date(first)}."
    )


# 2. A cancelled event


def test_cancelled_event_says_so_at_the_top_and_offers_no_calendar_nor_registration(client):
    event = EventFactory(
        status=Status.CANCELLED, mode=Mode.HYBRID, online_url="https://visio.exemple.fr/annule"
    )

    body = _page(client, event)

    h1_end = body.index("</h1>")
    alert = body.index("fr-alert--error", h1_end)
    assert alert < body.index('<div class="fr-grid-row', h1_end)  # right under the title, before the facts
    assert "Cet événement est <strong>annulé</strong>." in body
    for absent in (
        "Ajouter à mon agenda",
        f"/agenda/{event.slug}.ics",
        "calendar.google.com",
        "outlook.office.com",
        "S’inscrire",
        event.registration_url,
        event.online_url,
    ):
        assert absent not in body, absent
    assert "offers" not in _jsonld(body)
    # Its .ics stays, for the calendars that hold it (same UID, CANCELLED).
    assert client.get(f"/agenda/{event.slug}.ics").status_code == 200


def test_scheduled_event_still_offers_calendar_and_registration(client):
    event = EventFactory(mode=Mode.HYBRID, online_url="https://visio.exemple.fr/programme")

    body = _page(client, event)

    for present in ("Ajouter à mon agenda", f"/agenda/{event.slug}.ics", "S’inscrire", event.online_url):
        assert present in body, present


# 3. Plain text in iCalendar, RSS and Atom

MARKDOWN = (
    "**Au programme** : démonstrations & retours d’expérience.\n\n"
    "- un [atelier](https://exemple.fr/atelier?a=1&b=2)\n"
    "- une table ronde\n\n"
    "<script>alert('x')</script>\n\n"
    "IA & PME <b>gras</b>"
)
PLAIN = (
    f"Au programme{NBSP}: démonstrations & retours d’expérience.\n\n"
    "– un atelier (https://exemple.fr/atelier?a=1&b=2)\n"
    "– une table ronde\n\n"
    "IA & PME gras"
)


def test_markdown_text_renders_markdown_as_plain_text():
    assert markdown_text(MARKDOWN) == PLAIN
    assert markdown_text("1. un\n2. deux") == "1. un\n2. deux"
    assert markdown_text("[https://exemple.fr](https://exemple.fr)") == "https://exemple.fr"
    assert markdown_text("PME < 50 salariés, « IA »") == f"PME < 50 salariés, «{NBSP}IA{NBSP}»"
    assert markdown_text("") == ""


def test_ical_description_is_plain_text(client):
    event = EventFactory(description=MARKDOWN)

    vevent = ics_events(client.get("/agenda/flux.ics").content)[event.uid]

    description = str(vevent["DESCRIPTION"])
    assert description.startswith(PLAIN + "\n\n")
    assert description.endswith(f"/agenda/{event.slug}/")
    for raw in ("**", "&amp;", "<b>", "alert", "](https"):
        assert raw not in description, raw


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own feed, written by Django's feed generator


def test_rss_and_atom_descriptions_are_plain_text_escaped_once(client):
    EventFactory(description=MARKDOWN, title="Atelier en Markdown")

    rss = _xml(client.get("/agenda/flux.rss").content).find("channel/item").findtext("description")
    atom = _xml(client.get("/agenda/flux.atom").content).find(f"{ATOM}entry").findtext(f"{ATOM}summary")

    for text in (rss, atom):
        assert PLAIN in text
        for raw in ("**", "&amp;", "<b>", "alert"):
            assert raw not in text, raw


# 4. A feed's title says its filter

TITLES = [
    ("", "Agenda des ambassadeurs IA"),
    ("?region=84&format=atelier", "Agenda des ambassadeurs IA – Auvergne-Rhône-Alpes, ateliers"),
    ("?mode=online&thematique=production", "Agenda des ambassadeurs IA – en ligne, Production"),
    ("?format=cafe_ia&departement=69", "Agenda des ambassadeurs IA – Rhône (69), cafés IA"),
    ("?q=robotique", f"Agenda des ambassadeurs IA – «{NBSP}robotique{NBSP}»"),
    ("?du=2027-03-01", "Agenda des ambassadeurs IA – à partir du 1er mars 2027"),
    ("?du=2027-03-01&au=2027-03-31", "Agenda des ambassadeurs IA – du 1er mars 2027 au 31 mars 2027"),
    ("?pres_de=69003", f"Agenda des ambassadeurs IA – à moins de 30{NBSP}km de Lyon (69)"),
    (
        "?pres_de=Lyon&distance=10&format=atelier",
        f"Agenda des ambassadeurs IA – à moins de 10{NBSP}km de Lyon (69), ateliers",
    ),
]


@pytest.mark.parametrize(("query", "title"), TITLES)
def test_feed_titles_say_their_filter(client, query, title):
    EventFactory()

    calendar = icalendar.Calendar.from_ical(client.get(f"/agenda/flux.ics{query}").content)
    rss = _xml(client.get(f"/agenda/flux.rss{query}").content).find("channel")
    atom = _xml(client.get(f"/agenda/flux.atom{query}").content)

    assert str(calendar["NAME"]) == title
    assert str(calendar["X-WR-CALNAME"]) == title
    assert rss.findtext("title") == title
    assert atom.findtext(f"{ATOM}title") == title


# 5. A venue is not repeated


@pytest.mark.parametrize(
    ("venue", "address", "expected"),
    [
        ("Lyon", "", "Lyon"),
        ("CCI Lyon", "", "CCI Lyon"),
        ("cci LYON", "", "cci LYON"),
        ("", "12 rue de la République, 69001 Lyon", "12 rue de la République, 69001 Lyon"),
        ("Maison des entreprises", "Maison des entreprises", "Maison des entreprises, Lyon"),
        ("Salle des Lyonnais", "", "Salle des Lyonnais, Lyon"),
        (
            "Maison des entreprises",
            "12 rue de la République",
            "Maison des entreprises, 12 rue de la République, Lyon",
        ),
    ],
)
def test_event_location_says_each_part_once(venue, address, expected):
    event = EventFactory(venue_name=venue, address=address)

    assert event_location(event) == expected


def test_event_location_folds_accents_and_keeps_hyphenated_names_whole():
    etienne = EventFactory(commune_code="42218", venue_name="Cité du design, SAINT-ETIENNE", address="")
    seine = EventFactory(commune_code="93066", venue_name="Hôtel de la CCI Seine-Saint-Denis", address="")

    assert event_location(etienne) == "Cité du design, SAINT-ETIENNE"
    assert event_location(seine) == "Hôtel de la CCI Seine-Saint-Denis, Saint-Denis"


def test_card_page_and_feed_say_the_venue_once(client):
    event = EventFactory(venue_name="CCI Lyon", address="")

    card = client.get("/agenda/").content.decode()
    page = _page(client, event)
    vevent = ics_events(client.get("/agenda/flux.ics").content)[event.uid]

    assert "CCI Lyon, Lyon" not in card and "– CCI Lyon</p>" in card
    assert "CCI Lyon, Lyon" not in page and "En présentiel – CCI Lyon" in page
    assert str(vevent["LOCATION"]) == "CCI Lyon"


# 6. The month view

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
TH = re.compile(r'<th scope="col">([^<]+)</th>')


def _month(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


TIME = re.compile(r"^(\d+\u00a0h(\u00a0\d\d)?|suite) – ")


def _links(body: str, *, times: bool = False) -> list[str]:
    """The events linked in the month's table (the phone list repeats them), without their times unless asked."""
    table = body.split('<table class="ai-month">')[1].split("</table>")[0]
    texts = [html.unescape(t) for t in re.findall(r'<a href="/agenda/[\w-]+/">([^<]+)</a>', table)]
    return texts if times else [TIME.sub("", t) for t in texts]


def test_month_view_of_this_month_is_a_calendar_table(client):
    today = timezone.localdate()
    event = EventFactory(title="Atelier du mois", starts_at=at(today, 23, 0), ends_at=at(today, 23, 30))

    body = _month(client, "/agenda/mois/")

    month = french_date(today, weekday=False, year=True).split(" ", 1)[1]  # « décembre 2026 »
    assert f"<caption>{month.capitalize()}</caption>" in body
    assert TH.findall(body) == WEEKDAYS
    assert body.count('aria-current="date"') == 2  # the table's cell and the phone list's day
    today_cell = body.split('aria-current="date"')[1].split("</td>")[0]
    assert f'<span class="ai-month__day">{today.day}</span>' in today_cell
    assert f'href="/agenda/{event.slug}/"' in today_cell
    assert f"23{NBSP}h – Atelier du mois" in html.unescape(today_cell)


def test_month_view_starts_on_monday_and_holds_past_and_coming_events(client):
    today = timezone.localdate()
    first = today.replace(day=1)
    past = EventFactory(title="Atelier du début du mois", starts_at=at(first, 9, 0), ends_at=at(first, 10, 0))
    EventFactory(title="Atelier du mois précédent", starts_at=at(first - timedelta(days=1), 9, 0))
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    EventFactory(title="Atelier de la fin du mois", starts_at=at(last, 18, 0), ends_at=at(last, 19, 0))
    EventFactory(title="Atelier du mois suivant", starts_at=at(last + timedelta(days=1), 9, 0))

    body = _month(client, "/agenda/mois/")

    assert _links(body) == [past.title, "Atelier de la fin du mois"]
    first_row = body.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.count('<td class="ai-month__out"></td>') == first.weekday()


def test_month_view_of_a_given_month_with_filters(client):
    EventFactory(title="Atelier lyonnais de janvier", starts_at=at(date(2027, 1, 14), 14, 0))
    EventFactory(
        online=True,
        region_code="76",
        title="Webinaire occitan de janvier",
        starts_at=at(date(2027, 1, 14), 9, 0),
    )
    EventFactory(title="Atelier de février", starts_at=at(date(2027, 2, 3), 14, 0))
    EventFactory(
        title="Atelier annulé de janvier", status=Status.CANCELLED, starts_at=at(date(2027, 1, 20), 9, 0)
    )

    everything = _month(client, "/agenda/mois/2027-01/")
    lyon = _month(client, "/agenda/mois/2027-01/?region=84&format=atelier")

    assert "<caption>Janvier 2027</caption>" in everything
    assert _links(everything) == [
        "Webinaire occitan de janvier",
        "Atelier lyonnais de janvier",
        "Atelier annulé de janvier",
    ]
    assert "Annulé</span>" in everything
    assert _links(lyon) == ["Atelier lyonnais de janvier", "Atelier annulé de janvier"]
    assert "2 événements ce mois-ci" in lyon
    # Previous and next months keep the filters.
    assert 'href="/agenda/mois/2026-12/?region=84&amp;format=atelier"' in lyon
    assert 'href="/agenda/mois/2027-02/?region=84&amp;format=atelier"' in lyon
    assert "Agenda de janvier 2027" in lyon and "Agenda d’avril 2027" in _month(
        client, "/agenda/mois/2027-04/"
    )


def test_month_view_shows_a_few_events_a_day_and_links_the_others(client):
    day = date(2027, 3, 10)
    for n in range(6):
        EventFactory(title=f"Atelier n° {n}", starts_at=at(day, 8 + n, 0), ends_at=at(day, 8 + n, 30))

    body = _month(client, "/agenda/mois/2027-03/?region=84")

    assert _links(body) == [f"Atelier n° {n}" for n in range(4)]
    assert "et 2 autres" in body
    assert 'href="/agenda/?region=84&amp;du=2027-03-10&amp;au=2027-03-10"' in body


def test_month_view_puts_an_event_on_each_of_its_days(client):
    EventFactory(
        title="Salon de trois jours",
        starts_at=at(date(2027, 5, 4), 9, 0),
        ends_at=at(date(2027, 5, 6), 18, 0),
    )

    body = _month(client, "/agenda/mois/2027-05/")

    assert _links(body, times=True) == [
        f"9{NBSP}h – Salon de trois jours",
        "suite – Salon de trois jours",
        "suite – Salon de trois jours",
    ]


@pytest.mark.parametrize(
    "path", ["/agenda/mois/2027-13/", "/agenda/mois/2027-00/", "/agenda/mois/1999-12/", "/agenda/mois/2101-01/",
             "/agenda/mois/2027-1/", "/agenda/mois/janvier/", "/agenda/mois/%D9%A2%D9%A0%D9%A2%D9%A7-01/",
             "/agenda/mois/99999-01/"],
)  # fmt: skip
def test_month_view_bad_month_is_a_french_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Erreur 404" in response.content.decode()


def test_month_view_bad_filter_is_a_french_400(client):
    body = _month(client, "/agenda/mois/2027-01/?format=zzz", status=400)

    assert "Un filtre n’est pas valide" in body
    assert f"Le format «{NBSP}zzz{NBSP}» n’existe pas." in html.unescape(body)


def test_month_view_first_and_last_months_have_no_link_beyond(client):
    assert "/agenda/mois/1999-12/" not in _month(client, "/agenda/mois/2000-01/")
    assert "/agenda/mois/2101-01/" not in _month(client, "/agenda/mois/2100-12/")


def test_agenda_list_links_to_the_month_view_with_its_filters(client):
    body = client.get("/agenda/?region=84").content.decode()

    assert '<a href="/agenda/mois/?region=84">Vue par mois</a>' in body


def _count(client, url) -> int:
    # Cold: cached fragments (core/fragments.py) are rendered by the path whose queries could grow with the items.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    "url", ["/agenda/mois/2027-06/", "/agenda/mois/2027-06/?region=84&thematique=production&q=atelier"]
)
def test_month_view_query_count_does_not_grow_with_events(client, url):
    def add(n, offset):
        for i in range(n):
            EventFactory(
                title=f"Atelier mesuré {offset + i}",
                starts_at=at(date(2027, 6, 1 + offset + i), 10, 0),
                topics=["production"],
                sectors=["C"],
            )

    add(1, 0)
    with_one = _count(client, url)
    add(4, 1)

    assert _count(client, url) == with_one
    assert len(_links(client.get(url).content.decode())) == 5


def test_demo_has_postponed_rescheduled_and_cancelled_events_to_come():
    call_command("load_demo_data", verbosity=0)
    coming = Event.objects.public().filter(ends_at__gte=timezone.now())

    assert coming.filter(status=Status.POSTPONED).exists()
    assert coming.filter(status=Status.CANCELLED).exists()
    rescheduled = coming.filter(previous_starts_at__isnull=False)
    assert rescheduled.exists()
    assert all(e.is_rescheduled and e.previous_starts_at < e.starts_at for e in rescheduled)
    statuses = dict(Event.objects.values_list("slug", "status"))
    # Loaded again a week later, every date moves: a postponed event is not taken as given a new date.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=7)):
        call_command("load_demo_data", verbosity=0)
    assert dict(Event.objects.values_list("slug", "status")) == statuses
