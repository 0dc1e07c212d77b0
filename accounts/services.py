from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.enums import Role
from accounts.models import User


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
