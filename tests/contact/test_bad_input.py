"""Bad POST bodies on every door of the contact app: huge ids, Unicode digits, repeated fields, missing fields,
NUL bytes, very long values. Each is a French 4xx (or the page again), never a 500, and nothing is stored or sent
for them."""

import pytest
from django.utils import timezone

from contact.enums import RequestState
from contact.models import CompanyRequest
from territories.models import Region
from tests.contact.conftest import expert
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
FIELDS = [
    # find and contact
    "postcode",
    "sector",
    "siret",
    "size",
    "topics",
    "topic",
    "question",
    "company_name",
    "contact_name",
    "email",
    "phone",
    "message",
    "consent",
    # back office
    "version",
    "answer_kind",
    "reason",
    "to_ambassador",
    "note",
    "decline-note",
    "decline-reason",
    "requests_paused",
    "requests_monthly_limit",
    # follow-up
    "useful",
    "contacted",
    "confirm",
]
BODIES = {
    "vide": {},
    "ids énormes": dict.fromkeys(FIELDS, HUGE),
    "chiffres Unicode": dict.fromkeys(FIELDS, "²"),
    "chiffres arabes": dict.fromkeys(FIELDS, "٣"),
    "négatifs": dict.fromkeys(FIELDS, "-1"),
    "octet nul": dict.fromkeys(FIELDS, "1\x00"),
    "très longs": dict.fromkeys(FIELDS, "9" * 5000),
    "champs répétés": {name: ["1", HUGE, "²"] for name in FIELDS},
    "préremplissage": {"prefill": "1", **dict.fromkeys(FIELDS, HUGE)},
    "préremplissage répété": {"prefill": ["1", "1"], **{name: [HUGE, "²"] for name in FIELDS}},
}
DOORS = [
    "find",
    "contact",
    "take",
    "answer",
    "close",
    "reassign",
    "decline",
    "feedback",
    "erase",
    "availability",
]


@pytest.mark.parametrize("body", list(BODIES))
@pytest.mark.parametrize("door", DOORS)
def test_bad_post_bodies_are_never_a_500(client, door, body):
    ambassador = expert()
    coordinator = UserFactory(regional=True, region=Region.objects.get(code="76"))
    state = RequestState.TAKEN if door in {"answer", "close"} else RequestState.NEW
    req = CompanyRequestFactory(ambassador=ambassador, state=state)
    closed = CompanyRequestFactory(
        ambassador=ambassador, state=RequestState.CLOSED, closed_at=timezone.now(), close_reason="done"
    )
    url = {
        "find": "/trouver-un-ambassadeur/",
        "contact": f"/ambassadeurs/{ambassador.slug}/contact/",
        "feedback": f"/demande/{closed.token}/avis/",
        "erase": f"/demande/{req.token}/effacer/",
        "availability": "/espace/demandes/disponibilite/",
    }.get(door, f"/espace/demandes/{req.pk}/{door}/")
    if door == "reassign":
        client.force_login(coordinator)
    elif door in {"take", "answer", "close", "decline", "availability"}:
        client.force_login(ambassador.user)
    data = BODIES[body]

    response = client.get(url, data) if door == "find" else client.post(url, data)

    assert response.status_code < 500
    if door == "erase" and data.get("confirm") == "1":
        return  # the one body that is a real erasure
    if door in {"take", "answer", "close", "reassign", "decline"}:
        assert response.status_code in {400, 403}
    if door == "find" and not data:
        assert response.status_code == 200  # no field at all: the empty form, not an error
    elif door in {"find", "contact"} and not data.get("prefill"):
        assert response.status_code == 400
    assert CompanyRequest.objects.count() == 2
    req.refresh_from_db()
    closed.refresh_from_db()
    assert (req.state, req.version, req.anonymised_at) == (state, 0, None)
    assert (closed.feedback_at, closed.anonymised_at) == (None, None)
