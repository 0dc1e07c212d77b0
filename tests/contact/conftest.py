import pytest
from django.core.cache import cache

from ambassadors.models import Topic
from territories.models import NafActivity, Region
from tests.factories import AmbassadorFactory, UserFactory


def expert(**fields):
    """A published Occitanie ambassador of industry and production, in Haute-Garonne, with an account."""
    defaults = {
        "published": True,
        "regions": ["76"],
        "departements": ["31"],
        "sectors": ["C"],
        "topics": ["production"],
        "user": UserFactory(),
    }
    return AmbassadorFactory(**{**defaults, **fields})


def regional(code="76"):
    """A regional coordinator of ``code`` (Occitanie by default)."""
    return UserFactory(regional=True, region=Region.objects.get(code=code))


def act(client, user, req, action, **data):
    """A move of the follow-up (``/espace/demandes/<pk>/<action>/``) by ``user``, at the version of ``req``."""
    client.logout()
    client.force_login(user)
    return client.post(f"/espace/demandes/{req.pk}/{action}/", {"version": req.version, **data})


def contact_data(**overrides) -> dict:
    """The POST of the contact form; ``None`` removes a field."""
    data = {
        "company_name": "Fonderie L’Atelier & Fils",
        "contact_name": "Jeanne Dirigeante",
        "email": "jeanne@fonderie-exemple.test",
        "phone": "05 61 12 34 56",
        "postcode": "31000",
        "siret": "",
        "size": "pme",
        "sector": str(NafActivity.objects.get(level="section", code="C").pk),
        "topic": str(Topic.objects.get(slug="production").pk),
        "message": "Nous voulons prévoir les pannes de nos machines de production.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()
