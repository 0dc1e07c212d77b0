from django.db import models


class ProfileKind(models.TextChoices):
    GRAND_PUBLIC = "grand_public", "Grand public"
    SECTORIEL_REGIONAL = "sectoriel_regional", "Sectoriel et régional"


class PublicationState(models.TextChoices):
    DRAFT = "draft", "Pas encore publié"
    PUBLISHED = "published", "Publié"
    UNPUBLISHED = "unpublished", "Retiré de la publication"
