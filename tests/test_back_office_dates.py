"""Back-office dates are written by core/formats.py as on the public pages: the audit log's values (an ISO date
stored in an entry's detail reads « 1er mai 2026 »), the steering page's month columns and its time of computing."""

import re
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from core.formats import MONTHS_SHORT, french_dates_in, french_month
from core.services import audit_log
from dashboard import selectors
from tests.factories import AmbassadorFactory, UserFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2026-05-01", "1er mai 2026"),
        ("2026-05-01 → 2026-06-15", "1er mai 2026 → 15 juin 2026"),
        ("2026-05-01T12:30:00+00:00", f"1er mai 2026 à 14{NBSP}h{NBSP}30"),  # Paris clock, summer time
        ("2026-01-15T08:00:00Z", f"15 janvier 2026 à 9{NBSP}h"),
        ("2026-13-40", "2026-13-40"),  # not a date: left as stored
        ("SIREN 732-829-320", "SIREN 732-829-320"),
        ("version 2026-2", "version 2026-2"),
        ("", ""),
    ],
)
def test_french_dates_in(stored, shown):
    assert french_dates_in(stored) == shown


def test_short_months_follow_the_imprimerie_nationale():
    assert [french_month(date(2026, m, 1), short=True) for m in (1, 5, 7, 8)] == [
        "janv. 2026",
        "mai 2026",
        "juill. 2026",
        "août 2026",
    ]
    assert len(MONTHS_SHORT) == 12


@pytest.mark.django_db
def test_audit_log_page_writes_dates_the_french_way(client):
    national = UserFactory(national=True)
    ambassador = AmbassadorFactory()
    entry = audit_log(
        actor=national,
        action="ambassador.edit",
        obj=ambassador,
        changes={"designated_at": {"avant": "2026-05-01", "après": "2026-06-15"}},
    )
    type(entry).objects.filter(pk=entry.pk).update(at=datetime(2026, 3, 1, 13, 5, tzinfo=UTC))
    client.force_login(national)
    body = client.get("/espace/journal/").content.decode()
    assert f"1er mars 2026 à 14{NBSP}h{NBSP}05" in body
    assert "1er mai 2026 → 15 juin 2026" in body
    assert "2026-05-01" not in body


@pytest.mark.django_db
def test_steering_page_months_and_time_are_french(client):
    client.force_login(UserFactory(national=True))
    body = client.get("/pilotage/").content.decode()
    table = selectors.events_by_region_month(selectors.Scope())
    months = [c.label for c in table.columns[1:-1]]
    assert all(m.split()[0] in MONTHS_SHORT and m.split()[1].isdigit() for m in months)
    assert table.columns[1].title == french_month(selectors.months_window()[0])
    now = timezone.localtime()
    assert re.search(rf"ici le \d+(er)? \w+ {now.year} à \d+{NBSP}h", body)
