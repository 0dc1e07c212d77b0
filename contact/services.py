"""Writes on company requests: submission (relay), the follow-up moves, the company's feedback and erasure,
reminders, closing of idle requests, anonymisation. Views, commands and tasks call these functions.

What a coordinator answers for (reassigning, closing someone else's request) and the company's erasure go to the
audit log, with the request's number and the ambassadors' ids only: never the company's data."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from ambassadors.models import Ambassador, Topic
from contact import ranking, rules, workflow
from contact.enums import AnswerKind, CloseReason, DeclineReason, RequestState, Side, StepAction
from contact.forms import RequestCorrectionForm
from contact.models import (
    OPEN_STATES,
    WAITING_STATES,
    CompanyRequest,
    RequestDecline,
    RequestMessage,
    RequestStep,
)
from contact.selectors import ambassador_load, next_ambassador_for, reassignment_choices
from core import throttle
from core.emails import absolute_url, email_send_on_commit
from core.errors import Conflict, DomainError, NotAllowed
from core.formats import agree
from core.services import audit_log
from territories.models import Departement, NafActivity, Region

REASSIGNMENT_RESETS = {  # a reassigned request starts afresh (the demo replays it the same way)
    **dict.fromkeys(("taken_at", "reminded_at", "escalated_at", "declined_at", "taken_reminded_at")),
    "ambassador_shares_contact": False,  # the new ambassador chooses for themselves
}
MESSAGE_MAX = 3000
REMIND_AFTER = timedelta(days=5)  # the ambassador has not taken the request: a reminder
ESCALATE_AFTER = timedelta(days=10)  # still not taken: the region's coordinators are alerted
REMIND_TAKEN_AFTER = timedelta(days=10)  # taken, but no exchange recorded: one more reminder
IDLE_AFTER = timedelta(days=183)  # six months without any step: closed « sans suite »
RETENTION = timedelta(days=365)  # a closed request keeps the company's personal data 12 months
ERASED = "(effacé)"
STEP_OF = {
    "take": StepAction.TAKEN,
    "answer": StepAction.ANSWERED,
    "reassign": StepAction.REASSIGNED,
    "decline": StepAction.DECLINED,
    "route": StepAction.ROUTED,
    "close": StepAction.CLOSED,
}
# Closing reasons written by the platform, never chosen by a person.
AUTOMATIC_CLOSE_REASONS = frozenset({CloseReason.ERASED, CloseReason.EXPIRED})


class ContactError(DomainError):
    """A rule of company requests refused the action (``core.errors``)."""


class Unavailable(ContactError):
    """The ambassador does not take requests now (paused, monthly maximum reached, not published)."""


class TooManyMessages(ContactError):
    """One side of a request wrote more messages today than ``MESSAGE_LIMITS`` allows (a 429, the text kept)."""


# Messages of one request's thread, per side, over a day (each one is an email to the other side): the company as
# an applicant on its application; the team (the assignee, the coordination) more, as it may answer several
# questions. ``settings.RATE_LIMITS`` overrides them kind by kind, like ``core.throttle``'s own limits.
MESSAGE_LIMITS = {
    "request-message-company": (10, 86400),
    "request-message-team": (30, 86400),
}


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
    shares_contact: bool = (
        False  # « Je souhaite que l’ambassadeur voie mon adresse électronique et mon téléphone »
    )


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


def response_promise(ambassador: Ambassador | None = None) -> str:
    """What a company may expect, in the platform's own rule (``REMIND_AFTER``, ``ESCALATE_AFTER``): said on the
    page after sending, the follow-up page and the emails, in these words; about ``ambassador`` when known, in
    words agreeing with their gender (neutral when they did not say)."""
    who = (
        agree(
            ambassador.gender, feminine="L’ambassadrice", masculine="L’ambassadeur", neutral="Cette personne"
        )
        if ambassador is not None
        else "L’ambassadeur ou l’ambassadrice"
    )
    return (
        f"{who} a {REMIND_AFTER.days} jours pour prendre en charge votre demande ; sans nouvelles de sa "
        f"part après {ESCALATE_AFTER.days} jours, la coordination régionale est prévenue et peut la confier à un "
        "autre ambassadeur de la région."
    )


def state_promise(request: CompanyRequest) -> str:
    """What comes next for the company, in the state its request is in (the follow-up page and the emails)."""
    if request.state == RequestState.CLOSED:
        return (
            "Votre demande est close. Pour un nouveau besoin, écrivez de nouveau à un ambassadeur depuis "
            "« Trouver un ambassadeur »."
        )
    if request.declined_at:
        return (
            "La coordination régionale cherche l’ambassadeur le mieux placé pour vous répondre et lui confie votre "
            "demande ; un courriel vous dira à qui."
        )
    if request.state in WAITING_STATES:
        return response_promise(request.ambassador)
    if request.state == RequestState.TAKEN:
        return (
            f"L’ambassadeur vous répond par la messagerie de cette page ou vous propose un échange ; sans échange "
            f"{REMIND_TAKEN_AFTER.days} jours après la prise en charge, la plateforme le lui rappelle, et la coordination "
            "régionale peut confier votre demande à un autre ambassadeur."
        )
    return (
        "L’ambassadeur clôt la demande quand vous n’avez plus besoin de lui ; vous pouvez encore lui écrire par la "
        "messagerie de cette page."
    )


def _email_company(request: CompanyRequest, template: str, **context) -> None:
    if request.email:
        email_send_on_commit(
            to=[request.email],
            template=template,
            context={
                "request": request,
                "followup_url": absolute_url(request.get_absolute_url()),
                "promise": response_promise(request.ambassador),
                "next": state_promise(request),
                **context,
            },
        )


def _email_coordinators(request: CompanyRequest, template: str, **context) -> None:
    recipients = _coordinators_of(request.region_id)
    if recipients:
        email_send_on_commit(
            to=recipients,
            template=template,
            context={
                "request": request,
                "request_url": absolute_url(f"/espace/demandes/{request.pk}/"),
                **context,
            },
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
            f"{ambassador.full_name} ne reçoit pas de nouvelles demandes en ce moment : "
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
        company_shares_contact=data.shares_contact,
    )
    _step(request, action=StepAction.CREATED)
    _email_ambassador(request, "contact/email/ambassador_new.txt")
    _email_company(request, "contact/email/company_ack.txt")
    return request


def _apply(request: CompanyRequest, *, action: str, by, changes: dict, version: int | None, note: str = ""):
    """Write one move: compare-and-set on ``version`` and the state read (else ``Conflict``), then its step."""
    expected = request.version if version is None else version
    updated = CompanyRequest.objects.filter(pk=request.pk, version=expected, state=request.state).update(
        **changes
    )
    if not updated:
        raise Conflict("La demande a été modifiée entre-temps : voici son état actuel.")
    state_from = request.state
    for name, value in changes.items():
        setattr(request, name, value)
    _step(request, action=STEP_OF[action], by=by, state_from=state_from, note=note)


@transaction.atomic
def request_transition(
    *,
    request: CompanyRequest,
    action: str,
    by,
    reason: str = "",
    expected_version: int | None = None,
    answer_kind: str = "",
    to_ambassador: Ambassador | None = None,
    note: str = "",
) -> CompanyRequest:
    """Make one move of ``workflow.WORKFLOW`` (``action``, by name). Guarantees: only the moves of the table, by
    whom it says; two people acting at once cannot both win (``expected_version``, else ``Conflict``); a closing has a reason a person may
    give; a reassignment names another ambassador who takes requests (their row locked while checked), restarts
    the reminders' clock and tells the company who now has its request (public name only); a decline (« Ce n’est
    pas pour moi », with a ``reason`` of ``DeclineReason``) gives the request back: the platform hands it at once
    to the next best available ambassador who has not declined it (``route``), or, when nobody fits, alerts the
    region’s coordinators and puts it in their « sans réponse » list; the company is never told who declined;
    each move is in the history; a coordinator’s reassignment or closing is in the audit log."""
    if action not in workflow.WORKFLOW:
        raise ContactError("Action inconnue.")
    not_yours = "Vous ne pouvez pas faire cette action sur cette demande."
    # Whose move first (a 403 before the state is looked at), then the table.
    if not rules.can_act(by, request, action):
        raise NotAllowed(not_yours)
    workflow.WORKFLOW.check(
        action,
        request.state,
        rules.actor_of(by, request),
        error=ContactError,
        impossible="Cette action n’est pas possible dans l’état actuel de la demande.",
        not_yours=not_yours,
    )
    now = timezone.now()
    target = workflow.WORKFLOW.target(action, request.state)
    changes: dict = {"state": target, "version": request.version + 1}
    previous_ambassador = request.ambassador
    by_assignee = rules.is_assignee(by, request)
    if action == "take":
        changes.update(taken_at=now, taken_reminded_at=None, declined_at=None)
    elif action == "answer":
        if answer_kind not in AnswerKind.values:
            raise ContactError("Indiquez s’il s’agit d’un appel ou d’un rendez-vous.")
        changes.update(answered_at=now, answer_kind=answer_kind)
    elif action == "close":
        if reason not in CloseReason.values or reason in AUTOMATIC_CLOSE_REASONS:
            raise ContactError("Indiquez le motif de clôture.")
        if reason == CloseReason.DONE and request.state != RequestState.ANSWERED:
            raise ContactError(
                "Aucun échange n’est noté sur cette demande : notez d’abord l’appel ou le rendez-vous, ou "
                "choisissez un autre motif de clôture."
            )
        changes.update(closed_at=now, close_reason=reason)
    elif action == "decline":
        if reason not in DeclineReason.values:
            raise ContactError("Indiquez pourquoi la demande n’est pas pour vous.")
        changes.update(declined_at=now)
    elif action == "reassign":
        if to_ambassador is None or to_ambassador.pk == request.ambassador_id:
            raise ContactError("Choisissez l’ambassadeur à qui confier la demande.")
        # Whatever the door, the new ambassador is one the form offers: published, of the request's region.
        if not reassignment_choices(request).filter(pk=to_ambassador.pk).exists():
            raise ContactError(
                f"{to_ambassador.full_name} n’intervient pas dans la région de la demande, ou a déjà rendu "
                "cette demande (« Ce n’est pas pour moi ») : choisissez un autre ambassadeur de la région ou de portée "
                "nationale."
            )
        # Locked like in ``request_submit``: a company writing to them meanwhile cannot push them past their maximum.
        to_ambassador = Ambassador.objects.select_for_update().get(pk=to_ambassador.pk)
        if not ambassador_is_available(to_ambassador, now):
            raise ContactError(f"{to_ambassador.full_name} ne reçoit pas de demandes en ce moment.")
        changes.update(ambassador=to_ambassador, assigned_at=now, **REASSIGNMENT_RESETS)
    _apply(request, action=action, by=by, changes=changes, version=expected_version, note=note)
    if action == "reassign":
        audit_log(
            actor=by,
            action="company_request.reassign",
            obj=request,
            changes={"ambassadeur": to_ambassador.pk, "ambassadeur_precedent": previous_ambassador.pk},
        )
        _email_ambassador(request, "contact/email/ambassador_new.txt", reassigned=True)
        email_send_on_commit(
            to=[previous_ambassador.contact_email],
            template="contact/email/ambassador_reassigned_away.txt",
            context={"request": request, "ambassador": previous_ambassador},
        )
        _email_company(request, "contact/email/company_reassigned.txt")
    elif action == "take":
        _email_company(request, "contact/email/company_taken.txt")
    elif action == "decline":
        RequestDecline.objects.get_or_create(
            request=request,
            ambassador=previous_ambassador,
            defaults={"reason": reason, "note": note.strip()[:500]},
        )
        if not _route(request, now):
            # Nobody fits: the coordinators hand it on; their alert after 10 days would say nothing new.
            CompanyRequest.objects.filter(pk=request.pk).update(escalated_at=request.escalated_at or now)
            request.escalated_at = request.escalated_at or now
            _email_coordinators(
                request,
                "contact/email/coordinators_declined.txt",
                note=note.strip()[:500],
                reason=DeclineReason(reason).label,
            )
    elif action == "close":
        if not by_assignee:
            audit_log(
                actor=by,
                action="company_request.close",
                obj=request,
                changes={"motif": reason, "ambassadeur": request.ambassador_id},
            )
        _email_company(request, "contact/email/company_closed.txt")
    return request


def _route(request: CompanyRequest, now: datetime) -> bool:
    """The platform's ``route``: hand a declined request to the next best available ambassador of its region (the
    ranking of a company's need, from what the request says), never one who declined it. False when nobody fits
    (the request stays declined, for the coordinators)."""
    if not workflow.WORKFLOW.allowed("route", request.state):
        return False
    declined = set(RequestDecline.objects.filter(request=request).values_list("ambassador_id", flat=True))
    nxt = next_ambassador_for(request, exclude=declined | {request.ambassador_id})
    if nxt is None:
        return False
    nxt = Ambassador.objects.select_for_update().get(pk=nxt.pk)
    if not ambassador_is_available(nxt, now):
        return False
    changes = {
        "state": workflow.WORKFLOW.target("route", request.state),
        "version": request.version + 1,
        "ambassador": nxt,
        "assigned_at": now,
        **REASSIGNMENT_RESETS,
    }
    _apply(request, action="route", by=None, changes=changes, version=None)
    _email_ambassador(request, "contact/email/ambassador_new.txt", routed=True)
    _email_company(request, "contact/email/company_reassigned.txt", routed=True)
    return True


def _other_side_email(request: CompanyRequest, message: RequestMessage) -> None:
    """Relay a message to the other side: from the platform's address, no Reply-To, never either side's address;
    the link leads back to the thread."""
    context = {"message": message, "author": _author_label(request, message.side)}
    if message.side == Side.COMPANY and request.declined_at:  # waiting for the coordination to hand it on
        _email_coordinators(request, "contact/email/coordinators_message.txt", **context)
    elif message.side == Side.COMPANY:
        _email_ambassador(request, "contact/email/ambassador_message.txt", **context)
    else:
        _email_company(request, "contact/email/company_message.txt", **context)


def _author_label(request: CompanyRequest, side: str) -> str:
    if side == Side.AMBASSADOR:
        return request.ambassador.full_name
    if side == Side.COORDINATOR:
        return "La coordination régionale"
    return request.contact_name


def _count_message(request: CompanyRequest, side: str) -> None:
    """One more message of ``side`` on ``request`` today; ``TooManyMessages`` past its limit."""
    kind = "request-message-company" if side == Side.COMPANY else "request-message-team"
    count, seconds = throttle.limits().get(kind, MESSAGE_LIMITS[kind])
    if throttle.hit(kind, f"{request.pk}:{side}", seconds) > count:
        if side == Side.COMPANY:
            raise TooManyMessages(
                "Vous avez déjà envoyé beaucoup de messages aujourd’hui sur cette demande : réessayez demain, ou "
                "attendez la réponse de l’ambassadeur. Votre texte est gardé ci-dessous."
            )
        raise TooManyMessages(
            "Beaucoup de messages ont déjà été envoyés aujourd’hui à cette entreprise : réessayez demain. Votre "
            "texte est gardé ci-dessous."
        )


@transaction.atomic
def request_message_send(*, request: CompanyRequest, body: str, by=None) -> RequestMessage:
    """One message of the relayed thread. ``by`` is the person signed in (the assignee, or a coordinator of the
    region: ``rules.can_write``); without ``by`` the company writes, from its private link. Guarantees: the request
    is not closed nor erased (else ``ContactError``); the body is 1 to ``MESSAGE_MAX`` characters; the assignee's
    message on a request not yet taken takes it first (``take``, the company told); the message is kept in the
    request's thread (shown in order on both sides, deleted with the company's data) and relayed by email to the
    other side with a link back, from the platform's address, never with an address of either side; at most
    ``MESSAGE_LIMITS`` a day per request and side (``TooManyMessages``), so no side floods the other's mailbox."""
    body = (body or "").strip()
    if not body:
        raise ContactError("Écrivez votre message.")
    if len(body) > MESSAGE_MAX:
        raise ContactError(f"Votre message dépasse {MESSAGE_MAX:,} caractères.".replace(",", "\u202f"))
    request = CompanyRequest.objects.select_for_update().select_related("ambassador").get(pk=request.pk)
    if by is None:
        side = Side.COMPANY
        if not rules.thread_open(request):
            raise ContactError("Votre demande est close : vous ne pouvez plus écrire à l’ambassadeur.")
    else:
        if not rules.can_write(by, request):
            if rules.thread_open(request):
                raise NotAllowed("Vous ne pouvez pas écrire dans cette demande.")
            raise ContactError("La demande est close : la messagerie est fermée.")
        side = rules.side_of(by, request)
        if side == Side.AMBASSADOR and request.state in WAITING_STATES:
            request_transition(request=request, by=by, action="take")
    _count_message(request, side)
    message = RequestMessage.objects.create(
        request=request, side=side, author=by if by is not None else None, body=body
    )
    CompanyRequest.objects.filter(pk=request.pk).update(
        last_message_side=side, last_message_at=message.created_at
    )
    request.last_message_side, request.last_message_at = side, message.created_at
    _other_side_email(request, message)
    return message


