"""The public agenda: filters (each narrows; a bad value is a 400 with a French message, never a 500), pagination,
past events, days, French dates, sanitised Markdown, the event page's JSON-LD and calendar links, and query counts
that do not grow with the number of events."""

import html
import json
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from agenda.enums import Format, Mode, Moderation, Status
from territories.models import Commune
from tests.agenda.factories import REUNION, EventFactory, at, in_days
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.django_db

CARD_TITLE = re.compile(r'<h3 class="fr-card__title"><a href="/agenda/[\w-]+/">([^<]+)</a></h3>')
DAY_HEADING = re.compile(r'<h2 class="fr-h5 fr-mt-3w">([^<]+)</h2>')
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:500]
    return [html.unescape(t) for t in CARD_TITLE.findall(response.content.decode())]


def jsonld(response) -> dict:
    [block] = JSONLD.findall(response.content.decode())
    return json.loads(block)


def link(response, name: str) -> str:
    """The href of the link whose text is ``name``, unescaped."""
    match = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{re.escape(name)}</a>', response.content.decode())
    assert match, name
    return html.unescape(match.group(1))


# Filters


@pytest.fixture
def scene():
    """Three upcoming events that differ on every filter, one submitted and one past event that never show."""
    return {
        "lyon": EventFactory(
            title="Atelier robotique lyonnais",
            description="Maintenance prédictive dans l’industrie.",
            starts_at=at(in_days(7), 9, 30),
            format=Format.ATELIER,
            topics=["production"],
            sectors=["C"],
        ),
        "grenoble": EventFactory(
            title="Conférence données grenobloise",
            commune_code="38185",
            starts_at=at(in_days(20), 18, 0),
            format=Format.CONFERENCE,
            mode=Mode.HYBRID,
            online_url="https://visio.exemple.fr/grenoble",
            organizer_name="French Tech in the Alps",
            topics=["donnees"],
            sectors=["J"],
        ),
        "occitanie": EventFactory(
            online=True,
            region_code="76",
            title="Webinaire finance occitan",
            starts_at=at(in_days(40), 11, 0),
            topics=["finance"],
            sectors=["M"],
        ),
        "submitted": EventFactory(submitted=True, title="Atelier robotique en attente", sectors=["C"]),
        "past": EventFactory(
            title="Atelier robotique d’hier",
            starts_at=at(in_days(-1), 9, 0),
            topics=["production"],
            sectors=["C"],
        ),
    }


LYON, GRENOBLE, OCCITANIE = (
    "Atelier robotique lyonnais",
    "Conférence données grenobloise",
    "Webinaire finance occitan",
)
FILTERS = [
    ("", [LYON, GRENOBLE, OCCITANIE]),
    ("region=84", [LYON, GRENOBLE]),
    ("region=76", [OCCITANIE]),
    ("region=11", []),
    ("departement=38", [GRENOBLE]),
    ("departement=69", [LYON]),
    ("du={d20}", [GRENOBLE, OCCITANIE]),
    ("au={d7}", [LYON]),
    ("du={d8}&au={d39}", [GRENOBLE]),
    ("format=conference", [GRENOBLE]),
    ("format=webinaire", [OCCITANIE]),
    ("mode=online", [GRENOBLE, OCCITANIE]),  # « présentiel et en ligne » is online too
    ("mode=hybrid", [GRENOBLE]),
    ("mode=in_person", [LYON, GRENOBLE]),  # and in person too
    ("secteur=C", [LYON]),
    ("secteur=J", [GRENOBLE]),
    ("thematique=finance", [OCCITANIE]),
    ("thematique=donnees", [GRENOBLE]),
    ("q=robotique", [LYON]),
    ("q=MAINTENANCE", [LYON]),  # the description, any case
    ("q=french+tech", [GRENOBLE]),  # the organiser, every word
    ("q=robotique+grenobloise", []),
    ("region=84&secteur=C&thematique=production&format=atelier&mode=in_person&q=atelier", [LYON]),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q or "none" for q, _ in FILTERS])
def test_agenda_filter_narrows_list(client, scene, query, expected):
    days = {f"d{n}": in_days(n).isoformat() for n in (7, 8, 20, 39)}

    response = client.get(f"/agenda/?{query.format(**days)}")

    assert titles(response) == expected
    assert f"{len(expected)} événement" in response.content.decode()


