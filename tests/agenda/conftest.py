"""Helpers shared by the agenda tests: the people who contribute and moderate, what the contribution form receives,
and a reader of the iCalendar feed."""

import icalendar
import pytest

from agenda.enums import Format, Mode, Status
from ambassadors.models import Topic
from territories.models import NafActivity, Region
from tests.agenda.factories import in_days
from tests.factories import AmbassadorFactory, UserFactory

PASSWORD = "mot-de-passe-de-test"  # tests.factories.UserFactory


def ambassador_user(*, trusted: bool = False, region: str = "84", **user_fields):
    """An ambassador's account with its published profile in ``region``."""
    user = UserFactory(**user_fields)
    AmbassadorFactory(user=user, published=True, regions=[region], is_trusted_contributor=trusted)
    return user


def regional_user(code: str = "84", **user_fields):
    return UserFactory(regional=True, region=Region.objects.get(code=code), **user_fields)


def as_user(client, user):
    """The client, logged in as ``user`` (logged out for None)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def contribution_data(**overrides) -> dict:
    """The POST of /espace/evenements/nouveau/: a café IA in Lyon (69001), in 30 days from 14 h 30 to 17 h, times
    entered in the event’s zone. ``None`` removes a field."""
    day = in_days(30)
    data = {
        "title": "Café IA des dirigeants lyonnais",
        "description": "Des **cas concrets** d’IA dans les PME de la région.",
        "starts_at": f"{day:%Y-%m-%d}T14:30",
        "ends_at": f"{day:%Y-%m-%d}T17:00",
        "timezone": "",
        "mode": Mode.IN_PERSON.value,
        "venue_name": "Maison des entreprises",
        "address": "12 rue de la République",
        "postcode": "69001",
        "region": "",
        "online_url": "",
        "format": Format.CAFE_IA.value,
        "audience": "Dirigeants de PME",
        "sectors": [str(NafActivity.objects.get(version="rev2", level="section", code="C").pk)],
        "topics": [str(Topic.objects.get(slug="production").pk)],
        "is_free": "1",
        "registration_url": "https://inscriptions.exemple.fr/cafe-ia",
        "organizer_name": "CCI Lyon Métropole",
        "organizer_url": "https://www.lyon-metropole.cci.fr",
        "status": Status.SCHEDULED.value,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def ics_events(content: bytes) -> dict[str, icalendar.Event]:
    """The VEVENTs of an iCalendar body, by UID."""
    calendar = icalendar.Calendar.from_ical(content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def ambassador():
    return ambassador_user(first_name="Amandine", last_name="Contributrice")


@pytest.fixture
def regional():
    return regional_user("84", first_name="Corentin", last_name="Coordinateur")
