"""Writes of the recruitment workflow. Views, the bulk form, commands and tests all go through these functions,
so the transition table, the scope rules, the audit log and the emails are the same at every door."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.enums import Role
from accounts.services import activation_path, user_blocking_ambassador_account, user_get_or_invite_ambassador
from ambassadors.models import Ambassador
from ambassadors.services import ambassador_unique_slug
from core import throttle
from core.emails import absolute_url, email_send_on_commit
from core.formats import french_date, french_datetime
from core.models import AuditEntry
from core.services import audit_log
from recruitment import rules, workflow
from recruitment.enums import ApplicationState
from recruitment.models import Application, Call, Review


class RecruitmentError(Exception):
    """A rule refused the action; the message is for the user, in French."""


class NotAllowed(RecruitmentError):
    """The application is visible to the user but this action is not theirs (403)."""


class CallClosed(RecruitmentError):
    pass


class Conflict(RecruitmentError):
    """Someone else changed the application first: nothing was written."""


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


def application_submit(*, call: Call, data: ApplicationData, now=None) -> Application:
    """Record an application. Guarantees: refused once the call is closed (checked here, at submission, whatever
    page the applicant had open), one per email and call, and the applicant gets their private link by email.

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


def _actor_kind(user, application) -> str | None:
    if user is None:
        return workflow.APPLICANT
    if rules.can_decide(user, application):
        return workflow.COORDINATOR
    if rules.can_review(user, application):
        return workflow.REVIEWER
    return None


def application_transition(
    *, application: Application, to: str, by, reason: str = "", expected_version: int | None = None
) -> Application:
    """Move an application to ``to``. ``by`` is a user, or None for the applicant (private link).

    Guarantees: the move is in the transition table and ``by`` holds the role it needs; a decision has a reason;
    if the application changed since ``expected_version`` (another coordinator decided first) nothing is written
    and ``Conflict`` says what happened; the change is audited; the applicant is emailed at each decision;
    designation creates the ambassador (unpublished) and invites them, and is refused (``EmailTaken``, nothing
    written) when the applicant's email already belongs to another account."""
    if expected_version is not None and expected_version != application.version:
        # Someone moved it since the page was shown: say so, whatever the move asked (judging it against the new
        # state would report "impossible" instead of what happened).
        if _actor_kind(by, application) is None:
            raise NotAllowed("Vous ne pouvez pas agir sur cette candidature.")
        raise _conflict(application)
    frm = application.state
    needed = workflow.actor_for(frm, to)
    if needed is None:
        raise RecruitmentError(
            f"Impossible de passer une candidature « {application.get_state_display().lower()} » à "
            f"« {ApplicationState(to).label.lower()} »."
        )
    actor = _actor_kind(by, application)
    allowed = actor == needed or (needed == workflow.REVIEWER and actor == workflow.COORDINATOR)
    if not allowed:
        raise NotAllowed(
            "Seuls les coordinateurs du périmètre de la candidature peuvent prendre cette décision."
        )
    reason = (reason or "").strip()
    if to in workflow.DECISIONS and not reason:
        raise RecruitmentError("Une décision doit être motivée : indiquez le motif.")
    if to == ApplicationState.DESIGNATED and (
        blocking := user_blocking_ambassador_account(application.email)
    ):
        raise EmailTaken(application, blocking)

    now = timezone.now()
    changes = {"state": to, "version": (expected_version or application.version) + 1, "updated_at": now}
    if to in workflow.DECISIONS:
        changes |= {"decided_at": now, "decided_by": by, "decision_reason": reason}
    if to == ApplicationState.WITHDRAWN:
        changes["withdrawn_at"] = now
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
            changes={"de": frm, "vers": to, **({"motif": reason} if reason else {})},
        )
        if to == ApplicationState.DESIGNATED:
            _designate(application, by=by)
        if to in workflow.DECISIONS or (to == workflow.REOPEN and frm in workflow.DECISIONS):
            _send_status_link(
                application, f"recruitment/email/{to if to in workflow.DECISIONS else 'reopened'}.txt"
            )
        if to == ApplicationState.WITHDRAWN:
            _send_status_link(application, "recruitment/email/withdrawn.txt")
    return application


