"""The month view at scale (issue 15): each day shows its first events (``MONTH_DAY_LIMIT``) and links the list of
that day for the others, with how many; the month says how many events it holds; an event's days are read on its
own clock, overseas and in a zone the query does not know; the queries do not grow with the events."""

import html
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.selectors import MONTH_DAY_LIMIT, AgendaFilters, month_events
from tests.agenda.factories import EventFactory, at

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
GUADELOUPE, REUNION, MONTREAL = "America/Guadeloupe", "Indian/Reunion", "America/Toronto"


def _page(client, path: str) -> str:
    cache.clear()  # the calendar's HTML is cached by what it shows (core/fragments.py): read it fresh
    response = client.get(path)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def _cell(body: str, day: int) -> str:
    """The table's cell of ``day`` (the month's days only)."""
    table = body.split('<table class="ai-month">')[1].split("</table>")[0]
    for cell in table.split("<td")[1:]:
        if f'<span class="ai-month__day">{day}</span>' in cell:
            return html.unescape(cell.split("</td>")[0])
    raise AssertionError(f"no cell for day {day}")


def _titles(cell: str) -> list[str]:
    return [
        re.sub(r"^(\d+\u00a0h(\u00a0\d\d)?|suite) – ", "", t) for t in re.findall(r">([^<>]+)</a></li>", cell)
    ]


def _phone_list(body: str) -> str:
    return html.unescape(body.split('<div class="fr-hidden-md">')[1].split("</div>")[0])


def test_month_day_shows_the_first_events_and_counts_the_others(client):
    day = date(2027, 3, 10)
    salon = EventFactory(
        title="Salon de deux jours", starts_at=at(day - timedelta(days=1), 9), ends_at=at(day, 18)
    )
    for n in range(6):
        EventFactory(title=f"Atelier n° {n}", starts_at=at(day, 8 + n), ends_at=at(day, 8 + n, 30))
    EventFactory(title="Atelier du lendemain", starts_at=at(day + timedelta(days=1), 9))

    body = _page(client, "/agenda/mois/2027-03/")

    # The salon started the day before: it comes first, « suite »; then the soonest of the day.
    assert _titles(_cell(body, 10)) == [salon.title, "Atelier n° 0", "Atelier n° 1", "Atelier n° 2"]
    assert "suite – Salon de deux jours" in _cell(body, 10)
    assert "et 3 autres ce jour-là" in re.sub(r"<[^>]+>", "", _cell(body, 10))
    assert _titles(_cell(body, 9)) == [salon.title]
    assert "autre" not in _cell(body, 9)
    # The month counts each event once, the salon included.
    assert "8 événements ce mois-ci" in body
    # On a phone, the same first events and the same link, said in words.
    phone = _phone_list(body)
    assert "Mercredi 10 mars 2027" in phone
    assert '<a href="/agenda/?du=2027-03-10&au=2027-03-10">et 3 autres événements ce jour-là</a>' in phone
    assert phone.count("Atelier n° 3") == 0


def test_month_day_links_its_list_with_the_filters_upcoming_or_past(client):
    for day in (date(2027, 3, 10), date(2024, 3, 12)):
        for n in range(MONTH_DAY_LIMIT + 1):
            EventFactory(starts_at=at(day, 8 + n), ends_at=at(day, 8 + n, 30), topics=["production"])

    coming = _page(client, "/agenda/mois/2027-03/?region=84&thematique=production")
    past = _page(client, "/agenda/mois/2024-03/?region=84&thematique=production")

    assert 'href="/agenda/?region=84&amp;thematique=production&amp;du=2027-03-10&amp;au=2027-03-10"' in coming
    assert "et 1 autre<span" in coming
    assert (
        'href="/agenda/passes/?region=84&amp;thematique=production&amp;du=2024-03-12&amp;au=2024-03-12"'
        in past
    )


def test_month_counts_many_events_a_day_without_showing_them(client):
    day = date(2027, 6, 15)
    for n in range(40):
        EventFactory(starts_at=at(day, 8, n), ends_at=at(day, 9, n))

    found = month_events(AgendaFilters(), day)
    body = _page(client, "/agenda/mois/2027-06/")

    assert found.count == 40
    assert found.totals == {day: 40}
    assert [e.starts_at for e in found.days[day]] == [at(day, 8, n) for n in range(MONTH_DAY_LIMIT)]
    assert "40 événements ce mois-ci" in body
    assert f"et {40 - MONTH_DAY_LIMIT} autres" in body


