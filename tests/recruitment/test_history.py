"""The history of an application (``ApplicationStep``): one row per move of the workflow, written with the move,
none for a refused one; shown to the team on the application's page; never the reason nor the correction's
message; erased with the application."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment import services, workflow
from recruitment.enums import ApplicationState as S
from recruitment.models import Application, ApplicationStep
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.recruitment.conftest import application_data

pytestmark = pytest.mark.django_db

REASON = "Profil très pertinent pour les PME industrielles."
MESSAGE = "Précisez votre expérience de l’IA dans votre entreprise."


def steps(application):
    return list(
        ApplicationStep.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("action", "state_from", "state_to", "actor")
    )


def test_submission_is_the_first_step():
    call = CallFactory()
    application = services.application_submit(call=call, data=application_data(call))
    assert steps(application) == [("submit", "", S.SUBMITTED, None)]


def test_each_move_writes_one_step_with_its_states_and_actor():
    national = UserFactory(national=True)
    reviewer = UserFactory(reviewer=True)
    application = ApplicationFactory()
    services.review_save(application=application, by=reviewer, score=4, recommendation="discuss", comment="")
    services.application_transition(
        application=application, action="request_correction", by=reviewer, reason=MESSAGE
    )
    services.application_transition(application=application, action="resume", by=national)
    services.application_transition(application=application, action="decline", by=national, reason=REASON)
    services.application_transition(application=application, action="reopen", by=national)
    services.application_transition(
        application=application, action="request_correction", by=national, reason=MESSAGE
    )
    services.application_transition(application=application, action="return_correction", by=None)
    services.application_transition(application=application, action="designate", by=national, reason=REASON)

    assert steps(application) == [
        ("start_review", S.SUBMITTED, S.UNDER_REVIEW, reviewer.pk),
        ("request_correction", S.UNDER_REVIEW, S.CORRECTION_REQUESTED, reviewer.pk),
        ("resume", S.CORRECTION_REQUESTED, S.UNDER_REVIEW, national.pk),
        ("decline", S.UNDER_REVIEW, S.DECLINED, national.pk),
        ("reopen", S.DECLINED, S.UNDER_REVIEW, national.pk),
        ("request_correction", S.UNDER_REVIEW, S.CORRECTION_REQUESTED, national.pk),
        ("return_correction", S.CORRECTION_REQUESTED, S.UNDER_REVIEW, None),
        ("designate", S.UNDER_REVIEW, S.DESIGNATED, national.pk),
    ]


@pytest.mark.parametrize("action", list(workflow.WORKFLOW.actions))
def test_every_action_of_the_table_writes_exactly_one_step(action):
    """Each action, from each state it starts from, by one of its actors."""
    move = workflow.WORKFLOW[action]
    for state in sorted(move.froms):
        due = timezone.localdate() + timedelta(days=3) if state == S.CORRECTION_REQUESTED else None
        application = ApplicationFactory(state=state, correction_due_on=due)
        kind = sorted(move.who)[0]
        by = {
            workflow.COORDINATOR: UserFactory(national=True),
            workflow.REVIEWER: UserFactory(reviewer=True),
        }.get(kind)
        services.application_transition(application=application, action=action, by=by, reason=REASON)
        assert steps(application) == [(action, state, move.to, by.pk if by else None)]


def test_a_refused_move_writes_no_step():
    application = ApplicationFactory(under_review=True)
    with pytest.raises(services.NotAllowed):  # not a reviewer's decision
        services.application_transition(
            application=application, action="designate", by=UserFactory(reviewer=True), reason=REASON
        )
    with pytest.raises(services.RecruitmentError):  # not from this state
        services.application_transition(
            application=application, action="reopen", by=UserFactory(national=True)
        )
    with pytest.raises(services.RecruitmentError):  # a decision without its reason
        services.application_transition(
            application=application, action="decline", by=UserFactory(national=True)
        )
    with pytest.raises(services.Conflict):  # someone decided meanwhile
        services.application_transition(
            application=application,
            action="decline",
            by=UserFactory(national=True),
            reason=REASON,
            expected_version=application.version + 1,
        )
    assert steps(application) == []


def test_a_designation_refused_for_a_taken_email_writes_no_step():
    application = ApplicationFactory(under_review=True)
    UserFactory(national=True, email=application.email)
    with pytest.raises(services.EmailTaken):
        services.application_transition(
            application=application, action="designate", by=UserFactory(national=True), reason=REASON
        )
    assert steps(application) == []


def test_the_step_keeps_neither_the_reason_nor_the_message_only_the_date_limit():
    application = ApplicationFactory(under_review=True)
    national = UserFactory(national=True)
    due = timezone.localdate() + timedelta(days=10)
    services.application_transition(
        application=application,
        action="request_correction",
        by=national,
        reason=MESSAGE,
        correction_due_on=due,
    )
    services.application_transition(application=application, action="decline", by=national, reason=REASON)
    notes = list(ApplicationStep.objects.filter(application=application).values_list("note", flat=True))
    assert notes[0].startswith("À corriger au plus tard le ")
    assert str(due.year) in notes[0]
    assert notes[1] == ""
    assert not any(MESSAGE in n or REASON in n for n in notes)


def test_the_team_sees_the_history_on_the_application(client):
    national = UserFactory(national=True, first_name="Nadia", last_name="Nationale")
    call = CallFactory()
    application = services.application_submit(call=call, data=application_data(call))
    services.application_transition(
        application=application, action="rule_ineligible", by=national, reason="Hors du champ de l’appel."
    )
    client.force_login(UserFactory(regional=True))
    body = client.get(f"/espace/candidatures/{application.pk}/").content.decode()
    history = body[body.index('id="historique"') :]
    assert "Candidature déposée" in history
    assert "Classée irrecevable par Nadia Nationale (déposée → irrecevable)" in history


def test_the_history_is_erased_with_the_application():
    application = ApplicationFactory(under_review=True)
    services.application_transition(application=application, action="withdraw", by=None)
    assert steps(application)
    services.application_erase(application=application)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not ApplicationStep.objects.filter(application_id=application.pk).exists()


def test_the_migration_rebuilds_the_history_of_earlier_applications_from_the_audit_log():
    """Applications that existed before the history get it from their submission date and their moves' audit
    entries: the same rows the moves write now."""
    from django.apps import apps

    backfill = importlib.import_module("recruitment.migrations.0007_application_step_backfill").backfill
    national = UserFactory(national=True)
    reviewer = UserFactory(reviewer=True)
    first, second = ApplicationFactory(), ApplicationFactory()  # the factory writes no step, like before
    services.review_save(application=first, by=reviewer, score=4, recommendation="discuss", comment="")
    services.application_transition(
        application=first, action="request_correction", by=reviewer, reason=MESSAGE
    )
    services.application_transition(application=first, action="resume", by=national)
    services.application_transition(application=first, action="decline", by=national, reason=REASON)
    services.application_transition(application=first, action="reopen", by=national)
    services.application_transition(
        application=first, action="request_correction", by=national, reason=MESSAGE
    )
    services.application_transition(application=first, action="return_correction", by=None)
    services.application_transition(application=second, action="withdraw", by=None)
    services.application_message_send(application=first, by=reviewer, body="Merci.")  # not a move

    def rows(application):
        return list(
            ApplicationStep.objects.filter(application=application)
            .order_by("at", "pk")
            .values_list("action", "state_from", "state_to", "actor", "note")
        )

    written = {a.pk: rows(a) for a in (first, second)}
    ApplicationStep.objects.all().delete()
    backfill(apps, None)

    for application in (first, second):
        assert rows(application) == [("submit", "", S.SUBMITTED, None, "")] + written[application.pk]
        assert ApplicationStep.objects.filter(application=application).first().at == application.submitted_at
    backfill(apps, None)  # once only
    assert ApplicationStep.objects.filter(application=first).count() == 1 + len(written[first.pk])
