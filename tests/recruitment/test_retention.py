import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry
from core.services import audit_log
from recruitment import services
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


def test_purge_anonymises_the_audit_entries_of_erased_applications(national):
    old_call = CallFactory(
        opens_at=timezone.now() - timedelta(days=900), closes_at=timezone.now() - timedelta(days=2 * 365 + 1)
    )
    old = ApplicationFactory(
        call=old_call,
        under_review=True,
        first_name="Odile",
        last_name="Effacée",
        email="odile.effacee@exemple.test",
        phone="06 55 44 33 22",
    )
    ReviewFactory(application=old, reviewer=national)
    reason = "Odile Effacée (odile.effacee@exemple.test, 06 55 44 33 22) n’est pas disponible."
    services.application_transition(application=old, action="decline", by=national, reason=reason)
    kept = ApplicationFactory(call=CallFactory(closed=True), under_review=True, first_name="Gardée")
    services.application_transition(application=kept, action="decline", by=national, reason="Motif gardé.")
    audit_log(
        actor=national, action="review.create", obj=old, changes={"note": 2, "recommandation": "decline"}
    )

    assert services.applications_purge_expired() == 1

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=str(old.pk)
    )
    assert entries.count() == 2
    for entry in entries:
        text = entry.object_repr + json.dumps(entry.changes, ensure_ascii=False)
        for personal in ("Odile", "Effacée", "odile.effacee", "06 55 44 33 22"):
            assert personal not in text
        assert entry.object_repr == f"Candidature n° {old.pk} (effacée)"
        assert entry.actor == national  # who decided what stays
    decision = entries.get(action="application.declined")
    assert decision.changes == {"de": "under_review", "vers": "declined", "motif": "[effacé]"}
    review = entries.get(action="review.create")
    assert review.changes == {"note": 2, "recommandation": "decline"}

    untouched = AuditEntry.objects.get(action="application.declined", object_id=str(kept.pk))
    assert "Gardée" in untouched.object_repr
    assert untouched.changes["motif"] == "Motif gardé."
