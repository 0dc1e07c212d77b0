"""Follow-up of company requests: the one table of moves and who makes each, concurrent clicks, the coordinators'
reassignment (what the company is told, the monthly maximum), and the act view's answers (404, 403, 400, 409)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contact import services, workflow
from contact.enums import RequestState
from contact.models import CompanyRequest
from tests.contact.conftest import act, expert, regional
from tests.contact.factories import CompanyRequestFactory

pytestmark = pytest.mark.django_db


def test_workflow_table_is_the_one_of_the_issue():
    S = RequestState

    def row(action):
        move = workflow.WORKFLOW[action]
        return (move.froms, move.to, move.who)

    assert row("take") == ({S.NEW, S.REASSIGNED}, S.TAKEN, {workflow.ASSIGNEE})
    assert row("answer") == ({S.TAKEN}, S.ANSWERED, {workflow.ASSIGNEE})
    assert row("reassign") == (
        {S.NEW, S.TAKEN, S.REASSIGNED},
        S.REASSIGNED,
        {workflow.COORDINATOR},
    )
    assert row("decline") == ({S.NEW, S.TAKEN, S.REASSIGNED}, None, {workflow.ASSIGNEE})
    assert row("route") == ({S.NEW, S.TAKEN, S.REASSIGNED}, S.REASSIGNED, {workflow.PLATFORM})
    assert row("close") == (
        {S.NEW, S.TAKEN, S.ANSWERED, S.REASSIGNED},
        S.CLOSED,
        {workflow.ASSIGNEE, workflow.COORDINATOR},  # the assignee once taken (``rules.can_act``)
    )
    assert list(workflow.WORKFLOW.actions) == ["take", "answer", "reassign", "decline", "route", "close"]


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
            request=stale,
            by=ambassador.user,
            action="close",
            expected_version=stale_version,
            reason="unreachable",
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
