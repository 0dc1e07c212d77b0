from django.core.management.base import BaseCommand

from core.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Applique chaque durée de conservation du registre des données personnelles (docs/personal-data.md) : "
        "à lancer chaque jour."
    )

    def handle(self, *args, **options):
        for job, result in apply_retention().items():
            self.stdout.write(f"{job} : {result}")
