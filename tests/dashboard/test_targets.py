"""Bad input on the targets form: a French message next to the field, a 400, the values typed kept, nothing saved."""

import pytest

from core.models import AuditEntry
from dashboard.models import RegionTarget
from tests.dashboard.conftest import page_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BAD = [
    ("-5", "Saisissez un nombre entier positif (1 ou plus), ou laissez vide."),
    ("0", "Saisissez un nombre entier positif (1 ou plus), ou laissez vide."),
    ("1001", "L’objectif d’une région ne peut pas dépasser 1\u202f000."),
    ("99999999999999999999999999", "L’objectif d’une région ne peut pas dépasser 1\u202f000."),
    ("douze", "Saisissez un nombre entier, par exemple 25."),
    ("12,5", "Saisissez un nombre entier, par exemple 25."),
    ("1" * 5000, "Saisissez un nombre entier, par exemple 25."),
]


@pytest.mark.parametrize(("value", "message"), BAD, ids=[v[:12] for v, _ in BAD])
def test_bad_target_is_a_400_with_a_french_message(client, db, value, message):
    RegionTarget.objects.create(region_id="84", target=10)
    client.force_login(UserFactory(national=True))
    response = client.post("/pilotage/objectifs/", {"region_84": value, "region_76": "3"})
    assert response.status_code == 400
    text = page_text(response)
    assert message.replace("\u202f", " ") in text.replace("\u202f", " ")
    assert "rien n’a été enregistré" in text
    body = response.content.decode()
    assert 'name="region_76" value="3"' in body  # what was typed elsewhere is kept
    assert 'aria-invalid="true"' in body
    assert dict(RegionTarget.objects.values_list("region_id", "target")) == {"84": 10}
    assert not AuditEntry.objects.filter(action__startswith="region_target").exists()


def test_unchanged_targets_write_nothing(client, db):
    RegionTarget.objects.create(region_id="84", target=10)
    client.force_login(UserFactory(national=True))
    response = client.post("/pilotage/objectifs/", {"region_84": "10"}, follow=True)
    assert "Aucun objectif n’a changé." in page_text(response)
    assert not AuditEntry.objects.filter(action__startswith="region_target").exists()