def _without_names(text: str, names: list[str]) -> str:
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", ERASED, text, flags=re.IGNORECASE)
    return text


@transaction.atomic
def ambassador_traces_erase(*, ambassador: Ambassador) -> int:
    """What an ambassador wrote in company requests, when their profile is erased
    (``ambassadors.data_rights.ambassador_erase``, called before the profile and the account go). Their messages
    stay: they are the company's record of the exchange too, deleted with the company's data. But nothing links
    them to the person any more (no author) and their name, as written in them (signature, « Bonjour, ici … »), is
    replaced by « (effacé) »; their notes (the history's steps they made, their declines) are blanked: free text
    for the coordinators, which may name them. Returns how many messages were changed."""
    user = ambassador.user
    names = [ambassador.full_name, ambassador.first_name, ambassador.last_name]
    if user is not None:
        names += [user.get_full_name(), user.first_name, user.last_name]
    mine = Q(author=user) if user is not None else Q(pk__in=[])
    mine |= Q(request__ambassador=ambassador, side=Side.AMBASSADOR)
    changed = 0
    for message in RequestMessage.objects.filter(mine).only("pk", "body"):
        RequestMessage.objects.filter(pk=message.pk).update(
            author=None, body=_without_names(message.body, names)
        )
        changed += 1
    if user is not None:
        RequestStep.objects.filter(actor=user).update(actor=None, note="")
    RequestDecline.objects.filter(ambassador=ambassador).exclude(note="").update(note="")
    return changed


