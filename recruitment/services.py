"""Writes of the recruitment workflow. Views, the bulk form, commands and tests all go through these functions,
so the transition table, the scope rules, the audit log and the emails are the same at every door."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.services import activation_path, user_blocking_ambassador_account, user_get_or_invite_ambassador
from ambassadors.models import Ambassador
from ambassadors.services import ambassador_account_attach, ambassador_designate
from core import throttle
from core.emails import absolute_url, email_send_on_commit
from core.errors import Conflict, DomainError, NotAllowed
from core.formats import french_date, french_datetime
from core.models import AuditEntry
from core.services import audit_log
from recruitment import rules, workflow
from recruitment.enums import ApplicationAction, ApplicationState, MessageKind, MessageSender
from recruitment.models import Application, ApplicationMessage, ApplicationStep, Call, Review
from territories.selectors import communes_for_postcode


class RecruitmentError(DomainError):
    """A rule of recruitment refused the action (``core.errors``)."""


class CallClosed(RecruitmentError):
    pass


class EmailTaken(RecruitmentError):
    """The applicant's email already belongs to another account: designating would leave a profile nobody can log
    into. Nothing was written."""

    def __init__(self, application: Application, user):
        if user.role == Role.AMBASSADOR:
            whose = "est déjà celle du compte d’un ambassadeur qui a un profil"
        else:
            whose = f"appartient déjà à un compte « {Role(user.role).label} » de la plateforme"
        super().__init__(
            f"L’adresse {application.email} {whose}, et un compte n’a qu’un rôle : la désignation n’est pas "
            "enregistrée. Faites d’abord changer l’adresse de ce compte par un administrateur de la plateforme, "
            "puis désignez de nouveau."
        )


class DuplicateApplication(RecruitmentError):
    def __init__(self, existing: Application):
        self.existing = existing
        super().__init__(
            f"Vous avez déjà candidaté à cet appel le {french_date(timezone.localtime(existing.submitted_at), weekday=False)} : "
            f"votre candidature est « {existing.get_state_display().lower()} ». "
            "Nous venons de vous renvoyer par courriel le lien pour la suivre."
        )


@dataclass
class ApplicationData:
    """What the applicant typed, cleaned by the form (``regions``/``departements`` resolved from the postcode)."""

    fields: dict
    departements: list
    sectors: list
    topics: list


def _send_status_link(application: Application, template: str) -> None:
    email_send_on_commit(
        to=[application.email],
        template=template,
        context={"application": application, "status_url": absolute_url(application.get_private_url())},
    )


# A second application with the same email re-sends the link to that email, at most once per this interval:
# the form cannot be used to flood someone's mailbox.
RESEND_INTERVAL = timedelta(minutes=15)


def _resend_allowed(*, call: Call, email: str, now) -> bool:
    key = "recruitment:resend:" + hashlib.sha256(f"{call.pk}:{email}".encode()).hexdigest()
    timeout = int(RESEND_INTERVAL.total_seconds())
    if cache.add(key, now, timeout=timeout):
        return True
    last = cache.get(key)
    if last is not None and abs(now - last) < RESEND_INTERVAL:
        return False
    cache.set(key, now, timeout=timeout)
    return True


def _step(application: Application, *, action: str, by, state_from: str, note: str = "") -> None:
    """One row of the application's history: ``action`` took it from ``state_from`` to where it is now."""
    ApplicationStep.objects.create(
        application=application,
        actor=by,
        action=action,
        state_from=state_from,
        state_to=application.state,
        note=note,
    )


