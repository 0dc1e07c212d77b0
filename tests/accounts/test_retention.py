"""Retention of accounts (while active, then a year), login records (30 days) and the audit log (five years),
each tested by moving the clock: just past the period erased, just before it kept."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.utils import timezone

from accounts import services
from accounts.enums import Role
from accounts.models import User
from accounts.tasks import purge_accounts
from core.models import AuditEntry
from core.services import audit_log, audit_purge_expired, years_before
from tests.factories import AmbassadorFactory, ApplicationFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _seen(user, when):
    User.objects.filter(pk=user.pk).update(last_login=when, date_joined=when - timedelta(days=10))


def _ids():
    return set(User.objects.values_list("pk", flat=True))


def test_an_unused_account_without_profile_is_deleted_after_a_year_and_kept_before():
    now = timezone.now()
    user = UserFactory()  # an ambassador account whose profile is gone
    _seen(user, now)
    assert services.accounts_purge_inactive(now=now + timedelta(days=364)) == {"deleted": 0, "kept": 0}
    assert user.pk in _ids()
    assert services.accounts_purge_inactive(now=now + timedelta(days=366)) == {"deleted": 1, "kept": 0}
    assert user.pk not in _ids()


def test_an_account_never_logged_in_counts_from_its_creation():
    now = timezone.now()
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(last_login=None, date_joined=now)
    services.accounts_purge_inactive(now=now + timedelta(days=364))
    assert user.pk in _ids()
    services.accounts_purge_inactive(now=now + timedelta(days=366))
    assert user.pk not in _ids()


def test_an_active_coordinator_is_never_deleted_a_deactivated_one_is():
    now = timezone.now()
    active = UserFactory(national=True)
    regional = UserFactory(regional=True)
    gone = UserFactory(regional=True, is_active=False)
    superuser = UserFactory(national=True, is_superuser=True, is_active=False)
    for user in (active, regional, gone, superuser):
        _seen(user, now - timedelta(days=3 * 365))
    services.accounts_purge_inactive(now=now)
    assert _ids() == {active.pk, regional.pk, superuser.pk}


def test_an_ambassador_account_with_a_profile_goes_only_with_the_profile():
    now = timezone.now()
    ambassador = AmbassadorFactory(user=UserFactory())
    _seen(ambassador.user, now - timedelta(days=3 * 365))
    services.accounts_purge_inactive(now=now)
    assert ambassador.user_id in _ids()


def test_a_reviewer_whose_opinions_are_kept_is_deactivated_then_deleted_later():
    now = timezone.now()
    reviewer = UserFactory(reviewer=True)
    review = ReviewFactory(application=ApplicationFactory(), reviewer=reviewer)
    _seen(reviewer, now - timedelta(days=400))
    assert services.accounts_purge_inactive(now=now) == {"deleted": 0, "kept": 1}
    reviewer.refresh_from_db()
    assert not reviewer.is_active
    review.application.delete()  # the application's own retention erases it with its reviews
    assert services.accounts_purge_inactive(now=now) == {"deleted": 1, "kept": 0}


def test_deleting_an_ambassador_account_unnames_its_audit_entries_a_coordinator_keeps_its_own():
    now = timezone.now()
    person = UserFactory(email="ancien.ambassadeur@exemple.test")
    coordinator = UserFactory(national=True, is_active=False, email="ancienne.coordinatrice@exemple.test")
    target = AmbassadorFactory()
    audit_log(actor=person, action="ambassador.consent_given", obj=target)
    audit_log(actor=coordinator, action="ambassador.publish", obj=target)
    for user in (person, coordinator):
        _seen(user, now - timedelta(days=400))
    services.accounts_purge_inactive(now=now)
    labels = set(AuditEntry.objects.values_list("actor_label", flat=True))
    assert labels == {f"Compte n° {person.pk} (effacé)", "ancienne.coordinatrice@exemple.test"}


def _login_record(model, when, username="quelquun@exemple.test"):
    extra = {"failures_since_start": 1} if model is AccessAttempt else {}
    record = model.objects.create(
        user_agent="Firefox",
        ip_address="203.0.113.7",
        username=username,
        http_accept="*/*",
        path_info="/",
        **extra,
    )
    model.objects.filter(pk=record.pk).update(attempt_time=when)
    return record


@pytest.mark.parametrize("model", [AccessAttempt, AccessFailureLog, AccessLog])
def test_login_records_are_deleted_after_30_days_and_kept_before(model):
    now = timezone.now()
    _login_record(model, now)
    assert services.login_records_purge(now=now + timedelta(days=29)) == 0
    assert model.objects.count() == 1
    assert services.login_records_purge(now=now + timedelta(days=31)) == 1
    assert model.objects.count() == 0


def test_audit_entries_are_deleted_after_five_years_and_kept_before():
    now = timezone.now()
    entry = audit_log(actor=None, action="ambassador.publish", obj=AmbassadorFactory())
    AuditEntry.objects.filter(pk=entry.pk).update(at=now)
    later = years_before(now, -5)
    assert audit_purge_expired(now=later - timedelta(days=1)) == 0
    assert AuditEntry.objects.count() == 1
    assert audit_purge_expired(now=later + timedelta(days=1)) == 1
    assert AuditEntry.objects.count() == 0


def test_five_years_before_the_29th_of_february_is_the_28th():
    leap = timezone.now().replace(year=2028, month=2, day=29)
    assert years_before(leap, 5).date().isoformat() == "2023-02-28"


def test_purge_task_and_command_run_the_same_services():
    old = timezone.now() - timedelta(days=400)
    for _ in range(2):
        _seen(UserFactory(), old)
    _login_record(AccessLog, timezone.now() - timedelta(days=40))
    result = purge_accounts.enqueue().return_value
    assert result == {
        "accounts_deleted": 2,
        "accounts_kept": 0,
        "login_records_deleted": 1,
        "audit_entries_deleted": 0,
    }
    _seen(UserFactory(), old)
    call_command("purge_accounts", verbosity=0)
    assert not User.objects.filter(role=Role.AMBASSADOR).exists()


def test_erasing_an_ambassador_erases_their_login_records():
    from ambassadors.data_rights import ambassador_erase

    ambassador = AmbassadorFactory(user=UserFactory(email="trace@exemple.test"))
    _login_record(AccessLog, timezone.now(), username="trace@exemple.test")
    _login_record(AccessLog, timezone.now(), username="autre@exemple.test")
    ambassador_erase(ambassador=ambassador)
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["autre@exemple.test"]


def test_deleting_an_ambassador_account_in_the_admin_erases_it_like_the_job(client):
    person = UserFactory(email="gaspard.effacable@exemple.test")
    audit_log(actor=person, action="ambassador.edit", obj=person)
    AccessLog.objects.create(ip_address="203.0.113.7", username=person.email, user_agent="navigateur")
    client.force_login(UserFactory(is_superuser=True, is_staff=True, national=True))

    response = client.post(f"/admin/accounts/user/{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(actor_label__icontains="gaspard").exists()
    assert not AccessLog.objects.filter(username=person.email).exists()