@transaction.atomic
def request_share_contact(*, request: CompanyRequest, by, share: bool) -> CompanyRequest:
    """The assignee shows (or hides again) their own address and phone to the company, for this request only."""
    if not rules.can_share_own_contact(by, request):
        raise NotAllowed("Vous ne pouvez pas faire ce choix pour cette demande.")
    CompanyRequest.objects.filter(pk=request.pk).update(ambassador_shares_contact=share)
    request.ambassador_shares_contact = share
    return request


@transaction.atomic
def request_feedback(*, request: CompanyRequest, useful: str, contacted: bool) -> CompanyRequest:
    """The company's two answers, once the request is closed; given once, even by two clicks at the same time (the
    update is conditional on no answer being recorded)."""
    now = timezone.now()
    updated = CompanyRequest.objects.filter(
        pk=request.pk, state=RequestState.CLOSED, feedback_at__isnull=True, anonymised_at__isnull=True
    ).update(feedback_useful=useful, feedback_contacted=contacted, feedback_at=now)
    if not updated:
        raise ContactError("Votre avis a déjà été donné, ou la demande n’est pas encore close.")
    request.feedback_useful, request.feedback_contacted, request.feedback_at = useful, contacted, now
    _step(request, action=StepAction.FEEDBACK)
    return request


