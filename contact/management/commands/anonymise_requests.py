from django.core.management.base import BaseCommand

from contact.services import requests_anonymise_expired


class Command(BaseCommand):
    help = (
        "Clôt « sans suite » les demandes des entreprises sans aucune étape depuis six mois, puis anonymise celles "
        "closes depuis douze mois (durée de conservation). À lancer chaque jour (sans effet si rien n’est dû)."
    )

    def handle(self, *args, **options):
        done = requests_anonymise_expired()
        self.stdout.write(
            f"{done['closes']} demande(s) close(s) sans suite, {done['anonymisees']} demande(s) anonymisée(s)."
        )
