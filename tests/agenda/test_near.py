"""The agenda « près de » a postcode or a commune (``pres_de``, ``distance`` 10, 30 or 50 km): only the events whose
point lies within the distance, the nearest first then by start, each card with its distance (to the venue, or to
its commune's centre, said so); the other filters still apply; an unknown place or another distance is a 400 with
a French message next to the field; the events online are left out, and the page says where they are."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.enums import Format, Mode
from territories.geo import distance_label, km_between
from territories.models import Commune
from tests.agenda.factories import EventFactory, at, in_days

pytestmark = pytest.mark.django_db

CARD = re.compile(
    r'<h2 class="fr-card__title"><a href="/agenda/[\w-]+/">([^<]+)</a></h2>.*?'
    r'<p class="fr-card__detail">([^<]+)</p>',
    re.S,
)
LYON = (45.7588, 4.8353)  # Lyon's centre (territories/data/commune_centres.csv)
VENUE = (45.7606, 4.8590)  # a venue in Lyon, by the Part-Dieu, about 1.8 km east of the centre


def cards(response) -> list[tuple[str, str]]:
    """(title, distance) of each card, in the page's order."""
    assert response.status_code == 200, response.content.decode()[:800]
    return [(html.unescape(t), html.unescape(d)) for t, d in CARD.findall(response.content.decode())]


def titles(response) -> list[str]:
    return [title for title, _ in cards(response)]


def h1(response) -> str:
    return html.unescape(re.search(r"<h1>([^<]+)</h1>", response.content.decode()).group(1))


def event_in(code: str, title: str, **fields):
    return EventFactory(commune=Commune.objects.get(code=code), title=title, **fields)


@pytest.fixture
def scene():
    """Events around Lyon at known distances (Villeurbanne 4.3 km, Vienne 26.7, Saint-Chamond 41.3, Saint-Étienne
    50.9, Grenoble 94.3 between the communes' centres), one online."""
    return {
        "centre": event_in("69123", "Café IA au centre de Lyon", starts_at=at(in_days(9), 9, 0)),
        "venue": event_in(
            "69123",
            "Atelier à la Part-Dieu",
            latitude=f"{VENUE[0]}",
            longitude=f"{VENUE[1]}",
            starts_at=at(in_days(3), 9, 0),
        ),
        "villeurbanne": event_in("69266", "Conférence à Villeurbanne", starts_at=at(in_days(2), 9, 0)),
        "vienne": event_in("38544", "Rencontre à Vienne", starts_at=at(in_days(1), 9, 0)),
        "saint_chamond": event_in("42207", "Atelier à Saint-Chamond", starts_at=at(in_days(1), 10, 0)),
        "saint_etienne": event_in("42218", "Atelier stéphanois", starts_at=at(in_days(1), 10, 0)),
        "grenoble": event_in("38185", "Atelier grenoblois", starts_at=at(in_days(1), 11, 0)),
        "online": EventFactory(online=True, title="Webinaire IA", starts_at=at(in_days(1), 12, 0)),
    }


def _km(event) -> float:
    return km_between(LYON, (event.point_latitude, event.point_longitude))


# Order, distances, heading


def test_near_a_postcode_lists_the_events_within_30_km_nearest_first(client, scene):
    response = client.get("/agenda/?pres_de=69003")

    # 30 km when no distance is sent; Saint-Chamond, Saint-Étienne, Grenoble and the webinar are left out.
    assert titles(response) == [
        "Café IA au centre de Lyon",
        "Atelier à la Part-Dieu",
        "Conférence à Villeurbanne",
        "Rencontre à Vienne",
    ]
    assert h1(response) == "Événements à moins de 30\u00a0km de Lyon (69)"
    assert "<title>Événements à moins de 30\u00a0km de Lyon (69)" in response.content.decode()
    assert "4 événements, du plus proche au plus lointain" in response.content.decode()


