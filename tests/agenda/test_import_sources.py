"""agenda.services.import_source_save: the one door that creates and changes calendar import sources (the back
office's form and the import_events command), its rule and its audit entries."""

from pathlib import Path

import pytest
from django.core.management import call_command

from agenda import services
from agenda.models import ImportSource
from core.errors import NotAllowed
from core.models import AuditEntry
from territories.models import Region
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def test_a_regional_coordinator_creates_sources_of_their_region_only():
    coordinator = UserFactory(regional=True)  # Auvergne-Rhône-Alpes (84)
    mine = services.import_source_save(
        by=coordinator, data={"name": "CCI Lyon", "default_region": Region.objects.get(code="84")}
    )
    assert mine.pk and mine.default_region_id == "84"

    with pytest.raises(NotAllowed):
        services.import_source_save(
            by=coordinator, data={"name": "CCI Toulouse", "default_region": Region.objects.get(code="76")}
        )
    with pytest.raises(NotAllowed):  # nor move one of theirs to another region
        services.import_source_save(
            by=coordinator, data={"default_region": Region.objects.get(code="76")}, source=mine
        )
    assert ImportSource.objects.get(pk=mine.pk).default_region_id == "84"
    assert not ImportSource.objects.filter(name="CCI Toulouse").exists()


def test_every_change_of_a_source_is_audited_with_its_fields():
    national = UserFactory(national=True)
    source = services.import_source_save(by=national, data={"name": "Agenda régional"})
    services.import_source_save(by=national, data={"publish_directly": True}, source=source)
    services.import_source_save(by=national, data={"publish_directly": True}, source=source)  # unchanged

    entries = list(AuditEntry.objects.filter(action__startswith="import_source.").order_by("pk"))
    assert [e.action for e in entries] == ["import_source.create", "import_source.edit"]
    assert entries[1].changes == {"publish_directly": True}
    assert entries[1].actor == national


def test_the_command_creates_and_changes_its_source_through_the_service():
    call_command(
        "import_events", str(DATA / "forever.ics"), "--source", "Ligne de commande", "--region", "84"
    )
    call_command(
        "import_events",
        str(DATA / "forever.ics"),
        "--source",
        "Ligne de commande",
        "--region",
        "84",
        "--publish",
    )

    source = ImportSource.objects.get(name="Ligne de commande")
    assert source.publish_directly
    actions = list(
        AuditEntry.objects.filter(action__startswith="import_source.")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [("import_source.create", None), ("import_source.edit", None)]
