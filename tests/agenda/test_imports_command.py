"""Imports of other calendars: the management command ``import_events`` on files."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agenda.enums import Moderation
from agenda.models import Event, ImportSource
from tests.agenda.imports_helpers import DATA, read

pytestmark = pytest.mark.django_db


# The command.


def test_command_imports_a_file_and_reports_counts_and_skipped_reasons():
    out = StringIO()
    call_command("import_events", str(DATA / "forever.ics"), "--region", "84", stdout=out)

    text = out.getvalue()
    src = ImportSource.objects.get(name="forever.ics")
    run = src.runs.get()
    assert run.created == Event.objects.filter(source=src).count() > 20
    assert f"{run.created} créé(s), 0 mis à jour, 0 inchangé(s), 1 ignoré(s)" in text
    assert "sans-titre@partenaire.exemple : Pas de titre (SUMMARY)." in text
    # A second time: nothing new.
    out = StringIO()
    call_command("import_events", str(DATA / "forever.ics"), "--region", "84", stdout=out)
    assert f"0 créé(s), 0 mis à jour, {run.created} inchangé(s), 1 ignoré(s)" in out.getvalue()
    assert Event.objects.filter(source=src).count() == run.created


def test_command_options_set_the_source():
    call_command(
        "import_events",
        str(DATA / "forever.ics"),
        "--source",
        "Permanences de la CCI",
        "--region",
        "04",
        "--format",
        "atelier",
        "--publish",
        stdout=StringIO(),
    )

    src = ImportSource.objects.get(name="Permanences de la CCI")
    assert (src.default_region.code, src.default_format, src.publish_directly) == ("04", "atelier", True)
    # The events' place (Lyon, 69001) decides their region; published directly only in the source's region.
    assert set(Event.objects.filter(source=src).values_list("region", "moderation")) == {
        ("84", Moderation.SUBMITTED)
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(DATA / "absent.ics")], "Fichier introuvable"),
        ([str(DATA / "not_a_calendar.ics"), "--region", "84"], "n’est pas un calendrier iCalendar"),
        ([str(DATA / "forever.ics"), "--region", "99"], "Région inconnue : « 99 »"),
        ([str(DATA / "forever.ics"), "--format", "banquet"], "Format inconnu : « banquet »"),
        ([], "Indiquez un fichier ou une adresse"),
    ],
)
def test_command_fatal_errors_fail_with_a_french_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_events", *args, stdout=StringIO())


def test_command_malformed_file_does_not_crash_and_reports(tmp_path):
    path = tmp_path / "messy.ics"
    path.write_bytes(read("zones.ics"))
    out = StringIO()
    call_command("import_events", str(path), "--region", "84", stdout=out)

    assert "5 ignoré(s)" in out.getvalue()
    assert "mars@partenaire.exemple : Fuseau horaire inconnu « Mars/Olympus »" in out.getvalue()
