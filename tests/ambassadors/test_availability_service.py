"""ambassadors.services.ambassador_availability_set: the person's own choice, through the one service (the
requests' inbox calls it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassadors.services import ambassador_availability_set
from core.errors import NotAllowed
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_person_sets_their_availability_and_only_it():
    ambassador = AmbassadorFactory(user=UserFactory(), bio="Présentation")
    before = ambassador.updated_at
    today = timezone.localdate()

    ambassador_availability_set(
        ambassador=ambassador,
        by=ambassador.user,
        data={"requests_paused": True, "absent_from": today, "absent_until": today + timedelta(days=3)},
    )

    ambassador.refresh_from_db()
    assert ambassador.requests_paused and ambassador.absent_until == today + timedelta(days=3)
    assert ambassador.updated_at > before and ambassador.bio == "Présentation"


def test_no_one_else_sets_a_person_s_availability():
    ambassador = AmbassadorFactory(user=UserFactory())
    for other in (UserFactory(national=True), UserFactory(regional=True), UserFactory()):
        with pytest.raises(NotAllowed):
            ambassador_availability_set(ambassador=ambassador, by=other, data={"requests_paused": True})
    ambassador.refresh_from_db()
    assert not ambassador.requests_paused
