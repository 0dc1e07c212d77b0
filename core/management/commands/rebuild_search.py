from django.core.management.base import BaseCommand

from core.search import search_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les colonnes de recherche (texte plié et réduit aux racines) de toutes les lignes : après une "
        "écriture en masse qui n’est pas passée par save(), ou un changement des mots vides ou du racinisateur."
    )

    def handle(self, *args, **options):
        counts = search_rebuild()
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    "Colonnes de recherche\u00a0: " + ", ".join(f"{n} {label}" for label, n in counts.items())
                )
            )
