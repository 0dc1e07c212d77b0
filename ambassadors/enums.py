from django.db import models

from core.formats import FEMININE, MASCULINE


class ProfileKind(models.TextChoices):
    GRAND_PUBLIC = "grand_public", "Grand public"
    SECTORIEL_REGIONAL = "sectoriel_regional", "Sectoriel et régional"


class Gender(models.TextChoices):
    """How the platform writes of a person (« ambassadrice », « désignée »): only as the person said; unsaid, the
    wording avoids agreement (« Profil sectoriel et régional », « Votre candidature est retenue »)."""

    UNSAID = "", "Sans préférence (formulation neutre)"
    FEMININE = FEMININE, "Ambassadrice"
    MASCULINE = MASCULINE, "Ambassadeur"


# A person's profile, as a badge: (feminine, masculine, neutral).
KIND_TITLES = {
    ProfileKind.GRAND_PUBLIC: (
        "Ambassadrice grand public",
        "Ambassadeur grand public",
        "Profil grand public",
    ),
    ProfileKind.SECTORIEL_REGIONAL: (
        "Ambassadrice sectorielle et régionale",
        "Ambassadeur sectoriel et régional",
        "Profil sectoriel et régional",
    ),
}
# A group of people of one profile (a heading), and « none yet » in the singular.
KIND_GROUPS = {
    ProfileKind.GRAND_PUBLIC: ("Ambassadeurs grand public", "ambassadeur grand public"),
    ProfileKind.SECTORIEL_REGIONAL: (
        "Ambassadeurs sectoriels et régionaux",
        "ambassadeur sectoriel et régional",
    ),
}


class PublicationState(models.TextChoices):
    DRAFT = "draft", "Pas encore publié"
    PUBLISHED = "published", "Publié"
    UNPUBLISHED = "unpublished", "Retiré de la publication"