def application_submit(*, call: Call, data: ApplicationData, now=None) -> Application:
    """Record an application. Guarantees: refused once the call is closed (checked here, at submission, whatever
    page the applicant had open), one per email and call, the first row of its history (``submit``), and the
    applicant gets their private link by email.

    A second application with the same email raises ``DuplicateApplication`` and re-sends the existing link to
    that email (at most once per ``RESEND_INTERVAL``); doors must answer it exactly as a success, so that nobody
    learns whether an email has applied."""
    now = now or timezone.now()
    if not call.is_open_at(now):
        raise CallClosed(
            f"L’appel « {call.title} » est clos depuis le "
            f"{french_datetime(timezone.localtime(call.closes_at))} (heure de Paris) : "
            "votre candidature n’a pas pu être enregistrée."
            if now > call.closes_at
            else f"L’appel « {call.title} » n’est pas encore ouvert."
        )
    email = data.fields["email"].strip().lower()
    existing = Application.objects.filter(call=call, email=email).first()
    if existing:
        if _resend_allowed(call=call, email=email, now=now):
            _send_status_link(existing, "recruitment/email/reminder_link.txt")
        raise DuplicateApplication(existing)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, **{**data.fields, "email": email, "consent_at": now}
            )
            application.departements.set(data.departements)
            application.sectors.set(data.sectors)
            application.topics.set(data.topics)
            _step(application, action=ApplicationAction.SUBMIT, by=None, state_from="")
    except IntegrityError as exc:  # the same email, submitted twice at the same instant
        existing = Application.objects.filter(call=call, email=email).first()
        if existing is None:
            raise
        raise DuplicateApplication(existing) from exc
    _send_status_link(application, "recruitment/email/submitted.txt")
    return application


def _conflict(application: Application) -> Conflict:
    current = Application.objects.select_related("decided_by").get(pk=application.pk)
    who = f" par {current.decided_by}" if current.decided_by else ""
    return Conflict(
        "Cette candidature a été modifiée entre-temps : elle est maintenant "
        f"« {current.get_state_display().lower()} »{who}. Votre décision n’a pas été enregistrée ; "
        "votre motif est conservé ci-dessous."
    )


def team_actor(user, application) -> str | None:
    """What a logged-in user is for the transition table on this application (None: nothing)."""
    return None if user is None else _actor_kind(user, application)


def _actor_kind(user, application) -> str | None:
    if user is None:
        return workflow.APPLICANT
    if rules.can_decide(user, application):
        return workflow.COORDINATOR
    if rules.can_review(user, application):
        return workflow.REVIEWER
    return None


# A correction is due this many days after it is asked, by default, and within these bounds.
CORRECTION_DEFAULT_DAYS = 14
CORRECTION_MIN_DAYS = 1
CORRECTION_MAX_DAYS = 60


def correction_due_default(today=None):
    return (today or timezone.localdate()) + timedelta(days=CORRECTION_DEFAULT_DAYS)


def _check_due_on(due_on, today) -> None:
    first = today + timedelta(days=CORRECTION_MIN_DAYS)
    last = today + timedelta(days=CORRECTION_MAX_DAYS)
    if not first <= due_on <= last:
        raise RecruitmentError(
            f"La date limite de la correction doit être comprise entre le {french_date(first, weekday=False)} "
            f"et le {french_date(last, weekday=False)} : laissez à la personne le temps de corriger, sans "
            f"suspendre l’examen plus de {CORRECTION_MAX_DAYS} jours."
        )


