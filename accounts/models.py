from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q

from accounts.enums import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est requise.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.NATIONAL_COORDINATOR)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in: by email, with one role and the scope that goes with it.

    One role per account keeps scopes simple to reason about; someone who is both an ambassador and a reviewer
    has two accounts. Email: to log in and be told of what concerns them; never public; kept while the account
    is active and one year after.
    """

    # The audit log records that these changed, never their values (``core.services.audit_log``).
    PRIVATE_FIELDS = ("email", "password")

    username = None
    email = models.EmailField("adresse électronique", unique=True)
    role = models.CharField("rôle", max_length=32, choices=Role.choices, default=Role.AMBASSADOR)
    region = models.ForeignKey(
        "territories.Region",
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Pour la coordination régionale (obligatoire) et un relecteur (facultatif).",
    )
    partner_network = models.ForeignKey(
        "ambassadors.PartnerNetwork",
        verbose_name="réseau partenaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewers",
        help_text="Pour un relecteur (obligatoire).",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.REGIONAL_COORDINATOR) | Q(region__isnull=False),
                name="regional_coordinator_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.REVIEWER) | Q(partner_network__isnull=False),
                name="reviewer_has_network",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_national_coordinator(self) -> bool:
        return self.role == Role.NATIONAL_COORDINATOR

    @property
    def is_regional_coordinator(self) -> bool:
        return self.role == Role.REGIONAL_COORDINATOR

    @property
    def is_coordinator(self) -> bool:
        return self.role in {Role.NATIONAL_COORDINATOR, Role.REGIONAL_COORDINATOR}

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_ambassador(self) -> bool:
        return self.role == Role.AMBASSADOR
