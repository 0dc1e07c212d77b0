from django.db import models
from django.urls import reverse

from core.search import SearchableModel, name_key
from territories.enums import NafLevel, Zone


class NamedPlace(SearchableModel):
    """A region, a département or a commune: its name is searchable as words (``search_text``) and, whole, as the
    name of a place typed in a search (``search_name``: « Côte-d’Or », « cote d'or », « COTE D OR » → ``cote d or``;
    see ``territories/search.py``)."""

    SEARCH_FIELDS = ("name",)

    search_name = models.CharField("nom de recherche", max_length=200, blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def search_values(self) -> dict[str, str]:
        return super().search_values() | {"search_name": name_key(self.name)}


class Region(NamedPlace):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    zone = models.CharField(max_length=8, choices=Zone.choices)
    timezone = models.CharField("fuseau horaire", max_length=64)

    class Meta:
        verbose_name = "région"
        ordering = ["search_name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ambassadors:region_detail", args=[self.code])

    @property
    def is_overseas(self) -> bool:
        return self.zone == Zone.DROM


class Departement(NamedPlace):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def label_with_region(self) -> str:
        """« Ain (01), Auvergne-Rhône-Alpes »: in a long list one can find a département by its region's name."""
        return f"{self.name} ({self.code}), {self.region.name}"


class Commune(NamedPlace):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField(null=True, blank=True)
    # The commune's centre (WGS 84, ``data/commune_centres.csv``): where distances are measured from when no street
    # address is known (``territories.geo``).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["search_name"]
        indexes = [models.Index(fields=["search_name"], name="commune_search_name")]

    def __str__(self):
        return f"{self.name} ({self.departement_id})"


class PostalCode(models.Model):
    """One (postcode, commune) pair: a postcode may serve several communes and a commune several postcodes."""

    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        verbose_name = "code postal"
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="unique_postcode_commune")]

    def __str__(self):
        return f"{self.code} {self.commune.name}"


class NafActivity(SearchableModel):
    """A section or a division of a NAF version. Sections are the sectors of the platform.

    ``version`` leaves room for NAF 2025, which replaces rév. 2 for new SIRENE codes from 2027.
    """

    SEARCH_FIELDS = ("label",)

    version = models.CharField(max_length=16, default="rev2")
    level = models.CharField(max_length=16, choices=NafLevel.choices)
    code = models.CharField(max_length=8)
    label = models.CharField("libellé", max_length=255)
    section = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="divisions"
    )

    class Meta:
        verbose_name = "activité NAF"
        verbose_name_plural = "activités NAF"
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_naf_code")]

    def __str__(self):
        return f"{self.code} – {self.label}"
