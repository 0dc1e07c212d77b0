from django.core.management.base import BaseCommand

from demo.agenda import demo_agenda_load
from demo.ambassadors import DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD, demo_data_load
from demo.contact import demo_contact_load
from demo.dashboard import demo_dashboard_load
from demo.diagnostic import demo_diagnostic_load
from demo.recruitment import demo_recruitment_load


class Command(BaseCommand):
    help = "Charge un jeu de démonstration fictif et cohérent (300 ambassadeurs, appels et candidatures, événements, demandes d’entreprises, autodiagnostics, objectifs régionaux, un compte par rôle), daté par rapport au jour du chargement. Idempotent."

    def handle(self, *args, **options):
        counts = (
            demo_data_load()
            | demo_recruitment_load()
            | demo_agenda_load()
            | demo_contact_load()
            | demo_diagnostic_load()
            | demo_dashboard_load()
        )
        if options["verbosity"] == 0:
            return
        self.stdout.write(self.style.SUCCESS("Démo : " + ", ".join(f"{v} {k}" for k, v in counts.items())))
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for local, first, last, role, region, network in DEMO_ACCOUNTS:
            scope = " ".join(
                filter(None, [f"région {region}" if region else "", f"réseau {network}" if network else ""])
            )
            self.stdout.write(
                f"  {local + '@' + DEMO_DOMAIN:<52} {first} {last}, {role.label.lower()}"
                f"{' – ' + scope if scope else ''}"
            )
