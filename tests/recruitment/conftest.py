"""Helpers shared by the recruitment tests: what the AMI form receives when a person fills it in correctly."""

import pytest

from ambassadors.enums import ProfileKind
from ambassadors.models import PartnerNetwork
from recruitment.forms import ApplicationForm
from tests.factories import UserFactory

VALID_SIRET = "73282932000074"  # 14 digits with a right check key
PASSWORD = "mot-de-passe-de-test"  # tests.factories.UserFactory


def form_data(call, **overrides) -> dict:
    """The POST of /ami/ for ``call``: Jeanne, from Lyon (69001), proposed by the CCI, every question answered."""
    data = {
        "call": str(call.pk),
        "first_name": "Jeanne",
        "last_name": "Lyonnaise",
        "email": "jeanne@exemple.test",
        "phone": "06 12 34 56 78",
        "job_title": "Dirigeante",
        "structure_name": "Usinage du Rhône",
        "siret": VALID_SIRET,
        "structure_size": "pme",
        "postcode": "69001",
        "sectors": ["C"],
        "topics": ["production"],
        "profile_kind": ProfileKind.SECTORIEL_REGIONAL.value,
        "proposing_network": "cci",
        "ai_experience": "Vision par ordinateur pour le contrôle qualité de nos pièces.",
        "motivation": "Partager ce que nous avons appris avec les PME lyonnaises.",
        "availability_hours": "8",
        "consent": "1",
    }
    for question in call.questions.all():
        data[f"question_{question.pk}"] = f"Réponse à « {question.label} »"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def application_data(call, **overrides):
    """The cleaned ``ApplicationData`` the view would give the service for ``form_data(call, **overrides)``."""
    form = ApplicationForm(form_data(call, **overrides), call=call)
    assert form.is_valid(), form.errors
    return form.application_data()


@pytest.fixture
def national():
    return UserFactory(national=True, first_name="Nadia", last_name="Nationale")


@pytest.fixture
def bpifrance():
    return PartnerNetwork.objects.get(slug="bpifrance")


@pytest.fixture
def cci():
    return PartnerNetwork.objects.get(slug="cci")
