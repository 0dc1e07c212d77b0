from django.core.management.base import BaseCommand

from recruitment.services import applications_purge_expired


class Command(BaseCommand):
    help = "Efface les candidatures des appels clos depuis plus de deux ans (durée de conservation)."

    def handle(self, *args, **options):
        count = applications_purge_expired()
        self.stdout.write(f"{count} candidature(s) effacée(s).")
