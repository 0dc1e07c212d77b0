from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from recruitment.models import Application, Review
from recruitment.tasks import purge_expired_applications
from tests.factories import ApplicationFactory, CallFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_applications_are_erased_two_years_after_their_call_closed():
    old_call = CallFactory(
        opens_at=timezone.now() - timedelta(days=900), closes_at=timezone.now() - timedelta(days=2 * 365 + 1)
    )
    recent_call = CallFactory(closed=True)
    old = ApplicationFactory(call=old_call)
    ReviewFactory(application=old)
    kept = ApplicationFactory(call=recent_call)
    call_command("purge_applications", verbosity=0)
    assert list(Application.objects.all()) == [kept]
    assert not Review.objects.filter(application_id=old.pk).exists()


def test_purge_task_runs_the_same_service():
    old_call = CallFactory(
        opens_at=timezone.now() - timedelta(days=900), closes_at=timezone.now() - timedelta(days=2 * 365 + 1)
    )
    ApplicationFactory(call=old_call)
    result = purge_expired_applications.enqueue()
    assert result.return_value == 1
    assert not Application.objects.exists()
