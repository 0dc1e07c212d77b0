from django.core.management.base import BaseCommand

from ambassadors.reference import reference_lists_load
from territories.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Charge (ou met à jour) les régions, départements, communes, codes postaux, la NAF, "
        "les réseaux partenaires et les thématiques. Idempotent."
    )

    def handle(self, *args, **options):
        counts = reference_data_load() | reference_lists_load()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS("Données de référence : " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        )
