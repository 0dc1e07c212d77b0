from django.db import models


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "Déposée"
    UNDER_REVIEW = "under_review", "En cours d’examen"
    CORRECTION_REQUESTED = "correction_requested", "Correction demandée"
    DESIGNATED = "designated", "Retenue : ambassadeur désigné"
    DECLINED = "declined", "Non retenue"
    INELIGIBLE = "ineligible", "Irrecevable"
    WITHDRAWN = "withdrawn", "Retirée par la personne"


class ApplicationAction(models.TextChoices):
    """The moves of an application (``recruitment.workflow``), as its history names them; ``submit`` starts it."""

    SUBMIT = "submit", "Candidature déposée"
    START_REVIEW = "start_review", "Examen commencé (premier avis)"
    REQUEST_CORRECTION = "request_correction", "Correction demandée à la personne"
    RETURN_CORRECTION = "return_correction", "Correction renvoyée par la personne"
    RESUME = "resume", "Examen repris par l’équipe"
    DESIGNATE = "designate", "Désignée comme ambassadeur"
    DECLINE = "decline", "Non retenue"
    RULE_INELIGIBLE = "rule_ineligible", "Classée irrecevable"
    REOPEN = "reopen", "Examen rouvert"
    WITHDRAW = "withdraw", "Retirée par la personne"


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


class MessageSender(models.TextChoices):
    APPLICANT = "applicant", "La personne candidate"
    TEAM = "team", "L’équipe d’examen"


class MessageKind(models.TextChoices):
    MESSAGE = "message", "Message"
    CORRECTION_REQUEST = "correction_request", "Demande de correction"
    CORRECTED = "corrected", "Correction envoyée"