def application_transition(
    *,
    application: Application,
    action: str,
    by,
    reason: str = "",
    expected_version: int | None = None,
    correction_due_on=None,
) -> Application:
    """Make one move of ``workflow.WORKFLOW`` (``action``, by name). ``by`` is a user, or None for the applicant
    (private link).

    Guarantees: the move is in the table from the application's state and ``by`` holds the role it needs; a
    decision has a reason; a correction request has a message (``reason``, shown to the person in the exchange)
    and a date limit (``correction_due_on``, by default ``CORRECTION_DEFAULT_DAYS`` days, within the bounds), and
    the person is emailed both with their private link; the applicant's return from a correction
    (``return_correction``) is refused past that date, while the team may take the examination back up from a
    correction at any time (``resume``, « Reprendre l’examen »: audited as ``reprise``, the person emailed);
    if the application changed since ``expected_version`` (another coordinator decided first) nothing is written
    and ``Conflict`` says what happened; the change is audited and written in the application's history
    (``ApplicationStep``: action, from, to, who; never the reason nor the message); the applicant is emailed at
    each decision; designation creates the ambassador (unpublished) and invites them, and is refused
    (``EmailTaken``, nothing written) when the applicant's email already belongs to another account."""
    if expected_version is not None and expected_version != application.version:
        # Someone moved it since the page was shown: say so, whatever the move asked (judging it against the new
        # state would report "impossible" instead of what happened).
        if _actor_kind(by, application) is None:
            raise NotAllowed("Vous ne pouvez pas agir sur cette candidature.")
        raise _conflict(application)
    frm = application.state
    move = workflow.WORKFLOW.actions.get(action)
    workflow.WORKFLOW.check(
        action,
        frm,
        _actor_kind(by, application),
        error=RecruitmentError,
        unknown="Cette action n’existe pas pour une candidature.",
        impossible=f"Impossible de passer une candidature « {application.get_state_display().lower()} » à "
        f"« {ApplicationState(move.to).label.lower()} »."
        if move and move.to
        else "",
        not_yours="Seuls les coordinateurs du périmètre de la candidature peuvent prendre cette décision.",
    )
    to = workflow.WORKFLOW.target(action, frm)
    reason = (reason or "").strip()
    if to in workflow.DECISIONS and not reason:
        raise RecruitmentError("Une décision doit être motivée : indiquez le motif.")
    today = timezone.localdate()
    if to == workflow.CORRECTION:
        if not reason:
            raise RecruitmentError(
                "Dites à la personne ce qu’elle doit corriger : le message est obligatoire."
            )
        if len(reason) > MESSAGE_MAX_LENGTH:
            raise RecruitmentError(f"Le message ne doit pas dépasser {MESSAGE_MAX_LENGTH} caractères.")
        correction_due_on = correction_due_on or correction_due_default(today)
        _check_due_on(correction_due_on, today)
    # From a correction back to review: the applicant's corrected application, or the team's « Reprendre
    # l’examen » (after the applicant answered by a message, or once overdue), whatever the date.
    returning = action == ApplicationAction.RETURN_CORRECTION
    resuming = action == ApplicationAction.RESUME
    if returning and not workflow.correction_open(application, today):
        raise RecruitmentError(
            "La date limite de la correction est passée : la candidature ne peut plus être corrigée. "
            "Écrivez à l’équipe d’examen depuis votre page de suivi."
        )
    if to == ApplicationState.DESIGNATED and (
        blocking := user_blocking_ambassador_account(application.email)
    ):
        raise EmailTaken(application, blocking)

    now = timezone.now()
    changes = {"state": to, "version": (expected_version or application.version) + 1, "updated_at": now}
    if to in workflow.DECISIONS:
        changes |= {"decided_at": now, "decided_by": by, "decision_reason": reason}
    if to in workflow.DECISIONS or to == ApplicationState.WITHDRAWN:
        changes["correction_returned_at"] = None
    if to == ApplicationState.WITHDRAWN:
        changes["withdrawn_at"] = now
    if to == workflow.CORRECTION:
        changes |= {"correction_due_on": correction_due_on, "correction_returned_at": None}
    if returning:
        changes["correction_returned_at"] = now
    with transaction.atomic():
        # Compare-and-set: only one of two simultaneous deciders matches the state and version it saw.
        updated = Application.objects.filter(
            pk=application.pk, state=frm, version=expected_version or application.version
        ).update(**changes)
        if not updated:
            raise _conflict(application)
        application.refresh_from_db()
        audit_log(
            actor=by,
            action=f"application.{to}",
            obj=application,
            changes={
                "de": frm,
                "vers": to,
                # A decision's reason, not a correction request's message: that one is in the exchange, and
                # erased with it (docs/personal-data.md); the log keeps that it was asked, and its date limit.
                **({"motif": reason} if reason and to != workflow.CORRECTION else {}),
                **({"echeance": correction_due_on.isoformat()} if to == workflow.CORRECTION else {}),
                **({"reprise": True} if resuming else {}),
            },
        )
        _step(
            application,
            action=action,
            by=by,
            state_from=frm,
            note=f"À corriger au plus tard le {french_date(correction_due_on, weekday=False)}"
            if to == workflow.CORRECTION
            else "",
        )
        if to == workflow.CORRECTION:
            message = ApplicationMessage.objects.create(
                application=application,
                sender=MessageSender.TEAM,
                author=by,
                author_label=team_label(by),
                kind=MessageKind.CORRECTION_REQUEST,
                body=reason,
            )
            email_send_on_commit(
                to=[application.email],
                template="recruitment/email/correction_requested.txt",
                context={
                    "application": application,
                    "message": message,
                    "due_on": french_date(correction_due_on, weekday=True),
                    "status_url": absolute_url(application.get_private_url()),
                    "correct_url": absolute_url(reverse("recruitment:correct", args=[application.token])),
                },
            )
        if to == ApplicationState.DESIGNATED:
            _designate(application, by=by)
        if to in workflow.DECISIONS or action == ApplicationAction.REOPEN:
            _send_status_link(
                application, f"recruitment/email/{to if to in workflow.DECISIONS else 'reopened'}.txt"
            )
        if to == ApplicationState.WITHDRAWN:
            _send_status_link(application, "recruitment/email/withdrawn.txt")
        if resuming:
            _send_status_link(application, "recruitment/email/resumed.txt")
    return application


