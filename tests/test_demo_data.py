"""The demo data set: realistic (people who help companies adopt AI, every region, profile, network, state), coherent
(every date after the ones it follows, nothing in the future), idempotent, and plausible on /pilotage/."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from agenda.enums import Moderation
from agenda.models import Event, ImportRun
from ambassadors.models import Ambassador
from contact.enums import RequestState, StepAction
from contact.models import OPEN_STATES, CompanyRequest, RequestStep
from dashboard.models import NATIONAL_TARGET, RegionTarget
from dashboard.selectors import Scope, recruitment_by_call, region_figures, requests_tables
from demo.ambassadors import DEMO_ACCOUNTS, DEMO_DOMAIN
from demo.data.french import fr, of
from demo.data.people import AUDIENCES, EXAMPLES, HELP, JOB_TITLES, SECTOR_HELP, SECTOR_OF, TOPIC_WORDS
from diagnostic.enums import Profile
from diagnostic.models import DiagnosticResult
from recruitment.enums import ApplicationState
from recruitment.models import Application, ApplicationMessage, Call, Review
from territories.models import Region

pytestmark = pytest.mark.django_db

UNSETTLED = {ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW, ApplicationState.CORRECTION_REQUESTED}
BAD_TYPOGRAPHY = re.compile(r"'| [:;!?]|« | »")


@pytest.fixture
def demo():
    call_command("load_demo_data", verbosity=0)


def _counts():
    return (
        Ambassador.objects.count(),
        Ambassador.objects.published().count(),
        User.objects.count(),
        Call.objects.count(),
        Application.objects.count(),
        Review.objects.count(),
        Event.objects.count(),
        CompanyRequest.objects.count(),
        RequestStep.objects.count(),
        DiagnosticResult.objects.count(),
        sorted(RegionTarget.objects.values_list("region_id", "target")),
    )


def _values():
    """Every value of the demo rows (pks included): what a second load must leave as it is."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Ambassador,
            Application,
            Review,
            ApplicationMessage,
            Event,
            ImportRun,
            CompanyRequest,
            RequestStep,
            DiagnosticResult,
        )
    ] + [list(User.objects.order_by("pk").values("pk", "first_name", "last_name", "date_joined"))]


def test_demo_data_is_realistic_and_loading_it_twice_changes_nothing(demo):
    first, values = _counts(), _values()
    call_command("load_demo_data", verbosity=0)
    assert _counts() == first
    assert _values() == values
    assert first[3:5] == (2, 173)
    assert first[6] == 60
    assert first[7] == 60
    assert first[9] == 400
    # Each region has a target, by population: the 300 of the plan, Île-de-France the largest.
    targets = dict(first[10])
    assert sum(targets.values()) == NATIONAL_TARGET and len(targets) == Region.objects.count()
    assert max(targets, key=targets.get) == "11" and min(targets.values()) >= 2
    assert set(DiagnosticResult.objects.values_list("profile", flat=True)) == set(Profile.values)
    assert set(CompanyRequest.objects.values_list("state", flat=True)) == set(RequestState.values)
    assert CompanyRequest.objects.filter(region_id__in=["84", "76"]).count() >= 30  # the demo coordinators
    assert Event.objects.public().filter(region_id="04", timezone="Indian/Reunion").exists()
    assert set(Application.objects.values_list("state", flat=True)) == set(ApplicationState.values)
    assert first[0] == 300
    # A third is not yet published.
    assert first[1] == 200
    assert {u.role for u in User.objects.all()} == set(Role.values)
    # Every region has published ambassadors; both profiles, all networks, all topics are used.
    for region in Region.objects.all():
        assert Ambassador.objects.published().filter(regions=region).exists(), region.name
    assert set(Ambassador.objects.values_list("kind", flat=True)) == {"grand_public", "sectoriel_regional"}
    assert Ambassador.objects.values("proposing_network").distinct().count() == 5
    assert Ambassador.objects.filter(is_france_num_activateur=True).exists()
    assert Ambassador.objects.filter(is_national=True).exists()
    # The demo ambassador account owns a profile.
    assert Ambassador.objects.filter(user__role=Role.AMBASSADOR).count() == 1