BAD_FILTERS = [
    ("du=2026-99-01", "Date invalide : utilisez le format AAAA-MM-JJ."),
    ("au=demain", "Date invalide : utilisez le format AAAA-MM-JJ."),
    ("format=zzz", "Le format « zzz » n’existe pas."),
    ("mode=teleportation", "La modalité « teleportation » n’existe pas."),
    ("region=zz", "La valeur « zz » n’existe pas pour ce filtre."),
    ("departement=999", "La valeur « 999 » n’existe pas pour ce filtre."),
    ("secteur=ZZ", "La valeur « ZZ » n’existe pas pour ce filtre."),
    ("thematique=astrologie", "La valeur « astrologie » n’existe pas pour ce filtre."),
    ("du=2027-03-10&au=2027-03-01", "La date de fin doit être après la date de début."),
    ("du=0001-01-01", "Date hors de l’agenda : choisissez une date entre l’an 2000 et l’an 2100."),
    ("au=9999-12-31", "Date hors de l’agenda : choisissez une date entre l’an 2000 et l’an 2100."),
    ("q=" + "x" * 101, "au plus 100 caractères"),
    ("region=%00", "Le caractère nul n’est pas autorisé."),
]


@pytest.mark.parametrize(("query", "message"), BAD_FILTERS, ids=[q[:30] for q, _ in BAD_FILTERS])
@pytest.mark.parametrize("path", ["/agenda/", "/agenda/passes/"])
def test_agenda_bad_filter_is_400_with_french_message(client, scene, path, query, message):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    body = response.content.decode()
    assert "Un filtre n’est pas valide : corrigez-le pour voir les événements." in body
    assert message in html.unescape(body)
    assert titles_in(body) == []
    assert "0 événement" in body
    assert "S’abonner à cette sélection" not in body and "flux.ics" not in body  # its feed would be a 400


def test_agenda_valid_filter_offers_its_subscription(client, scene):
    body = client.get("/agenda/?region=84").content.decode()
    assert "S’abonner à cette sélection" in body
    assert "/agenda/flux.ics?region=84" in body


def titles_in(body: str) -> list[str]:
    return CARD_TITLE.findall(body)


def test_agenda_bad_page_number_shows_a_page(client, scene):
    for page in ("abc", "0", "-3", "99999", "1e9"):
        assert client.get(f"/agenda/?page={page}").status_code == 200, page


# Pagination, past events, days


def test_agenda_paginates_by_twenty_and_keeps_filters(client):
    for n in range(22):
        EventFactory(title=f"Café IA n° {n:02d}", starts_at=at(in_days(3 + n), 8, 0))
    EventFactory(online=True, region_code="76", title="Webinaire hors filtre")

    first = client.get("/agenda/?region=84")
    second = client.get("/agenda/?region=84&page=2")

    assert titles(first) == [f"Café IA n° {n:02d}" for n in range(20)]
    assert titles(second) == ["Café IA n° 20", "Café IA n° 21"]
    assert "22 événements" in first.content.decode()
    assert link(first, "Page suivante") == "?region=84&page=2"
    assert link(second, "Page précédente") == "?region=84&page=1"


def test_past_events_only_at_agenda_passes(client):
    past = EventFactory(title="Atelier terminé", starts_at=at(in_days(-10), 9, 0))
    older = EventFactory(title="Atelier plus ancien", starts_at=at(in_days(-40), 9, 0))
    ongoing = EventFactory(
        title="Salon en cours",
        format=Format.SALON,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() + timedelta(hours=5),
    )
    upcoming = EventFactory(title="Atelier à venir")

    assert titles(client.get("/agenda/")) == [ongoing.title, upcoming.title]
    assert titles(client.get("/agenda/passes/")) == [past.title, older.title]  # newest first
    for event in (past, older, ongoing, upcoming):
        assert client.get(event.get_absolute_url()).status_code == 200
    assert titles(client.get(f"/agenda/passes/?au={in_days(-20)}")) == [older.title]


