"""The one transition table, who may take each move, the audit log, the decision emails, concurrent deciders
and bulk decisions."""

import itertools
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import AuditEntry
from recruitment import services, workflow
from recruitment.enums import ApplicationState as S
from recruitment.models import Application
from territories.models import Region
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIONS = list(workflow.WORKFLOW.actions)
ALL_PAIRS = list(itertools.product(S.values, ACTIONS))
REASON = "Profil très pertinent pour les PME industrielles."
DECIDE = {S.DESIGNATED: "designate", S.DECLINED: "decline", S.INELIGIBLE: "rule_ineligible"}


def make_actor(kind):
    """A user holding ``kind`` for an application of 84 proposed by the CCI (the factory's default)."""
    if kind == workflow.COORDINATOR:
        return UserFactory(national=True)
    if kind == workflow.REVIEWER:
        return UserFactory(reviewer=True)
    return None  # the applicant, through the private link


def audit_actions(application):
    return list(
        AuditEntry.objects.filter(object_id=str(application.pk), action__startswith="application.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# The table


@pytest.mark.parametrize(("frm", "action"), ALL_PAIRS, ids=[f"{a}-{b}" for a, b in ALL_PAIRS])
def test_transition_table_accepts_exactly_listed_moves_for_right_actor(frm, action):
    # A correction requested is open until its date (the applicant's return is refused after it).
    due = timezone.localdate() + timedelta(days=3) if frm == S.CORRECTION_REQUESTED else None
    application = ApplicationFactory(state=frm, correction_due_on=due)
    move = workflow.WORKFLOW[action]
    needed = move.who if frm in move.froms else frozenset()
    for kind in (workflow.COORDINATOR, workflow.REVIEWER, workflow.APPLICANT):
        allowed = kind in needed or (workflow.REVIEWER in needed and kind == workflow.COORDINATOR)
        assert workflow.may(kind, action, frm) == allowed
        if allowed:
            continue
        # Refused: a move the table does not hold (RecruitmentError), or not this actor's (NotAllowed, a 403).
        with pytest.raises((services.RecruitmentError, services.NotAllowed)):
            services.application_transition(
                application=application, action=action, by=make_actor(kind), reason=REASON
            )
        application.refresh_from_db()
        assert application.state == frm, kind
    assert audit_actions(application) == []

    for n, kind in enumerate(sorted(needed), start=1):
        # Each actor of the move takes it, on a fresh application.
        application = ApplicationFactory(state=frm, correction_due_on=due) if n > 1 else application
        result = services.application_transition(
            application=application, action=action, by=make_actor(kind), reason=REASON
        )
        application.refresh_from_db()
        assert result.state == application.state == move.to
        assert application.version == 2
        assert audit_actions(application) == [f"application.{move.to}"]


def test_unknown_action_is_refused():
    application = ApplicationFactory(under_review=True)
    with pytest.raises(services.RecruitmentError):
        services.application_transition(
            application=application, action="designated", by=UserFactory(national=True), reason=REASON
        )
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_transition_table_is_the_documented_one():
    moves = workflow.WORKFLOW.pairs()
    assert set(moves) == {
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.SUBMITTED, S.INELIGIBLE),
        (S.UNDER_REVIEW, S.DESIGNATED),
        (S.UNDER_REVIEW, S.DECLINED),
        (S.UNDER_REVIEW, S.INELIGIBLE),
        (S.DECLINED, S.UNDER_REVIEW),
        (S.INELIGIBLE, S.UNDER_REVIEW),
        (S.SUBMITTED, S.WITHDRAWN),
        (S.UNDER_REVIEW, S.WITHDRAWN),
        (S.SUBMITTED, S.CORRECTION_REQUESTED),
        (S.UNDER_REVIEW, S.CORRECTION_REQUESTED),
        (S.CORRECTION_REQUESTED, S.CORRECTION_REQUESTED),
        (S.CORRECTION_REQUESTED, S.UNDER_REVIEW),
        (S.CORRECTION_REQUESTED, S.DESIGNATED),
        (S.CORRECTION_REQUESTED, S.DECLINED),
        (S.CORRECTION_REQUESTED, S.INELIGIBLE),
        (S.CORRECTION_REQUESTED, S.WITHDRAWN),
    }
    C, R, A = workflow.COORDINATOR, workflow.REVIEWER, workflow.APPLICANT
    for decision in workflow.DECISIONS:
        assert moves[(S.UNDER_REVIEW, decision)] == {C}
        assert moves[(S.CORRECTION_REQUESTED, decision)] == {C}
    # A correction is asked by whoever reviews; it ends in review by the applicant's correction, or by the team
    # taking the examination back up (« Reprendre l’examen »).
    assert moves[(S.UNDER_REVIEW, S.CORRECTION_REQUESTED)] == {R}
    assert moves[(S.CORRECTION_REQUESTED, S.UNDER_REVIEW)] == {A, R}
    assert moves[(S.CORRECTION_REQUESTED, S.WITHDRAWN)] == {A}
    assert moves[(S.SUBMITTED, S.WITHDRAWN)] == {A}
    assert moves[(S.UNDER_REVIEW, S.WITHDRAWN)] == {A}


@pytest.mark.parametrize("to", [S.DESIGNATED, S.DECLINED, S.INELIGIBLE])
@pytest.mark.parametrize("reason", ["", "   "])
def test_decision_without_reason_is_refused(national, to, reason):
    application = ApplicationFactory(under_review=True)
    with pytest.raises(services.RecruitmentError) as exc:
        services.application_transition(
            application=application, action=DECIDE[to], by=national, reason=reason
        )
    assert "motif" in str(exc.value)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert audit_actions(application) == []


@pytest.mark.parametrize("to", [S.DESIGNATED, S.DECLINED, S.INELIGIBLE])
def test_reviewer_cannot_decide(to):
    application = ApplicationFactory(under_review=True)
    with pytest.raises(services.NotAllowed):
        services.application_transition(
            application=application, action=DECIDE[to], by=UserFactory(reviewer=True), reason=REASON
        )
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_regional_coordinator_of_other_region_cannot_decide(client):
    application = ApplicationFactory(under_review=True)  # 84
    other = UserFactory(regional=True, region=Region.objects.get(code="76"))
    with pytest.raises(services.NotAllowed):
        services.application_transition(application=application, action="decline", by=other, reason=REASON)

    client.force_login(other)
    response = client.post(
        f"/espace/candidatures/{application.pk}/decision/",
        {"action": "decline", "reason": REASON, "version": application.version},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_regional_coordinator_of_region_decides_through_view(client):
    application = ApplicationFactory(under_review=True)
    client.force_login(UserFactory(regional=True))
    response = client.post(
        f"/espace/candidatures/{application.pk}/decision/",
        {"action": "decline", "reason": REASON, "version": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.DECLINED
    assert application.decision_reason == REASON


def test_reviewer_decision_through_view_is_403(client):
    application = ApplicationFactory(under_review=True)
    client.force_login(UserFactory(reviewer=True))
    response = client.post(
        f"/espace/candidatures/{application.pk}/decision/",
        {"action": "decline", "reason": REASON, "version": application.version},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_decision_without_reason_through_view_is_refused_with_message(client, national):
    application = ApplicationFactory(under_review=True)
    client.force_login(national)
    response = client.post(
        f"/espace/candidatures/{application.pk}/decision/",
        {"action": "decline", "reason": "", "version": application.version},
    )
    assert response.status_code == 400
    assert "Une décision doit être motivée" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_decline_then_reopen_works(national):
    application = ApplicationFactory(under_review=True)
    services.application_transition(application=application, action="decline", by=national, reason=REASON)
    services.application_transition(application=application, action="reopen", by=national)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.version == 3
    services.application_transition(
        application=application, action="rule_ineligible", by=national, reason="Hors champ."
    )
    services.application_transition(application=application, action="reopen", by=national)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert audit_actions(application) == [
        "application.declined",
        "application.under_review",
        "application.ineligible",
        "application.under_review",
    ]


def test_every_transition_is_audited_with_actor_and_reason(national):
    application = ApplicationFactory()
    reviewer = UserFactory(reviewer=True)
    services.application_transition(application=application, action="start_review", by=reviewer)
    services.application_transition(application=application, action="decline", by=national, reason=REASON)
    entries = list(
        AuditEntry.objects.filter(object_id=str(application.pk), action__startswith="application.").order_by(
            "id"
        )
    )
    assert [(e.action, e.actor) for e in entries] == [
        ("application.under_review", reviewer),
        ("application.declined", national),
    ]
    assert entries[1].changes == {"de": S.UNDER_REVIEW, "vers": S.DECLINED, "motif": REASON}


@pytest.mark.parametrize("to", [S.DESIGNATED, S.DECLINED, S.INELIGIBLE])
def test_decision_emails_applicant_with_reason_and_link(
    national, to, smtp_inbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(under_review=True, email="jeanne@exemple.test")
    reason = f"Motif précis de la décision « {to} »."
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application=application, action=DECIDE[to], by=national, reason=reason
        )

    to_applicant = smtp_inbox.to("jeanne@exemple.test")
    assert smtp_inbox.messages == to_applicant  # nobody else is written to
    decision_mails = [m for m in to_applicant if reason in smtp_inbox.body(m)]
    assert len(decision_mails) == 1
    body = smtp_inbox.body(decision_mails[0])
    assert f"{settings.SITE_URL}/candidature/{application.token}/" in body
    assert settings.SITE_NAME in body
    assert "candidature" in decision_mails[0]["Subject"] or "ambassadeur" in decision_mails[0]["Subject"]


def test_reopen_emails_applicant(national, smtp_inbox, django_capture_on_commit_callbacks):
    application = ApplicationFactory(state=S.DECLINED, email="jeanne@exemple.test", decision_reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, action="reopen", by=national)
    assert len(smtp_inbox.messages) == 1
    assert "de nouveau" in smtp_inbox.messages[0]["Subject"]


# Two coordinators at once


def test_concurrent_decisions_first_wins_second_gets_conflict(national):
    other = UserFactory(national=True, first_name="Bruno", last_name="Second")
    application = ApplicationFactory(under_review=True)
    seen_by_first = Application.objects.get(pk=application.pk)
    seen_by_second = Application.objects.get(pk=application.pk)
    assert seen_by_first.version == seen_by_second.version

    services.application_transition(
        application=seen_by_first, action="decline", by=national, reason=REASON, expected_version=1
    )
    with pytest.raises(services.Conflict) as exc:
        services.application_transition(
            application=seen_by_second,
            action="rule_ineligible",
            by=other,
            reason="Autre motif.",
            expected_version=1,
        )
    assert "modifiée entre-temps" in str(exc.value)
    assert "non retenue" in str(exc.value)
    assert "Nadia Nationale" in str(exc.value)

    application.refresh_from_db()
    assert application.state == S.DECLINED
    assert application.decided_by == national
    assert application.decision_reason == REASON
    assert audit_actions(application) == ["application.declined"]


def test_concurrent_decisions_without_expected_version_second_gets_conflict(national):
    other = UserFactory(national=True)
    application = ApplicationFactory(under_review=True)
    seen_by_first = Application.objects.get(pk=application.pk)
    seen_by_second = Application.objects.get(pk=application.pk)
    services.application_transition(application=seen_by_first, action="designate", by=national, reason=REASON)
    with pytest.raises(services.Conflict):
        services.application_transition(application=seen_by_second, action="decline", by=other, reason="Non.")
    application.refresh_from_db()
    assert application.state == S.DESIGNATED
    assert audit_actions(application) == ["application.designated"]


@pytest.mark.parametrize("second_choice", [S.DECLINED, S.DESIGNATED])
def test_concurrent_decision_through_view_loser_gets_409_with_reason_kept(client, national, second_choice):
    other = UserFactory(national=True, first_name="Bruno", last_name="Second")
    application = ApplicationFactory(under_review=True)

    # Both open the page: the form carries the version they saw.
    client.force_login(other)
    page = client.get(f"/espace/candidatures/{application.pk}/")
    assert page.status_code == 200
    version = re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)
    assert version == "1"

    services.application_transition(
        application=application, action="designate", by=national, reason=REASON, expected_version=1
    )

    typed = "Je préfère ne pas retenir : disponibilité trop faible pour la région."
    response = client.post(
        f"/espace/candidatures/{application.pk}/decision/",
        {"action": DECIDE[second_choice], "reason": typed, "version": version},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "modifiée entre-temps" in body
    assert "retenue : ambassadeur désigné" in body
    assert "Nadia Nationale" in body
    assert typed in body

    application.refresh_from_db()
    assert application.state == S.DESIGNATED
    assert application.decided_by == national
    assert audit_actions(application) == ["application.designated"]


# Bulk


def test_bulk_decline_applies_same_reason_and_reports_refused(client, national):
    first = ApplicationFactory(under_review=True, last_name="Premierbloc")
    second = ApplicationFactory(under_review=True, last_name="Secondbloc")
    withdrawn = ApplicationFactory(state=S.WITHDRAWN, last_name="Retirebloc")
    client.force_login(national)
    response = client.post(
        "/espace/candidatures/decision-groupee/",
        {
            "applications": [first.pk, second.pk, withdrawn.pk],
            "action": "decline",
            "reason": "Appel très demandé.",
        },
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Décision enregistrée pour 2 candidature(s)." in body
    assert f"{withdrawn.full_name} : Impossible de passer" in body

    for application in (first, second):
        application.refresh_from_db()
        assert application.state == S.DECLINED
        assert application.decision_reason == "Appel très demandé."
        assert application.decided_by == national
        assert audit_actions(application) == ["application.declined"]
    withdrawn.refresh_from_db()
    assert withdrawn.state == S.WITHDRAWN
    assert audit_actions(withdrawn) == []


def test_bulk_without_reason_is_refused(client, national):
    applications = ApplicationFactory.create_batch(2, under_review=True)
    client.force_login(national)
    response = client.post(
        "/espace/candidatures/decision-groupee/",
        {"applications": [a.pk for a in applications], "action": "decline", "reason": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert set(Application.objects.values_list("state", flat=True)) == {S.UNDER_REVIEW}
    assert not AuditEntry.objects.filter(action__startswith="application.").exists()


def test_bulk_out_of_scope_applications_are_not_decided(client):
    mine = ApplicationFactory(under_review=True)
    elsewhere = ApplicationFactory(under_review=True, region_id="76", departements=["31"], postcode="31000")
    client.force_login(UserFactory(regional=True))
    client.post(
        "/espace/candidatures/decision-groupee/",
        {"applications": [mine.pk, elsewhere.pk], "action": "decline", "reason": "Motif."},
    )
    elsewhere.refresh_from_db()
    mine.refresh_from_db()
    assert elsewhere.state == S.UNDER_REVIEW
    assert mine.state == S.UNDER_REVIEW  # the form refuses the whole request: one choice is not in scope


def test_bulk_by_reviewer_is_403(client):
    application = ApplicationFactory(under_review=True)
    client.force_login(UserFactory(reviewer=True))
    response = client.post(
        "/espace/candidatures/decision-groupee/",
        {"applications": [application.pk], "action": "decline", "reason": "Motif."},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("bad", ["99999999999999999999999", "²", "0", "-3", "abc", str(2**31)])
def test_bulk_with_odd_application_id_is_a_french_400_and_decides_nothing(client, national, bad):
    application = ApplicationFactory(under_review=True)
    client.force_login(national)
    response = client.post(
        "/espace/candidatures/decision-groupee/",
        {"applications": [application.pk, bad], "action": "decline", "reason": "Motif."},
    )
    assert response.status_code == 400
    assert f"« {bad} » n’est pas un numéro de candidature." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert audit_actions(application) == []


def test_bulk_with_unknown_application_id_is_a_french_400(client, national):
    application = ApplicationFactory(under_review=True)
    client.force_login(national)
    response = client.post(
        "/espace/candidatures/decision-groupee/",
        {"applications": [application.pk, 2**31 - 1], "action": "decline", "reason": "Motif."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"La candidature n° {2**31 - 1} n’existe pas ou n’est pas de votre périmètre." in body
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
