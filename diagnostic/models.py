"""Anonymous results of the self-diagnostic: the answers, the company’s context (département, sector, size), the
scoring version, the scores and the profile. No name, no email, no postcode, no IP address."""

import secrets

from django.db import models
from django.urls import reverse

from contact.enums import CompanySize
from diagnostic.enums import Profile


def new_token() -> str:
    return secrets.token_urlsafe(32)


class DiagnosticResult(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    version = models.CharField("version du barème", max_length=16)
    answers = models.JSONField("réponses")
    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(
        "territories.NafActivity", verbose_name="secteur", on_delete=models.PROTECT, related_name="+"
    )
    size = models.CharField("taille", max_length=8, choices=CompanySize.choices)
    scores = models.JSONField("scores par dimension")
    profile = models.CharField("profil", max_length=16, choices=Profile.choices, db_index=True)
    # The day only: a time to the second could tie a result to a visit in the server logs.
    created_on = models.DateField("date", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "résultat d’autodiagnostic"
        verbose_name_plural = "résultats d’autodiagnostic"
        ordering = ["-created_on", "-pk"]
        indexes = [models.Index(fields=["region", "profile"])]

    def __str__(self):
        return f"Autodiagnostic n° {self.pk} ({self.get_profile_display()})"

    def get_absolute_url(self):
        return reverse("diagnostic:result", args=[self.token])


class DiagnosticCount(models.Model):
    """How many results share one region, sector, size and profile: the public statistics and the steering page
    read these few thousand rows instead of every result. Kept by ``diagnostic.counts`` (a result created or
    deleted adds or removes one); ``counts_rebuild()`` after a bulk write that skipped the signals."""

    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("territories.NafActivity", on_delete=models.PROTECT, related_name="+")
    size = models.CharField("taille", max_length=8, choices=CompanySize.choices)
    profile = models.CharField("profil", max_length=16, choices=Profile.choices)
    n = models.PositiveIntegerField("résultats", default=0)

    class Meta:
        verbose_name = "décompte d’autodiagnostics"
        verbose_name_plural = "décomptes d’autodiagnostics"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "sector", "size", "profile"], name="diagnostic_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.n} résultat(s) {self.profile}"
