"""Every list has a query-count test with 1 and with 5 items: the number of queries must not grow with the list
(no query per row), and it is the number each test states, the same on SQLite and PostgreSQL, so that a new query
on a page shows too. Each item carries several regions, départements, sectors and topics, so a missing prefetch
shows."""

import itertools
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassadors.enums import ProfileKind
from core.services import audit_log
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db

_names = itertools.count(1)


def make_ambassadors(n: int) -> list:
    """``n`` published ambassadors of 84 and 76, national and France Num activateurs, with several of everything.
    Distinct last names ("Mesure001x"...) so a test can check each one is really listed."""
    return [
        AmbassadorFactory(
            published=True,
            last_name=f"Mesure{next(_names):03d}x",
            kind=ProfileKind.GRAND_PUBLIC if i % 2 else ProfileKind.SECTORIEL_REGIONAL,
            is_national=True,
            is_france_num_activateur=True,
            france_num_url="https://www.francenum.gouv.fr/activateurs/exemple",
            regions=["84", "76"],
            departements=["69", "38", "31"],
            sectors=["C", "J", "M"],
            topics=["production", "donnees", "finance"],
        )
        for i in range(n)
    ]


def count_queries(client, url: str) -> tuple[int, str]:
    # Cold: cached fragments (core/fragments.py) are rendered by the path whose queries could grow with the items.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response.content.decode()


def assert_query_count_does_not_grow(client, url: str, add_items, shown=None, *, expected: int):
    """Measure ``url`` with the one item already there, add 4 more with ``add_items(4)``, measure again: the same
    number of queries, ``expected``. ``shown(item)`` gives the text that proves an item is listed, when the page
    lists them."""
    with_one, _ = count_queries(client, url)
    added = add_items(4)
    with_five, body = count_queries(client, url)
    if shown is not None:
        for item in added:
            assert shown(item) in body, f"{shown(item)} not listed by {url}"
    assert with_one == with_five == expected, (
        f"{url}: {with_one} queries with 1 item, {with_five} with 5, {expected} expected"
    )


def _last_name(ambassador):
    return ambassador.last_name


# (url, the text that shows an item is listed, the number of queries, cold).
PUBLIC_LISTS = [
    ("/ambassadeurs/", _last_name, 11),
    ("/ambassadeurs/?region=84", _last_name, 12),
    ("/regions/", None, 3),  # the profiles' version (its table is kept under it), the counts, the regions
    ("/regions/84/", _last_name, 11),
    ("/regions/84/integration/", _last_name, 4),
    ("/donnees/ambassadeurs.csv", _last_name, 8),
    ("/donnees/ambassadeurs.json", _last_name, 8),
    ("/donnees/activateurs-france-num.csv", _last_name, 8),
]


@pytest.mark.parametrize(("url", "shown", "expected"), PUBLIC_LISTS, ids=[url for url, _, _ in PUBLIC_LISTS])
def test_public_list_query_count_does_not_grow_with_items(client, url, shown, expected):
    make_ambassadors(1)

    assert_query_count_does_not_grow(client, url, make_ambassadors, shown, expected=expected)


def test_directory_near_query_count_does_not_grow_with_items(client):
    """« Près de »: the place's commune is one query more than the directory's 11; the distances come with the
    page's versions (no query per card)."""
    from territories.models import Commune

    lyon, villeurbanne = Commune.objects.get(code="69123"), Commune.objects.get(code="69266")

    def based_near(n):
        made = make_ambassadors(n)
        for i, ambassador in enumerate(made):
            ambassador.commune = lyon if i % 2 else villeurbanne
            ambassador.save()
        return made

    based_near(1)

    assert_query_count_does_not_grow(
        client, "/ambassadeurs/?pres_de=69003&distance=10", based_near, _last_name, expected=12
    )


def test_regions_list_counts_every_published_ambassador(client):
    make_ambassadors(5)

    page = client.get("/regions/").content.decode()

    row = re.compile(r'<a href="/regions/(\w+)/">[^<]+</a>.*?</th><td>(\d+)</td>')
    counts = {code: int(n) for code, n in row.findall(page)}
    assert counts["84"] == 5
    assert counts["76"] == 5


def test_manage_list_query_count_does_not_grow_with_items(client):
    client.force_login(UserFactory(national=True))
    make_ambassadors(1)

    assert_query_count_does_not_grow(
        client, "/espace/ambassadeurs/", make_ambassadors, _last_name, expected=8
    )


def test_audit_log_query_count_does_not_grow_with_entries(client):
    national = UserFactory(national=True)
    client.force_login(national)

    def add_entries(n):
        return [
            audit_log(
                actor=national, action="ambassador.edit", obj=a, changes={"bio": {"avant": "", "après": "x"}}
            )
            for a in make_ambassadors(n)
        ]

    add_entries(1)

    assert_query_count_does_not_grow(
        client, "/espace/journal/", add_entries, lambda e: e.object_repr, expected=4
    )
