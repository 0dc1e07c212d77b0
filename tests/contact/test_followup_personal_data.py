"""Follow-up of company requests, personal data: the company's erasure, the 12-month anonymisation, idle requests
closed, notes blanked, the feedback given twice, and the audit of coordinators' moves without the company's data."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact import services
from contact.enums import CloseReason, RequestState, StepAction
from contact.models import CompanyRequest, RequestStep
from tests.contact.conftest import expert, regional
from tests.contact.factories import CompanyRequestFactory

pytestmark = pytest.mark.django_db


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
