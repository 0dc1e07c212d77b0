from django.core.management.base import BaseCommand

from accounts.services import accounts_purge


class Command(BaseCommand):
    help = (
        "Efface les comptes inutilisés depuis plus d’un an, les traces de connexion de plus de 30 jours et les "
        "entrées du journal de plus de cinq ans (durées de conservation)."
    )

    def handle(self, *args, **options):
        result = accounts_purge()
        self.stdout.write(
            f"{result['accounts_deleted']} compte(s) effacé(s), {result['accounts_kept']} désactivé(s) en attente, "
            f"{result['login_records_deleted']} trace(s) de connexion et {result['audit_entries_deleted']} "
            "entrée(s) du journal effacées."
        )