def test_each_card_says_its_distance_and_when_it_is_to_the_commune_centre(client, scene):
    shown = dict(cards(client.get("/agenda/?pres_de=Lyon&distance=30")))

    # The venue located: the distance to it, plainly.
    assert shown["Atelier à la Part-Dieu"] == distance_label(_km(scene["venue"]))
    assert shown["Atelier à la Part-Dieu"].startswith("à 1,")
    # No venue located: to its commune's centre, said so; in the commune measured from, its name only.
    villeurbanne = distance_label(_km(scene["villeurbanne"]))
    assert shown["Conférence à Villeurbanne"] == f"{villeurbanne}, mesurés jusqu’au centre de Villeurbanne"
    assert shown["Café IA au centre de Lyon"] == "à Lyon"
    assert re.fullmatch(r"à 2\d km, mesurés jusqu’au centre de Vienne", shown["Rencontre à Vienne"])


def test_the_same_distance_sorts_by_start(client):
    later = event_in("69266", "Villeurbanne, plus tard", starts_at=at(in_days(20), 9, 0))
    sooner = event_in("69266", "Villeurbanne, plus tôt", starts_at=at(in_days(5), 9, 0))

    assert titles(client.get("/agenda/?pres_de=69003")) == [sooner.title, later.title]


@pytest.mark.parametrize(
    ("distance", "expected"),
    [
        ("10", {"Café IA au centre de Lyon", "Atelier à la Part-Dieu", "Conférence à Villeurbanne"}),
        (
            "50",
            {
                "Café IA au centre de Lyon",
                "Atelier à la Part-Dieu",
                "Conférence à Villeurbanne",
                "Rencontre à Vienne",
                "Atelier à Saint-Chamond",
            },
        ),
    ],
)
def test_the_distance_chosen_bounds_the_events(client, scene, distance, expected):
    response = client.get(f"/agenda/?pres_de=Lyon&distance={distance}")

    assert set(titles(response)) == expected
    assert h1(response) == f"Événements à moins de {distance}\u00a0km de Lyon (69)"


def test_the_heading_says_which_saint_denis_was_taken(client):
    EventFactory(reunion=True, title="Atelier à Saint-Denis de La Réunion")
    event_in("93066", "Atelier à Saint-Denis de Seine-Saint-Denis")

    reunion = client.get("/agenda/?pres_de=Saint-Denis")
    seine = client.get("/agenda/?pres_de=Saint-Denis+%2893%29")

    assert h1(reunion) == "Événements à moins de 30\u00a0km de Saint-Denis (974)"
    assert titles(reunion) == ["Atelier à Saint-Denis de La Réunion"]
    assert h1(seine) == "Événements à moins de 30\u00a0km de Saint-Denis (93)"
    assert titles(seine) == ["Atelier à Saint-Denis de Seine-Saint-Denis"]
    # The active filters name the place understood too.
    assert "Près de\u00a0: Saint-Denis (93)" in seine.content.decode()


# The other filters still apply


def test_other_filters_narrow_a_distance_search(client, scene):
    scene["villeurbanne"].format = Format.CONFERENCE
    scene["villeurbanne"].save()
    event_in("69266", "Atelier IA à Villeurbanne", starts_at=at(in_days(30), 9, 0))

    assert titles(client.get("/agenda/?pres_de=Lyon&format=conference")) == ["Conférence à Villeurbanne"]
    assert titles(client.get("/agenda/?pres_de=Lyon&q=Vienne")) == ["Rencontre à Vienne"]
    # Every event of the factory is « un atelier concret » in its description: a word of the titles.
    assert titles(client.get("/agenda/?pres_de=Lyon&region=84&distance=10&q=Part-Dieu")) == [
        "Atelier à la Part-Dieu"
    ]
    # A place's name searched: the events held there (Isère: Vienne within 50 km, not Grenoble), by distance.
    assert titles(client.get("/agenda/?pres_de=Lyon&distance=50&q=Is%C3%A8re")) == ["Rencontre à Vienne"]
    day = in_days(2).isoformat()
    assert titles(client.get(f"/agenda/?pres_de=Lyon&du={day}&au={day}")) == ["Conférence à Villeurbanne"]
    # Another region: nothing near Lyon is in Brittany.
    assert titles(client.get("/agenda/?pres_de=Lyon&region=53")) == []


