"""Writes on company requests: submission (relay), the follow-up moves, the company's feedback and erasure,
reminders, anonymisation. Views, commands and tasks call these functions."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from ambassadors.models import Ambassador, Topic
from contact import ranking, rules, workflow
from contact.enums import AnswerKind, CloseReason, RequestState, StepAction
from contact.models import WAITING_STATES, CompanyRequest, RequestStep
from contact.selectors import ambassador_load
from core.emails import absolute_url, email_send_on_commit
from territories.models import Departement, NafActivity, Region

REMIND_AFTER = timedelta(days=5)  # the ambassador has not taken the request: a reminder
ESCALATE_AFTER = timedelta(days=10)  # still not taken: the region's coordinators are alerted
RETENTION = timedelta(days=365)  # a closed request keeps the company's personal data 12 months
ERASED = "(effacé)"
STEP_OF = {
    "take": StepAction.TAKEN,
    "answer": StepAction.ANSWERED,
    "reassign": StepAction.REASSIGNED,
    "close": StepAction.CLOSED,
}


class ContactError(Exception):
    """A rule refused the action; the message is for the user, in French."""


class NotAllowed(ContactError):
    pass


class Unavailable(ContactError):
    """The ambassador does not take requests now (paused, monthly maximum reached, not published)."""


class Conflict(ContactError):
    """Someone else changed the request meanwhile."""


@dataclass
class RequestData:
    company_name: str
    contact_name: str
    email: str
    phone: str
    postcode: str
    region: Region
    departement: Departement | None
    size: str
    sector: NafActivity | None
    topic: Topic | None
    message: str
    siret: str = ""


def ambassador_is_available(ambassador: Ambassador, now: datetime | None = None) -> bool:
    return ambassador.is_public and ranking.available(ambassador_load(ambassador, now))


def _step(request, *, action, by=None, state_from="", note="") -> None:
    RequestStep.objects.create(
        request=request,
        actor=by if by is not None and by.is_authenticated else None,
        action=action,
        state_from=state_from,
        state_to=request.state,
        ambassador=request.ambassador,
        note=note[:500],
    )


def _email_ambassador(request: CompanyRequest, template: str, **context) -> None:
    email_send_on_commit(
        to=[request.ambassador.contact_email],
        template=template,
        context={
            "request": request,
            "ambassador": request.ambassador,
            "inbox_url": absolute_url(f"/espace/demandes/{request.pk}/"),
            **context,
        },
    )


def _email_company(request: CompanyRequest, template: str) -> None:
    if request.email:
        email_send_on_commit(
            to=[request.email],
            template=template,
            context={"request": request, "followup_url": absolute_url(request.get_absolute_url())},
        )


@transaction.atomic
def request_submit(
    *, ambassador: Ambassador, data: RequestData, now: datetime | None = None
) -> CompanyRequest:
    """Record the request and relay it: the ambassador gets the request and a link to their inbox, the company an
    acknowledgement with its private follow-up link. The ambassador's address is never given to the company.
    Refused (``Unavailable``) when the ambassador is not published, paused requests, or reached their maximum."""
    now = now or timezone.now()
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    if not ambassador_is_available(ambassador, now):
        raise Unavailable(
            f"{ambassador.full_name} ne reçoit pas de nouvelles demandes en ce moment : "
            "choisissez un autre ambassadeur."
        )
    request = CompanyRequest.objects.create(
        ambassador=ambassador,
        region=data.region,
        departement=data.departement,
        postcode=data.postcode,
        company_name=data.company_name.strip(),
        contact_name=data.contact_name.strip(),
        email=data.email.strip().lower(),
        phone=data.phone.strip(),
        siret=data.siret,
        size=data.size,
        sector=data.sector,
        topic=data.topic,
        message=data.message.strip(),
        consent_at=now,
        assigned_at=now,
    )
    _step(request, action=StepAction.CREATED)
    _email_ambassador(request, "contact/email/ambassador_new.txt")
    _email_company(request, "contact/email/company_ack.txt")
    return request


@transaction.atomic
def request_transition(
    *,
    request: CompanyRequest,
    by,
    action: str,
    version: int | None = None,
    reason: str = "",
    answer_kind: str = "",
    to_ambassador: Ambassador | None = None,
    note: str = "",
) -> CompanyRequest:
    """Make one move of ``workflow.TRANSITIONS``. Guarantees: only the moves of the table, by whom it says; two
    people acting at once cannot both win (``version``, else ``Conflict``); a closing has a reason; a reassignment
    names another ambassador who takes requests, and restarts the reminders' clock; each move is in the history."""
    if action not in workflow.TRANSITIONS:
        raise ContactError("Action inconnue.")
    if not rules.can_act(by, request, action):
        raise NotAllowed("Vous ne pouvez pas faire cette action sur cette demande.")
    if not workflow.allowed(action, request.state):
        raise ContactError("Cette action n’est pas possible dans l’état actuel de la demande.")
    now = timezone.now()
    changes: dict = {"state": workflow.TRANSITIONS[action][1], "version": request.version + 1}
    previous_ambassador = None
    if action == "take":
        changes["taken_at"] = now
    elif action == "answer":
        if answer_kind not in AnswerKind.values:
            raise ContactError("Indiquez s’il s’agit d’un appel ou d’un rendez-vous.")
        changes.update(answered_at=now, answer_kind=answer_kind)
    elif action == "close":
        if reason not in CloseReason.values or reason == CloseReason.ERASED:
            raise ContactError("Indiquez le motif de clôture.")
        changes.update(closed_at=now, close_reason=reason)
    elif action == "reassign":
        if to_ambassador is None or to_ambassador.pk == request.ambassador_id:
            raise ContactError("Choisissez l’ambassadeur à qui confier la demande.")
        if not ambassador_is_available(to_ambassador, now):
            raise ContactError(f"{to_ambassador.full_name} ne reçoit pas de demandes en ce moment.")
        previous_ambassador = request.ambassador
        changes.update(
            ambassador=to_ambassador, assigned_at=now, taken_at=None, reminded_at=None, escalated_at=None
        )
    expected = request.version if version is None else version
    updated = CompanyRequest.objects.filter(pk=request.pk, version=expected, state=request.state).update(
        **changes
    )
    if not updated:
        raise Conflict("La demande a été modifiée entre-temps : voici son état actuel.")
    state_from = request.state
    for name, value in changes.items():
        setattr(request, name, value)
    _step(request, action=STEP_OF[action], by=by, state_from=state_from, note=note)
    if action == "reassign":
        _email_ambassador(request, "contact/email/ambassador_new.txt", reassigned=True)
        email_send_on_commit(
            to=[previous_ambassador.contact_email],
            template="contact/email/ambassador_reassigned_away.txt",
            context={"request": request, "ambassador": previous_ambassador},
        )
    elif action == "close":
        _email_company(request, "contact/email/company_closed.txt")
    return request


