"""The steering page and its exports run a fixed number of queries: measured with 1 then with 5 of everything
(ambassadors, applications, events, company requests, diagnostics), the counts are equal, and each one is the number
stated here, the same on SQLite and PostgreSQL: a new query shows, even one that does not grow with the data."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import selectors
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
# data's version (caching.py), the scope's region and network for its label, then the tables.
PAGE_QUERIES = {"national": 40, "regional": 39, "reviewer": 41}
# Each export, national: the session, the user, the data's version, then its table's queries.
EXPORT_QUERIES = {
    "activite-ambassadeurs": 7,
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
    "evenements-formats": 4,
    "evenements-mois": 5,
    "evenements-origines": 4,
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


def test_export_query_counts_do_not_grow(client):
    call = CallFactory()
    add(1, call)
    client.force_login(UserFactory(national=True))
    with_one = {url: count_queries(client, url) for url in URLS[1:]}
    add(4, call)
    with_five = {url: count_queries(client, url) for url in URLS[1:]}
    assert with_one == with_five
    expected = {f"/pilotage/{slug}.{fmt}": n for slug, n in EXPORT_QUERIES.items() for fmt in ("csv", "xlsx")}
    assert with_one == expected