class CorrectionInvalid(ContactError):
    """The correction did not pass the contact form's checks: nothing was written; ``form`` carries the errors and
    what was typed."""

    def __init__(self, form):
        self.form = form
        super().__init__("La correction contient des erreurs : rien n’a été modifié.")


NOTHING_TO_CORRECT = "Les informations de cette demande sont effacées : il n’y a plus rien à corriger."


def request_correct(*, request: CompanyRequest, data) -> list[str]:
    """The company's right to rectification, from its private link. ``data`` is what the correction form posted.
    Guarantees: validated by the contact form's own fields and checks (``RequestCorrectionForm``), else
    ``CorrectionInvalid`` and nothing written; who the company is, how to reach it and its message may change until
    its data is erased, where it is (in the same region), its size, sector and topic only while the request is open;
    a change is a step of the history (« La demande a été modifiée par l’entreprise », no value in it) and, while
    the request is open, its ambassador gets the request as it now reads; a new email gets the follow-up link, the
    old one is told. Returns the names of the fields changed (none: nothing written)."""
    request = CompanyRequest.objects.select_related("ambassador", "region", "sector", "topic").get(
        pk=request.pk
    )
    if request.anonymised_at:
        raise ContactError(NOTHING_TO_CORRECT)
    form = RequestCorrectionForm(data, request=request)
    if not form.is_valid():
        raise CorrectionInvalid(form)
    values = form.corrected()
    changed = [name for name, value in values.items() if getattr(request, name) != value]
    if not changed:
        return []
    refused = throttle.correction_refused("request", request.pk, changes_email="email" in changed)
    if refused:
        form.add_error("email" if "email" in changed else None, refused)
        raise CorrectionInvalid(form)
    old_email = request.email
    with transaction.atomic():
        # Judged on the request as it is now: a closing or an erasure since the form was read changes what may be
        # corrected (and an erased request has nothing left to correct).
        current = CompanyRequest.objects.select_for_update().get(pk=request.pk)
        if current.anonymised_at or current.is_open != request.is_open:
            raise Conflict(
                "Votre demande a changé entre-temps : rechargez la page, puis corrigez de nouveau."
            )
        # A new version: a step taken from a page read before the correction is a conflict, not blind.
        CompanyRequest.objects.filter(pk=request.pk).update(
            **{name: values[name] for name in changed}, version=F("version") + 1
        )
        request.version += 1
        for name in changed:
            setattr(request, name, values[name])
        _step(request, action=StepAction.MODIFIED)
        if request.is_open:
            labels = [str(CompanyRequest._meta.get_field(name).verbose_name) for name in changed]
            _email_ambassador(request, "contact/email/ambassador_modified.txt", changed=labels)
        if "email" in changed:
            context = {"request": request, "followup_url": absolute_url(request.get_absolute_url())}
            email_send_on_commit(
                to=[request.email], template="contact/email/company_email_changed.txt", context=context
            )
            email_send_on_commit(
                to=[old_email], template="contact/email/company_email_changed_old.txt", context=context
            )
    return changed