def test_agenda_groups_events_by_day_in_order(client):
    first_day, second_day = in_days(5), in_days(9)
    EventFactory(title="Deuxième jour", starts_at=at(second_day, 10, 0))
    EventFactory(title="Premier jour, l’après-midi", starts_at=at(first_day, 14, 0))
    EventFactory(title="Premier jour, le matin", starts_at=at(first_day, 9, 0))

    response = client.get("/agenda/")

    body = response.content.decode()
    with translation.override("fr"):
        labels = [date_format(day, "l j F Y") for day in (first_day, second_day)]
    assert DAY_HEADING.findall(body) == [label[0].upper() + label[1:] for label in labels]
    assert titles(response) == ["Premier jour, le matin", "Premier jour, l’après-midi", "Deuxième jour"]
    first_section = body.split(DAY_HEADING.findall(body)[1])[0]
    assert "Premier jour, le matin" in first_section
    assert "Deuxième jour" not in first_section


def test_agenda_groups_reunion_event_by_its_own_day(client):
    """Monday 1 h in La Réunion is Sunday 22 h in Paris: the event belongs to Monday."""
    day = in_days(12)
    EventFactory(reunion=True, title="Petit-déjeuner IA à Saint-Denis", starts_at=at(day, 1, 0, REUNION))

    body = client.get("/agenda/").content.decode()

    with translation.override("fr"):
        label = date_format(day, "l j F Y")
    assert DAY_HEADING.findall(body) == [label[0].upper() + label[1:]]


# French dates


def test_event_dates_read_in_french(client):
    event = EventFactory(
        title="Atelier de janvier",
        starts_at=at(date(2026, 1, 15), 14, 30),
        ends_at=at(date(2026, 1, 15), 17, 0),
    )

    detail = client.get(event.get_absolute_url()).content.decode()
    past = client.get("/agenda/passes/?du=2026-01-15&au=2026-01-15").content.decode()

    assert '<p class="fr-text--lead">jeudi 15 janvier 2026, 14\u00a0h\u00a030 – 17\u00a0h</p>' in detail
    assert "(heure de" not in detail
    assert "jeudi 15 janvier 2026, 14\u00a0h\u00a030 – 17\u00a0h – Maison des entreprises" in past
    assert DAY_HEADING.findall(past) == ["Jeudi 15 janvier 2026"]


def test_event_over_several_days_reads_from_to(client):
    start = date(2027, 3, 1)
    event = EventFactory(starts_at=at(start, 9, 0), ends_at=at(start + timedelta(days=1), 17, 30))

    detail = client.get(event.get_absolute_url()).content.decode()

    assert "du lundi 1er mars 2027, 9\u00a0h au mardi 2 mars 2027, 17\u00a0h\u00a030" in detail


def test_reunion_event_names_its_time_zone(client):
    day = date(2027, 2, 4)  # a Thursday
    event = EventFactory(
        reunion=True,
        title="Café IA réunionnais",
        starts_at=at(day, 14, 0, REUNION),
        ends_at=at(day, 16, 0, REUNION),
    )

    detail = client.get(event.get_absolute_url()).content.decode()
    listing = client.get("/agenda/?region=04").content.decode()

    when = "jeudi 4 février 2027, 14\u00a0h – 16\u00a0h (heure de La Réunion)"
    assert f'<p class="fr-text--lead">{when}</p>' in detail
    assert when in listing


# Markdown


def test_description_markdown_is_rendered_and_sanitised(client):
    event = EventFactory(
        description=(
            "**Au programme** : démonstrations.\n\n"
            "- un atelier\n- une table ronde\n\n"
            "<script>alert('xss')</script>\n\n"
            '<img src="x" onerror="alert(1)">\n\n'
            '<a href="https://exemple.fr" onclick="alert(2)" style="color:red">le site</a>\n\n'
            "[piège](javascript:alert(3))\n\n"
            '<iframe src="https://evil.example"></iframe>'
        )
    )

    response = client.get(event.get_absolute_url())

    body = response.content.decode()
    section = body.split('<h2 class="fr-h4 fr-mt-4w">Présentation</h2>')[1].split("</div>")[0]
    assert "<strong>Au programme</strong>" in section
    assert "<li>un atelier</li>" in section
    assert '<a href="https://exemple.fr" rel="noopener nofollow">le site</a>' in section
    for forbidden in (
        "<script",
        "alert('xss')",
        "onerror",
        "onclick",
        "style=",
        "javascript:",
        "<img",
        "<iframe",
    ):
        assert forbidden not in section, forbidden
    # The JSON-LD carries the page's text, without its markup, and can never close its element.
    [block] = JSONLD.findall(body)
    assert "</script" not in block
    assert "<" not in block
    description = json.loads(block)["description"]
    assert description.startswith("Au programme\u00a0: démonstrations.\n\n– un atelier")
    for forbidden in ("alert", "onerror", "javascript:", "<", "**"):
        assert forbidden not in description, forbidden


