from django.db import models


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "Déposée"
    UNDER_REVIEW = "under_review", "En cours d’examen"
    DESIGNATED = "designated", "Retenue : ambassadeur désigné"
    DECLINED = "declined", "Non retenue"
    INELIGIBLE = "ineligible", "Irrecevable"
    WITHDRAWN = "withdrawn", "Retirée par la personne"


class Recommendation(models.TextChoices):
    DESIGNATE = "designate", "Désigner"
    DECLINE = "decline", "Ne pas retenir"
    DISCUSS = "discuss", "À discuter"


class StructureSize(models.TextChoices):
    INDEPENDANT = "independant", "Indépendant (sans salarié)"
    TPE = "tpe", "TPE (moins de 10 salariés)"
    PME = "pme", "PME (10 à 249 salariés)"
    ETI = "eti", "ETI (250 à 4 999 salariés)"
    GE = "ge", "Grande entreprise (5 000 salariés et plus)"
    PUBLIC = "public", "Organisme public ou association"