def _anonymise(request: CompanyRequest, now: datetime) -> None:
    """Blank the company's data, and the notes of the history and of the declines (free text: coordinators may have
    written a name or a phone number there); delete the messages of the thread."""
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
    RequestStep.objects.filter(request=request).exclude(note="").update(note="")
    RequestMessage.objects.filter(request=request).delete()
    RequestDecline.objects.filter(request=request).exclude(note="").update(note="")


@transaction.atomic
def request_erase(*, request: CompanyRequest) -> CompanyRequest:
    """The company’s right to erasure, from its private link: its data (and the notes of the history) is removed at
    once; a request not yet closed is closed. The ambassador it is with is always told to delete what they
    received, even when it was already closed. The erasure is in the audit log (request number, ambassador).
    What remains (département, sector, size, dates, states) is not personal."""
    now = timezone.now()
    request = CompanyRequest.objects.select_for_update().get(pk=request.pk)
    if request.anonymised_at:
        return request
    state_from = request.state
    was_open = state_from != RequestState.CLOSED
    if was_open:
        request.state, request.closed_at, request.close_reason = RequestState.CLOSED, now, CloseReason.ERASED
        request.version += 1
        request.save(update_fields=["state", "closed_at", "close_reason", "version"])
    _anonymise(request, now)
    if was_open:
        _step(request, action=StepAction.CLOSED, state_from=state_from, note=CloseReason.ERASED.label)
    _step(request, action=StepAction.ERASED)
    audit_log(
        actor=None,
        action="company_request.erase",
        obj=request,
        changes={"ambassadeur": request.ambassador_id, "etat_avant": state_from},
    )
    _email_ambassador(request, "contact/email/ambassador_erased.txt", was_open=was_open)
    return request