def test_demo_ambassadors_present_people_who_help_companies_with_ai(demo):
    ambassadors = list(Ambassador.objects.prefetch_related("sectors", "topics"))
    for a in ambassadors:
        assert a.job_title in JOB_TITLES, a.job_title
        for text in (a.job_title, a.structure_name, a.bio):
            assert not BAD_TYPOGRAPHY.search(text), text
        assert 2 <= a.bio.count(". ") + 1 <= 4, a.bio
        if a.kind == "sectoriel_regional":
            # The presentation says what the finder ranks on: each sector, and the first topics.
            for sector in a.sectors.all():
                phrases = [
                    fr(SECTOR_OF[sector.code]),
                    *(fr(p.removeprefix("les ")) for p in AUDIENCES[sector.code]),
                ]
                assert any(p in a.bio for p in phrases), (sector.code, a.bio)
            for topic in a.topics.all():
                t = topic.slug
                phrases = [*HELP[t], *(p for (_, slug), ps in SECTOR_HELP.items() if slug == t for p in ps)]
                phrases += [e.split("{")[0] for e in EXAMPLES[t]] + [f"volontiers {of(TOPIC_WORDS[t])}"]
                assert any(fr(p) in a.bio for p in phrases), (t, a.bio)
    assert len({a.bio for a in ambassadors}) == len(ambassadors)
    assert len({a.structure_name for a in ambassadors}) > 250
    # The finder's Occitanie industry practitioners say so.
    industry = Ambassador.objects.published().filter(
        sectors__code="C", topics__slug="production", regions="76"
    )
    assert industry.count() >= 3
    for a in industry:
        if [s.code for s in a.sectors.all()] == ["C"]:
            assert "maintenance" in a.bio or "machines" in a.bio or "production" in a.bio, a.bio


def test_demo_accounts_carry_the_names_of_their_profiles(demo):
    for local, first, last, role, _region, _network in DEMO_ACCOUNTS:
        user = User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
        assert (user.first_name, user.last_name, user.role) == (first, last, role)
    own = Ambassador.objects.get(user__role=Role.AMBASSADOR)
    assert (own.first_name, own.last_name) == (own.user.first_name, own.user.last_name)
    assert own.is_public and own.job_title.startswith("Consultante")  # Nora: the feminine title
    # Accounts exist before what they did.
    first_designation = min(Ambassador.objects.values_list("designated_at", flat=True))
    for user in User.objects.exclude(role=Role.AMBASSADOR):
        assert user.date_joined.date() <= first_designation
    assert own.designated_at <= own.user.date_joined.date() <= own.published_at.date()


def test_demo_ambassador_dates_follow_one_another(demo):
    now = timezone.now()
    for a in Ambassador.objects.all():
        assert a.designated_at == timezone.localtime(a.created_at).date(), a
        if a.consent_at:
            assert a.designated_at <= timezone.localtime(a.consent_at).date() and a.consent_at < now
        if a.published_at:
            assert a.consent_at is not None and a.consent_at <= a.published_at < now
            assert a.designated_at <= timezone.localtime(a.published_at).date()
        assert a.created_at <= a.updated_at < now
        assert max(filter(None, [a.created_at, a.consent_at, a.published_at])) <= a.updated_at
        assert a.designated_at >= timezone.localtime(a.designated_by.date_joined).date()


def test_demo_applications_are_settled_in_closed_calls_and_dated_within_their_call(demo):
    now = timezone.now()
    for call in Call.objects.all():
        applications = Application.objects.filter(call=call)
        assert applications.exists()
        if call.closes_at < now:
            assert not applications.filter(state__in=UNSETTLED).exists(), call
        assert call.created_at < call.opens_at
        for app in applications.prefetch_related("reviews"):
            assert call.opens_at <= app.submitted_at <= min(call.closes_at, now), app
            assert app.consent_at <= app.submitted_at <= app.updated_at < now
            if app.decided_at:
                assert timedelta(days=1) < app.decided_at - app.submitted_at < timedelta(days=40), app
                assert app.decided_at <= app.updated_at < now and app.decision_reason and app.decided_by
            else:
                assert app.state in UNSETTLED | {ApplicationState.WITHDRAWN}
            for review in app.reviews.all():
                assert app.submitted_at < review.created_at <= (app.decided_at or now), review
            if app.state == ApplicationState.DESIGNATED:
                # The profile was created by the designation, from the application.
                ambassador = app.ambassador
                assert ambassador.created_at == app.decided_at
                assert (ambassador.first_name, ambassador.last_name) == (app.first_name, app.last_name)
                assert ambassador.contact_email == app.email and ambassador.designated_by == app.decided_by


