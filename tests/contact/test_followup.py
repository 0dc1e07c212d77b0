"""Follow-up: the one table of moves, who makes each, the reminders at 5 and 10 days (time moved, not slept), the
coordinators' reassignment, the company's feedback and erasure, the 12-month anonymisation, the permission matrix
of the back office and query counts of the inbox."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact import services, workflow
from contact.enums import RequestState, StepAction
from contact.models import CompanyRequest
from territories.models import Region
from tests.contact.conftest import expert
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def regional(code="76"):
    return UserFactory(regional=True, region=Region.objects.get(code=code))


def act(client, user, req, action, **data):
    client.logout()
    client.force_login(user)
    return client.post(f"/espace/demandes/{req.pk}/{action}/", {"version": req.version, **data})


def test_workflow_table_is_the_one_of_the_issue():
    S = RequestState
    assert workflow.TRANSITIONS["take"][:2] == ({S.NEW, S.REASSIGNED}, S.TAKEN)
    assert workflow.TRANSITIONS["answer"][:2] == ({S.TAKEN}, S.ANSWERED)
    assert workflow.TRANSITIONS["reassign"][:2] == ({S.NEW, S.TAKEN, S.REASSIGNED}, S.REASSIGNED)
    assert workflow.TRANSITIONS["close"][:2] == ({S.NEW, S.TAKEN, S.ANSWERED, S.REASSIGNED}, S.CLOSED)


def test_ambassador_takes_answers_closes_in_one_click_each_and_company_is_asked_feedback(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)

    assert act(client, ambassador.user, req, "take").status_code == 302
    req.refresh_from_db()
    assert (req.state, req.version) == (RequestState.TAKEN, 1)
    assert act(client, ambassador.user, req, "answer", answer_kind="meeting").status_code == 302
    req.refresh_from_db()
    assert (req.state, req.answer_kind) == (RequestState.ANSWERED, "meeting")
    with django_capture_on_commit_callbacks(execute=True):
        assert act(client, ambassador.user, req, "close", reason="done").status_code == 302
    req.refresh_from_db()
    assert (req.state, req.close_reason) == (RequestState.CLOSED, "done")
    assert list(req.steps.values_list("action", flat=True)) == ["taken", "answered", "closed"]

    [mail] = smtp_inbox.to(req.email)
    assert mail["Subject"] == "Votre demande est close : deux questions"
    assert f"/demande/{req.token}/" in smtp_inbox.body(mail)
    client.logout()
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert "Votre avis, en deux questions" in page
    response = client.post(f"/demande/{req.token}/avis/", {"useful": "yes", "contacted": "1"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.feedback_useful, req.feedback_contacted) == ("yes", True)
    assert "Merci pour votre avis." in client.get(response.url).content.decode()
    # Given once.
    client.post(f"/demande/{req.token}/avis/", {"useful": "no", "contacted": "0"})
    req.refresh_from_db()
    assert req.feedback_useful == "yes"


def test_move_outside_the_table_is_refused_409(client):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)

    response = act(client, ambassador.user, req, "answer", answer_kind="call")  # not taken yet

    assert response.status_code == 409
    assert "pas possible dans l’état actuel" in response.content.decode()
    req.refresh_from_db()
    assert req.state == RequestState.NEW


def test_close_without_reason_is_400_and_nothing_changes(client):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)

    response = act(client, ambassador.user, req, "close", reason="")

    assert response.status_code == 400
    req.refresh_from_db()
    assert req.state == RequestState.NEW


def test_two_clicks_at_once_one_wins(client):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)
    stale_version = req.version
    services.request_transition(request=req, by=ambassador.user, action="take")

    stale = CompanyRequest.objects.get(pk=req.pk)
    stale.version = stale_version
    with pytest.raises(services.Conflict):
        services.request_transition(
            request=stale, by=ambassador.user, action="close", version=stale_version, reason="done"
        )
    assert CompanyRequest.objects.get(pk=req.pk).state == RequestState.TAKEN


def test_ambassador_cannot_reassign_nor_see_others_requests(client):
    ambassador = expert()
    other = expert()
    mine = CompanyRequestFactory(ambassador=ambassador)
    theirs = CompanyRequestFactory(ambassador=other)

    assert act(client, ambassador.user, mine, "reassign", to_ambassador=other.pk).status_code == 403
    assert client.get(f"/espace/demandes/{theirs.pk}/").status_code == 404
    assert act(client, ambassador.user, theirs, "take").status_code == 404
    mine.refresh_from_db()
    assert mine.ambassador == ambassador


def test_coordinator_reassigns_unanswered_request_and_both_ambassadors_are_told(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    first, second = expert(), expert()
    coordinator = regional("76")
    req = CompanyRequestFactory(ambassador=first, assigned_at=timezone.now() - timedelta(days=11))
    client.force_login(coordinator)
    listing = client.get("/espace/demandes/?sans-reponse=1").content.decode()
    assert f"/espace/demandes/{req.pk}/" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, coordinator, req, "reassign", to_ambassador=second.pk, note="Plus proche")

    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.state, req.ambassador) == (RequestState.REASSIGNED, second)
    assert req.assigned_at > timezone.now() - timedelta(minutes=1)  # the reminders' clock restarts
    [new] = smtp_inbox.to(second.contact_email)
    assert new["Subject"] == "La coordination vous confie une demande d’entreprise"
    [away] = smtp_inbox.to(first.contact_email)
    assert away["Subject"] == f"Demande n° {req.pk} confiée à un autre ambassadeur"
    # The new ambassador takes it; the former one no longer sees it.
    assert act(client, second.user, req, "take").status_code == 302
    assert client.get(f"/espace/demandes/{req.pk}/").status_code == 200
    client.force_login(first.user)
    assert client.get(f"/espace/demandes/{req.pk}/").status_code == 404


def test_coordinator_of_another_region_cannot_see_or_reassign(client):
    req = CompanyRequestFactory(ambassador=expert())
    other_region = regional("84")
    client.force_login(other_region)

    assert client.get(f"/espace/demandes/{req.pk}/").status_code == 404
    assert act(client, other_region, req, "reassign", to_ambassador=expert().pk).status_code == 404


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

    assert run(4.9) == {"rappels": 0, "alertes": 0}
    assert run(5) == {"rappels": 1, "alertes": 0}
    assert run(6) == {"rappels": 0, "alertes": 0}
    assert run(9.9) == {"rappels": 0, "alertes": 0}
    assert run(10) == {"rappels": 0, "alertes": 1}
    assert run(12) == {"rappels": 0, "alertes": 0}

    [reminder] = smtp_inbox.to(ambassador.contact_email)
    assert reminder["Subject"] == f"Rappel : une entreprise attend votre réponse (demande n° {req.pk})"
    [alert] = smtp_inbox.to(coordinator.email)
    assert alert["Subject"] == f"Demande sans réponse depuis 10 jours (n° {req.pk}, Occitanie)"
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


def test_company_erases_its_data_at_once_and_ambassador_is_told(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)

    assert client.post(f"/demande/{req.token}/effacer/", {}).status_code == 302  # no confirmation: nothing
    req.refresh_from_db()
    assert req.anonymised_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/demande/{req.token}/effacer/", {"confirm": "1"})

    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.state, req.close_reason) == (RequestState.CLOSED, "erased")
    assert (req.email, req.phone, req.message, req.postcode) == ("", "", "", "")
    assert req.company_name == req.contact_name == "(effacé)"
    assert req.departement_id == "31"  # not personal: kept for the indicators
    [mail] = smtp_inbox.to(ambassador.contact_email)
    assert "retirée par l’entreprise" in mail["Subject"]
    assert "effacées le" in client.get(f"/demande/{req.token}/").content.decode()


def test_anonymisation_12_months_after_closing():
    now = timezone.now()
    old = CompanyRequestFactory(
        state=RequestState.CLOSED, closed_at=now - timedelta(days=366), close_reason="done"
    )
    recent = CompanyRequestFactory(
        state=RequestState.CLOSED, closed_at=now - timedelta(days=300), close_reason="done"
    )
    still_open = CompanyRequestFactory(created_at=now - timedelta(days=800))

    call_command("anonymise_requests", verbosity=0)
    assert services.requests_anonymise_expired() == 0  # run again: nothing more

    old.refresh_from_db(), recent.refresh_from_db(), still_open.refresh_from_db()
    assert old.anonymised_at is not None and old.email == ""
    assert recent.anonymised_at is None and recent.email
    assert still_open.anonymised_at is None


def test_availability_form_pauses_requests(client):
    ambassador = expert()
    client.force_login(ambassador.user)

    response = client.post(
        "/espace/demandes/disponibilite/", {"requests_paused": "1", "requests_monthly_limit": ""}
    )

    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.requests_paused is True
    bad = client.post("/espace/demandes/disponibilite/", {"requests_monthly_limit": "0"})
    assert bad.status_code == 400
    assert "Indiquez un nombre entre 1 et 100" in bad.content.decode()


# Permission matrix: role -> status of each back-office view, with a request of Occitanie in the database.

ROLES = ["anonymous", "assignee", "other_ambassador", "regional_76", "regional_84", "national", "reviewer"]
EXPECTED = {
    "inbox": {
        "anonymous": 302,
        "assignee": 200,
        "other_ambassador": 200,
        "regional_76": 200,
        "regional_84": 200,
        "national": 200,
        "reviewer": 403,
    },
    "detail": {
        "anonymous": 302,
        "assignee": 200,
        "other_ambassador": 404,
        "regional_76": 200,
        "regional_84": 404,
        "national": 200,
        "reviewer": 404,
    },
    "take": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 403,
        "regional_84": 404,
        "national": 403,
        "reviewer": 404,
    },
    "availability": {
        "anonymous": 302,
        "assignee": 200,
        "other_ambassador": 200,
        "regional_76": 403,
        "regional_84": 403,
        "national": 403,
        "reviewer": 403,
    },
}


def _user(role, assignee):
    return {
        "anonymous": lambda: None,
        "assignee": lambda: assignee.user,
        "other_ambassador": lambda: expert().user,
        "regional_76": lambda: regional("76"),
        "regional_84": lambda: regional("84"),
        "national": lambda: UserFactory(national=True),
        "reviewer": lambda: UserFactory(reviewer=True),
    }[role]()


@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_back_office_matrix(client, view, role):
    assignee = expert()
    req = CompanyRequestFactory(ambassador=assignee)
    user = _user(role, assignee)
    if user:
        client.force_login(user)
    if view == "take":
        response = client.post(f"/espace/demandes/{req.pk}/take/", {"version": req.version})
    else:
        url = {
            "inbox": "/espace/demandes/",
            "detail": f"/espace/demandes/{req.pk}/",
            "availability": "/espace/demandes/disponibilite/",
        }[view]
        response = client.get(url)

    assert response.status_code == EXPECTED[view][role]
    req.refresh_from_db()
    assert req.state == (RequestState.TAKEN if view == "take" and role == "assignee" else RequestState.NEW)
    if response.status_code == 200 and view == "inbox" and role in {"other_ambassador", "regional_84"}:
        assert req.company_name not in response.content.decode()


def test_contact_details_shown_to_assignee_and_coordinator_only(client):
    assignee = expert()
    req = CompanyRequestFactory(ambassador=assignee)
    client.force_login(assignee.user)
    assert req.email in client.get(f"/espace/demandes/{req.pk}/").content.decode()
    client.force_login(regional("76"))
    assert req.email in client.get(f"/espace/demandes/{req.pk}/").content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["coordinator", "ambassador"])
def test_inbox_and_detail_query_counts_do_not_grow_with_items(client, who):
    assignee = expert()
    coordinator = regional("76")
    first = CompanyRequestFactory(ambassador=assignee)
    client.force_login(coordinator if who == "coordinator" else assignee.user)
    one = _queries(client, "/espace/demandes/"), _queries(client, f"/espace/demandes/{first.pk}/")
    for _ in range(3):
        CompanyRequestFactory(ambassador=assignee)
    for action in ("take", "answer", "close"):  # a longer history on the detail page
        services.request_transition(
            request=CompanyRequest.objects.get(pk=first.pk),
            by=assignee.user,
            action=action,
            answer_kind="call",
            reason="done",
        )
    assert _queries(client, "/espace/demandes/") == one[0]
    assert (
        _queries(client, f"/espace/demandes/{first.pk}/") <= one[1]
    )  # closed: no reassignment list any more
