from django.db import models


class Role(models.TextChoices):
    NATIONAL_COORDINATOR = "national_coordinator", "Coordination nationale"
    REGIONAL_COORDINATOR = "regional_coordinator", "Coordination régionale"
    REVIEWER = "reviewer", "Relecteur d’un réseau partenaire"
    AMBASSADOR = "ambassador", "Ambassadeur"
