from django.db import models


class Zone(models.TextChoices):
    METRO = "metro", "Métropole"
    DROM = "drom", "Outre-mer (DROM)"


class NafLevel(models.TextChoices):
    SECTION = "section", "Section"
    DIVISION = "division", "Division"
