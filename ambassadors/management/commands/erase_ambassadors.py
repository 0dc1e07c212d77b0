from django.core.management.base import BaseCommand

from ambassadors.data_rights import ambassadors_erase_expired


class Command(BaseCommand):
    help = (
        "Efface les profils d’ambassadeurs dont le mandat a pris fin depuis plus d’un an et ceux dont "
        "l’effacement a été demandé (durée de conservation, droit à l’effacement)."
    )

    def handle(self, *args, **options):
        count = ambassadors_erase_expired()
        self.stdout.write(f"{count} profil(s) d’ambassadeur effacé(s).")