def _designate(application: Application, *, by) -> Ambassador:
    """Create the (unpublished, not yet consented) ambassador profile from the application and invite the person
    to set a password, complete their profile and consent."""
    ambassador = Ambassador.objects.create(
        slug=ambassador_unique_slug(first_name=application.first_name, last_name=application.last_name),
        first_name=application.first_name,
        last_name=application.last_name,
        gender=application.gender,
        job_title=application.job_title,
        structure_name=application.structure_name,
        siren=application.siret[:9],
        kind=application.profile_kind,
        proposing_network=application.proposing_network,
        designated_at=timezone.localdate(),
        designated_by=by,
        contact_email=application.email,
        contact_phone=application.phone,
    )
    ambassador.regions.set([application.region_id])
    ambassador.departements.set(application.departements.all())
    ambassador.sectors.set(application.sectors.all())
    ambassador.topics.set(application.topics.all())
    Application.objects.filter(pk=application.pk).update(ambassador=ambassador)
    application.ambassador = ambassador
    audit_log(
        actor=by, action="ambassador.designate", obj=ambassador, changes={"candidature": application.pk}
    )

    user, _created = user_get_or_invite_ambassador(
        email=application.email, first_name=application.first_name, last_name=application.last_name
    )
    if user is None:
        # The account appeared since application_transition checked: roll the whole decision back.
        raise EmailTaken(application, user_blocking_ambassador_account(application.email))
    ambassador.user = user
    ambassador.save(update_fields=["user", "updated_at"])
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


def applications_decide_in_bulk(*, applications, to: str, by, reason: str) -> BulkResult:
    """The same decision, with the same reason, on several applications; each one on its own (a refusal on one
    does not stop the others), and each one reported."""
    result = BulkResult(done=[], refused=[])
    for application in applications:
        try:
            result.done.append(application_transition(application=application, to=to, by=by, reason=reason))
        except RecruitmentError as exc:
            result.refused.append((application, str(exc)))
    return result


def review_save(*, application: Application, by, score: int, recommendation: str, comment: str) -> Review:
    """Give or update one's opinion. The first opinion on a submitted application starts its review."""
    if not rules.can_review(by, application):
        raise NotAllowed("Vous ne pouvez pas donner d’avis sur cette candidature.")
    closed = RecruitmentError("Cette candidature n’est plus en cours d’examen : les avis sont clos.")
    open_states = {ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW}
    with transaction.atomic():
        # Judge the state as it is now, not as the page that posted the opinion saw it (a coordinator may have
        # decided, or another reviewer started the review, meanwhile).
        current = Application.objects.select_for_update().only("state", "version").get(pk=application.pk)
        application.state, application.version = current.state, current.version
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
                application_transition(application=application, to=ApplicationState.UNDER_REVIEW, by=by)
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
    email and phone once decided or withdrawn (``workflow.CORRECTABLE``); the change is audited with the names
    of the fields changed and « modifié », never their values, and the reviewers see it on the application; a new
    email gets the private link, the old one is told. Returns the names of the fields changed (none: nothing
    written)."""
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
            state = (
                Application.objects.select_for_update().values_list("state", flat=True).get(pk=application.pk)
            )
            if (state in workflow.CORRECTABLE) != (application.state in workflow.CORRECTABLE):
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


@transaction.atomic
def application_erase(*, application: Application) -> bool:
    """The applicant's right to erasure, from their private link: the application, its reviews and the content
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
    current.delete()
    return True


RETENTION_DAYS = 2 * 365
# A withdrawn application is kept a little: the person may still download it, and the coordinators see why it
# left their queue; the page of the withdrawal offers to erase it at once.
WITHDRAWN_RETENTION = timedelta(days=30)


def applications_purge_expired(*, now=None) -> int:
    """Erase the applications (and their reviews) of calls closed more than two years ago, as the personal-data
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
        Application.objects.filter(pk__in=pks).delete()
    return len(pks)


# What an audit entry about an application may keep once the application is erased: states and scores, no text.
_AUDIT_KEPT = {"de", "vers", "note", "recommandation"}


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
