"""Follow-up: the one table of moves, who makes each, the reminders at 5 and 10 days (time moved, not slept), the
coordinators' reassignment, the company's feedback and erasure, the 12-month anonymisation, the permission matrix
of the back office and query counts of the inbox."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact import services, workflow
from contact.enums import CloseReason, RequestState, StepAction
from contact.models import CompanyRequest, RequestStep
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
    assert workflow.TRANSITIONS["take"] == ({S.NEW, S.REASSIGNED}, S.TAKEN, workflow.ASSIGNEE)
    assert workflow.TRANSITIONS["answer"] == ({S.TAKEN}, S.ANSWERED, workflow.ASSIGNEE)
    assert workflow.TRANSITIONS["reassign"] == (
        {S.NEW, S.TAKEN, S.REASSIGNED},
        S.REASSIGNED,
        workflow.COORDINATOR,
    )
    assert workflow.TRANSITIONS["decline"] == ({S.NEW, S.TAKEN, S.REASSIGNED}, None, workflow.ASSIGNEE)
    assert workflow.TRANSITIONS["close"] == (
        {S.NEW, S.TAKEN, S.ANSWERED, S.REASSIGNED},
        S.CLOSED,
        workflow.EITHER,
    )


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
        assert act(client, ambassador.user, req, "close", reason="done", confirm="1").status_code == 302
    req.refresh_from_db()
    assert (req.state, req.close_reason) == (RequestState.CLOSED, "done")
    assert list(req.steps.values_list("action", flat=True)) == ["taken", "answered", "closed"]

    [mail] = smtp_inbox.to(req.email)
    assert mail["Subject"] == "Votre demande est close : deux questions"
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
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)

    response = act(client, ambassador.user, req, "close", reason="")

    assert response.status_code == 400
    req.refresh_from_db()
    assert req.state == RequestState.TAKEN


def test_two_clicks_at_once_one_wins(client):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)
    stale_version = req.version
    services.request_transition(request=req, by=ambassador.user, action="take")

    stale = CompanyRequest.objects.get(pk=req.pk)
    stale.version = stale_version
    with pytest.raises(services.Conflict):
        services.request_transition(
            request=stale, by=ambassador.user, action="close", version=stale_version, reason="unreachable"
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
    assert new["Subject"] == f"Une demande d’entreprise vous est confiée (n°\u00a0{req.pk})"
    [away] = smtp_inbox.to(first.contact_email)
    assert away["Subject"] == f"Demande n° {req.pk} confiée à un autre ambassadeur"
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
    RequestStep.objects.create(request=still_open, action=StepAction.CREATED, state_to=RequestState.NEW)

    call_command("anonymise_requests", verbosity=0)
    assert services.requests_anonymise_expired() == {"closes": 0, "anonymisees": 0}  # run again: nothing more

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


def test_availability_labels_are_capitalised(client):
    ambassador = expert()
    client.force_login(ambassador.user)

    body = client.get("/espace/demandes/disponibilite/").content.decode()

    assert ">Demandes en pause" in body
    assert ">Demandes par mois au plus" in body


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
    "answer": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 403,
        "regional_84": 404,
        "national": 403,
        "reviewer": 404,
    },
    "decline": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 403,
        "regional_84": 404,
        "national": 403,
        "reviewer": 404,
    },
    "close": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 302,
        "regional_84": 404,
        "national": 302,
        "reviewer": 404,
    },
    "reassign": {
        "anonymous": 302,
        "assignee": 403,
        "other_ambassador": 404,
        "regional_76": 302,
        "regional_84": 404,
        "national": 302,
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
# For each move: the state the request is in before, the form sent, and whether it moved when allowed.
MOVES = {
    "take": (RequestState.NEW, {}),
    "answer": (RequestState.TAKEN, {"answer_kind": "call"}),
    "decline": (RequestState.NEW, {"decline-reason": "field", "decline-note": "Hors de mon domaine"}),
    "close": (RequestState.TAKEN, {"reason": "unreachable", "confirm": "1"}),
    "reassign": (RequestState.NEW, {"note": "Plus proche"}),
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
    target = expert()  # who a reassignment goes to
    state, data = MOVES.get(view, (RequestState.NEW, {}))
    req = CompanyRequestFactory(ambassador=assignee, state=state)
    before = (req.state, req.version, req.ambassador_id)
    user = _user(role, assignee)
    if user:
        client.force_login(user)
    if view in MOVES:
        data = {**data, "to_ambassador": target.pk} if view == "reassign" else data
        response = client.post(f"/espace/demandes/{req.pk}/{view}/", {"version": req.version, **data})
    else:
        url = {
            "inbox": "/espace/demandes/",
            "detail": f"/espace/demandes/{req.pk}/",
            "availability": "/espace/demandes/disponibilite/",
        }[view]
        response = client.get(url)

    assert response.status_code == EXPECTED[view][role]
    req.refresh_from_db()
    moved = view in MOVES and response.status_code == 302 and user is not None
    assert (req.version > before[1]) == moved  # a decline is routed on at once: two moves
    if not moved:
        assert (req.state, req.version, req.ambassador_id) == before
    if response.status_code == 200 and view == "inbox" and role in {"other_ambassador", "regional_84"}:
        assert req.company_name not in response.content.decode()


def test_contact_details_shown_to_assignee_until_closed_and_to_coordinators(client):
    assignee = expert()
    req = CompanyRequestFactory(ambassador=assignee, company_shares_contact=True)  # the company chose so
    url = f"/espace/demandes/{req.pk}/"
    client.force_login(assignee.user)
    assert req.email in client.get(url).content.decode()

    services.request_transition(request=req, by=assignee.user, action="take")
    services.request_transition(request=req, by=assignee.user, action="close", reason="unreachable")

    body = client.get(url).content.decode()
    assert req.email not in body and req.phone not in body
    assert req.contact_name in body  # who it was with stays, for the history
    for coordinator in (regional("76"), UserFactory(national=True)):
        client.force_login(coordinator)
        assert req.email in client.get(url).content.decode()


def _queries(client, url, method="get", data=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert getattr(client, method)(url, data).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["coordinator", "ambassador"])
def test_inbox_query_count_does_not_grow_with_items(client, who):
    assignee = expert()
    CompanyRequestFactory(ambassador=assignee)
    client.force_login(regional("76") if who == "coordinator" else assignee.user)
    one = _queries(client, "/espace/demandes/")
    for _ in range(3):
        CompanyRequestFactory(ambassador=assignee)

    assert _queries(client, "/espace/demandes/") == one


@pytest.mark.parametrize("who", ["coordinator", "ambassador"])
def test_detail_query_count_same_for_a_short_and_a_long_history(client, who):
    assignee, other = expert(), expert()
    coordinator = regional("76")
    short = CompanyRequestFactory(ambassador=assignee)
    long = CompanyRequestFactory(ambassador=other)
    services.request_transition(
        request=long, by=coordinator, action="reassign", to_ambassador=assignee, note="1"
    )
    services.request_transition(request=long, by=assignee.user, action="take")
    for n in range(3):
        services.request_message_send(request=long, by=assignee.user, body=f"Bonjour, message {n}")
        services.request_message_send(request=long, body=f"Merci, réponse {n}")
    client.force_login(coordinator if who == "coordinator" else assignee.user)

    assert long.is_open and short.is_open
    assert long.steps.count() == 2 and short.steps.count() == 0
    assert long.messages.count() == 6 and short.messages.count() == 0
    assert _queries(client, f"/espace/demandes/{short.pk}/") == _queries(
        client, f"/espace/demandes/{long.pk}/"
    )


def test_find_ranked_list_query_count_does_not_grow_with_matches(client):
    from django.core.cache import cache

    from tests.contact.test_contact import find_data

    expert()
    cache.clear()  # each count a ranking computed (the finder keeps one for a minute)
    one = _queries(client, "/trouver-un-ambassadeur/", "get", find_data())
    for _ in range(3):
        expert()

    assert len(client.get("/trouver-un-ambassadeur/", find_data()).context["matches"]) == 4
    cache.clear()
    assert _queries(client, "/trouver-un-ambassadeur/", "get", find_data()) == one


# Reassignment: the company is told who has its request now (public name only); the new ambassador's row is locked.


def test_reassignment_tells_the_company_the_new_ambassadors_name_only(
    smtp_inbox, django_capture_on_commit_callbacks
):
    first, second = expert(), expert(gender="f")
    req = CompanyRequestFactory(ambassador=first)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(request=req, by=regional("76"), action="reassign", to_ambassador=second)

    [mail] = smtp_inbox.to(req.email)
    body = smtp_inbox.body(mail)
    # Her gender is recorded: « ambassadrice », agreed.
    assert mail["Subject"] == "Votre demande est confiée à une autre ambassadrice IA"
    assert f"La coordination régionale a confié votre demande à {second.full_name}, ambassadrice IA" in body
    assert f"/demande/{req.token}/" in body
    for private in (second.contact_email, second.contact_phone, first.contact_email, first.contact_phone):
        assert private not in body and private not in str(mail)


def test_reassignment_to_an_ambassador_at_their_monthly_maximum_is_refused(client):
    first, full = expert(), expert(requests_monthly_limit=1)
    CompanyRequestFactory(ambassador=full)
    req = CompanyRequestFactory(ambassador=first)
    coordinator = regional("76")

    response = act(client, coordinator, req, "reassign", to_ambassador=full.pk)

    assert response.status_code == 409
    assert f"{full.full_name} ne reçoit pas de demandes en ce moment." in response.content.decode()
    req.refresh_from_db()
    assert (req.ambassador, req.version) == (first, 0)


def test_reassignment_choices_include_an_ambassador_listing_only_a_departement_of_the_region():
    from contact.selectors import reassignment_choices

    req = CompanyRequestFactory(ambassador=expert())
    herault = expert(regions=[], departements=["34"])
    expert(regions=[], departements=["69"])

    assert list(reassignment_choices(req)) == [herault]


# Personal data: notes blanked; idle requests closed, then anonymised; exactly 365 days.

NOTE = "Rappeler Mme Dupont au 06 12 34 56 78"


def test_anonymisation_blanks_the_notes_of_the_history():
    first, second = expert(), expert()
    req = CompanyRequestFactory(ambassador=first)
    services.request_transition(
        request=req, by=regional("76"), action="reassign", to_ambassador=second, note=NOTE
    )
    services.request_transition(request=req, by=second.user, action="decline", reason="other", note=NOTE)
    CompanyRequest.objects.filter(pk=req.pk).update(
        state=RequestState.CLOSED, closed_at=timezone.now() - timedelta(days=366), close_reason="done"
    )
    assert req.steps.filter(note=NOTE).count() == 2

    assert services.requests_anonymise_expired()["anonymisees"] == 1

    assert list(req.steps.exclude(note="").values_list("note", flat=True)) == []


def test_erasure_blanks_the_notes_of_the_history(client):
    first, second = expert(), expert()
    req = CompanyRequestFactory(ambassador=first)
    services.request_transition(
        request=req, by=regional("76"), action="reassign", to_ambassador=second, note=NOTE
    )

    assert client.post(f"/demande/{req.token}/effacer/", {"confirm": "1"}).status_code == 302

    # Only the platform's own words stay: the reason of the closing.
    assert list(req.steps.exclude(note="").values_list("note", flat=True)) == [CloseReason.ERASED.label]


@pytest.mark.parametrize(("days", "closed"), [(182, False), (183, True)])
def test_request_without_any_step_for_six_months_is_closed_sans_suite(
    smtp_inbox, django_capture_on_commit_callbacks, days, closed
):
    now = timezone.now()
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, assigned_at=now - timedelta(days=400))
    services.request_transition(request=req, by=ambassador.user, action="take")
    req.steps.update(at=now - timedelta(days=days))

    with django_capture_on_commit_callbacks(execute=True):
        done = services.requests_anonymise_expired(now=now)

    req.refresh_from_db()
    assert done == {"closes": int(closed), "anonymisees": 0}
    assert req.state == (RequestState.CLOSED if closed else RequestState.TAKEN)
    assert req.anonymised_at is None and req.email  # the 12-month rule starts now
    if closed:
        assert (req.close_reason, req.closed_at, req.version) == (CloseReason.EXPIRED, now, 2)
        assert req.get_close_reason_display() == "Sans suite après six mois"
        last = req.steps.last()
        assert (last.action, last.state_from, last.state_to) == ("closed", "taken", "closed")
        [mail] = smtp_inbox.to(req.email)
        assert "est close (sans suite après six mois)" in smtp_inbox.body(mail)
    else:
        assert smtp_inbox.messages == []


def test_idle_answered_request_and_one_without_steps_are_closed_then_anonymised_a_year_later():
    now = timezone.now()
    answered = CompanyRequestFactory(
        state=RequestState.ANSWERED, assigned_at=now - timedelta(days=300), answer_kind="call"
    )
    no_steps = CompanyRequestFactory(assigned_at=now - timedelta(days=200))
    recent = CompanyRequestFactory(assigned_at=now - timedelta(days=10))

    assert services.requests_anonymise_expired(now=now) == {"closes": 2, "anonymisees": 0}
    assert services.requests_anonymise_expired(now=now + timedelta(days=364))["anonymisees"] == 0
    assert services.requests_anonymise_expired(now=now + timedelta(days=365))["anonymisees"] >= 2

    for req in (answered, no_steps):
        req.refresh_from_db()
        assert (req.close_reason, req.email, req.company_name) == (CloseReason.EXPIRED, "", "(effacé)")
    recent.refresh_from_db()
    assert recent.close_reason == CloseReason.EXPIRED  # idle too by then: same rule


@pytest.mark.parametrize(("days", "anonymised"), [(364, False), (365, True), (366, True)])
def test_anonymisation_at_exactly_365_days_after_closing(days, anonymised):
    now = timezone.now()
    req = CompanyRequestFactory(
        state=RequestState.CLOSED, closed_at=now - timedelta(days=days), close_reason="done"
    )

    assert services.requests_anonymise_expired(now=now)["anonymisees"] == int(anonymised)

    req.refresh_from_db()
    assert (req.anonymised_at == now) == anonymised
    assert (req.email == "") == anonymised


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


# Declining (« Ce n’est pas pour moi »): tests/contact/test_thread.py.


# The act view: 404, 403, 400, 409 in that order; what was typed is kept.


@pytest.mark.parametrize("version", [None, "", "²", "٣", "abc", "-1", "99999999999999999999999"])
def test_act_without_a_valid_version_is_400_and_nothing_changes(client, version):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)
    client.force_login(ambassador.user)

    response = client.post(
        f"/espace/demandes/{req.pk}/take/", {} if version is None else {"version": version}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "La page était incomplète. Rechargez-la, puis recommencez." in body
    assert "<title>Erreur – Demande n°" in body
    req.refresh_from_db()
    assert (req.state, req.version) == (RequestState.NEW, 0)


def test_act_not_ones_move_is_403_before_the_form_is_looked_at(client):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)

    assert act(client, regional("76"), req, "answer", answer_kind="").status_code == 403
    assert (
        act(client, ambassador.user, req, "reassign", to_ambassador="99999999999999999999999").status_code
        == 403
    )
    assert act(client, ambassador.user, req, "reassign").status_code == 403


def test_act_bad_form_is_400_with_the_error_linked(client):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)

    response = act(client, ambassador.user, req, "answer", answer_kind="fax")

    assert response.status_code == 400
    body = response.content.decode()
    assert '<a href="#id_answer_kind_0">Échange réalisé</a>' in body
    assert "<title>Erreur – " in body


def test_act_conflict_is_409_showing_the_request_as_it_is_and_keeping_what_was_typed(client):
    first, second = expert(), expert()
    coordinator = regional("76")
    req = CompanyRequestFactory(ambassador=first)
    seen = CompanyRequest.objects.get(pk=req.pk)  # the page the coordinator has open
    services.request_transition(request=req, by=first.user, action="take")  # meanwhile

    response = act(
        client, coordinator, seen, "reassign", to_ambassador=second.pk, note="Plus proche de l’atelier"
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "La demande a été modifiée entre-temps : voici son état actuel." in body
    assert f"Demande n° {req.pk} – Prise en charge</h1>" in body
    assert f'<option value="{second.pk}" selected>' in body
    assert 'value="Plus proche de l’atelier"' in body
    assert (
        '<input type="hidden" name="version" value="1">' in body
    )  # the current version: sending again works
    req.refresh_from_db()
    assert (req.ambassador, req.state) == (first, RequestState.TAKEN)


def test_act_on_a_request_handed_to_someone_else_meanwhile_is_404(client):
    first, second = expert(), expert()
    req = CompanyRequestFactory(ambassador=first)
    seen = CompanyRequest.objects.get(pk=req.pk)
    client.force_login(first.user)
    services.request_transition(request=req, by=regional("76"), action="reassign", to_ambassador=second)

    response = act(client, first.user, seen, "take")

    assert response.status_code == 404  # no longer theirs: out of their scope at once


# Erasure of a closed request; feedback given twice at once.


def test_erasing_a_closed_request_still_tells_its_ambassador(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = expert()
    req = CompanyRequestFactory(
        ambassador=ambassador, state=RequestState.CLOSED, closed_at=timezone.now(), close_reason="done"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/demande/{req.token}/effacer/", {"confirm": "1"}).status_code == 302

    req.refresh_from_db()
    assert (req.state, req.close_reason, req.email) == (RequestState.CLOSED, "done", "")
    [mail] = smtp_inbox.to(ambassador.contact_email)
    assert mail["Subject"] == f"Demande n° {req.pk} : l’entreprise a effacé ses informations"
    assert "Effacez aussi celles que vous auriez gardées" in smtp_inbox.body(mail)


def test_erasing_an_answered_request_closes_it():
    req = CompanyRequestFactory(state=RequestState.ANSWERED, answer_kind="call")

    services.request_erase(request=req)

    req.refresh_from_db()
    assert (req.state, req.close_reason) == (RequestState.CLOSED, CloseReason.ERASED)


def test_feedback_given_twice_at_the_same_time_keeps_the_first():
    req = CompanyRequestFactory(state=RequestState.CLOSED, closed_at=timezone.now(), close_reason="done")
    first_click = CompanyRequest.objects.get(pk=req.pk)
    second_click = CompanyRequest.objects.get(pk=req.pk)  # both read before either wrote

    services.request_feedback(request=first_click, useful="yes", contacted=True)
    with pytest.raises(services.ContactError):
        services.request_feedback(request=second_click, useful="no", contacted=False)

    req.refresh_from_db()
    assert (req.feedback_useful, req.feedback_contacted) == ("yes", True)
    assert req.steps.filter(action=StepAction.FEEDBACK).count() == 1


# Audit: coordinators' reassignments and closings, the company's erasure; never the company's data.


def test_coordinator_moves_and_erasure_are_audited_without_company_data():
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    first, second = expert(), expert()
    coordinator = regional("76")
    req = CompanyRequestFactory(ambassador=first)
    own = CompanyRequestFactory(ambassador=first)

    services.request_transition(
        request=req, by=coordinator, action="reassign", to_ambassador=second, note=NOTE
    )
    services.request_transition(request=req, by=coordinator, action="close", reason="out_of_scope")
    services.request_erase(request=req)
    services.request_transition(request=own, by=first.user, action="take")
    services.request_transition(
        request=own, by=first.user, action="close", reason="unreachable"
    )  # their own work

    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(CompanyRequest))
    assert [(e.action, e.object_id, e.actor, e.changes) for e in entries.order_by("pk")] == [
        (
            "company_request.reassign",
            str(req.pk),
            coordinator,
            {"ambassadeur": second.pk, "ambassadeur_precedent": first.pk},
        ),
        (
            "company_request.close",
            str(req.pk),
            coordinator,
            {"motif": "out_of_scope", "ambassadeur": second.pk},
        ),
        ("company_request.erase", str(req.pk), None, {"ambassadeur": second.pk, "etat_avant": "closed"}),
    ]
    for entry in entries:
        text = f"{entry.object_repr} {entry.actor_label} {entry.changes}"
        for private in (own.company_name, own.email, "Fonderie", "Dirigeant", "06 12 34 56 78", "Dupont"):
            assert private not in text


# Templates of the back office.


def test_inbox_shows_the_short_size_label(client):
    CompanyRequestFactory(ambassador=expert())
    client.force_login(regional("76"))

    body = client.get("/espace/demandes/").content.decode()

    assert '(<abbr title="PME (10 à 249 salariés)">PME</abbr>)' in body
    assert "…" not in body


def test_detail_dates_say_1er_and_times_14_h_30(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    first_of_may = datetime(2026, 5, 1, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, assigned_at=first_of_may)
    services.request_transition(request=req, by=ambassador.user, action="take")
    req.steps.update(at=first_of_may)
    client.force_login(ambassador.user)

    body = client.get(f"/espace/demandes/{req.pk}/").content.decode()

    assert "(confiée le 1er mai 2026)" in body
    assert "1er mai 2026 à 14\u00a0h\u00a030 – Prise en charge" in body


def test_company_reads_the_response_time_and_is_told_when_the_request_is_taken(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    from contact import services as contact_services
    from tests.contact.factories import CompanyRequestFactory
    from tests.factories import UserFactory

    request = CompanyRequestFactory(email="direction@fonderie-exemple.test")
    request.ambassador.user = UserFactory()
    request.ambassador.save()
    promise = "a 5\u00a0jours pour prendre en charge votre demande"
    # Their gender unsaid: neutral words on their request's page; after sending, both.
    assert f"Cette personne {promise}" in client.get(f"/demande/{request.token}/").content.decode()
    assert f"L’ambassadeur ou l’ambassadrice {promise}" in client.get("/demande/envoyee/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        contact_services.request_transition(request=request, by=request.ambassador.user, action="take")

    [message] = smtp_inbox.to("direction@fonderie-exemple.test")
    assert message["Subject"] == "Votre demande est prise en charge"
    assert request.token in smtp_inbox.body(message)


def test_find_kept_ranking_follows_a_profile_change_at_once(client):
    # The finder keeps a need's ranking for a minute, keyed by the profiles' version: a pause shows at once.
    from ambassadors.services import ambassador_availability_set
    from tests.contact.test_contact import find_data

    first = expert()
    assert [a for a, _ in client.get("/trouver-un-ambassadeur/", find_data()).context["matches"]] == [first]
    ambassador_availability_set(ambassador=first, by=first.user, data={"requests_paused": True})

    assert client.get("/trouver-un-ambassadeur/", find_data()).context["matches"] == []