def _designate(application: Application, *, by) -> Ambassador:
    """Create the (unpublished, not yet consented) ambassador profile from the application and invite the person
    to set a password, complete their profile and consent."""
    ambassador = ambassador_designate(
        by=by,
        values={
            "first_name": application.first_name,
            "last_name": application.last_name,
            "gender": application.gender,
            "job_title": application.job_title,
            "structure_name": application.structure_name,
            "siren": application.siret[:9],
            "kind": application.profile_kind,
            "proposing_network": application.proposing_network,
            "contact_email": application.email,
            "contact_phone": application.phone,
            # The structure's commune (the biggest its postcode serves): where the ambassador is based until they
            # say otherwise in their space.
            "commune": communes_for_postcode(application.postcode).first(),
        },
        regions=[application.region_id],
        departements=application.departements.all(),
        sectors=application.sectors.all(),
        topics=application.topics.all(),
        origin={"candidature": application.pk},
    )
    Application.objects.filter(pk=application.pk).update(ambassador=ambassador)
    application.ambassador = ambassador

    user, _created = user_get_or_invite_ambassador(
        email=application.email, first_name=application.first_name, last_name=application.last_name
    )
    if user is None:
        # The account appeared since application_transition checked: roll the whole decision back.
        raise EmailTaken(application, user_blocking_ambassador_account(application.email))
    ambassador_account_attach(ambassador=ambassador, user=user)
    email_send_on_commit(
        to=[application.email],
        template="recruitment/email/invitation.txt",
        context={"application": application, "activation_url": absolute_url(activation_path(user))},
    )
    return ambassador


@dataclass
class BulkResult:
    done: list[Application]
    refused: list[tuple[Application, str]]


def applications_decide_in_bulk(*, applications, action: str, by, reason: str) -> BulkResult:
    """The same decision, with the same reason, on several applications; each one on its own (a refusal on one
    does not stop the others), and each one reported."""
    result = BulkResult(done=[], refused=[])
    for application in applications:
        try:
            result.done.append(
                application_transition(application=application, action=action, by=by, reason=reason)
            )
        except (
            DomainError,
            NotAllowed,
        ) as exc:  # a conflict, a rule, a decision not theirs: said per application
            result.refused.append((application, str(exc)))
    return result


def review_save(*, application: Application, by, score: int, recommendation: str, comment: str) -> Review:
    """Give or update one's opinion. The first opinion on a submitted application starts its review."""
    if not rules.can_review(by, application):
        raise NotAllowed("Vous ne pouvez pas donner d’avis sur cette candidature.")
    closed = RecruitmentError("Cette candidature n’est plus en cours d’examen : les avis sont clos.")
    open_states = workflow.REVIEWABLE
    with transaction.atomic():
        # Judge the state as it is now, not as the page that posted the opinion saw it (a coordinator may have
        # decided, or another reviewer started the review, meanwhile).
        current = Application.objects.select_for_update().only("state", "version").get(pk=application.pk)
        application.state, application.version = current.state, current.version
        if application.state == workflow.CORRECTION:
            raise RecruitmentError(
                "Une correction est demandée à la personne : les avis reprendront quand elle aura corrigé."
            )
        if application.state not in open_states:
            raise closed
        review, created = Review.objects.update_or_create(
            application=application,
            reviewer=by,
            defaults={"score": score, "recommendation": recommendation, "comment": comment.strip()},
        )
        audit_log(
            actor=by,
            action="review.create" if created else "review.update",
            obj=application,
            changes={"note": score, "recommandation": recommendation},
        )
        if application.state == ApplicationState.SUBMITTED:
            try:
                application_transition(application=application, action=ApplicationAction.START_REVIEW, by=by)
            except Conflict:
                # Another first opinion started the review at the same instant: keep this one too.
                application.refresh_from_db()
                if application.state not in open_states:
                    raise closed from None
    return review