def requests_close_idle(*, now: datetime | None = None) -> int:
    """Close as « sans suite après six mois » (``CloseReason.EXPIRED``) every request not closed whose last step
    (or assignment, for a request without steps) is more than ``IDLE_AFTER`` old, and tell the company; returns
    how many. Such a request then follows the rule of closed ones: anonymised ``RETENTION`` later. Compare-and-set
    on ``version``: a person acting at the same moment wins. Safe to run again."""
    now = now or timezone.now()
    cutoff = now - IDLE_AFTER
    idle = (
        CompanyRequest.objects.exclude(state=RequestState.CLOSED)
        .filter(anonymised_at__isnull=True, assigned_at__lte=cutoff)
        .annotate(last_step=Max("steps__at"))
        .filter(Q(last_step__isnull=True) | Q(last_step__lte=cutoff))
        .filter(Q(last_message_at__isnull=True) | Q(last_message_at__lte=cutoff))
        .select_related("ambassador")
    )
    closed = 0
    for request in list(idle):
        with transaction.atomic():
            state_from = request.state
            changes = {
                "state": RequestState.CLOSED,
                "closed_at": now,
                "close_reason": CloseReason.EXPIRED,
                "version": request.version + 1,
            }
            if CompanyRequest.objects.filter(pk=request.pk, version=request.version, state=state_from).update(
                **changes
            ):
                for name, value in changes.items():
                    setattr(request, name, value)
                _step(
                    request, action=StepAction.CLOSED, state_from=state_from, note=CloseReason.EXPIRED.label
                )
                _email_company(request, "contact/email/company_closed.txt")
                closed += 1
    return closed


