"""Follow-up of company requests: the reminders at 5 and 10 days (time moved, not slept), to whom, once each, and
after a reassignment or a taking."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact import services
from contact.enums import StepAction
from contact.models import CompanyRequest
from tests.contact.conftest import expert, regional
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reminder_after_5_days_alert_after_10_each_once(smtp_inbox, django_capture_on_commit_callbacks):
    coordinator = regional("76")
    ambassador = expert()
    start = timezone.now()
    req = CompanyRequestFactory(ambassador=ambassador, assigned_at=start)
    taken = CompanyRequestFactory(ambassador=ambassador, assigned_at=start)
    services.request_transition(request=taken, by=ambassador.user, action="take")

    def run(days):
        with django_capture_on_commit_callbacks(execute=True):
            return services.requests_send_reminders(now=start + timedelta(days=days))

    assert run(4.9) == {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 0}
    assert run(5) == {"rappels": 1, "alertes": 0, "rappels_prises_en_charge": 0}
    assert run(6) == {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 0}
    assert run(9.9) == {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 0}
    assert run(10) == {"rappels": 0, "alertes": 1, "rappels_prises_en_charge": 0}
    assert run(12) == {
        "rappels": 0,
        "alertes": 0,
        "rappels_prises_en_charge": 1,
    }  # the one taken at the start

    [reminder, _taken_reminder] = smtp_inbox.to(ambassador.contact_email)
    assert reminder["Subject"] == f"Rappel : une entreprise attend votre réponse (demande n° {req.pk})"
    [alert] = smtp_inbox.to(coordinator.email)
    assert alert["Subject"] == f"Demande sans réponse depuis 10 jours (n° {req.pk}, Occitanie)"
    assert req.email not in smtp_inbox.body(alert)  # the coordinators' alert carries no personal data
    assert list(req.steps.values_list("action", flat=True)) == [StepAction.REMINDED, StepAction.ESCALATED]


def test_alert_goes_to_national_coordination_when_region_has_none(
    smtp_inbox, django_capture_on_commit_callbacks
):
    national = UserFactory(national=True)
    req = CompanyRequestFactory(assigned_at=timezone.now() - timedelta(days=10))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_requests", verbosity=0)

    assert smtp_inbox.to(national.email)
    req.refresh_from_db()
    assert req.escalated_at is not None


# Reminders: a reassignment restarts them for the new ambassador; what was read before a change is not sent.


def test_reassigned_request_new_ambassador_reminded_5_days_after_the_new_assignment(
    smtp_inbox, django_capture_on_commit_callbacks
):
    first, second = expert(), expert()
    regional("76")
    req = CompanyRequestFactory(ambassador=first, assigned_at=timezone.now() - timedelta(days=6))

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return services.requests_send_reminders(now=now)

    assert run(timezone.now())["rappels"] == 1  # the first ambassador, 6 days after
    services.request_transition(
        request=CompanyRequest.objects.get(pk=req.pk),
        by=regional("76"),
        action="reassign",
        to_ambassador=second,
    )
    req.refresh_from_db()
    again = req.assigned_at

    assert run(again + timedelta(days=4.9)) == {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 0}
    assert run(again + timedelta(days=5)) == {"rappels": 1, "alertes": 0, "rappels_prises_en_charge": 0}
    assert run(again + timedelta(days=10)) == {"rappels": 0, "alertes": 1, "rappels_prises_en_charge": 0}

    reminders = [m for m in smtp_inbox.messages if m["Subject"].startswith("Rappel")]
    assert [m["X-Envelope-To"] for m in reminders] == [first.contact_email, second.contact_email]


def test_reminder_read_before_a_reassignment_or_a_taking_is_not_sent(
    smtp_inbox, django_capture_on_commit_callbacks
):
    first, second = expert(), expert()
    long_ago = timezone.now() - timedelta(days=11)
    reassigned = CompanyRequestFactory(ambassador=first, assigned_at=long_ago)
    taken = CompanyRequestFactory(ambassador=first, assigned_at=long_ago)
    # What the reminders' job read, just before a coordinator and the ambassador acted.
    stale = {r.pk: r for r in CompanyRequest.objects.select_related("ambassador", "region")}
    services.request_transition(
        request=reassigned, by=regional("76"), action="reassign", to_ambassador=second
    )
    services.request_transition(request=taken, by=first.user, action="take")

    with django_capture_on_commit_callbacks(execute=True):
        sent = [
            services._remind(r, timezone.now()) or services._escalate(r, timezone.now())
            for r in stale.values()
        ]

    assert sent == [False, False]
    assert smtp_inbox.messages == []
    for req in (reassigned, taken):
        req.refresh_from_db()
        assert (req.reminded_at, req.escalated_at) == (None, None)


def test_taken_but_never_answered_is_reminded_after_10_days_once_and_listed_for_coordinators(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = regional("76")
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)
    services.request_transition(request=req, by=ambassador.user, action="take")
    listing = "/espace/demandes/?sans-reponse=1"
    client.force_login(coordinator)
    assert f"/espace/demandes/{req.pk}/" not in client.get(listing).content.decode()

    def run(days):
        with django_capture_on_commit_callbacks(execute=True):
            return services.requests_send_reminders(now=req.taken_at + timedelta(days=days))

    assert run(9.9) == {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 0}
    assert run(10) == {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 1}
    assert run(15) == {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 0}

    [mail] = smtp_inbox.to(ambassador.contact_email)
    assert mail["Subject"] == f"Rappel : avez-vous pu échanger avec l’entreprise ? (demande n° {req.pk})"
    assert list(req.steps.values_list("action", flat=True)) == ["taken", "reminded"]
    CompanyRequest.objects.filter(pk=req.pk).update(taken_at=timezone.now() - timedelta(days=10, minutes=1))
    assert f"/espace/demandes/{req.pk}/" in client.get(listing).content.decode()