def test_month_days_are_read_on_the_events_own_clock(client):
    # 22 h 30 on 31 March in Guadeloupe is 1 April in Paris; 1 h on 1 April at La Réunion is 31 March in Paris.
    late = EventFactory(
        title="Soirée en Guadeloupe",
        region_code="01",
        commune_code=None,
        timezone=GUADELOUPE,
        starts_at=at(date(2027, 3, 31), 22, 30, GUADELOUPE),
        ends_at=at(date(2027, 3, 31), 23, 30, GUADELOUPE),
    )
    early = EventFactory(
        title="Matinale réunionnaise",
        reunion=True,
        starts_at=at(date(2027, 4, 1), 1, 0, REUNION),
        ends_at=at(date(2027, 4, 1), 2, 0, REUNION),
    )
    # A zone the query does not know: placed from its own row, on its own clock (22 h in Toronto: 4 h in Paris).
    far = EventFactory(
        title="Webinaire depuis Toronto",
        online=True,
        timezone=MONTREAL,
        starts_at=at(date(2027, 4, 10), 22, 0, MONTREAL),
        ends_at=at(date(2027, 4, 10), 23, 0, MONTREAL),
    )

    march = _page(client, "/agenda/mois/2027-03/")
    april = _page(client, "/agenda/mois/2027-04/")

    assert _titles(_cell(march, 31)) == [late.title]
    assert "22\u00a0h\u00a030 – Soirée en Guadeloupe" in _cell(march, 31)
    assert early.title not in march and "1 événement ce mois-ci" in march
    assert _titles(_cell(april, 1)) == [early.title]
    assert "1\u00a0h – Matinale réunionnaise" in _cell(april, 1)
    assert _titles(_cell(april, 10)) == [far.title]
    assert _titles(_cell(april, 11)) == []
    assert late.title not in april and "2 événements ce mois-ci" in april


def test_month_an_event_of_another_zone_takes_its_place_among_the_first(client):
    day = date(2027, 4, 20)
    for n, hour in enumerate((7, 8, 10, 11)):
        EventFactory(title=f"Atelier parisien n° {n}", starts_at=at(day, hour))
    EventFactory(
        title="Webinaire matinal depuis Toronto",
        online=True,
        timezone=MONTREAL,
        starts_at=at(day, 3, 0, MONTREAL),
    )

    body = _page(client, "/agenda/mois/2027-04/")

    assert _titles(_cell(body, 20)) == [
        "Atelier parisien n° 0",
        "Atelier parisien n° 1",
        "Webinaire matinal depuis Toronto",  # 3 h in Toronto: 9 h in Paris
        "Atelier parisien n° 2",
    ]
    assert "et 1 autre<span" in _cell(body, 20)


def test_month_du_au_keep_the_events_held_those_days_on_all_their_days(client):
    salon = EventFactory(title="Salon", starts_at=at(date(2027, 5, 4), 9), ends_at=at(date(2027, 5, 6), 18))
    EventFactory(title="Atelier du 12", starts_at=at(date(2027, 5, 12), 9))

    body = _page(client, "/agenda/mois/2027-05/?du=2027-05-06&au=2027-05-06")

    assert [_titles(_cell(body, d)) for d in (4, 5, 6, 12)] == [[salon.title]] * 3 + [[]]
    assert "1 événement ce mois-ci" in body


def _queries(client, url) -> int:
    cache.clear()  # cold: the path whose queries could grow with the events
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    "url", ["/agenda/mois/2027-09/", "/agenda/mois/2027-09/?region=84&thematique=production"]
)
def test_month_query_count_does_not_grow_with_events_a_day(client, url):
    EventFactory(starts_at=at(date(2027, 9, 1), 10), topics=["production"])
    with_one = _queries(client, url)
    for day in (1, 2, 15, 30):
        for n in range(MONTH_DAY_LIMIT + 3):
            EventFactory(starts_at=at(date(2027, 9, day), 8 + n), topics=["production"])
    EventFactory(starts_at=at(date(2027, 9, 3), 8), ends_at=at(date(2027, 9, 20), 18), topics=["production"])
    EventFactory(
        online=True, timezone=MONTREAL, starts_at=at(date(2027, 9, 5), 8, 0, MONTREAL), topics=["production"]
    )

    assert _queries(client, url) == with_one
    body = _page(client, url)
    assert "31 événements ce mois-ci" in body


def test_month_shows_a_change_at_once_through_its_cache(client):
    day = date(2027, 10, 12)
    first = EventFactory(title="Atelier d’octobre", starts_at=at(day, 9))
    assert _titles(_cell(_page(client, "/agenda/mois/2027-10/"), 12)) == [first.title]

    EventFactory(title="Atelier ajouté", starts_at=at(day, 8))
    first.title = "Atelier d’octobre renommé"
    first.save()
    body = client.get("/agenda/mois/2027-10/").content.decode()  # the cache kept, not cleared

    assert _titles(_cell(body, 12)) == ["Atelier ajouté", "Atelier d’octobre renommé"]
    assert "2 événements ce mois-ci" in body