@transaction.atomic
def call_save(*, form, formset, by) -> Call:
    """Create or change a call and its questions (validated forms). National coordination only; audited."""
    if not rules.can_manage_calls(by):
        raise NotAllowed("Seule la coordination nationale gère les appels.")
    created = form.instance.pk is None
    call = form.save()
    formset.instance = call
    formset.save()
    audit_log(actor=by, action="call.create" if created else "call.edit", obj=call)
    return call


class CorrectionInvalid(RecruitmentError):
    """The correction did not pass the application form's checks: nothing was written; ``form`` carries the
    errors, next to each field, and what was typed."""

    def __init__(self, form):
        self.form = form
        super().__init__("La correction contient des erreurs : rien n’a été modifié.")


# Each correction is audited by the names of the fields changed, never their values: the audit log outlives the
# application (five years) and must not keep a copy of what the person asked to correct.
CORRECTED = "modifié"


def application_correct(*, application: Application, data) -> list[str]:
    """The applicant's right to rectification, from their private link. ``data`` is what the correction form
    posted. Guarantees: validated by the AMI form's own fields and checks (``ApplicationCorrectionForm``), else
    ``CorrectionInvalid`` and nothing written; the whole application may change while it is examined, only the
    email and phone once decided or withdrawn, or past the date of a requested correction
    (``workflow.correctable_all``); the change is audited with the names
    of the fields changed and « modifié », never their values, and the reviewers see it on the application; a new
    email gets the private link, the old one is told. A correction made while one is requested (before its date)
    returns the application to review, notes it in the exchange and tells the examining team. Returns the names
    of the fields changed (none: nothing written)."""
    # Imported here: the forms build ``ApplicationData`` from this module.
    from recruitment.forms import ApplicationCorrectionForm

    application = Application.objects.select_related("call").get(pk=application.pk)
    form = ApplicationCorrectionForm(data, application=application)
    if not form.is_valid():
        raise CorrectionInvalid(form)
    fields, many = form.corrected()
    changed = [name for name, value in fields.items() if getattr(application, name) != value]
    changed += [
        name
        for name, values in many.items()
        if {v.pk for v in values} != set(getattr(application, name).values_list("pk", flat=True))
    ]
    if not changed:
        return []
    taken = RecruitmentError(
        "Cette adresse ne peut pas être enregistrée pour cette candidature : indiquez-en une autre."
    )
    # Counted before the address is checked: whether an address already applied cannot be tried again and again.
    refused = throttle.correction_refused("application", application.pk, changes_email="email" in changed)
    if refused:
        form.add_error("email" if "email" in changed else None, refused)
        raise CorrectionInvalid(form)
    if (
        "email" in changed
        and Application.objects.filter(call=application.call, email=fields["email"]).exists()
    ):
        form.add_error("email", str(taken))
        raise CorrectionInvalid(form)
    old_email = application.email
    try:
        with transaction.atomic():
            # Judged on the state as it is now: a decision taken since the form was read narrows what may change.
            today = timezone.localdate()
            current = (
                Application.objects.select_for_update()
                .only("state", "correction_due_on")
                .get(pk=application.pk)
            )
            if workflow.correctable_all(current, today) != workflow.correctable_all(application, today):
                raise Conflict(
                    "Votre candidature a changé d’état entre-temps : rechargez la page, puis corrigez de nouveau."
                )
            # A new version: a decision taken from a page read before the correction is a conflict, not blind.
            Application.objects.filter(pk=application.pk).update(
                **{name: fields[name] for name in changed if name in fields},
                updated_at=timezone.now(),
                version=F("version") + 1,
            )
            for name in changed:
                if name in many:
                    getattr(application, name).set(many[name])
            application.refresh_from_db()
            audit_log(
                actor=None,
                action="application.correct",
                obj=application,
                changes=dict.fromkeys(changed, CORRECTED),
            )
            if application.state == workflow.CORRECTION and not form.contact_only:
                _correction_return(application, changed)
            if "email" in changed:
                context = {
                    "application": application,
                    "status_url": absolute_url(application.get_private_url()),
                    "old_email": old_email,
                }
                email_send_on_commit(
                    to=[application.email], template="recruitment/email/email_changed.txt", context=context
                )
                email_send_on_commit(
                    to=[old_email],
                    template="recruitment/email/email_changed_old.txt",
                    context=context,
                )
    except IntegrityError as exc:  # the same email given by another application of the call at this instant
        form.add_error("email", str(taken))
        raise CorrectionInvalid(form) from exc
    return changed