def requests_anonymise_expired(*, now: datetime | None = None) -> dict[str, int]:
    """First close the requests idle for six months (``requests_close_idle``), then anonymise the requests closed
    ``RETENTION`` ago or more (at 365 days exactly, not a day later). Returns how many of each. Safe to run
    again."""
    now = now or timezone.now()
    done = {"closes": requests_close_idle(now=now), "anonymisees": 0}
    expired = CompanyRequest.objects.filter(
        state=RequestState.CLOSED, closed_at__lte=now - RETENTION, anonymised_at__isnull=True
    )
    for request in expired.iterator():
        with transaction.atomic():
            _anonymise(request, now)
            done["anonymisees"] += 1
    return done


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


def _still(request: CompanyRequest, **conditions):
    """The request, only if it is still with the same ambassador, under the same assignment, in the same
    situation as when it was read: a reassignment or a taking in between makes the update match nothing."""
    return CompanyRequest.objects.filter(
        pk=request.pk, ambassador_id=request.ambassador_id, assigned_at=request.assigned_at, **conditions
    )


def _remind(request: CompanyRequest, now: datetime) -> bool:
    """The reminder of a request not taken, unless it was taken, declined, reassigned or reminded meanwhile."""
    with transaction.atomic():
        if not _still(
            request, state__in=WAITING_STATES, reminded_at__isnull=True, declined_at__isnull=True
        ).update(reminded_at=now):
            return False
        _step(request, action=StepAction.REMINDED)
        _email_ambassador(request, "contact/email/ambassador_reminder.txt")
    return True


