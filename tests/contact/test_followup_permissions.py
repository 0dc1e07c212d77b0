"""Follow-up of company requests: the permission matrix of the back office, who sees the contact details, and the
query counts of the inbox, the detail and the finder."""

import pytest

from contact import services
from contact.enums import RequestState
from tests.contact.conftest import expert, regional
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Permission matrix: role -> status of each back-office view, with a request of Occitanie in the database.

ROLES = ["anonymous", "assignee", "other_ambassador", "regional_76", "regional_84", "national", "reviewer"]
EXPECTED = {
    "inbox": {
        "anonymous": 302,
        "assignee": 200,
        "other_ambassador": 200,
        "regional_76": 200,
        "regional_84": 200,
        "national": 200,
        "reviewer": 403,
    },
    "detail": {
        "anonymous": 302,
        "assignee": 200,
        "other_ambassador": 404,
        "regional_76": 200,
        "regional_84": 404,
        "national": 200,
        "reviewer": 404,
    },
    "take": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 403,
        "regional_84": 404,
        "national": 403,
        "reviewer": 404,
    },
    "answer": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 403,
        "regional_84": 404,
        "national": 403,
        "reviewer": 404,
    },
    "decline": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 403,
        "regional_84": 404,
        "national": 403,
        "reviewer": 404,
    },
    "close": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 302,
        "regional_84": 404,
        "national": 302,
        "reviewer": 404,
    },
    "reassign": {
        "anonymous": 302,
        "assignee": 403,
        "other_ambassador": 404,
        "regional_76": 302,
        "regional_84": 404,
        "national": 302,
        "reviewer": 404,
    },
    "availability": {
        "anonymous": 302,
        "assignee": 200,
        "other_ambassador": 200,
        "regional_76": 403,
        "regional_84": 403,
        "national": 403,
        "reviewer": 403,
    },
}
# For each move: the state the request is in before, the form sent, and whether it moved when allowed.
MOVES = {
    "take": (RequestState.NEW, {}),
    "answer": (RequestState.TAKEN, {"answer_kind": "call"}),
    "decline": (RequestState.NEW, {"decline-reason": "field", "decline-note": "Hors de mon domaine"}),
    "close": (RequestState.TAKEN, {"reason": "unreachable", "confirm": "1"}),
    "reassign": (RequestState.NEW, {"note": "Plus proche"}),
}


def _user(role, assignee):
    return {
        "anonymous": lambda: None,
        "assignee": lambda: assignee.user,
        "other_ambassador": lambda: expert().user,
        "regional_76": lambda: regional("76"),
        "regional_84": lambda: regional("84"),
        "national": lambda: UserFactory(national=True),
        "reviewer": lambda: UserFactory(reviewer=True),
    }[role]()


@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_back_office_matrix(client, view, role):
    assignee = expert()
    target = expert()  # who a reassignment goes to
    state, data = MOVES.get(view, (RequestState.NEW, {}))
    req = CompanyRequestFactory(ambassador=assignee, state=state)
    before = (req.state, req.version, req.ambassador_id)
    user = _user(role, assignee)
    if user:
        client.force_login(user)
    if view in MOVES:
        data = {**data, "to_ambassador": target.pk} if view == "reassign" else data
        response = client.post(f"/espace/demandes/{req.pk}/{view}/", {"version": req.version, **data})
    else:
        url = {
            "inbox": "/espace/demandes/",
            "detail": f"/espace/demandes/{req.pk}/",
            "availability": "/espace/demandes/disponibilite/",
        }[view]
        response = client.get(url)

    assert response.status_code == EXPECTED[view][role]
    req.refresh_from_db()
    moved = view in MOVES and response.status_code == 302 and user is not None
    assert (req.version > before[1]) == moved  # a decline is routed on at once: two moves
    if not moved:
        assert (req.state, req.version, req.ambassador_id) == before
    if response.status_code == 200 and view == "inbox" and role in {"other_ambassador", "regional_84"}:
        assert req.company_name not in response.content.decode()


def test_contact_details_shown_to_assignee_until_closed_and_to_coordinators(client):
    assignee = expert()
    req = CompanyRequestFactory(ambassador=assignee, company_shares_contact=True)  # the company chose so
    url = f"/espace/demandes/{req.pk}/"
    client.force_login(assignee.user)
    assert req.email in client.get(url).content.decode()

    services.request_transition(request=req, by=assignee.user, action="take")
    services.request_transition(request=req, by=assignee.user, action="close", reason="unreachable")

    body = client.get(url).content.decode()
    assert req.email not in body and req.phone not in body
    assert req.contact_name in body  # who it was with stays, for the history
    for coordinator in (regional("76"), UserFactory(national=True)):
        client.force_login(coordinator)
        assert req.email in client.get(url).content.decode()


def _queries(client, url, method="get", data=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert getattr(client, method)(url, data).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["coordinator", "ambassador"])
def test_inbox_query_count_does_not_grow_with_items(client, who):
    assignee = expert()
    CompanyRequestFactory(ambassador=assignee)
    client.force_login(regional("76") if who == "coordinator" else assignee.user)
    one = _queries(client, "/espace/demandes/")
    for _ in range(3):
        CompanyRequestFactory(ambassador=assignee)

    assert _queries(client, "/espace/demandes/") == one


@pytest.mark.parametrize("who", ["coordinator", "ambassador"])
def test_detail_query_count_same_for_a_short_and_a_long_history(client, who):
    assignee, other = expert(), expert()
    coordinator = regional("76")
    short = CompanyRequestFactory(ambassador=assignee)
    long = CompanyRequestFactory(ambassador=other)
    services.request_transition(
        request=long, by=coordinator, action="reassign", to_ambassador=assignee, note="1"
    )
    services.request_transition(request=long, by=assignee.user, action="take")
    for n in range(3):
        services.request_message_send(request=long, by=assignee.user, body=f"Bonjour, message {n}")
        services.request_message_send(request=long, body=f"Merci, réponse {n}")
    client.force_login(coordinator if who == "coordinator" else assignee.user)

    assert long.is_open and short.is_open
    assert long.steps.count() == 2 and short.steps.count() == 0
    assert long.messages.count() == 6 and short.messages.count() == 0
    assert _queries(client, f"/espace/demandes/{short.pk}/") == _queries(
        client, f"/espace/demandes/{long.pk}/"
    )


def test_find_ranked_list_query_count_does_not_grow_with_matches(client):
    from django.core.cache import cache

    from tests.contact.test_contact import find_data

    expert()
    cache.clear()  # each count a ranking computed (the finder keeps one for a minute)
    one = _queries(client, "/trouver-un-ambassadeur/", "get", find_data())
    for _ in range(3):
        expert()

    assert len(client.get("/trouver-un-ambassadeur/", find_data()).context["matches"]) == 4
    cache.clear()
    assert _queries(client, "/trouver-un-ambassadeur/", "get", find_data()) == one
