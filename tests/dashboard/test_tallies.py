"""The pre-aggregated counts of events (dashboard/tallies.py) give the figures the events give, at once after any
change an event table shows, and only rebuild when the events moved."""

import importlib
import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from agenda.enums import Format, Moderation
from agenda.models import Event, ImportSource
from dashboard import tallies
from dashboard.models import AmbassadorTally, EventTally, TallyState
from dashboard.selectors import Scope, event_counts, months_window, scope_for
from dashboard.selectors.activity import _activity_counts
from dashboard.selectors.events import _by_region_month, _counted, _counted_by_region_month
from dashboard.tasks import refresh_figures, refresh_tallies
from tests.agenda.factories import EventFactory, at
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def varied_events(now: datetime) -> None:
    """Events of every format and origin, in two regions, past, to come and ending in the current month on both
    sides of ``now``, one at midnight in Paris on the first of a month (the month of its start is the one after,
    in Paris, the one before in UTC), and some that are not public."""
    ambassador = AmbassadorFactory(published=True, regions=["84"], user=UserFactory())
    coordinator = UserFactory(regional=True)
    source = ImportSource.objects.create(name="Agenda de la CCI", url="https://agenda.exemple.fr/cci.ics")
    first = timezone.localtime(now, PARIS).date().replace(day=1)
    starts = [
        now - timedelta(days=400),
        now - timedelta(days=40),
        now - timedelta(hours=3),  # ends 30 min before now... or after: both sides of now, see the ends below
        now - timedelta(hours=1),
        now + timedelta(hours=2),
        now + timedelta(days=10),
        now + timedelta(days=90),
        datetime.combine(first, datetime.min.time(), tzinfo=PARIS) + timedelta(days=40),
    ]
    formats = list(Format.values)
    for n, starts_at in enumerate(starts):
        for k, origin in enumerate(("ambassador", "coordination", "import", "none")):
            kwargs = {
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=2, minutes=30),
                "format": formats[(n + k) % len(formats)],
                "region_code": "84" if (n + k) % 2 else "76",
                "commune_code": None,
            }
            if origin == "ambassador":
                kwargs.update(created_by=ambassador.user)
            elif origin == "coordination":
                kwargs.update(created_by=coordinator, ambassadors=[ambassador])
            elif origin == "import":
                kwargs.update(source=source, source_uid=f"uid-{n}-{k}")
            EventFactory(**kwargs)
    # Midnight in Paris on the first of next month: Paris's next month, UTC's current one.
    after = tallies.next_month_start(now)
    EventFactory(starts_at=after, ends_at=after + timedelta(hours=1), commune_code=None)
    EventFactory(submitted=True, commune_code=None)
    EventFactory(moderation=Moderation.REFUSED, refusal_reason="Hors sujet", commune_code=None)


def scopes() -> list[Scope]:
    return [scope_for(UserFactory(national=True)), scope_for(UserFactory(regional=True))]


def test_the_tallies_give_the_figures_the_events_give():
    now = timezone.now()
    varied_events(now)
    national, regional = scopes()
    tallies.refresh()
    for scope in (Scope(national.access), Scope(regional.access)):
        assert scope.uses_tallies
        for moment in (now, now + timedelta(minutes=45), now + timedelta(hours=3), now + timedelta(days=60)):
            assert event_counts(scope, moment) == _counted(scope, moment), (scope.label, moment)
        months = months_window(now)
        assert _by_region_month(scope, months) == {
            key: n for key, n in _counted_by_region_month(scope, months).items() if n
        }
    counts = event_counts(Scope(national.access), now)
    assert counts["total"] == 8 * 4 + 1
    assert (counts["imports"], counts["ambassadors"], counts["coordinators"]) == (8, 8, 8)


def test_the_month_of_an_event_is_that_of_paris():
    start = datetime(2027, 3, 1, 0, 30, tzinfo=PARIS)  # 28 February in UTC
    EventFactory(starts_at=start, ends_at=start + timedelta(hours=1), commune_code=None)
    tallies.refresh()
    assert list(EventTally.objects.values_list("start_month", "end_month")) == [(date(2027, 3, 1),) * 2]


def test_a_deletion_a_moderation_and_a_role_show_at_once():
    ambassador_user = UserFactory()
    kept = EventFactory(created_by=ambassador_user)
    gone = EventFactory(created_by=ambassador_user)
    national = scopes()[0]

    def figures() -> dict:
        scope = Scope(national.access)  # a new scope: what a new request reads
        assert scope.tallies is None  # the change is seen: the tallies are not read as they are
        tallies.refresh()
        scope = Scope(national.access)
        assert scope.uses_tallies
        return event_counts(scope, timezone.now())

    counts = figures()
    assert counts["total"] == counts["ambassadors"] == 2
    gone.delete()
    counts = figures()
    assert counts["total"] == counts["ambassadors"] == 1
    ambassador_user.role = Role.NATIONAL_COORDINATOR
    ambassador_user.save()
    counts = figures()
    assert (counts["ambassadors"], counts["coordinators"]) == (0, 1)
    # The moderation's compare-and-set writes the date: unpublished, the event leaves the figures.
    Event.objects.filter(pk=kept.pk).update(moderation=Moderation.SUBMITTED, updated_at=timezone.now())
    assert figures()["total"] == 0


