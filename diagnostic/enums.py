from django.db import models


class Profile(models.TextChoices):
    INNOVATEUR = "innovateur", "Innovateur"
    EXPERIMENTATEUR = "experimentateur", "Expérimentateur"
    SCEPTIQUE = "sceptique", "Sceptique"
    BLOQUE = "bloque", "Bloqué"


class Dimension(models.TextChoices):
    STRATEGY = "strategie", "Stratégie"
    DATA = "donnees", "Données"
    SKILLS = "competences", "Compétences"
    USES = "usages", "Usages"
    MEANS = "moyens", "Moyens et accompagnement"


# Bpifrance Le Lab, « L'IA dans les PME et ETI », June 2025, 1,209 leaders: the national baseline, in percent.
BASELINE = {
    Profile.INNOVATEUR: 19,
    Profile.EXPERIMENTATEUR: 28,
    Profile.SCEPTIQUE: 27,
    Profile.BLOQUE: 26,
}