def _correction_return(application: Application, changed: list[str]) -> None:
    """The requested correction is made: back to review, a line in the exchange, the team told."""
    from recruitment.selectors import field_labels

    application_transition(application=application, action=ApplicationAction.RETURN_CORRECTION, by=None)
    message = ApplicationMessage.objects.create(
        application=application,
        sender=MessageSender.APPLICANT,
        kind=MessageKind.CORRECTED,
        body="Champs corrigés : " + ", ".join(field_labels(changed)) + ".",
    )
    _tell_team(application, message, template="recruitment/email/correction_returned.txt")


# An exchange, not a mailing list: the applicant's messages are limited (each one emails the team).
MESSAGE_MAX_LENGTH = 3000
APPLICANT_MESSAGES_PER_DAY = 10


def team_label(user) -> str:
    """How a reviewer or coordinator signs to the applicant: their role, never their name nor address."""
    if user is None:
        return "L’équipe d’examen"
    if user.is_national_coordinator:
        return "La coordination nationale"
    if user.is_regional_coordinator:
        return (
            f"La coordination de la région {user.region.name}"
            if user.region_id
            else "La coordination régionale"
        )
    if user.partner_network_id:
        return f"L’équipe de relecture du réseau {user.partner_network.name}"
    return "L’équipe d’examen"


def team_recipients(application: Application) -> list[str]:
    """Who of the examining team is told of the applicant's messages and corrections: the reviewers and
    coordinators who wrote in the exchange (and may still act on the application), and the regional
    coordinators of its region; the national coordination when nobody else would be."""
    from accounts.enums import Role
    from accounts.models import User

    authors = User.objects.filter(
        pk__in=ApplicationMessage.objects.filter(application=application, author__isnull=False).values(
            "author"
        ),
        is_active=True,
    )
    people = {u.email for u in authors if rules.can_review(u, application)}
    people |= set(
        User.objects.filter(
            role=Role.REGIONAL_COORDINATOR, region_id=application.region_id, is_active=True
        ).values_list("email", flat=True)
    )
    if not people:
        people = set(
            User.objects.filter(role=Role.NATIONAL_COORDINATOR, is_active=True).values_list(
                "email", flat=True
            )
        )
    return sorted(people)


def _tell_team(application: Application, message: ApplicationMessage, *, template: str) -> None:
    # One email per person: nobody sees the others' addresses.
    context = {
        "application": application,
        "message": message,
        "detail_url": absolute_url(application.get_absolute_url() + "#echanges"),
    }
    for address in team_recipients(application):
        email_send_on_commit(to=[address], template=template, context=context)


def application_message_send(*, application: Application, by, body: str) -> ApplicationMessage:
    """A message in the application's exchange. ``by`` is a reviewer or coordinator of the scope, or None for the
    applicant (private link). Guarantees: not empty, at most ``MESSAGE_MAX_LENGTH`` characters; not on a
    withdrawn application; the applicant's limited to ``APPLICANT_MESSAGES_PER_DAY``; audited (who, never the
    text); emailed to the other side with a link (to the applicant with the text; to the team a notice, the text
    staying behind the login), and the applicant never learns the writer's name or address."""
    body = (body or "").strip()
    if not body:
        raise RecruitmentError("Le message est vide : écrivez-le avant de l’envoyer.")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise RecruitmentError(f"Le message ne doit pas dépasser {MESSAGE_MAX_LENGTH} caractères.")
    if by is not None and not rules.can_message(by, application):
        raise NotAllowed("Vous ne pouvez pas écrire à la personne sur cette candidature.")
    with transaction.atomic():
        state = Application.objects.select_for_update().values_list("state", flat=True).get(pk=application.pk)
        if state == ApplicationState.WITHDRAWN:
            raise RecruitmentError("La candidature est retirée : l’échange est clos.")
        if by is None and throttle.hit("application-message", str(application.pk), 86400) > (
            APPLICANT_MESSAGES_PER_DAY
        ):
            raise RecruitmentError(
                "Vous avez déjà envoyé beaucoup de messages aujourd’hui : réessayez demain, ou attendez la "
                "réponse de l’équipe d’examen."
            )
        message = ApplicationMessage.objects.create(
            application=application,
            sender=MessageSender.APPLICANT if by is None else MessageSender.TEAM,
            author=by,
            author_label="" if by is None else team_label(by),
            body=body,
        )
        audit_log(actor=by, action="application.message", obj=application, changes={"de": message.sender})
        if by is None:
            _tell_team(application, message, template="recruitment/email/message_to_team.txt")
        else:
            email_send_on_commit(
                to=[application.email],
                template="recruitment/email/message_to_applicant.txt",
                context={
                    "application": application,
                    "message": message,
                    "status_url": absolute_url(application.get_private_url() + "#echanges"),
                },
            )
    return message