def test_each_ambassador_counts_each_event_once():
    ambassador = AmbassadorFactory(published=True, regions=["84"], user=UserFactory())
    other = AmbassadorFactory(published=True, regions=["76"])
    EventFactory(created_by=ambassador.user)  # created
    EventFactory(created_by=ambassador.user, ambassadors=[ambassador, other])  # created and listed: once
    EventFactory(ambassadors=[ambassador])  # listed
    EventFactory(created_by=ambassador.user, submitted=True)  # not public
    national, regional = scopes()  # regional: 84, their own ambassadors, with their events anywhere
    assert national.tallies is None
    events, _answered = _activity_counts(national)  # counted from the events
    assert events == {ambassador.pk: 3, other.pk: 1}
    tallies.refresh()
    national, regional = Scope(national.access), Scope(regional.access)
    assert national.tallies is not None
    assert _activity_counts(national)[0] == events  # read from the tallies
    assert dict(AmbassadorTally.objects.values_list("ambassador_id", "events")) == events
    assert _activity_counts(regional)[0] == {ambassador.pk: 3}


def test_a_rebuild_only_when_the_events_moved():
    EventFactory()
    first = tallies.refresh()
    assert first.version == tallies.source_version()
    assert refresh_tallies.call() == {"rebuilt": False}
    computed_at = TallyState.objects.get().computed_at
    assert tallies.refresh().computed_at == computed_at  # the same version: not rebuilt
    EventFactory()
    result = refresh_tallies.call()
    assert result["rebuilt"] is True
    assert TallyState.objects.get().computed_at > computed_at
    assert EventTally.objects.get().n == 2


def test_a_network_counts_from_its_events(dataset):
    reviewer = UserFactory(role=Role.REVIEWER, partner_network=dataset.a1.proposing_network)
    scope = scope_for(reviewer)
    assert not scope.uses_tallies
    with pytest.raises(ValueError, match="networks"):
        from dashboard.selectors.scope import _event_tallies

        _event_tallies(scope)
    assert event_counts(scope) == _counted(scope, timezone.now())


def test_at_the_turn_of_the_year():
    now = datetime(2027, 12, 31, 23, 59, tzinfo=PARIS)
    assert tallies.next_month_start(now) == datetime(2028, 1, 1, tzinfo=PARIS)
    start = at(date(2027, 12, 31), 23, 0)
    EventFactory(starts_at=start, ends_at=start + timedelta(hours=2), commune_code=None)  # ends in 2028
    national = scopes()[0]
    tallies.refresh()
    national = Scope(national.access)
    assert national.uses_tallies
    assert event_counts(national, now) == _counted(national, now)
    assert sum(event_counts(national, now)[f"upcoming_{n}"] for n in range(len(Format.values))) == 1


def test_stale_tallies_are_not_read_and_the_worker_rebuilds_them(django_capture_on_commit_callbacks, client):
    """A page that finds the tallies stale counts from the events and queues one rebuild, run after the commit by
    the worker (here the tasks run at once)."""
    EventFactory()
    tallies.refresh()
    EventFactory(format=Format.WEBINAIRE)
    client.force_login(UserFactory(national=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.get("/pilotage/").status_code == 200
        assert scope_for(UserFactory(national=True)).tallies is None  # not rebuilt in the request
        client.get("/pilotage/evenements-formats.csv")  # stale again: not queued twice
    assert len(callbacks) == 1
    state = TallyState.objects.get()
    assert state.version == tallies.source_version()
    assert EventTally.objects.filter(format=Format.WEBINAIRE).get().n == 1


def test_the_command_of_the_timer():
    out = io.StringIO()
    call_command("refresh_figures", stdout=out)
    assert out.getvalue().startswith("Décomptes recalculés en ")
    assert out.getvalue().endswith(" ms ; 1 page(s) de pilotage calculée(s).\n")  # national: no regional yet
    UserFactory(regional=True)  # 84
    out = io.StringIO()
    call_command("refresh_figures", stdout=out)
    # (a new account of a role that gives an origin moves the tallies' version: rebuilt)
    assert out.getvalue().endswith(" ; 2 page(s) de pilotage calculée(s).\n")
    out = io.StringIO()
    call_command("refresh_figures", stdout=out)
    assert out.getvalue() == "Décomptes à jour : rien à recalculer ; 2 page(s) de pilotage calculée(s).\n"


def test_the_worker_keeps_the_coordinations_pages_ready(client, dataset):
    """After the worker's minute, a national or regional coordinator's page is read from the cache: the session,
    the user, the data's version, and the page around the figures (no table computed)."""
    refresh_figures.call()
    for user in (UserFactory(national=True), UserFactory(regional=True)):
        refresh_figures.call()  # the regional coordinator's region is now among the pages computed
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/pilotage/").status_code == 200
        assert len(queries) <= 5, [q["sql"][:80] for q in queries]
    reviewer = UserFactory(role=Role.REVIEWER, partner_network=dataset.a1.proposing_network)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/pilotage/").status_code == 200
    assert len(queries) > 20  # not computed ahead: computed when opened


def test_the_scheduler_runs_the_rebuild_every_minute():
    scheduler = importlib.import_module("scripts.scheduler")
    assert ("dashboard.tasks.refresh_figures", None, None) in scheduler.JOBS
    now = datetime(2027, 3, 1, 10, 41, 30, tzinfo=PARIS)
    assert scheduler.next_run(now, None, None) == datetime(2027, 3, 1, 10, 42, tzinfo=PARIS)


def test_a_queue_that_fails_leaves_the_page_answering(client, monkeypatch, caplog):
    from dashboard import tasks

    def broken():
        raise RuntimeError("file indisponible")

    monkeypatch.setattr(tasks, "refresh_tallies", SimpleNamespace(enqueue=broken))
    EventFactory()
    client.force_login(UserFactory(national=True))
    tallies._enqueue()
    assert "n’a pas pu être mise en file" in caplog.text
    assert client.get("/pilotage/").status_code == 200
