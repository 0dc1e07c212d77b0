"""The regional targets of the network. Indicators themselves are computed from the data (``dashboard.selectors``):
nothing typed is copied; the counts of events are pre-aggregated (``EventTally``, ``dashboard.tallies``) and the page
keeps what it computed for at most a minute (``dashboard.caching``)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

NATIONAL_TARGET = 300  # the plan « Osez l'IA »: 300 volunteer ambassadors
MAX_REGION_TARGET = 1000  # a safety bound against a typing slip (3000 for 300)


class RegionTarget(models.Model):
    """How many published ambassadors the national coordination aims at in a region."""

    region = models.OneToOneField(
        "territories.Region",
        verbose_name="région",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target = models.PositiveIntegerField(
        "objectif",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REGION_TARGET)],
        help_text="Nombre d’ambassadeurs publiés visé dans la région.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "objectif régional"
        verbose_name_plural = "objectifs régionaux"
        ordering = ["region"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__gte=1, target__lte=MAX_REGION_TARGET),
                name="region_target_in_bounds",
            )
        ]

    def __str__(self):
        return f"Objectif de la région {self.region_id} : {self.target}"


class EventOrigin(models.TextChoices):
    """Who brought a public event, for the table « Qui a apporté les événements publiés »."""

    IMPORT = "import", "Imports de calendriers"
    AMBASSADOR = "ambassador", "Ambassadeurs"
    COORDINATION = "coordination", "Coordination"
    OTHER = "other", "Autres"


class EventTally(models.Model):
    """How many public events share a region, a format, an origin and the months (Paris time) of their start and
    of their end: the steering page reads these few thousand rows instead of the 200,000 events of a national
    agenda. Rebuilt whole by ``dashboard.tallies`` whenever the events it is computed from changed."""

    region = models.ForeignKey("territories.Region", on_delete=models.CASCADE, related_name="+")
    format = models.CharField("format", max_length=32)
    origin = models.CharField("origine", max_length=16, choices=EventOrigin.choices)
    start_month = models.DateField("mois de début")
    end_month = models.DateField("mois de fin")
    n = models.PositiveIntegerField("événements")

    class Meta:
        verbose_name = "décompte d’événements"
        verbose_name_plural = "décomptes d’événements"
        indexes = [models.Index(fields=["region", "start_month"], name="event_tally_region_month")]

    def __str__(self):
        return f"{self.n} événement(s) {self.region_id} {self.format}"


class EventDayTally(models.Model):
    """How many public events of a region and a format end on each day (Paris time) of the month the tallies were
    computed in: with ``EventTally`` (the months after) and the events of the day (counted at each read), the
    events still to come."""

    region = models.ForeignKey("territories.Region", on_delete=models.CASCADE, related_name="+")
    format = models.CharField("format", max_length=32)
    end_date = models.DateField("jour de fin")
    n = models.PositiveIntegerField("événements")

    class Meta:
        verbose_name = "décompte d’événements par jour de fin"
        verbose_name_plural = "décomptes d’événements par jour de fin"

    def __str__(self):
        return f"{self.n} événement(s) {self.region_id} {self.format} {self.end_date}"


class AmbassadorTally(models.Model):
    """How many public events an ambassador created or takes part in (each counted once), for the activity table
    of the steering page. Rebuilt with ``EventTally``; removed with the ambassador."""

    ambassador = models.OneToOneField(
        "ambassadors.Ambassador", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    events = models.PositiveIntegerField("événements")

    class Meta:
        verbose_name = "décompte d’activité"
        verbose_name_plural = "décomptes d’activité"

    def __str__(self):
        return f"{self.events} événement(s) de l’ambassadeur {self.ambassador_id}"


class TallyState(models.Model):
    """The one row that says what the tallies were computed from (``dashboard.tallies.source_version``) and when."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.CharField(max_length=500)
    computed_at = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "état des décomptes"
        verbose_name_plural = "états des décomptes"

    def __str__(self):
        return f"Décomptes du {self.computed_at:%Y-%m-%d %H:%M:%S}"