def test_past_events_near_a_place(client, scene):
    event_in("69266", "Atelier passé à Villeurbanne", starts_at=at(in_days(-10), 9, 0))
    event_in("42218", "Atelier passé à Saint-Étienne", starts_at=at(in_days(-10), 9, 0))

    response = client.get("/agenda/passes/?pres_de=Lyon&distance=30")

    assert titles(response) == ["Atelier passé à Villeurbanne"]
    assert h1(response) == "Événements passés à moins de 30\u00a0km de Lyon (69)"


def test_a_hybrid_event_is_near_its_venue_but_an_online_one_is_left_out_and_the_page_says_where_it_is(
    client, scene
):
    event_in(
        "69266", "Atelier hybride à Villeurbanne", mode=Mode.HYBRID, online_url="https://visio.exemple.fr/h"
    )

    response = client.get("/agenda/?pres_de=Lyon&distance=10&region=84&page=1")

    assert "Atelier hybride à Villeurbanne" in titles(response)
    assert "Webinaire IA" not in response.content.decode()
    body = html.unescape(response.content.decode())
    assert (
        "Les événements en ligne n’ont pas de lieu\u00a0: une recherche par distance les laisse de côté."
        in body
    )
    online = re.search(r'<a href="([^"]+)">Voir les événements en ligne</a>', response.content.decode())
    url = urlsplit(html.unescape(online.group(1)))
    # The other filters kept, the place, the distance and the page dropped.
    assert url.path == "/agenda/"
    assert parse_qs(url.query) == {"region": ["84"], "mode": ["online"]}
    assert "Webinaire IA" in client.get(online.group(1).replace("&amp;", "&")).content.decode()


def test_without_a_place_nothing_changes(client, scene):
    response = client.get("/agenda/?distance=10")

    assert response.status_code == 200
    assert "Webinaire IA" in response.content.decode()
    assert h1(response) == "Agenda des événements IA"
    assert "fr-card__detail" not in response.content.decode()
    assert "Dans un rayon de\u00a0:" not in response.content.decode()  # not an active filter without a place


# Bad input: a French message next to the field, a 400, never a 500


@pytest.mark.parametrize("place", ["99999", "Atlantide", "Lyon (13)", "x" * 119])
def test_an_unknown_place_is_a_field_error(client, scene, place):
    response = client.get("/agenda/", {"pres_de": place})

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert re.search(
        r'id="id_pres_de-err">Nous ne trouvons pas «\u00a0[^»]+\u00a0»\u00a0: indiquez un code postal', body
    )
    assert 'aria-invalid="true"' in body
    assert "Rencontre à Vienne" not in body
    assert h1(response) == "Agenda des événements IA"


def test_a_place_too_long_is_a_field_error(client):
    response = client.get("/agenda/", {"pres_de": "x" * 500})

    assert response.status_code == 400
    assert 'id="id_pres_de-err"' in response.content.decode()


@pytest.mark.parametrize("distance", ["20", "abc", "-1", "30.5", "1" * 50])
def test_another_distance_is_a_field_error(client, scene, distance):
    response = client.get("/agenda/", {"pres_de": "Lyon", "distance": distance})

    assert response.status_code == 400
    assert 'id="id_distance-err">Choisissez une distance de 10, 30 ou 50\u00a0km.</p>' in html.unescape(
        response.content.decode()
    )


# The form


def test_the_filter_form_offers_a_place_and_a_distance(client):
    body = client.get("/agenda/").content.decode()

    assert (
        '<label class="fr-label" for="id_pres_de">Près de<span class="fr-hint-text">Code postal ou commune</span>'
        in body
    )
    assert (
        '<input class="fr-input" type="text" id="id_pres_de" name="pres_de" value="" maxlength="120" autocomplete="off">'
        in body
    )
    select = re.search(
        r'<select class="fr-select" id="id_distance" name="distance">(.*?)</select>', body, re.S
    )
    assert re.findall(r'<option value="(\d+)"( selected)?>', select.group(1)) == [
        ("10", ""),
        ("30", " selected"),
        ("50", ""),
    ]
    # Right after the search words, before the region: the order of the form.
    assert body.index('id="id_q"') < body.index('id="id_pres_de"') < body.index('id="id_distance"')
    assert body.index('id="id_distance"') < body.index('id="id_region"')


