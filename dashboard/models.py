"""The regional targets of the network. Indicators themselves are computed from the data (``dashboard.selectors``):
nothing is copied into a table; the page keeps what it computed for at most a minute (``dashboard.caching``)."""

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
