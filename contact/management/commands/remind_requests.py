from django.core.management.base import BaseCommand

from contact.services import requests_send_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux ambassadeurs les demandes non prises en charge après 5 jours et alerte la coordination "
        "régionale après 10 jours ; rappelle 10 jours après la prise en charge une demande sans échange noté. "
        "À lancer chaque jour (sans effet si rien n’est dû)."
    )

    def handle(self, *args, **options):
        sent = requests_send_reminders()
        self.stdout.write(
            f"{sent['rappels']} rappel(s) aux ambassadeurs, {sent['alertes']} alerte(s) aux coordinations, "
            f"{sent['rappels_prises_en_charge']} rappel(s) de demandes prises en charge sans échange."
        )
