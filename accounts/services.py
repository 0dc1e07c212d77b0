from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.enums import Role
from accounts.models import User
from core import throttle
from core.emails import absolute_url, email_send_on_commit
from core.errors import DomainError
from core.services import audit_anonymise_actor, audit_log, audit_purge_expired


def activation_path(user: User) -> str:
    """A one-time link to choose a password (Django's password-reset token: it expires and dies once used)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:activate", args=[uid, default_token_generator.make_token(user)])


def user_blocking_ambassador_account(email: str) -> User | None:
    """The account that keeps ``email`` from being an ambassador's: one of another role (an account has one
    role), or an ambassador account already linked to a profile. None when the email is free, or belongs to an
    ambassador account without a profile (that account is reused)."""
    user = User.objects.filter(email__iexact=email.strip()).select_related("ambassador").first()
    if user is None or (user.role == Role.AMBASSADOR and not hasattr(user, "ambassador")):
        return None
    return user


def user_get_or_invite_ambassador(*, email: str, first_name: str, last_name: str) -> tuple[User | None, bool]:
    """The ambassador account for ``email``: created without a password if there is none (the person sets it
    through the activation link). Returns (user, created); (None, False) when the email already belongs to an
    account of another role or one already linked to a profile, since an account has one role."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, first_name=first_name, last_name=last_name, role=Role.AMBASSADOR)
        user.set_unusable_password()
        user.save()
        return user, True
    if user.role == Role.AMBASSADOR and not hasattr(user, "ambassador"):
        return user, False
    return None, False


def account_send_password_link(*, email: str) -> bool:
    """Send a link to choose a password to the active account of ``email`` (compared without case): the way back
    in after a forgotten password, and a new activation link for an invited ambassador whose 7 days have passed
    (the same one-time token, ``activation_path``). Guarantees: nothing is sent to an unknown address, to a closed
    account (an erasure asked, a coordination's deactivation), nor more than ``RATE_LIMITS["password-link"]`` times
    to one address; the caller answers the same whatever happened, so the page tells no one whether an address
    has an account. Returns whether a link was sent (for tests and logs, never for the page)."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or throttle.over_limit("password-link", email):
        return False
    email_send_on_commit(
        to=[user.email],
        template="accounts/email/password_link.txt",
        context={
            "user": user,
            "link": absolute_url(activation_path(user)),
            "login_url": absolute_url("/connexion/"),
        },
    )
    return True


def account_for_proconnect(*, email: str, given_name: str = "", usual_name: str = "") -> User | None:
    """The account ProConnect signs in (``accounts.proconnect``): the active one of ``email``, compared without case
    (never ProConnect's ``sub``, which differs for each service). Guarantees: no account is ever created (roles are
    given by the coordination) and a closed one (``is_active`` off) is not opened; a first or last name the account
    lacks is taken from ProConnect's ``given_name`` and ``usual_name``, and nothing else is changed or stored. An
    ambassador invited on designation who has not chosen a password is thereby activated: signed in, the password
    stays unset (« Mot de passe oublié ? » sends the link to choose one). Returns None for an unknown address."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return None
    names = {}
    if not user.first_name and given_name.strip():
        names["first_name"] = given_name.strip()[:150]
    if not user.last_name and usual_name.strip():
        names["last_name"] = usual_name.strip()[:150]
    if names:
        User.objects.filter(pk=user.pk).update(**names)
        for field, value in names.items():
            setattr(user, field, value)
    return user


EMAIL_CHANGE_SALT = "accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 3600  # seconds


class AccountError(DomainError):
    """A rule of accounts refused the change (``core.errors``)."""


def account_request_email_change(*, user: User, new_email: str) -> None:
    """Send a confirmation link to ``new_email``; nothing changes until it is opened (``account_confirm_email_change``).
    The link is signed, names the account and the address, and lasts 24 hours."""
    token = signing.dumps({"u": user.pk, "e": new_email.strip().lower()}, salt=EMAIL_CHANGE_SALT)
    email_send_on_commit(
        to=[new_email],
        template="accounts/email/email_change.txt",
        context={"user": user, "link": absolute_url(reverse("accounts:email_confirm", args=[token]))},
    )