def test_the_form_keeps_what_was_typed_and_30_km_when_no_distance_is_sent(client, scene):
    body = client.get("/agenda/?pres_de=69003&region=84").content.decode()

    assert 'name="pres_de" value="69003"' in body
    assert '<option value="30" selected>' in body
    assert '<option value="50" selected>' in client.get("/agenda/?pres_de=69003&distance=50").content.decode()


# Pagination and caching


def test_pagination_keeps_the_place_and_the_distance(client):
    for n in range(25):
        event_in("69266", f"Atelier villeurbannais {n:02d}", starts_at=at(in_days(1 + n), 9, 0))
    event_in("69123", "Atelier lyonnais", starts_at=at(in_days(40), 9, 0))

    first = client.get("/agenda/?pres_de=Lyon&distance=10")
    assert titles(first)[0] == "Atelier lyonnais"  # the nearest first, though the latest
    link = re.search(r'href="([^"]+)"[^>]*>Page suivante<', first.content.decode()).group(1)
    query = parse_qs(urlsplit(html.unescape(link)).query)
    assert query == {"pres_de": ["Lyon"], "distance": ["10"], "page": ["2"]}

    second = client.get("/agenda/" + html.unescape(link))
    assert titles(second) == [f"Atelier villeurbannais {n:02d}" for n in range(19, 25)]
    assert all(d.endswith("mesurés jusqu’au centre de Villeurbanne") for _, d in cards(second))


def test_a_page_read_again_from_the_cache_shows_the_same_distances(client, scene, settings):
    # The local-memory cache on both databases (CI's second run uses Redis): its keys are read below.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    first = client.get("/agenda/?pres_de=69003&distance=30")
    # The HTML's fragments dropped (the test's cache is in memory), the count and the page's events kept
    # (``found_key``): the cards are rendered again from what was kept, with their distances.
    fragments = [key for key in list(cache._cache) if "template.cache." in key]
    assert fragments
    for key in fragments:
        cache._cache.pop(key)
        cache._expire_info.pop(key, None)
    second = client.get("/agenda/?pres_de=69003&distance=30")

    assert cards(first) == cards(second)
    assert len(cards(second)) == 4


def test_a_change_of_place_is_shown_at_once(client, scene):
    client.get("/agenda/?pres_de=Lyon&distance=10")
    vienne = scene["vienne"]
    vienne.commune = Commune.objects.get(code="69266")
    vienne.save()

    assert "Rencontre à Vienne" in titles(client.get("/agenda/?pres_de=Lyon&distance=10"))


# Queries


def _add_near(n: int, *, past: bool = False) -> list:
    return [
        EventFactory(
            commune=Commune.objects.get(code="69266" if i % 2 else "69123"),
            title=f"Événement proche {i}",
            starts_at=at(in_days(-3 - i if past else 3 + i), 10, 0),
            topics=["production", "donnees"],
            sectors=["C", "J"],
        )
        for i in range(n)
    ]


def _count(client, url: str, shown) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert {event.title for event in shown} <= set(titles(response))
    return len(queries.captured_queries)


# The place typed (the postcode's or the name's commune, one query), the events' version, the count, the page's
# cards' versions, the filter form's regions, départements, sectors and topics, the events shown: as many as a
# list filtered by region (whose lookup the place's takes the place of), the same on SQLite and PostgreSQL.
NEAR_QUERIES = 9


@pytest.mark.parametrize(
    ("url", "past"),
    [("/agenda/?pres_de=69003&distance=30", False), ("/agenda/passes/?pres_de=Lyon&distance=10", True)],
)
def test_a_distance_search_makes_a_fixed_number_of_queries(client, url, past):
    one = _add_near(1, past=past)
    with_one = _count(client, url, one)
    five = one + _add_near(4, past=past)

    with_five = _count(client, url, five)

    assert with_one == with_five == NEAR_QUERIES, (url, with_one, with_five)