def _escalate(request: CompanyRequest, now: datetime) -> bool:
    """The coordinators' alert on a request still not taken, unless something changed meanwhile."""
    with transaction.atomic():
        if not _still(request, state__in=WAITING_STATES, escalated_at__isnull=True).update(escalated_at=now):
            return False
        _step(request, action=StepAction.ESCALATED)
        _email_coordinators(
            request, "contact/email/coordinators_alert.txt", days=(now - request.assigned_at).days
        )
    return True


def _remind_taken(request: CompanyRequest, now: datetime) -> bool:
    """The reminder of a request taken and never answered, unless something changed meanwhile."""
    with transaction.atomic():
        if not _still(
            request,
            state=RequestState.TAKEN,
            taken_at=request.taken_at,
            taken_reminded_at__isnull=True,
            declined_at__isnull=True,
        ).update(taken_reminded_at=now):
            return False
        _step(request, action=StepAction.REMINDED)
        _email_ambassador(request, "contact/email/ambassador_taken_reminder.txt")
    return True


def requests_send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the ambassador of a request not taken after ``REMIND_AFTER``; alert the region's coordinators (the
    national coordination when the region has none) after ``ESCALATE_AFTER``; remind the ambassador of a request
    taken but with no exchange recorded (« J’ai répondu », or a message of theirs in the thread)
    ``REMIND_TAKEN_AFTER`` after taking it. Each once per assignment (or
    taking): a reassigned request starts again, and its new ambassador gets their own reminder 5 days after the
    new assignment. Each update is a compare-and-set on the state, the ambassador and the assignment date read, so
    a reassignment or a taking while this runs is never reminded for the old situation. A declined request is
    not reminded (the coordinators already know). Safe to run every hour. Returns how many of each were sent."""
    now = now or timezone.now()
    sent = {"rappels": 0, "alertes": 0, "rappels_prises_en_charge": 0}
    waiting = CompanyRequest.objects.filter(state__in=WAITING_STATES).select_related("ambassador", "region")
    for request in list(
        waiting.filter(
            assigned_at__lte=now - REMIND_AFTER, reminded_at__isnull=True, declined_at__isnull=True
        )
    ):
        sent["rappels"] += _remind(request, now)
    for request in list(waiting.filter(assigned_at__lte=now - ESCALATE_AFTER, escalated_at__isnull=True)):
        sent["alertes"] += _escalate(request, now)
    taken = (
        CompanyRequest.objects.filter(
            state=RequestState.TAKEN,
            taken_at__lte=now - REMIND_TAKEN_AFTER,
            taken_reminded_at__isnull=True,
            declined_at__isnull=True,
        )
        .exclude(written_since_taken())
        .select_related("ambassador", "region")
    )
    for request in list(taken):
        sent["rappels_prises_en_charge"] += _remind_taken(request, now)
    return sent


def requests_unanswered_filter(now: datetime | None = None) -> Q:
    """The requests the coordinators should look at (their « sans réponse » list): not taken ``ESCALATE_AFTER``
    after being given to their ambassador, taken but with no exchange ``REMIND_TAKEN_AFTER`` after, or declined by
    their ambassador."""
    now = now or timezone.now()
    return (
        Q(state__in=WAITING_STATES, assigned_at__lte=now - ESCALATE_AFTER)
        | (Q(state=RequestState.TAKEN, taken_at__lte=now - REMIND_TAKEN_AFTER) & ~written_since_taken())
        | Q(state__in=OPEN_STATES, declined_at__isnull=False)
    )


def written_since_taken() -> Q:
    """A message of the ambassador to the company after taking the request is an exchange: no reminder for it."""
    return Q(
        Exists(
            RequestMessage.objects.filter(
                request=OuterRef("pk"), side=Side.AMBASSADOR, created_at__gte=OuterRef("taken_at")
            )
        )
    )