@transaction.atomic
def request_feedback(*, request: CompanyRequest, useful: str, contacted: bool) -> CompanyRequest:
    """The company's two answers, once the request is closed; given once."""
    if request.state != RequestState.CLOSED or request.feedback_at or request.anonymised_at:
        raise ContactError("Votre avis a déjà été donné, ou la demande n’est pas encore close.")
    request.feedback_useful, request.feedback_contacted, request.feedback_at = (
        useful,
        contacted,
        timezone.now(),
    )
    request.save(update_fields=["feedback_useful", "feedback_contacted", "feedback_at"])
    _step(request, action=StepAction.FEEDBACK)
    return request


def _anonymise(request: CompanyRequest, now: datetime) -> None:
    request.company_name = request.contact_name = ERASED
    request.email = request.phone = request.siret = request.message = request.postcode = ""
    request.anonymised_at = now
    request.save(
        update_fields=[
            "company_name",
            "contact_name",
            "email",
            "phone",
            "siret",
            "message",
            "postcode",
            "anonymised_at",
        ]
    )


@transaction.atomic
def request_erase(*, request: CompanyRequest) -> CompanyRequest:
    """The company's right to erasure, from its private link: its data is removed at once; an open request is
    closed and its ambassador told. What remains (département, sector, size, dates, states) is not personal."""
    now = timezone.now()
    request = CompanyRequest.objects.select_for_update().get(pk=request.pk)
    if request.anonymised_at:
        return request
    was_open = request.is_open
    if was_open:
        state_from = request.state
        request.state, request.closed_at, request.close_reason = RequestState.CLOSED, now, CloseReason.ERASED
        request.version += 1
        request.save(update_fields=["state", "closed_at", "close_reason", "version"])
        _step(request, action=StepAction.CLOSED, state_from=state_from, note=CloseReason.ERASED.label)
        _email_ambassador(request, "contact/email/ambassador_erased.txt")
    _anonymise(request, now)
    _step(request, action=StepAction.ERASED)
    return request


def requests_anonymise_expired(*, now: datetime | None = None) -> int:
    """Anonymise the requests closed more than ``RETENTION`` ago; returns how many. Safe to run again."""
    now = now or timezone.now()
    count = 0
    expired = CompanyRequest.objects.filter(
        state=RequestState.CLOSED, closed_at__lte=now - RETENTION, anonymised_at__isnull=True
    )
    for request in expired.iterator():
        with transaction.atomic():
            _anonymise(request, now)
            count += 1
    return count


def _coordinators_of(region_id: str) -> list[str]:
    regional = list(
        User.objects.filter(role=Role.REGIONAL_COORDINATOR, region_id=region_id, is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return regional or list(
        User.objects.filter(role=Role.NATIONAL_COORDINATOR, is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )


def requests_send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the ambassador of a request not taken after ``REMIND_AFTER``; alert the region's coordinators (the
    national coordination when the region has none) after ``ESCALATE_AFTER``. Each once per assignment: safe to run
    every hour. Returns how many of each were sent."""
    now = now or timezone.now()
    sent = {"rappels": 0, "alertes": 0}
    waiting = CompanyRequest.objects.filter(state__in=WAITING_STATES).select_related("ambassador", "region")
    for request in waiting.filter(assigned_at__lte=now - REMIND_AFTER, reminded_at__isnull=True):
        with transaction.atomic():
            if CompanyRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(reminded_at=now):
                _step(request, action=StepAction.REMINDED)
                _email_ambassador(request, "contact/email/ambassador_reminder.txt")
                sent["rappels"] += 1
    for request in waiting.filter(assigned_at__lte=now - ESCALATE_AFTER, escalated_at__isnull=True):
        with transaction.atomic():
            if CompanyRequest.objects.filter(pk=request.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                _step(request, action=StepAction.ESCALATED)
                recipients = _coordinators_of(request.region_id)
                if recipients:
                    email_send_on_commit(
                        to=recipients,
                        template="contact/email/coordinators_alert.txt",
                        context={
                            "request": request,
                            "days": (now - request.assigned_at).days,
                            "request_url": absolute_url(f"/espace/demandes/{request.pk}/"),
                        },
                    )
                sent["alertes"] += 1
    return sent


def requests_unanswered_filter(now: datetime | None = None) -> Q:
    """Requests still not taken ``ESCALATE_AFTER`` after being given to their ambassador."""
    now = now or timezone.now()
    return Q(state__in=WAITING_STATES, assigned_at__lte=now - ESCALATE_AFTER)