@transaction.atomic
def account_confirm_email_change(*, user: User, token: str) -> str:
    """Change ``user``'s login address to the one ``token`` names. Guarantees: only a valid link of less than 24
    hours, for this very account; never an address another account holds; audited (« modifié », never the
    addresses); the former address is told. Returns the new address; ``AccountError`` otherwise."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise AccountError("Ce lien a expiré : demandez de nouveau le changement d’adresse.") from exc
    except signing.BadSignature as exc:
        raise AccountError("Ce lien n’est pas valable.") from exc
    if data.get("u") != user.pk:
        raise AccountError("Ce lien concerne un autre compte : connectez-vous avec celui-ci pour l’ouvrir.")
    new_email = data["e"]
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise AccountError(
            "Cette adresse ne peut pas être utilisée pour votre compte : choisissez-en une autre."
        )
    old_email = user.email
    if old_email.lower() == new_email:
        return new_email
    User.objects.filter(pk=user.pk).update(email=new_email)
    user.email = new_email
    audit_log(actor=user, action="account.email_change", obj=user, changes={"email": [old_email, new_email]})
    email_send_on_commit(
        to=[old_email],
        template="accounts/email/email_changed_old.txt",
        context={"user": user},
    )
    return new_email


# Retention (personal-data page, « Comptes »): an account is kept while it is active, then one year; the login
# records (addresses, browsers) 30 days; the audit log five years (``core.services.audit_purge_expired``).
ACCOUNT_RETENTION = timedelta(days=365)
LOGIN_RECORDS_RETENTION = timedelta(days=30)
COORDINATOR_ROLES = (Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR)


def accounts_inactive(*, now: datetime):
    """Accounts unused for more than a year (no login, or none since they were created, for a year) that nothing
    still needs: never an operator (superuser); a coordinator only once deactivated (an active coordinator
    answers for a territory, even a quiet one); an ambassador only without a profile (an ambassador's account
    goes with the profile's erasure, ``ambassadors.data_rights``)."""
    return (
        User.objects.annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=now - ACCOUNT_RETENTION, is_superuser=False, ambassador__isnull=True)
        .exclude(Q(role__in=COORDINATOR_ROLES) & Q(is_active=True))
    )


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Delete an account, whatever the door (the retention job, the admin). Guarantees: its login records go with
    it; the audit entries an ambassador's account wrote no longer name the person, while those of a coordinator or
    a reviewer keep their address (the journal says who decided, for five years). Raises ``ProtectedError`` (and
    changes nothing) when something still needs the account."""
    if user.role == Role.AMBASSADOR:
        audit_anonymise_actor(user=user, label=f"Compte n° {user.pk} (effacé)")
    login_records_erase_for(email=user.email)
    user.delete()


def accounts_purge_inactive(*, now: datetime | None = None) -> dict:
    """Delete the accounts of ``accounts_inactive``, each on its own. One still needed elsewhere (a reviewer's
    opinions, kept with their application for two years) is kept and deactivated, and deleted by a later run.
    The audit entries a deleted coordinator or reviewer wrote keep their address (the journal says who decided,
    for five years); those of an ambassador account no longer name them. Returns the counts."""
    now = now or timezone.now()
    deleted = kept = 0
    for user in accounts_inactive(now=now).order_by("pk"):
        try:
            account_erase(user=user)
        except ProtectedError:
            User.objects.filter(pk=user.pk).update(is_active=False)
            kept += 1
        else:
            deleted += 1
    return {"deleted": deleted, "kept": kept}


def login_records_erase_for(*, email: str) -> int:
    """The login records (django-axes) of one address, when its account is erased."""
    count = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count += model.objects.filter(username__iexact=email).delete()[0]
    return count


def login_records_purge(*, now: datetime | None = None) -> int:
    """Delete the login records (django-axes: attempts, failures, accesses, with addresses and browsers) older
    than 30 days. A lockout lasts 15 minutes, so nothing that protects an account is lost. Returns how many."""
    cutoff = (now or timezone.now()) - LOGIN_RECORDS_RETENTION
    count = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count += model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return count


def accounts_purge(*, now: datetime | None = None) -> dict:
    """The daily run of the accounts' retention: inactive accounts, login records, the audit log."""
    now = now or timezone.now()
    result = accounts_purge_inactive(now=now)
    return {
        "accounts_deleted": result["deleted"],
        "accounts_kept": result["kept"],
        "login_records_deleted": login_records_purge(now=now),
        "audit_entries_deleted": audit_purge_expired(now=now),
    }