def test_title_is_escaped_everywhere(client):
    event = EventFactory(title="IA & PME <b>gras</b>")

    detail = client.get(event.get_absolute_url()).content.decode()
    listing = client.get("/agenda/").content.decode()

    for body in (detail, listing):
        assert "<b>gras</b>" not in body
        assert "IA &amp; PME &lt;b&gt;gras&lt;/b&gt;" in body


# JSON-LD and calendar links


def test_event_jsonld_in_person(client):
    day = in_days(15)
    event = EventFactory(
        title="Conférence IA industrielle",
        starts_at=at(day, 14, 30),
        ends_at=at(day, 17, 0),
        latitude="45.764043",
        longitude="4.835659",
    )

    data = jsonld(client.get(event.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Conférence IA industrielle"
    assert data["startDate"] == at(day, 14, 30).isoformat()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT14:30:00\+0[12]:00", data["startDate"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT17:00:00\+0[12]:00", data["endDate"])
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    place = data["location"]
    assert place["@type"] == "Place"
    assert place["name"] == "Maison des entreprises"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 45.764043, "longitude": 4.835659}
    address = place["address"]
    assert address["@type"] == "PostalAddress"
    assert address["streetAddress"] == "12 rue de la République"
    assert address["addressLocality"] == "Lyon"
    assert address["postalCode"] in set(
        Commune.objects.get(code="69123").postal_codes.values_list("code", flat=True)
    )
    assert address["addressRegion"] == "Auvergne-Rhône-Alpes"
    assert address["addressCountry"] == "FR"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "CCI Lyon Métropole",
        "url": "https://www.lyon-metropole.cci.fr",
    }
    assert data["description"] == "Un atelier concret\u00a0: démonstrations et retours d’expérience de PME."
    assert data["url"] == f"{settings.SITE_URL}/agenda/{event.slug}/"
    assert data["offers"]["url"] == event.registration_url
    assert data["isAccessibleForFree"] is True


def test_event_jsonld_online(client):
    event = EventFactory(online=True)

    data = jsonld(client.get(event.get_absolute_url()))

    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://visio.exemple.fr/webinaire-ia"}


def test_event_jsonld_hybrid_has_both_locations(client):
    event = EventFactory(mode=Mode.HYBRID, online_url="https://visio.exemple.fr/hybride")

    data = jsonld(client.get(event.get_absolute_url()))

    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [loc["@type"] for loc in data["location"]] == ["Place", "VirtualLocation"]
    assert data["location"][0]["address"]["@type"] == "PostalAddress"
    assert data["location"][1]["url"] == "https://visio.exemple.fr/hybride"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.CANCELLED, "https://schema.org/EventCancelled"),
        (Status.POSTPONED, "https://schema.org/EventPostponed"),
        (Status.FULL, "https://schema.org/EventScheduled"),
    ],
)
def test_event_jsonld_status(client, status, expected):
    event = EventFactory(status=status)

    assert jsonld(client.get(event.get_absolute_url()))["eventStatus"] == expected


def test_event_jsonld_moved_online_is_online(client):
    event = EventFactory(status=Status.MOVED_ONLINE, online_url="https://visio.exemple.fr/secours")

    data = jsonld(client.get(event.get_absolute_url()))

    assert data["eventStatus"] == "https://schema.org/EventMovedOnline"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"


def test_event_jsonld_reunion_offset(client):
    day = in_days(25)
    event = EventFactory(reunion=True, starts_at=at(day, 14, 0, REUNION))

    data = jsonld(client.get(event.get_absolute_url()))

    assert data["startDate"] == f"{day.isoformat()}T14:00:00+04:00"


