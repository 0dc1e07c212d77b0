"""Partner networks, topics and ambassador profiles.

Personal data of an ambassador, field by field (purpose / visibility / retention) is listed in
``templates/core/donnees_personnelles.html``; the short version: identity, structure, bio, links, regions, sectors
and topics are public only once the person consented AND a coordinator published the profile; the contact email and
phone are never public (the platform relays messages); everything is erased one year after the end of the mandate.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ambassadors.enums import KIND_TITLES, Gender, ProfileKind, PublicationState
from ambassadors.validators import validate_siren
from core.formats import agree
from core.search import SearchableModel, name_key


class PartnerNetwork(models.Model):
    """A network that proposes ambassadors and reviews applications (France Num, CCI, Bpifrance...)."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField("nom", max_length=150)
    url = models.URLField("site", blank=True)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "réseau partenaire"
        verbose_name_plural = "réseaux partenaires"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Topic(SearchableModel):
    """An AI use case (relation client, production, RH...): a list managed by the national coordination."""

    SEARCH_FIELDS = ("name",)

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField("nom", max_length=100)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thématique"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """What may be shown publicly: published by a coordinator AND consented to by the person."""
        return self.filter(publication_state=PublicationState.PUBLISHED, consent_at__isnull=False)


class Ambassador(SearchableModel):
    # The free text of the directory (``core/search.py``); topics, sectors and territories are matched through
    # their own names at query time (``ambassadors/selectors.py``), so renaming one never leaves a row stale.
    SEARCH_FIELDS = ("first_name", "last_name", "structure_name", "job_title", "bio")
    SEARCH_FTS = "ambassadors_ambassador_fts"  # SQLite's full-text index of search_text (migrations/0010)
    # Never public, and never in the audit log: ``core.services.audit_log`` writes « modifié » for them.
    PRIVATE_FIELDS = ("contact_email", "contact_phone")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ambassador",
    )
    slug = models.SlugField(max_length=120, unique=True)
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
    job_title = models.CharField("fonction", max_length=150, blank=True)
    structure_name = models.CharField("structure", max_length=200)
    siren = models.CharField(
        "SIREN de la structure",
        max_length=9,
        blank=True,
        validators=[validate_siren],
        help_text="Facultatif.",
    )
    kind = models.CharField("profil", max_length=32, choices=ProfileKind.choices)
    is_national = models.BooleanField(
        "national",
        default=False,
        help_text="Un ambassadeur grand public peut intervenir sur tout le territoire.",
    )
    regions = models.ManyToManyField(
        "territories.Region", verbose_name="régions", blank=True, related_name="ambassadors"
    )
    departements = models.ManyToManyField(
        "territories.Departement", verbose_name="départements", blank=True, related_name="+"
    )
    # Where the ambassador is based, for « près de » (the distance is to the commune's centre: no street address of a
    # person is kept). Public, as the regions are: a commune, never an address.
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=(
            "La commune de votre structure : les entreprises qui cherchent de l’aide près de chez elles vous y "
            "trouvent."
        ),
    )
    sectors = models.ManyToManyField(
        "territories.NafActivity",
        verbose_name="secteurs (sections NAF)",
        blank=True,
        related_name="+",
        limit_choices_to={"level": "section"},
    )
    topics = models.ManyToManyField(Topic, verbose_name="thématiques", blank=True, related_name="ambassadors")
    bio = models.TextField("présentation", max_length=1200, blank=True)
    website_url = models.URLField("site web", blank=True)
    linkedin_url = models.URLField("profil LinkedIn", blank=True)
    proposing_network = models.ForeignKey(
        PartnerNetwork,
        verbose_name="réseau qui a proposé",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ambassadors",
    )
    designated_at = models.DateField("date de désignation", null=True, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="désigné par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publication_state = models.CharField(
        "publication", max_length=16, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    consent_at = models.DateTimeField(
        "consentement à la publication",
        null=True,
        blank=True,
        help_text="Vide tant que la personne n’a pas consenti.",
    )
    is_trusted_contributor = models.BooleanField(
        "contributeur de confiance",
        default=False,
        help_text="Ses événements sont publiés dans l’agenda sans modération. Décidé par la coordination.",
    )
    # Company requests (contact app): an ambassador may pause them or cap how many reach them each month.
    requests_paused = models.BooleanField(
        "demandes en pause",
        default=False,
        help_text="Tant que la pause dure, aucune entreprise ne peut vous écrire par la plateforme.",
    )
    requests_monthly_limit = models.PositiveSmallIntegerField(
        "demandes par mois au plus",
        null=True,
        blank=True,
        help_text="Laissez vide pour ne pas fixer de limite.",
    )
    # An absence announced ahead (holidays, a busy season): no request is routed to them from the first day to the
    # last, both included (days in Paris time).
    absent_from = models.DateField("premier jour d’absence", null=True, blank=True)
    absent_until = models.DateField("dernier jour d’absence", null=True, blank=True)
    is_france_num_activateur = models.BooleanField("activateur France Num", default=False)
    france_num_url = models.URLField("page France Num", blank=True)
    # Private: to relay messages and reach the person. Never in a public page, feed, embed or export.
    contact_email = models.EmailField("adresse électronique de contact (privée)")
    contact_phone = models.CharField("téléphone (privé)", max_length=32, blank=True)
    # Retention (``services.ambassadors_erase_expired``): a profile is erased one year after its mandate ended, or
    # within a day of the person asking for it from their space.
    mandate_ended_at = models.DateTimeField("fin du mandat", null=True, blank=True, db_index=True)
    erasure_requested_at = models.DateTimeField("effacement demandé le", null=True, blank=True, db_index=True)
    # Set on the empty shell left when company requests still point at an erased profile (they keep their
    # non-personal figures): nothing of the person remains on it, and no list of people shows it.
    erased_at = models.DateTimeField("effacé le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # « lévêque marie »: lists of people sort the way French readers expect on both databases (accents, case and
    # hyphens folded: « Lévêque » before « Lopes »). Kept with the search columns.
    sort_name = models.CharField("nom de tri", max_length=300, blank=True, default="", editable=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = "ambassadeur"
        ordering = ["sort_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(publication_state=PublicationState.PUBLISHED) | Q(consent_at__isnull=False),
                name="published_requires_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["publication_state", "kind"]),
            # The directory and the region pages: the published profiles read in their order (name, pk) with the
            # consent from the index, so a page of twenty needs no sort of every profile, and a count no row.
            models.Index(
                fields=["publication_state", "sort_name", "id", "consent_at"], name="ambassador_directory"
            ),
            # The national ambassadors of every region's page, found at once in their order (few of them: the
            # directory's index above made it read every published profile, 1.5 ms at 3,333).
            models.Index(
                fields=["is_national", "publication_state", "sort_name", "id", "consent_at"],
                name="ambassador_national",
            ),
        ]

    def is_absent_on(self, day) -> bool:
        """Whether ``day`` falls in the absence the person announced (both ends included)."""
        return bool(self.absent_from and self.absent_until and self.absent_from <= day <= self.absent_until)

    def __str__(self):
        return self.full_name

    def search_values(self) -> dict[str, str]:
        return super().search_values() | {"sort_name": name_key(f"{self.last_name} {self.first_name}")}

    def get_absolute_url(self):
        return reverse("ambassadors:detail", args=[self.slug])

    @property
    def title(self) -> str:
        """« Ambassadrice sectorielle et régionale », « Ambassadeur grand public », or the neutral « Profil … »."""
        feminine, masculine, neutral = KIND_TITLES[self.kind]
        return agree(self.gender, feminine=feminine, masculine=masculine, neutral=neutral)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def erasure_due_at(self):
        """When the retention job erases the profile after the end of its mandate (``data_rights``)."""
        from ambassadors.data_rights import MANDATE_RETENTION  # data_rights imports this module

        return self.mandate_ended_at + MANDATE_RETENTION if self.mandate_ended_at else None

    @property
    def is_public(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED and self.consent_at is not None