def test_demo_events_are_written_and_moderated_before_they_start(demo):
    now = timezone.now()
    for event in Event.objects.prefetch_related("ambassadors"):
        assert event.created_at <= event.updated_at < now, event
        assert event.created_at < event.starts_at <= event.ends_at, event
        if event.starts_at > now:
            assert event.updated_at < event.starts_at
        if event.moderation != Moderation.PUBLISHED:
            assert event.starts_at > now  # nobody left a past event waiting
        for ambassador in event.ambassadors.all():
            assert ambassador.is_public and ambassador.published_at < event.created_at
    assert Event.objects.filter(starts_at__lt=now).dates("starts_at", "month").count() >= 7
    assert Event.objects.filter(source__isnull=False).exists()
    assert Event.objects.filter(created_by__role=Role.AMBASSADOR, moderation=Moderation.SUBMITTED).exists()


def test_demo_request_histories_are_dated_like_their_requests(demo):
    now = timezone.now()
    for request in CompanyRequest.objects.prefetch_related("steps").select_related("ambassador"):
        steps = list(request.steps.all())
        assert steps[0].action == StepAction.CREATED and steps[0].at == request.created_at
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        assert all(request.created_at <= s.at < now for s in steps)
        assert [s.state_to for s in steps if s.state_to][-1] == request.state
        assert request.consent_at == request.created_at <= request.assigned_at < now
        assert request.ambassador.published_at < request.created_at
        if request.taken_at:
            assert request.assigned_at <= request.taken_at < request.assigned_at + timedelta(days=7)
        if request.answered_at:
            assert request.taken_at < request.answered_at < request.taken_at + timedelta(days=8)
        if request.closed_at:
            assert request.state == RequestState.CLOSED and request.closed_at > request.created_at
        if request.feedback_at:
            assert request.closed_at < request.feedback_at < now
        if request.state in OPEN_STATES:
            assert now - max(s.at for s in steps) < timedelta(days=60)  # nothing idle for six months


def test_demo_diagnostics_are_spread_over_months(demo):
    days = list(DiagnosticResult.objects.values_list("created_on", flat=True))
    assert max(days) < timezone.localdate()
    assert len({(d.year, d.month) for d in days}) >= 7


def test_demo_dashboard_figures_are_plausible(demo):
    scope = Scope()
    for row in recruitment_by_call(scope).rows:
        assert 7 <= row[-1] <= 30, row  # median days from application to decision
    followup, _ = requests_tables(scope)
    received, taken, answered, delay, unanswered = followup.footer[1:]
    assert 0.6 <= taken / received <= 0.95 and 0.4 <= answered / received <= 0.8
    assert 2 <= delay <= 48  # hours before a request is taken (median)
    assert 1 <= unanswered <= received / 10
    for figure in region_figures(scope):
        assert figure.designated <= 1.5 * figure.target, figure
        assert figure.published <= figure.designated
    overseas = [f for f in region_figures(scope) if f.is_overseas]
    assert sum(f.designated for f in overseas) < sum(
        f.target for f in overseas
    )  # what the second call is for


@pytest.mark.parametrize("day", ["2026-03-10", "2027-06-15"])
def test_demo_is_coherent_whatever_day_it_is_loaded(day):
    """Loaded early (a short history; the day after summer time ended falls in it) or long after: the same rules."""
    checks = [
        test_demo_data_is_realistic_and_loading_it_twice_changes_nothing,
        test_demo_ambassadors_present_people_who_help_companies_with_ai,
        test_demo_accounts_carry_the_names_of_their_profiles,
        test_demo_ambassador_dates_follow_one_another,
        test_demo_applications_are_settled_in_closed_calls_and_dated_within_their_call,
        test_demo_events_are_written_and_moderated_before_they_start,
        test_demo_request_histories_are_dated_like_their_requests,
        test_demo_diagnostics_are_spread_over_months,
        test_demo_dashboard_figures_are_plausible,
    ]
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime.fromisoformat(f"{day}T10:00:00+00:00")
    ):
        call_command("load_demo_data", verbosity=0)
        for check in checks:
            check(None)
