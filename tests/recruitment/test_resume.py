"""« Reprendre l’examen »: an application waiting for a correction is taken back up by a reviewer or coordinator
of its scope (after the applicant answered by a message, or once the correction is overdue), the person told; the
correction request's text kept out of the audit log; the team's signature and neutral wording; what awaits each
person, each count being what its link lists."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import AuditEntry
from recruitment import selectors, services, workflow
from recruitment.enums import ApplicationState as S
from recruitment.models import Application
from tests.factories import ApplicationFactory, UserFactory
from tests.recruitment.test_correction import _user
from tests.recruitment.test_data_rights import _correction_post

pytestmark = pytest.mark.django_db

ASK = "Joignez le SIRET exact de votre établissement lyonnais, s’il vous plaît."


@pytest.fixture
def reviewer():
    return UserFactory(reviewer=True, email="relecture@cci.test")


def _ask(application, by, **kwargs):
    services.application_transition(
        application=application, action="request_correction", by=by, reason=ASK, **kwargs
    )
    application.refresh_from_db()
    return application


def _audit(application):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk)
        ).order_by("pk")
    )


# The move, in the one table


def test_the_table_lets_the_team_take_a_correction_back_to_review():
    assert workflow.WORKFLOW.pairs()[(S.CORRECTION_REQUESTED, S.UNDER_REVIEW)] == {
        workflow.APPLICANT,
        workflow.REVIEWER,
    }
    # Two moves: the applicant's return with the correction, and the team's « Reprendre l’examen ».
    assert workflow.WORKFLOW["return_correction"].who == {workflow.APPLICANT}
    assert workflow.WORKFLOW["resume"].who == {workflow.REVIEWER}
    assert workflow.can_resume(S.CORRECTION_REQUESTED, workflow.REVIEWER)
    assert workflow.can_resume(S.CORRECTION_REQUESTED, workflow.COORDINATOR)
    assert not workflow.can_resume(S.CORRECTION_REQUESTED, workflow.APPLICANT)
    assert not workflow.can_resume(S.UNDER_REVIEW, workflow.REVIEWER)
    # Not a coordinator's decision: the decision form does not offer it.
    assert "resume" not in workflow.decisions_from(S.CORRECTION_REQUESTED)
    assert all(
        workflow.WORKFLOW.target(a, S.CORRECTION_REQUESTED) != S.UNDER_REVIEW
        for a in workflow.decisions_from(S.CORRECTION_REQUESTED)
    )


def test_reviewer_resumes_after_the_applicants_message_and_the_person_is_told(
    reviewer, smtp_inbox, django_capture_on_commit_callbacks
):
    application = _ask(ApplicationFactory(under_review=True, gender=""), reviewer)
    services.application_message_send(
        application=application, by=None, body="Rien à corriger : c’est le bon."
    )
    with pytest.raises(services.RecruitmentError):
        services.review_save(
            application=application, by=reviewer, score=4, recommendation="favorable", comment=""
        )
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application=application, action="resume", by=reviewer, expected_version=application.version
        )
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.correction_returned_at is None  # not a correction sent back
    entry = _audit(application)[-1]
    assert (entry.action, entry.actor, entry.changes) == (
        "application.under_review",
        reviewer,
        {"de": S.CORRECTION_REQUESTED, "vers": S.UNDER_REVIEW, "reprise": True},
    )
    [mail] = smtp_inbox.to(application.email)
    body = smtp_inbox.body(mail)
    assert "reprend" in mail["Subject"]
    assert "a repris l’examen de votre candidature" in body
    assert application.get_private_url() in body
    assert reviewer.email not in body
    assert "informé" not in body
    # The opinions are open again.
    services.review_save(
        application=application, by=reviewer, score=4, recommendation="favorable", comment=""
    )


def test_coordinator_resumes_an_overdue_correction(reviewer):
    application = _ask(ApplicationFactory(under_review=True), reviewer)
    Application.objects.filter(pk=application.pk).update(
        correction_due_on=timezone.localdate() - timedelta(days=2)
    )
    application.refresh_from_db()
    # The applicant no longer can.
    with pytest.raises(services.RecruitmentError):
        services.application_transition(application=application, action="return_correction", by=None)
    services.application_transition(application=application, action="resume", by=UserFactory(regional=True))
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_a_reviewer_outside_the_scope_cannot_resume(reviewer):
    application = _ask(ApplicationFactory(under_review=True), reviewer)
    with pytest.raises(services.NotAllowed):
        services.application_transition(
            application=application, action="resume", by=UserFactory(regional=True, region_id="76")
        )
    assert Application.objects.get(pk=application.pk).state == S.CORRECTION_REQUESTED


# The back-office page


def test_detail_offers_resume_with_a_confirmation_page(client, reviewer, django_capture_on_commit_callbacks):
    application = _ask(ApplicationFactory(under_review=True), reviewer)
    client.force_login(reviewer)
    detail = client.get(application.get_absolute_url()).content.decode()
    url = f"/espace/candidatures/{application.pk}/reprendre/"
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Reprendre l’examen\u00a0?" in text
    assert f'name="version" value="{application.version}"' in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"version": application.version})
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert Application.objects.get(pk=application.pk).state == S.UNDER_REVIEW
    # Nothing to resume any more: the detail no longer offers it, the address says so.
    assert f'href="{url}"' not in client.get(application.get_absolute_url()).content.decode()
    again = client.post(url, {"version": application.version + 1}, follow=True)
    assert "rien à reprendre" in again.content.decode()


def test_resume_with_a_stale_version_is_a_french_409_and_without_one_a_400(client, reviewer):
    application = _ask(ApplicationFactory(under_review=True), reviewer)
    client.force_login(reviewer)
    url = f"/espace/candidatures/{application.pk}/reprendre/"
    stale = client.post(url, {"version": application.version - 1})
    assert stale.status_code == 409
    assert "modifiée entre-temps" in stale.content.decode()
    assert client.post(url, {"version": "abc"}).status_code == 400
    assert Application.objects.get(pk=application.pk).state == S.CORRECTION_REQUESTED


RESUME_MATRIX = {
    "anonymous": (302, 302),
    "ambassador": (404, 404),
    "reviewer_cci": (200, 302),
    "reviewer_bpifrance": (404, 404),
    "regional_84": (200, 302),
    "regional_76": (404, 404),
    "national": (200, 302),
}


@pytest.mark.parametrize(("role", "expected"), RESUME_MATRIX.items(), ids=list(RESUME_MATRIX))
def test_resume_view_matches_the_matrix(client, reviewer, role, expected):
    application = _ask(ApplicationFactory(under_review=True), reviewer)
    user = _user(role)
    if user:
        client.force_login(user)
    url = f"/espace/candidatures/{application.pk}/reprendre/"
    get = client.get(url)
    post = client.post(url, {"version": application.version})
    assert (get.status_code, post.status_code) == expected
    moved = Application.objects.get(pk=application.pk).state == S.UNDER_REVIEW
    assert moved == (expected[1] == 302 and role != "anonymous")


# The audit log keeps that a correction was asked, and its date, not its text


def test_correction_request_text_is_not_in_the_audit_log(reviewer):
    application = _ask(ApplicationFactory(under_review=True), reviewer)
    entry = _audit(application)[-1]
    assert entry.action == "application.correction_requested"
    assert entry.changes == {
        "de": S.UNDER_REVIEW,
        "vers": S.CORRECTION_REQUESTED,
        "echeance": application.correction_due_on.isoformat(),
    }
    assert not AuditEntry.objects.filter(changes__icontains="SIRET exact").exists()
    assert all("SIRET exact" not in str(e.changes) for e in AuditEntry.objects.all())


# The team's signature, and wording that needs no gender


def test_regional_coordination_signs_with_the_region():
    assert (
        services.team_label(UserFactory(regional=True)) == "La coordination de la région Auvergne-Rhône-Alpes"
    )


@pytest.mark.parametrize("template", ["submitted", "reopened", "resumed"])
def test_applicant_emails_need_no_gender(template, smtp_inbox, django_capture_on_commit_callbacks):
    application = ApplicationFactory(under_review=True, gender="")
    with django_capture_on_commit_callbacks(execute=True):
        services._send_status_link(application, f"recruitment/email/{template}.txt")
    body = smtp_inbox.body(smtp_inbox.to(application.email)[0])
    assert not re.search(r"\b(informé|prévenu|contacté|inscrit)\b", body)


def test_queue_column_names_the_person_neutrally(client):
    client.force_login(UserFactory(national=True))
    ApplicationFactory()
    body = client.get("/espace/candidatures/").content.decode()
    assert '<th scope="col">Personne candidate</th>' in body
    assert ">Candidat<" not in body


# What awaits each person: reviewers too see the corrections to take back up; each count is what its link lists


def _rows(client, url):
    body = client.get(url).content.decode()
    return set(re.findall(r'<td><a href="/espace/candidatures/(\d+)/">', body))


def _scene(reviewer):
    today = timezone.localdate()
    ApplicationFactory()  # submitted, no opinion
    ApplicationFactory(under_review=True)
    returned = _ask(ApplicationFactory(under_review=True), reviewer)
    services.application_correct(
        application=returned, data=_correction_post(returned, structure_name="Corrigé")
    )
    answered = _ask(ApplicationFactory(under_review=True), reviewer)
    services.application_message_send(application=answered, by=None, body="Rien à corriger.")
    # Wrote before being asked (again): not an answer to the request.
    earlier = ApplicationFactory(under_review=True)
    services.application_message_send(application=earlier, by=None, body="Une question.")
    _ask(earlier, reviewer)
    overdue = _ask(ApplicationFactory(under_review=True), reviewer)
    Application.objects.filter(pk=overdue.pk).update(correction_due_on=today - timedelta(days=1))
    ApplicationFactory(region_id="76", postcode="31000", departements=["31"], under_review=True)
    return {"returned": returned, "answered": answered, "overdue": overdue}


@pytest.mark.parametrize("role", ["reviewer", "regional", "national"])
def test_each_awaiting_count_is_what_its_link_lists(client, reviewer, role):
    scene = _scene(reviewer)
    user = {
        "reviewer": reviewer,
        "regional": UserFactory(regional=True),
        "national": UserFactory(national=True),
    }[role]
    client.force_login(user)
    items = {item.label: item for item in selectors.awaiting_for_user(user)}
    for item in items.values():
        assert len(_rows(client, item.url)) == item.count, item.label
    assert _rows(client, items["Corrections reçues, à réexaminer"].url) == {str(scene["returned"].pk)}
    assert _rows(client, items["Demandes de correction avec une réponse à lire"].url) == {
        str(scene["answered"].pk)
    }
    assert _rows(client, items["Corrections en retard"].url) == {str(scene["overdue"].pk)}
    assert items["Corrections en retard"].urgent


def test_a_reviewer_sees_the_corrections_they_may_take_back_up(reviewer):
    _scene(reviewer)
    items = {item.label: item.count for item in selectors.awaiting_for_user(reviewer)}
    assert items["Corrections reçues, à réexaminer"] == 1
    assert items["Demandes de correction avec une réponse à lire"] == 1
    assert items["Corrections en retard"] == 1
    assert "Candidatures en attente de décision" not in items