@transaction.atomic
def application_erase(*, application: Application) -> bool:
    """The applicant's right to erasure, from their private link: the application, its reviews, its messages and
    the content
    of its audit entries (``_audit_anonymise``) are erased at once, whatever its state. The erasure itself is
    audited (number and former state only). A designated person's ambassador profile is not erased here: it is
    theirs to erase from their ambassador space. Idempotent: erasing what is already erased does nothing and
    returns False."""
    current = Application.objects.select_for_update().filter(pk=application.pk).first()
    if current is None:
        return False
    audit_log(actor=None, action="application.erase", obj=current, changes={"de": current.state})
    _audit_anonymise([current.pk])
    Review.objects.filter(application_id=current.pk).delete()
    ApplicationMessage.objects.filter(application_id=current.pk).delete()
    current.delete()
    return True


RETENTION_DAYS = 2 * 365
# A withdrawn application is kept a little: the person may still download it, and the coordinators see why it
# left their queue; the page of the withdrawal offers to erase it at once.
WITHDRAWN_RETENTION = timedelta(days=30)


def applications_purge_expired(*, now=None) -> int:
    """Erase the applications (and their reviews and messages) of calls closed more than two years ago, as the personal-data
    page promises, and the applications withdrawn ``WITHDRAWN_RETENTION`` ago or more. Designated ambassadors
    keep their profile (it no longer points at the application); the audit log keeps who decided what, without the
    application's content: its entries about an erased application lose the person's name (``object_repr``) and
    the free texts of ``changes`` (a reason may name or describe the person). Returns how many were erased."""
    now = now or timezone.now()
    expired = Application.objects.filter(
        Q(call__closes_at__lt=now - timedelta(days=RETENTION_DAYS))
        | Q(state=ApplicationState.WITHDRAWN, withdrawn_at__lte=now - WITHDRAWN_RETENTION)
    )
    with transaction.atomic():
        pks = list(expired.values_list("pk", flat=True))
        _audit_anonymise(pks)
        Review.objects.filter(application_id__in=pks).delete()
        ApplicationMessage.objects.filter(application_id__in=pks).delete()
        Application.objects.filter(pk__in=pks).delete()
    return len(pks)


# What an audit entry about an application may keep once the application is erased: states and scores, no text.
_AUDIT_KEPT = {"de", "vers", "note", "recommandation", "reprise"}


def _audit_anonymise(pks: list[int]) -> None:
    content_type = ContentType.objects.get_for_model(Application)
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        entries = AuditEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in chunk]
        )
        for entry in entries:
            entry.object_repr = f"Candidature n° {entry.object_id} (effacée)"
            entry.changes = {
                key: (value if key in _AUDIT_KEPT else "[effacé]")
                for key, value in (entry.changes or {}).items()
            }
            entry.save(update_fields=["object_repr", "changes"])


def ambassador_applications_erase(*, ambassador) -> int:
    """The applications an ambassador's profile came from, erased with the profile
    (``ambassadors.data_rights.ambassador_erase``): reviewers would otherwise still read the person there. Returns
    how many were erased."""
    return sum(
        application_erase(application=a) for a in Application.objects.filter(ambassador_id=ambassador.pk)
    )
