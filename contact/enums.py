from django.db import models
from django.db.models import TextChoices


class CompanySize(models.TextChoices):
    TPE = "tpe", "TPE (moins de 10 salariés, ou en création)"
    PME = "pme", "PME (10 à 249 salariés)"
    ETI = "eti", "ETI (250 à 4 999 salariés)"


class RequestState(models.TextChoices):
    NEW = "new", "Nouvelle"
    TAKEN = "taken", "Prise en charge"
    ANSWERED = "answered", "Échange réalisé"
    REASSIGNED = "reassigned", "Confiée à un autre ambassadeur"
    CLOSED = "closed", "Close"


class AnswerKind(models.TextChoices):
    CALL = "call", "Appel"
    MEETING = "meeting", "Rendez-vous"


class CloseReason(models.TextChoices):
    DONE = "done", "Échange réalisé, demande traitée"
    UNREACHABLE = "unreachable", "L’entreprise n’a pas pu être jointe"
    OUT_OF_SCOPE = "out_of_scope", "Hors du champ des ambassadeurs"
    DUPLICATE = "duplicate", "Doublon d’une autre demande"
    WITHDRAWN = "withdrawn", "L’entreprise a renoncé"
    EXPIRED = "expired", "Sans suite après six mois"  # closed by the platform, never chosen by a person
    ERASED = "erased", "Effacée à la demande de l’entreprise"


class Usefulness(models.TextChoices):
    YES = "yes", "Oui"
    PARTLY = "partly", "En partie"
    NO = "no", "Non"


class StepAction(models.TextChoices):
    CREATED = "created", "Demande reçue"
    TAKEN = "taken", "Prise en charge"
    ANSWERED = "answered", "Échange réalisé"
    REASSIGNED = "reassigned", "Confiée à un autre ambassadeur"
    DECLINED = "declined", "Rendue par l’ambassadeur (« Ce n’est pas pour moi »)"
    ROUTED = "routed", "Transmise à l’ambassadeur suivant"
    MESSAGE = "message", "Message"
    CLOSED = "closed", "Close"
    REMINDED = "reminded", "Rappel envoyé à l’ambassadeur"
    ESCALATED = "escalated", "Coordination régionale alertée"
    FEEDBACK = "feedback", "Avis de l’entreprise"
    MODIFIED = "modified", "La demande a été modifiée par l’entreprise"
    ERASED = "erased", "Effacée"


class DeclineReason(TextChoices):
    """Why an ambassador says « Ce n’est pas pour moi »: for the coordination and the dashboard, never shown to the
    company."""

    FIELD = "field", "Hors de mes compétences (secteur ou thématique)"
    TERRITORY = "territory", "Trop loin de mon territoire"
    TIME = "time", "Pas disponible en ce moment"
    SCOPE = "scope", "Hors du champ des ambassadeurs IA"
    OTHER = "other", "Autre raison"


class Side(TextChoices):
    """Who wrote a message of the thread."""

    AMBASSADOR = "ambassador", "Ambassadeur"
    COMPANY = "company", "Entreprise"
    COORDINATOR = "coordinator", "Coordination régionale"
