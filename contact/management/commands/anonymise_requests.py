from django.core.management.base import BaseCommand

from contact.services import requests_anonymise_expired


class Command(BaseCommand):
    help = "Anonymise les demandes des entreprises closes depuis plus de douze mois (durée de conservation)."

    def handle(self, *args, **options):
        count = requests_anonymise_expired()
        self.stdout.write(f"{count} demande(s) anonymisée(s).")
