from django.db import models


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "En présentiel"
    ONLINE = "online", "En ligne"
    HYBRID = "hybrid", "Présentiel et en ligne"


class Format(models.TextChoices):
    CONFERENCE = "conference", "Conférence"
    ATELIER = "atelier", "Atelier"
    WEBINAIRE = "webinaire", "Webinaire"
    CAFE_IA = "cafe_ia", "Café IA"
    RENCONTRE_AFFAIRES = "rencontre_affaires", "Rencontre d’affaires"
    SALON = "salon", "Salon"
    FORMATION = "formation", "Formation"
    AUTRE = "autre", "Autre"


class Status(models.TextChoices):
    SCHEDULED = "scheduled", "Programmé"
    POSTPONED = "postponed", "Reporté"
    CANCELLED = "cancelled", "Annulé"
    FULL = "full", "Complet"
    MOVED_ONLINE = "moved_online", "Passé en ligne"


class Moderation(models.TextChoices):
    SUBMITTED = "submitted", "En attente de modération"
    PUBLISHED = "published", "Publié"
    REFUSED = "refused", "Refusé"


class ModerationAction(models.TextChoices):
    """The moves of an event's moderation (``agenda.workflow``), as its history names them."""

    PUBLISH = "publish", "Publié par la modération"
    REFUSE = "refuse", "Refusé par la modération"
    RESUBMIT = "resubmit", "Corrigé après un refus : proposé de nouveau"
    SEND_BACK = "send_back", "Modifié après publication : revenu en modération"
