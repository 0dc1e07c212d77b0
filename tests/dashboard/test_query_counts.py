"""The steering page and its exports run a fixed number of queries: measured with 1 then with 5 of everything
(ambassadors, applications, events, company requests, diagnostics), the counts are equal, and each one is the number
stated here, the same on SQLite and PostgreSQL: a new query shows, even one that does not grow with the data."""

import itertools
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import selectors, tallies
from tests.agenda.factories import EventFactory
from tests.dashboard.conftest import application, diagnostic, request_to
from tests.factories import AmbassadorFactory, CallFactory, UserFactory

pytestmark = pytest.mark.django_db

_n = itertools.count()


def add(n: int, call) -> None:
    """``n`` of each: an active ambassador in 84 and 76 (event, answered request), an application, a diagnostic."""
    for _ in range(n):
        i = next(_n)
        ambassador = AmbassadorFactory(
            published=True,
            designated_at=timezone.localdate(),
            regions=["84", "76"],
            sectors=["C", "J"],
            user=UserFactory(),
        )
        EventFactory(created_by=ambassador.user, ambassadors=[ambassador])
        request_to(
            ambassador,
            "84",
            "69",
            age=timedelta(days=3),
            taken_after=timedelta(hours=i + 1),
            state="answered",
        )
        application(call, "84" if i % 2 else "76", "cci", "declined", decided_after_days=i + 1)
        diagnostic("84", "69", "innovateur")


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


URLS = [
    "/pilotage/",
    *(f"/pilotage/{slug}.{fmt}" for slug in sorted(selectors.tables_for_csv()) for fmt in ("csv", "xlsx")),
]


# The page, computed (the figures are not in the cache: the data changed in between): the session and the user, the
# data's version (caching.py), the scope's region and network for its label, then the tables: those of events
# counted from the events, the tallies' version and state showing them stale (dashboard/tallies.py).
PAGE_QUERIES = {"national": 42, "regional": 41, "reviewer": 43}
# The same, the tallies already rebuilt from the data as it is: their version and state, then their reads.
READ_QUERIES = {"national": 44, "regional": 43, "reviewer": 42}
# Each export, national: the session, the user, the data's version, then its table's queries (those of events: the
# tallies' version and state first).
EXPORT_QUERIES = {
    "activite-ambassadeurs": 8,
    "autodiagnostics": 5,
    "couverture-regions": 7,
    "couverture-secteurs": 7,
    "demandes-disponibilite": 8,
    "demandes-rendues-motifs": 8,
    "demandes-satisfaction": 6,
    "demandes-suivi": 6,
    "designations-profils": 4,
    "designations-regions": 8,
    "designations-reseaux": 5,
    "evenements-formats": 9,
    "evenements-mois": 7,
    "evenements-origines": 9,
    "recrutement-appels": 6,
    "recrutement-regions": 6,
    "recrutement-reseaux": 6,
}


def test_every_export_has_its_count():
    assert set(EXPORT_QUERIES) == set(selectors.tables_for_csv())


@pytest.mark.parametrize("role", ["national", "regional", "reviewer"])
def test_page_query_count_does_not_grow(client, role):
    call = CallFactory()
    add(1, call)
    client.force_login(UserFactory(**{role: True}))
    with_one = count_queries(client, "/pilotage/")
    add(4, call)
    with_five = count_queries(client, "/pilotage/")
    assert with_one == with_five == PAGE_QUERIES[role], (
        f"{with_one} queries with 1 of each, {with_five} with 5"
    )


@pytest.mark.parametrize("role", ["national", "regional", "reviewer"])
def test_page_query_count_from_fresh_tallies(client, role):
    """The usual case, the worker having rebuilt the tallies since the last change (``dashboard.tasks``): the page
    reads them, fewer queries, as many with 1 or 5 of everything."""
    call = CallFactory()
    add(1, call)
    client.force_login(UserFactory(**{role: True}))
    tallies.refresh()
    cache.clear()
    with_one = count_queries(client, "/pilotage/")
    add(4, call)
    tallies.refresh()
    cache.clear()
    with_five = count_queries(client, "/pilotage/")
    assert with_one == with_five == READ_QUERIES[role], (
        f"{with_one} queries with 1 of each, {with_five} with 5"
    )


def test_export_query_counts_do_not_grow(client):
    """Each export, the tallies rebuilt beforehand (the usual case, as above)."""
    call = CallFactory()
    add(1, call)
    client.force_login(UserFactory(national=True))
    tallies.refresh()
    with_one = {url: count_queries(client, url) for url in URLS[1:]}
    add(4, call)
    tallies.refresh()
    with_five = {url: count_queries(client, url) for url in URLS[1:]}
    assert with_one == with_five
    expected = {f"/pilotage/{slug}.{fmt}": n for slug, n in EXPORT_QUERIES.items() for fmt in ("csv", "xlsx")}
    assert with_one == expected
