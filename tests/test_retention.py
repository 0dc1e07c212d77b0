"""The daily retention job carries out every period of the register (docs/personal-data.md), tested by moving the
clock: just before each period everything is kept, just after it is gone. Each domain's own tests check the details
(what an erasure keeps); this one checks that the one daily job runs them all."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from ambassadors.models import Ambassador
from api.models import ApiKey
from api.services import api_key_issue, api_key_revoke
from contact.enums import RequestState
from contact.models import CompanyRequest
from core.models import AuditEntry
from core.retention import apply_retention
from core.services import audit_log
from core.tasks import apply_retention as apply_retention_task
from recruitment.models import Application
from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory, ApplicationFactory, CallFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture
def held():
    """One of each kind of personal data, every one reaching its retention period one day from ``now``."""
    now = timezone.now()
    national = UserFactory(national=True)
    ended = AmbassadorFactory(
        consented=True, regions=["84"], mandate_ended_at=now - timedelta(days=365) + DAY
    )
    closes_at = now - timedelta(days=2 * 365) + DAY
    call = CallFactory(opens_at=closes_at - timedelta(days=30), closes_at=closes_at)
    application = ApplicationFactory(call=call)
    request = CompanyRequestFactory(state=RequestState.CLOSED, closed_at=now - timedelta(days=365) + DAY)
    key, _ = api_key_issue(
        by=national, name="Partenaire", contact_email="contact@partenaire.test", regions=[]
    )
    api_key_revoke(by=national, key=key)
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=now - timedelta(days=365) + DAY)
    dormant = UserFactory(email="dormant@exemple.test")
    User.objects.filter(pk=dormant.pk).update(last_login=None, date_joined=now - timedelta(days=365) + DAY)
    AccessLog.objects.create(ip_address="203.0.113.5", username="x@exemple.test", user_agent="navigateur")
    AccessLog.objects.update(attempt_time=now - timedelta(days=30) + DAY)
    entry = audit_log(actor=national, action="test", obj=national)
    AuditEntry.objects.filter(pk=entry.pk).update(at=now - timedelta(days=5 * 365 + 2) + DAY)
    LogEntry.objects.create(
        user=national,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(national.pk),
        object_repr="Bérénice Quintal",
        action_flag=CHANGE,
        change_message="[]",
    )
    LogEntry.objects.update(action_time=now.replace(year=now.year - 5) + DAY)
    session = SessionStore()
    session["k"] = "v"
    session.create()
    Session.objects.filter(pk=session.session_key).update(expire_date=now + DAY)
    DBTaskResult.objects.create(
        task_path="core.tasks.apply_retention",
        args_kwargs={"args": [], "kwargs": {}},
        status="SUCCESSFUL",
        finished_at=now - timedelta(days=30) + DAY,
        backend_name="default",
        queue_name="default",
        priority=0,
    )
    return {
        "ended": ended.pk,
        "application": application.pk,
        "request": request.pk,
        "key": key.pk,
        "dormant": dormant.pk,
        "entry": entry.pk,
        "now": now,
    }


def _still_held(held) -> dict:
    return {
        "profil": Ambassador.objects.filter(pk=held["ended"], erased_at__isnull=True).exists(),
        "candidature": Application.objects.filter(pk=held["application"]).exists(),
        "demande": CompanyRequest.objects.filter(pk=held["request"], anonymised_at__isnull=True).exists(),
        "contact de clé": ApiKey.objects.filter(pk=held["key"]).exclude(contact_email="").exists(),
        "compte": User.objects.filter(pk=held["dormant"]).exists(),
        "connexions": AccessLog.objects.exists(),
        "journal": AuditEntry.objects.filter(pk=held["entry"]).exists(),
        "historique de l’administration": LogEntry.objects.exists(),
        "session": Session.objects.exists(),
        "tâches": DBTaskResult.objects.exists(),
    }


def test_retention_keeps_everything_before_its_period(held):
    apply_retention(now=held["now"])
    assert _still_held(held) == dict.fromkeys(_still_held(held), True)


def test_retention_erases_everything_past_its_period(held):
    done = apply_retention(now=held["now"] + 2 * DAY)
    assert _still_held(held) == dict.fromkeys(_still_held(held), False), done


def test_retention_runs_from_the_command_and_the_task(held):
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "ambassadors.data_rights.ambassadors_erase_expired : 0" in out.getvalue()
    assert _still_held(held)["compte"]  # today: nothing due
    result = apply_retention_task.call()
    assert "accounts.services.accounts_purge" in result