def test_event_page_calendar_links(client):
    day = in_days(15)
    event = EventFactory(reunion=True, title="Café IA & PME", starts_at=at(day, 14, 0, REUNION))
    start_utc = at(day, 10, 0, "UTC")
    end_utc = start_utc + timedelta(hours=2, minutes=30)

    response = client.get(event.get_absolute_url())

    assert link(response, "Fichier iCalendar (.ics)") == f"/agenda/{event.slug}.ics"
    google = urlsplit(link(response, "Google Agenda"))
    assert (google.scheme, google.netloc, google.path) == ("https", "calendar.google.com", "/calendar/render")
    params = {k: v[0] for k, v in parse_qs(google.query).items()}
    assert params["action"] == "TEMPLATE"
    assert params["text"] == "Café IA & PME"
    assert params["dates"] == f"{start_utc:%Y%m%dT%H%M%SZ}/{end_utc:%Y%m%dT%H%M%SZ}"
    assert params["ctz"] == REUNION
    assert params["details"].endswith(f"/agenda/{event.slug}/")
    assert "Saint-Denis" in params["location"]
    outlook = urlsplit(link(response, "Outlook"))
    assert outlook.netloc == "outlook.office.com"
    params = {k: v[0] for k, v in parse_qs(outlook.query).items()}
    assert params["subject"] == "Café IA & PME"
    assert params["startdt"] == f"{day.isoformat()}T14:00:00+04:00"
    assert params["enddt"] == f"{day.isoformat()}T16:30:00+04:00"


def test_event_page_lists_only_published_ambassadors(client):
    shown = AmbassadorFactory(published=True, first_name="Paule", last_name="Présente")
    hidden = AmbassadorFactory(consented=True, first_name="Henri", last_name="Cachénonpublié")
    event = EventFactory(ambassadors=[shown, hidden])

    body = client.get(event.get_absolute_url()).content.decode()

    assert "Paule Présente" in body
    assert "Cachénonpublié" not in body


@pytest.mark.parametrize("moderation", [Moderation.SUBMITTED, Moderation.REFUSED])
def test_event_not_published_has_no_public_page(client, moderation):
    event = EventFactory(moderation=moderation)

    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(f"/agenda/{event.slug}.ics").status_code == 404


def test_region_page_lists_upcoming_public_events_of_region(client):
    EventFactory(title="Atelier régional à venir")
    EventFactory(title="Atelier régional passé", starts_at=at(in_days(-3), 9, 0))
    EventFactory(submitted=True, title="Atelier régional en attente")
    EventFactory(online=True, region_code="76", title="Webinaire d’une autre région")

    assert titles(client.get("/regions/84/")) == ["Atelier régional à venir"]


# Query counts: the same number of queries with 1 and with 4 events


def _add_events(n: int):
    ambassadors = [AmbassadorFactory(published=True, regions=["84"]) for _ in range(2)]
    return [
        EventFactory(
            title=f"Événement mesuré {i}",
            starts_at=at(in_days(3 + i), 10, 0),
            mode=Mode.HYBRID if i % 2 else Mode.IN_PERSON,
            online_url="https://visio.exemple.fr/m",
            topics=["production", "donnees", "finance"],
            sectors=["C", "J", "M"],
            ambassadors=ambassadors,
        )
        for i in range(n)
    ]


def _count(client, url):
    # Cold: a page's fragments (filters, cards) are cached by what they show (core/fragments.py); rendering them
    # is the path whose queries could grow with the events.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/",
        "/agenda/?region=84&secteur=C&thematique=production",
        "/agenda/flux.ics",
        "/agenda/flux.rss",
        "/regions/84/",
    ],
)
def test_public_agenda_query_count_does_not_grow_with_events(client, url):
    [first] = _add_events(1)
    with_one = _count(client, url)
    _add_events(3)

    with_four = _count(client, url)

    assert with_one == with_four, f"{url}: {with_one} requêtes pour 1 événement, {with_four} pour 4"
    assert first.title in client.get(url).content.decode()


def test_online_and_in_person_filters_include_events_in_person_and_online(client):
    hybrid = EventFactory(title="Conférence hybride", mode="hybrid")
    online = EventFactory(title="Webinaire seul", online=True)
    in_person = EventFactory(title="Atelier en salle")

    online_page = client.get("/agenda/?mode=online").content.decode()
    in_person_page = client.get("/agenda/?mode=in_person").content.decode()

    assert hybrid.title in online_page and online.title in online_page and in_person.title not in online_page
    assert hybrid.title in in_person_page and in_person.title in in_person_page
    assert online.title not in in_person_page
