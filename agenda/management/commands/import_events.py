"""``manage.py import_events <url-or-path>``: import an iCalendar file or URL into the agenda.

Examples::

    manage.py import_events https://partenaire.exemple/agenda.ics --region 84 --format atelier
    manage.py import_events exports/agenda.ics --source "Agenda de la CCI" --publish
    manage.py import_events --toutes      # refresh every active source with an URL (schedule it with cron)

The exit code is 0 when the import ran, even if some events were skipped (they are listed, with their reason);
it is not 0 for a fatal error: a missing file, a file that is not a calendar, an unknown region or format.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.enums import Format
from agenda.imports import MAX_BYTES, import_all_sources, import_calendar, import_source
from agenda.models import ImportRun, ImportSource
from agenda.services import import_source_save
from territories.models import Region

URL_SCHEMES = ("http://", "https://", "webcal://")


def run_summary(run: ImportRun) -> str:
    return (
        f"Source « {run.source.name} » : {run.created} créé(s), {run.updated} mis à jour, "
        f"{run.unchanged} inchangé(s), {run.skipped} ignoré(s), {run.missing} disparu(s) de la source."
    )


class Command(BaseCommand):
    help = "Importe les événements d’un calendrier iCalendar (fichier ou adresse) dans l’agenda."

    def add_arguments(self, parser):
        parser.add_argument("location", nargs="?", help="Chemin d’un fichier .ics ou adresse http(s)/webcal.")
        parser.add_argument(
            "--source", help="Nom de la source (par défaut : l’adresse ou le nom du fichier)."
        )
        parser.add_argument("--region", help="Code INSEE de la région par défaut (84, 04…).")
        parser.add_argument("--format", help=f"Format par défaut : {', '.join(Format.values)}.")
        parser.add_argument(
            "--publish", action="store_true", help="Publier sans modération (source de confiance)."
        )
        parser.add_argument(
            "--toutes", action="store_true", help="Rafraîchir toutes les sources actives qui ont une adresse."
        )

    def handle(self, *args, location=None, **options):
        if options["toutes"]:
            for run in import_all_sources():
                self.report(run, fatal=False)
            return
        if not location:
            raise CommandError("Indiquez un fichier ou une adresse à importer (ou --toutes).")
        is_url = location.lower().startswith(URL_SCHEMES)
        content = None
        if not is_url:
            path = Path(location)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {location}")
            with path.open("rb") as handle:
                content = handle.read(MAX_BYTES + 1)  # import_calendar refuses what is bigger
        source = self.source(options, name=options["source"] or (location if is_url else Path(location).name))
        if is_url and source.url != location:
            source = import_source_save(by=None, data={"url": location}, source=source)
        run = import_source(source) if is_url else import_calendar(source=source, content=content)
        self.report(run, fatal=True)

    def source(self, options, *, name: str) -> ImportSource:
        changes = {}
        if options["region"]:
            region = Region.objects.filter(code=options["region"].strip()).first()
            if region is None:
                codes = ", ".join(Region.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(f"Région inconnue : « {options['region']} ». Codes possibles : {codes}.")
            changes["default_region"] = region
        if options["format"]:
            if options["format"] not in Format.values:
                raise CommandError(
                    f"Format inconnu : « {options['format']} ». Formats possibles : {', '.join(Format.values)}."
                )
            changes["default_format"] = options["format"]
        if options["publish"]:
            changes["publish_directly"] = True
        # The command line is the platform's administrators, on the server: the same service as the back office,
        # audited (actor none).
        source = ImportSource.objects.filter(name=name[:150]).first()
        if source is None or changes:
            data = changes if source else {"name": name[:150], **changes}
            source = import_source_save(by=None, data=data, source=source)
        if source.default_region is None:
            self.stderr.write(
                "Attention : cette source n’a pas de région par défaut (--region) ; seuls les événements dont le "
                "lieu donne un code postal seront importés."
            )
        return source

    def report(self, run: ImportRun, *, fatal: bool) -> None:
        if run.error:
            if fatal:
                raise CommandError(run.error)
            self.stderr.write(f"Source « {run.source.name} » : {run.error}")
            return
        self.stdout.write(run_summary(run))
        if run.skipped_reasons:
            self.stdout.write("Événements ignorés :")
            for item in run.skipped_reasons:
                resume = f" (« {item['resume']} »)" if item.get("resume") else ""
                self.stdout.write(f"- {item.get('uid') or 'sans UID'} : {item['raison']}{resume}")
