"""Company requests: a company leader writes to an ambassador through the platform, which relays the message and
follows it up. Personal data (names, email, phone, message, and the notes of the history) is anonymised 12 months
after closing, or at once when the company asks; a request left open with nothing happening for six months is
closed first (see the data-protection page)."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from contact.enums import (
    AnswerKind,
    CloseReason,
    CompanySize,
    DeclineReason,
    RequestState,
    Side,
    StepAction,
    Usefulness,
)

# The states where the ambassador still has something to do.
OPEN_STATES = (RequestState.NEW, RequestState.TAKEN, RequestState.REASSIGNED)
WAITING_STATES = (RequestState.NEW, RequestState.REASSIGNED)  # not yet taken by the current ambassador


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


class CompanyRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)


class CompanyRequest(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    ambassador = models.ForeignKey(
        "ambassadors.Ambassador",
        verbose_name="ambassadeur",
        on_delete=models.PROTECT,
        related_name="company_requests",
    )
    # Where the company is: routes the request and scopes the coordinators who follow it.
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="+")
    departement = models.ForeignKey(
        "territories.Departement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    postcode = models.CharField("code postal", max_length=5, blank=True)
    # The company and its leader (personal data, anonymised after retention).
    company_name = models.CharField("entreprise", max_length=200)
    contact_name = models.CharField("nom", max_length=150)
    email = models.EmailField("adresse électronique", blank=True)  # blank once anonymised
    phone = models.CharField("téléphone", max_length=32, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    size = models.CharField("taille", max_length=8, choices=CompanySize.choices)
    sector = models.ForeignKey(
        "territories.NafActivity",
        verbose_name="secteur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.ForeignKey(
        "ambassadors.Topic",
        verbose_name="thématique",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField("message", max_length=3000, blank=True)  # blank once anonymised
    consent_at = models.DateTimeField("consentement à la transmission")
    # Follow-up.
    state = models.CharField("état", max_length=16, choices=RequestState.choices, default=RequestState.NEW)
    version = models.PositiveIntegerField(default=0)  # compare-and-set: two clicks at once, one wins
    created_at = models.DateTimeField("reçue le", auto_now_add=True, db_index=True)
    assigned_at = models.DateTimeField("confiée le")
    taken_at = models.DateTimeField("prise en charge le", null=True, blank=True)
    answered_at = models.DateTimeField("échange réalisé le", null=True, blank=True)
    answer_kind = models.CharField("échange", max_length=16, choices=AnswerKind.choices, blank=True)
    closed_at = models.DateTimeField("close le", null=True, blank=True, db_index=True)
    close_reason = models.CharField(
        "motif de clôture", max_length=16, choices=CloseReason.choices, blank=True
    )
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    escalated_at = models.DateTimeField("coordination alertée le", null=True, blank=True)
    # The ambassador said they cannot answer: the coordinators must hand the request to someone else.
    declined_at = models.DateTimeField(
        "l’ambassadeur ne peut pas répondre (signalé le)", null=True, blank=True
    )
    # Taken but no exchange recorded after a while: one more reminder, once per taking.
    taken_reminded_at = models.DateTimeField("rappel après prise en charge le", null=True, blank=True)
    # The company's answer to the two questions after closing.
    feedback_useful = models.CharField("utile", max_length=8, choices=Usefulness.choices, blank=True)
    feedback_contacted = models.BooleanField("contactée", null=True, blank=True)
    feedback_at = models.DateTimeField("avis donné le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    # The thread: who may see whose address. The company chooses on the contact form (existing requests, sent when
    # the form said the address was passed on, keep it shown: migration 0005); the ambassador chooses on each
    # request (a new ambassador starts hidden).
    company_shares_contact = models.BooleanField(
        "l’entreprise montre son adresse et son téléphone à l’ambassadeur", default=False
    )
    ambassador_shares_contact = models.BooleanField(
        "l’ambassadeur montre son adresse et son téléphone à l’entreprise", default=False
    )
    # Who wrote the thread's last message, and when: « messages without an answer » in one query.
    last_message_side = models.CharField(
        "dernier message de", max_length=16, choices=Side.choices, blank=True
    )
    last_message_at = models.DateTimeField("dernier message le", null=True, blank=True)

    objects = CompanyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d’entreprise"
        verbose_name_plural = "demandes d’entreprises"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["ambassador", "state"]),
            models.Index(fields=["region", "state"]),
            # The exchanges of each ambassador (the steering page's activity), read from the index alone.
            models.Index(fields=["ambassador", "answered_at"], name="request_ambassador_answered"),
            models.Index(fields=["answered_at"], name="request_answered"),  # the exchanges by month
        ]

    def __str__(self):
        return f"Demande n° {self.pk}"

    def get_absolute_url(self):
        return reverse("contact:followup", args=[self.token])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def size_plain(self) -> str:
        """« TPE, moins de 10 salariés ou en création »: the size without brackets, to write inside brackets or
        after a dash (« Garage Dufour – TPE, moins de 10 salariés ou en création »)."""
        short, _, detail = self.get_size_display().partition(" (")
        return f"{short}, {detail.rstrip(')').replace(', ou', ' ou')}" if detail else short

    @property
    def size_short(self) -> str:
        """« PME »: for tables, where the long label does not fit."""
        return self.size.upper()


class RequestStep(models.Model):
    """The history of a request: who did what, when. No personal data of the company here."""

    request = models.ForeignKey(CompanyRequest, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=StepAction.choices)
    state_from = models.CharField(max_length=16, choices=RequestState.choices, blank=True)
    state_to = models.CharField(max_length=16, choices=RequestState.choices, blank=True)
    ambassador = models.ForeignKey(
        "ambassadors.Ambassador", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class RequestMessage(models.Model):
    """One message of the relayed thread between the company and the ambassador (or the coordination). Sent by
    email to the other side from the platform's address, with a link back; never with either side's address.
    Deleted when the request is anonymised or erased."""

    request = models.ForeignKey(CompanyRequest, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField("de", max_length=16, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("message", max_length=3000)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "message d’une demande"
        verbose_name_plural = "messages des demandes"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message n° {self.pk} ({self.get_side_display()})"


class RequestDecline(models.Model):
    """« Ce n’est pas pour moi »: an ambassador gave the request back. Routing never offers it to them again; they
    no longer see it. The reason is for the coordination and the figures, never for the company."""

    request = models.ForeignKey(CompanyRequest, on_delete=models.CASCADE, related_name="declines")
    ambassador = models.ForeignKey("ambassadors.Ambassador", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("motif", max_length=16, choices=DeclineReason.choices)
    note = models.CharField("précision", max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "ambassador"], name="one_decline_per_ambassador")
        ]

    def __str__(self):
        return f"Refus de la demande n° {self.request_id}"
