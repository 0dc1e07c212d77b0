"""Events of the public agenda, their moderation, and the calendars they are imported from.

Personal data: the creator (an account) and the ambassadors taking part (public only if their profile is public);
organisers are organisations. Events are kept (history of the network's action); past events stay at /agenda/passes/.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse

from agenda.enums import Format, Mode, Moderation, ModerationAction, Status
from core.dates import public_instants
from core.search import SearchableModel

# What ``Event.locate()`` reads: a save of any of these works the point out again.
LOCATING_FIELDS = frozenset({"latitude", "longitude", "commune", "mode"})


class ImportSource(models.Model):
    """An external calendar (iCalendar URL, or a file uploaded once) whose events feed the agenda."""

    name = models.CharField("nom", max_length=150, unique=True)
    url = models.URLField("adresse du calendrier (iCalendar)", max_length=500, blank=True)
    default_region = models.ForeignKey(
        "territories.Region",
        verbose_name="région par défaut",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    default_format = models.CharField(
        "format par défaut", max_length=32, choices=Format.choices, default=Format.AUTRE
    )
    publish_directly = models.BooleanField(
        "publier sans modération",
        default=False,
        help_text="Pour une source de confiance (un partenaire connu).",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "source d’import"
        verbose_name_plural = "sources d’import"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One import of a source: what it did, and why each skipped item was skipped."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField("disparus de la source", default=0)
    skipped_reasons = models.JSONField(default=list, blank=True)
    error = models.TextField("erreur bloquante", blank=True)

    class Meta:
        verbose_name = "import"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"


class EventQuerySet(models.QuerySet):
    def public(self):
        """Published by moderation. Cancelled or postponed events stay public, with their status. A row dated
        outside the agenda's years (written past the forms: a bulk write, an old import) is never public: no page
        nor feed could show it without overflowing (``core/dates.py``)."""
        low, high = public_instants()
        return self.filter(
            models.Q(previous_starts_at__isnull=True) | models.Q(previous_starts_at__range=(low, high)),
            moderation=Moderation.PUBLISHED,
            starts_at__gte=low,
            ends_at__lte=high,
        )


class Event(SearchableModel):
    # The free text of the agenda (``core/search.py``); topics and places are matched through their own names at
    # query time (``agenda/selectors.py``). The address is left out: « rue de Lyon » is not in Lyon.
    SEARCH_FIELDS = ("title", "description", "organizer_name", "venue_name")
    SEARCH_FTS = "agenda_event_fts"  # SQLite's full-text index of search_text (migrations/0008)

    slug = models.SlugField(max_length=140, unique=True)
    title = models.CharField("titre", max_length=200)
    description = models.TextField(
        "description", max_length=10000, blank=True, help_text="Texte ou Markdown simple."
    )
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin")
    # Set when a postponed event is given its new dates (``agenda/services.py: _reschedule``): the start first
    # announced, for « Reporté : initialement prévu le … » and schema.org's previousStartDate.
    previous_starts_at = models.DateTimeField("début initialement prévu", null=True, blank=True)
    all_day = models.BooleanField("toute la journée", default=False)
    timezone = models.CharField("fuseau horaire", max_length=64, default="Europe/Paris")
    mode = models.CharField("modalité", max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    venue_name = models.CharField("lieu", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    departement = models.ForeignKey(
        "territories.Departement",
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "territories.Region", verbose_name="région", on_delete=models.PROTECT, related_name="events"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Where distances are measured from (« près de », ``territories.geo.near``): the venue's coordinates above when
    # known (a feed's GEO, the address found in the Base Adresse Nationale), else the commune's centre; none for an
    # event online or placed by its region only. Worked out by ``locate()`` at every save, never typed, not public
    # as such (the feeds and JSON-LD give the venue's own coordinates only).
    point_latitude = models.FloatField(null=True, blank=True, editable=False)
    point_longitude = models.FloatField(null=True, blank=True, editable=False)
    online_url = models.URLField("lien de connexion", max_length=500, blank=True)
    format = models.CharField("format", max_length=32, choices=Format.choices, default=Format.AUTRE)
    audience = models.CharField("public visé", max_length=200, blank=True)
    sectors = models.ManyToManyField(
        "territories.NafActivity", verbose_name="secteurs", blank=True, related_name="+"
    )
    topics = models.ManyToManyField(
        "ambassadors.Topic", verbose_name="thématiques", blank=True, related_name="events"
    )
    is_free = models.BooleanField("gratuit", default=True)
    registration_url = models.URLField("lien d’inscription", max_length=500, blank=True)
    organizer_name = models.CharField("organisateur", max_length=200, blank=True)
    organizer_url = models.URLField("site de l’organisateur", max_length=500, blank=True)
    ambassadors = models.ManyToManyField(
        "ambassadors.Ambassador", verbose_name="ambassadeurs présents", blank=True, related_name="events"
    )
    status = models.CharField("statut", max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    moderation = models.CharField(
        "modération", max_length=16, choices=Moderation.choices, default=Moderation.SUBMITTED
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    # The public fields as last published (``agenda/versions.py``), written by every door that publishes: the
    # moderators see what changed when the event comes back to them.
    published_snapshot = models.JSONField(
        "dernière version publiée", null=True, blank=True, editable=False, encoder=DjangoJSONEncoder
    )
    source = models.ForeignKey(
        ImportSource,
        verbose_name="source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    source_uid = models.CharField("UID dans la source", max_length=500, blank=True)
    source_last_modified = models.DateTimeField(null=True, blank=True)
    source_sequence = models.IntegerField(null=True, blank=True)
    missing_from_source_since = models.DateTimeField("absent de la source depuis", null=True, blank=True)
    # Pushed by a partner through the API (``source_uid`` then holds the partner's own identifier, if given).
    partner_key = models.ForeignKey(
        "api.ApiKey",
        verbose_name="clé d’API du partenaire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    # iCalendar SEQUENCE of our own feed: grows at every change a subscriber should see.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["source", "source_uid"], condition=~models.Q(source_uid=""), name="unique_source_uid"
            ),
            models.UniqueConstraint(
                fields=["partner_key", "source_uid"],
                condition=~models.Q(source_uid=""),
                name="unique_partner_uid",
            ),
        ]
        # The public lists read every column of ``EventQuerySet.public`` and of the upcoming/past split from these
        # indexes alone (no row read to discard an ended event): by start then pk for the lists in their order
        # (upcoming from the first one not ended, past backwards from now: ``agenda/selectors.py``), by end for
        # their counts (``ends_at >= now`` is one range); the same with the region first for the region filter,
        # the region pages and the embeds.
        indexes = [
            models.Index(
                fields=["moderation", "starts_at", "id", "ends_at", "previous_starts_at"],
                name="event_public_start",
            ),
            models.Index(
                fields=["moderation", "ends_at", "starts_at", "previous_starts_at"], name="event_public_end"
            ),
            models.Index(
                fields=["region", "moderation", "starts_at", "id", "ends_at", "previous_starts_at"],
                name="event_region_start",
            ),
            models.Index(
                fields=["region", "moderation", "ends_at", "starts_at", "previous_starts_at"],
                name="event_region_end",
            ),
            # « près de »: the box around the origin is a range of latitudes, the longitudes read in the index.
            models.Index(
                fields=["point_latitude", "point_longitude", "moderation", "ends_at"], name="event_point"
            ),
        ]

    def __str__(self):
        return self.title

    # A postponed event given new dates is rescheduled, whichever door moved it: the contribution form and the
    # partners' API (agenda/services.py) and the imports of other calendars (agenda/imports/) all save the event
    # whole. The dates are compared with those read from the database (``from_db``); a save of some fields only
    # (``update_fields``: a status set alone, the demo's loader) is left as it is.

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        event = super().from_db(db, field_names, values, **kwargs)
        event._stored = (event.__dict__.get("status"), event.__dict__.get("starts_at"))
        return event

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._stored = (self.status, self.starts_at)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.reschedule_if_moved()
        if update_fields is None or LOCATING_FIELDS & set(update_fields):
            self.locate()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "point_latitude", "point_longitude"}
        super().save(*args, **kwargs)
        self._stored = (self.status, self.starts_at)

    def locate(self) -> None:
        """Set the point distances are measured from (``point_latitude``, ``point_longitude``): the venue's
        coordinates, else the commune's centre, else none. Every door calls it: ``save()``, and the imports that
        write in bulk (``agenda.services``)."""
        if self.latitude is not None and self.longitude is not None:
            self.point_latitude, self.point_longitude = float(self.latitude), float(self.longitude)
        elif self.commune_id is not None and self.mode != Mode.ONLINE:
            self.point_latitude, self.point_longitude = self.commune.latitude, self.commune.longitude
        else:
            self.point_latitude = self.point_longitude = None

    @property
    def is_located_at_venue(self) -> bool:
        """Whether the distance shown is to the venue itself (else to the commune's centre)."""
        return self.latitude is not None and self.longitude is not None

    def reschedule_if_moved(self) -> None:
        """A postponed event whose start moves is rescheduled: ``previous_starts_at`` keeps the start first announced
        (the first one, if it moves again) and the event is scheduled again (one registers for the new date). A
        postponed event whose dates do not change stays postponed, « nouvelle date à venir ». The contributor may
        say « reporté » and give the new dates at once. Back to the date first announced is no postponement."""
        was_status, was_starts_at = getattr(self, "_stored", (None, None))
        moved = was_starts_at is not None and self.starts_at != was_starts_at
        if moved and Status.POSTPONED in (was_status, self.status) and self.status != Status.CANCELLED:
            self.previous_starts_at = self.previous_starts_at or was_starts_at
            if self.status == Status.POSTPONED:
                self.status = Status.SCHEDULED
        if self.previous_starts_at == self.starts_at:
            self.previous_starts_at = None

    def get_absolute_url(self):
        return reverse("agenda:detail", args=[self.slug])

    @property
    def is_postponed(self) -> bool:
        """Postponed, its new date not known yet."""
        return self.status == Status.POSTPONED

    @property
    def is_rescheduled(self) -> bool:
        """Postponed, then given its new dates (which ``starts_at`` and ``ends_at`` now hold)."""
        return self.previous_starts_at is not None and self.status not in (Status.POSTPONED, Status.CANCELLED)

    @property
    def is_open(self) -> bool:
        """Whether one can register, connect or put it in one's calendar: not cancelled, not postponed."""
        return self.status not in (Status.POSTPONED, Status.CANCELLED)

    @property
    def uid(self) -> str:
        """Stable iCalendar UID in our feed (imported events keep their own identity in source_uid)."""
        return f"evenement-{self.pk}@ambassadeurs-ia"


class EventStep(models.Model):
    """The moderation history of an event: each move of its workflow (``agenda.workflow``), who made it and when,
    written in the move's transaction by ``services`` (the moderators' decisions, a contributor's correction after a
    refusal, a change that sends a published event back). ``actor`` is the person (None: a partner's key or an
    import source, named in ``note``). No personal data: a refusal's reason is about the event and stays on it
    (``Event.refusal_reason``) and in the audit log. Deleted with the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField("le", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("action", max_length=16, choices=ModerationAction.choices)
    state_from = models.CharField("de", max_length=16, choices=Moderation.choices)
    state_to = models.CharField("vers", max_length=16, choices=Moderation.choices)
    note = models.CharField("note", max_length=200, blank=True)

    class Meta:
        verbose_name = "étape de modération"
        verbose_name_plural = "étapes de modération"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["event", "at"])]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
