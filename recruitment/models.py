"""Calls for expressions of interest (AMI), applications and reviews.

Personal data of an application (purpose / visibility / retention): identity, contact, structure and answers serve
the review and the designation; they are seen by the applicant (private link), the reviewers and coordinators of
the application's scope; never public. Kept two years after the call closes, then erased, except what the
designation copies into the ambassador profile; a withdrawn application is erased 30 days after its withdrawal, and
any application at once when the person asks (``services.application_erase``).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ambassadors.enums import Gender, ProfileKind
from recruitment.enums import (
    ApplicationAction,
    ApplicationState,
    MessageKind,
    MessageSender,
    Recommendation,
    StructureSize,
)


class Call(models.Model):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    text = models.TextField("texte de l’appel")
    opens_at = models.DateTimeField("ouverture")
    closes_at = models.DateTimeField(
        "clôture",
        help_text="Dernière seconde où une candidature est acceptée (heure de Paris), ex. 15/09/2025 23:59:59.",
    )
    regions = models.ManyToManyField(
        "territories.Region",
        verbose_name="régions couvertes",
        blank=True,
        related_name="+",
        help_text="Aucune région cochée : l’appel couvre tout le territoire.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "appel à manifestation d’intérêt"
        verbose_name_plural = "appels à manifestation d’intérêt"
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def in_text(self) -> str:
        """The call named inside a sentence, after « à »: « l’appel « Printemps 2026 » », but « l’« Appel à
        manifestation d’intérêt 2026 » » when its title says « appel » already."""
        if self.title.strip().lower().startswith("appel"):
            return f"l’« {self.title} »"
        return f"l’appel « {self.title} »"

    def is_open_at(self, now) -> bool:
        """Open from ``opens_at`` to the last second ``closes_at`` included: 23:59:59.999 is still 23:59:59."""
        return self.opens_at <= now and now.replace(microsecond=0) <= self.closes_at


class CallQuestion(models.Model):
    """A question a call asks beyond the fixed ones."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField("question", max_length=300)
    help_text = models.CharField("aide", max_length=300, blank=True)
    required = models.BooleanField("obligatoire", default=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "question de l’appel"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label


def new_token() -> str:
    # 32 random bytes: unguessable, and the only key to the applicant's private page.
    return secrets.token_urlsafe(32)


class Application(models.Model):
    # What the audit log never keeps the value of (core.services.audit_log): only that it changed.
    PRIVATE_FIELDS = (
        "first_name",
        "last_name",
        "gender",
        "email",
        "phone",
        "job_title",
        "structure_name",
        "siret",
        "postcode",
        "ai_experience",
        "motivation",
        "answers",
    )

    call = models.ForeignKey(
        Call, verbose_name="appel", on_delete=models.PROTECT, related_name="applications"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(
        "état", max_length=24, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED
    )
    # Grows at every change of state: two coordinators deciding at once cannot both win.
    version = models.PositiveIntegerField(default=1)

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    gender = models.CharField(
        "vous désigner comme",
        max_length=1,
        choices=Gender.choices,
        blank=True,
        default=Gender.UNSAID,
        help_text="Pour accorder les mots qui vous désignent (« ambassadrice », « désignée »). Facultatif.",
    )
    email = models.EmailField("adresse électronique")
    phone = models.CharField("téléphone", max_length=32, blank=True)
    job_title = models.CharField("fonction", max_length=150)
    structure_name = models.CharField("structure", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    structure_size = models.CharField("taille de la structure", max_length=16, choices=StructureSize.choices)
    postcode = models.CharField("code postal", max_length=5)
    region = models.ForeignKey(
        "territories.Region", verbose_name="région", on_delete=models.PROTECT, related_name="+"
    )
    departements = models.ManyToManyField(
        "territories.Departement", verbose_name="départements", related_name="+"
    )
    sectors = models.ManyToManyField(
        "territories.NafActivity",
        verbose_name="secteurs",
        related_name="+",
        limit_choices_to={"level": "section"},
    )
    topics = models.ManyToManyField("ambassadors.Topic", verbose_name="thématiques", related_name="+")
    profile_kind = models.CharField("profil visé", max_length=32, choices=ProfileKind.choices)
    proposing_network = models.ForeignKey(
        "ambassadors.PartnerNetwork",
        verbose_name="réseau qui propose",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    ai_experience = models.TextField("expérience de l’IA", max_length=3000)
    motivation = models.TextField("motivation", max_length=3000)
    availability_hours = models.PositiveSmallIntegerField(
        "disponibilité (heures par mois)", validators=[MinValueValidator(1), MaxValueValidator(160)]
    )
    answers = models.JSONField("réponses aux questions de l’appel", default=dict, blank=True)
    consent_at = models.DateTimeField("consentement au traitement des données")

    submitted_at = models.DateTimeField("déposée le", auto_now_add=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField("motif de la décision", blank=True)
    # When the person withdrew: a withdrawn application is erased WITHDRAWN_RETENTION later (services.py), a clock
    # that a correction of the email afterwards must not reset (``updated_at`` would).
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    # The last day (Paris time, included) the person may correct the application a reviewer sent back to them;
    # past it, the coordinators see the correction overdue. Kept after the correction: the record of the round.
    correction_due_on = models.DateField("correction attendue au plus tard le", null=True, blank=True)
    # When the person sent the correction back: the coordinators' « corrections reçues » until they decide or ask
    # again (then emptied).
    correction_returned_at = models.DateTimeField("correction renvoyée le", null=True, blank=True)
    ambassador = models.OneToOneField(
        "ambassadors.Ambassador",
        verbose_name="ambassadeur désigné",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "candidature"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One application per person and call (emails are stored lower-cased).
            models.UniqueConstraint(fields=["call", "email"], name="one_application_per_email_and_call"),
        ]
        indexes = [models.Index(fields=["state"]), models.Index(fields=["call", "state"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.call})"

    def get_absolute_url(self):
        return reverse("recruitment:detail", args=[self.pk])

    def get_private_url(self):
        return reverse("recruitment:status", args=[self.token])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Review(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    score = models.PositiveSmallIntegerField("note", validators=[MinValueValidator(1), MaxValueValidator(5)])
    recommendation = models.CharField("recommandation", max_length=16, choices=Recommendation.choices)
    comment = models.TextField("commentaire", max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "avis"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"Avis de {self.reviewer} sur {self.application}"


class ApplicationMessage(models.Model):
    """One message of the exchange between the examining team and the applicant (Démarches Simplifiées'
    « messagerie »): shown in order on the private page and on the back-office detail, each one emailed to the
    other side with a link. The applicant never sees a reviewer's address, only their role; erased with the
    application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField("de", max_length=16, choices=MessageSender.choices)
    # The reviewer or coordinator who wrote it (None for the applicant, or once that account is gone).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the applicant reads as the author: « Coordination régionale », « Relecteur du réseau CCI »; copied at
    # writing, so that a later change of role does not rewrite the exchange.
    author_label = models.CharField("signature", max_length=200, blank=True)
    kind = models.CharField("nature", max_length=24, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    body = models.TextField("message", max_length=3000)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "message sur une candidature"
        verbose_name_plural = "messages sur les candidatures"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self):
        return f"Message n° {self.pk} sur la candidature n° {self.application_id}"

    @property
    def from_applicant(self) -> bool:
        return self.sender == MessageSender.APPLICANT


class ApplicationStep(models.Model):
    """The history of an application: each move of its workflow (``recruitment.workflow``), who made it and when,
    written by ``application_submit`` and ``application_transition`` in the move's transaction. No free text of
    the person nor about them: a decision's reason stays on the application (and in the audit log), a correction
    request's message in the exchange; ``note`` says only a correction's date limit. Deleted with the
    application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField("le", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("action", max_length=24, choices=ApplicationAction.choices)
    state_from = models.CharField("de", max_length=24, choices=ApplicationState.choices, blank=True)
    state_to = models.CharField("vers", max_length=24, choices=ApplicationState.choices)
    note = models.CharField("note", max_length=200, blank=True)

    class Meta:
        verbose_name = "étape d’une candidature"
        verbose_name_plural = "étapes des candidatures"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
