import pytest

from accounts.enums import Role
from api import services
from territories.models import Region
from tests.factories import UserFactory


@pytest.fixture
def national():
    return UserFactory(role=Role.NATIONAL_COORDINATOR)


def issue_key(by, name: str, contact_email: str, regions: list[str]):
    """An active key for the regions of these codes; ``key.raw`` is its secret."""
    key, raw = services.api_key_issue(
        by=by, name=name, contact_email=contact_email, regions=list(Region.objects.filter(code__in=regions))
    )
    key.raw = raw
    return key


@pytest.fixture
def partner_key(national):
    """An active key of « CCI Occitanie » for Occitanie (76); ``partner_key.raw`` is its secret."""
    return issue_key(national, "CCI Occitanie", "agenda@cci-occitanie.test", ["76"])


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def event_payload(**overrides) -> dict:
    payload = {
        "identifiant_externe": "cci-occ-2027-001",
        "titre": "Café IA des dirigeants toulousains",
        "description": "Retours d’expérience de PME industrielles.",
        "debut": "2027-03-11T14:30:00",
        "fin": "2027-03-11T17:00:00",
        "modalite": "in_person",
        "lieu": "CCI Toulouse",
        "adresse": "2 rue d’Alsace-Lorraine",
        "code_postal": "31000",
        "format": "cafe_ia",
        "secteurs": ["C"],
        "thematiques": ["production"],
        "lien_inscription": "https://www.toulouse.cci.fr/inscription",
        "organisateur": "CCI Occitanie",
    }
    payload.update(overrides)
    return payload
