from django.core.management.base import BaseCommand

from dashboard.tasks import refresh_figures_now


class Command(BaseCommand):
    help = (
        "Recalcule les décomptes d’événements du pilotage si les événements ont changé, puis les pages de "
        "pilotage des coordinations (nationale, et chaque région qui a une coordination régionale). "
        "À lancer chaque minute."
    )

    def handle(self, *args, **options):
        result = refresh_figures_now()
        tallies = (
            f"Décomptes recalculés en {result['ms']} ms"
            if result["rebuilt"]
            else "Décomptes à jour : rien à recalculer"
        )
        self.stdout.write(f"{tallies} ; {result['pages']} page(s) de pilotage calculée(s).")
