from django.core.management.base import BaseCommand

from dashboard.tallies import refresh_if_moved


class Command(BaseCommand):
    help = (
        "Recalcule les décomptes d’événements du pilotage si les événements ont changé depuis le dernier calcul. "
        "À lancer chaque minute (sans effet si rien n’a changé)."
    )

    def handle(self, *args, **options):
        result = refresh_if_moved()
        if result["rebuilt"]:
            self.stdout.write(f"Décomptes recalculés en {result['ms']} ms.")
        else:
            self.stdout.write("Décomptes à jour : rien à recalculer.")
