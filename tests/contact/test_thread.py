"""The relayed thread between a company and its ambassador (or the coordination), who sees whose address, « Ce
n’est pas pour moi » and its routing, the closing confirmation, what awaits each person, and the wording of each
state on both sides."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contact import selectors, services
from contact.enums import RequestState, Side
from contact.models import CompanyRequest, RequestDecline, RequestMessage
from core import awaiting
from territories.models import Region
from tests.contact.conftest import contact_data, expert
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMBASSADOR_EMAIL = "amelie.ambassadrice@exemple-reseau.test"
AMBASSADOR_PHONE = "06 98 76 54 32"


def regional(code="76"):
    return UserFactory(regional=True, region=Region.objects.get(code=code))


def assignee(**fields):
    return expert(contact_email=AMBASSADOR_EMAIL, contact_phone=AMBASSADOR_PHONE, **fields)


def headers_and_body(inbox, message) -> str:
    return "\n".join(f"{k}: {v}" for k, v in message.items()) + "\n" + inbox.body(message)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


# The thread: each message relayed to the other side, without either address.


def test_company_message_relayed_to_ambassador_without_company_address(
    smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.request_message_send(request=req, body="Pouvez-vous m’appeler jeudi ?")

    assert (message.side, message.author) == (Side.COMPANY, None)
    req.refresh_from_db()
    assert (req.last_message_side, req.last_message_at) == (Side.COMPANY, message.created_at)
    [mail] = smtp_inbox.messages
    assert mail["X-Envelope-To"] == AMBASSADOR_EMAIL
    text = headers_and_body(smtp_inbox, mail)
    assert "Pouvez-vous m’appeler jeudi" in text
    assert f"/espace/demandes/{req.pk}/#messagerie" in text
    assert req.email not in text and req.phone not in text
    assert mail["Reply-To"] is None
    assert mail["From"] == settings.DEFAULT_FROM_EMAIL


def test_ambassador_message_relayed_to_company_without_ambassador_address(
    smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.request_message_send(
            request=req, by=ambassador.user, body="Bonjour, je vous propose un rendez-vous."
        )

    assert (message.side, message.author) == (Side.AMBASSADOR, ambassador.user)
    [mail] = smtp_inbox.to(req.email)
    text = headers_and_body(smtp_inbox, mail)
    assert f"{ambassador.full_name} vous a écrit" in text
    assert f"/demande/{req.token}/#messagerie" in text
    assert AMBASSADOR_EMAIL not in text and AMBASSADOR_PHONE not in text
    assert ambassador.user.email not in text
    assert mail["Reply-To"] is None and mail["From"] == settings.DEFAULT_FROM_EMAIL


def test_ambassador_message_on_a_new_request_takes_it_and_tells_the_company(
    smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_message_send(
            request=req, by=ambassador.user, body="Bonjour, je prends votre demande."
        )

    req.refresh_from_db()
    assert req.state == RequestState.TAKEN and req.taken_at is not None
    assert list(req.steps.values_list("action", flat=True)) == ["taken"]
    subjects = sorted(m["Subject"] for m in smtp_inbox.to(req.email))
    assert subjects == [
        "Votre demande est prise en charge",
        "Votre demande à un ambassadeur IA\u00a0: nouveau message",
    ]


def test_coordinator_message_is_the_coordinations_and_does_not_take_the_request(
    smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = regional("76")
    req = CompanyRequestFactory(ambassador=assignee())

    with django_capture_on_commit_callbacks(execute=True):
        message = services.request_message_send(
            request=req, by=coordinator, body="La coordination vous écrit."
        )

    assert message.side == Side.COORDINATOR
    req.refresh_from_db()
    assert req.state == RequestState.NEW
    [mail] = smtp_inbox.to(req.email)
    text = headers_and_body(smtp_inbox, mail)
    assert "La coordination régionale vous a écrit" in text
    assert coordinator.email not in text


def test_company_message_while_declined_goes_to_the_coordination_not_the_decliner(
    smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = regional("76")
    ambassador = assignee(regions=["84"], departements=[])  # nobody else of Occitanie: no one to route to
    req = CompanyRequestFactory(ambassador=ambassador)
    services.request_transition(request=req, by=ambassador.user, action="decline", reason="time")

    with django_capture_on_commit_callbacks(execute=True):
        services.request_message_send(request=req, body="Avez-vous du nouveau ?")

    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == [coordinator.email]


@pytest.mark.parametrize("body", ["", "   ", "x" * 3001])
def test_message_empty_or_too_long_is_refused(body):
    req = CompanyRequestFactory(ambassador=assignee())
    with pytest.raises(services.ContactError):
        services.request_message_send(request=req, body=body)
    assert not RequestMessage.objects.exists()


def test_no_message_once_closed_from_either_side(client):
    ambassador = assignee()
    req = CompanyRequestFactory(
        ambassador=ambassador, state=RequestState.CLOSED, closed_at=timezone.now(), close_reason="done"
    )
    with pytest.raises(services.ContactError):
        services.request_message_send(request=req, body="Encore une question")
    with pytest.raises(services.ContactError):
        services.request_message_send(request=req, by=ambassador.user, body="Encore une réponse")

    response = client.post(f"/demande/{req.token}/ecrire/", {"body": "Encore une question"})
    assert response.status_code == 409
    assert "Écrire à l’ambassadeur" not in client.get(f"/demande/{req.token}/").content.decode()
    assert not RequestMessage.objects.exists()


def test_thread_shown_in_order_on_both_sides(client):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador)
    bodies = ["Premier de l’ambassadeur", "Deuxième de l’entreprise", "Troisième de l’ambassadeur"]
    services.request_message_send(request=req, by=ambassador.user, body=bodies[0])
    services.request_message_send(request=req, body=bodies[1])
    services.request_message_send(request=req, by=ambassador.user, body=bodies[2])

    company_page = client.get(f"/demande/{req.token}/").content.decode()
    client.force_login(ambassador.user)
    team_page = client.get(f"/espace/demandes/{req.pk}/").content.decode()

    for page in (company_page, team_page):
        positions = [page.index(b) for b in bodies]
        assert positions == sorted(positions)
    assert AMBASSADOR_EMAIL not in company_page and AMBASSADOR_PHONE not in company_page
    assert req.email not in team_page and req.phone not in team_page


def test_views_post_messages_and_get_leads_to_the_page(client):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)

    response = client.post(f"/demande/{req.token}/ecrire/", {"body": "Une question de l’entreprise"})
    assert response.status_code == 302 and response.url == f"/demande/{req.token}/#messagerie"
    assert client.get(f"/demande/{req.token}/ecrire/").status_code == 302
    assert client.post(f"/demande/{req.token}/ecrire/", {"body": ""}).status_code == 400
    assert client.post(f"/demande/{req.token}/ecrire/", {"body": "a\x00b"}).status_code == 400
    client.force_login(ambassador.user)
    response = client.post(f"/espace/demandes/{req.pk}/ecrire/", {"body": "La réponse de l’ambassadeur"})
    assert response.status_code == 302
    assert client.get(f"/espace/demandes/{req.pk}/ecrire/").status_code == 302
    assert client.get(f"/espace/demandes/{req.pk}/close/").status_code == 302  # POST-only: the page instead
    assert client.post(f"/espace/demandes/{req.pk}/ecrire/", {"body": "x" * 3001}).status_code == 400
    assert list(req.messages.values_list("side", flat=True)) == [Side.COMPANY, Side.AMBASSADOR]


def test_company_token_only_reaches_its_own_request(client):
    mine = CompanyRequestFactory(ambassador=assignee())
    other = CompanyRequestFactory(ambassador=mine.ambassador)
    services.request_message_send(request=other, body="Message de l’autre entreprise")

    page = client.get(f"/demande/{mine.token}/").content.decode()
    assert "Message de l’autre entreprise" not in page and other.company_name not in page
    assert client.post(f"/demande/{'x' * 43}/ecrire/", {"body": "Bonjour à tous"}).status_code == 404
    client.post(f"/demande/{mine.token}/ecrire/", {"body": "Pour ma demande"})
    assert list(mine.messages.values_list("body", flat=True)) == ["Pour ma demande"]
    assert other.messages.count() == 1


# Matrix of the new back-office doors.

ROLES = ["anonymous", "assignee", "other_ambassador", "regional_76", "regional_84", "national", "reviewer"]
THREAD_EXPECTED = {
    # writing: the assignee and the region's coordinators
    "ecrire": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 302,
        "regional_84": 404,
        "national": 302,
        "reviewer": 404,
    },
    # sharing one's own address: the assignee only
    "partage": {
        "anonymous": 302,
        "assignee": 302,
        "other_ambassador": 404,
        "regional_76": 403,
        "regional_84": 404,
        "national": 403,
        "reviewer": 404,
    },
    # the closing's confirmation page (a POST without « confirm »)
    "close": {
        "anonymous": 302,
        "assignee": 200,
        "other_ambassador": 404,
        "regional_76": 200,
        "regional_84": 404,
        "national": 200,
        "reviewer": 404,
    },
}


def _user(role, ambassador):
    return {
        "anonymous": lambda: None,
        "assignee": lambda: ambassador.user,
        "other_ambassador": lambda: expert().user,
        "regional_76": lambda: regional("76"),
        "regional_84": lambda: regional("84"),
        "national": lambda: UserFactory(national=True),
        "reviewer": lambda: UserFactory(reviewer=True),
    }[role]()


@pytest.mark.parametrize("view", list(THREAD_EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_thread_matrix(client, view, role):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    user = _user(role, ambassador)
    if user:
        client.force_login(user)
    data = {"ecrire": {"body": "Bonjour"}, "partage": {"share": "1"}, "close": {"reason": "unreachable"}}[
        view
    ]

    response = client.post(f"/espace/demandes/{req.pk}/{view}/", {"version": req.version, **data})

    assert response.status_code == THREAD_EXPECTED[view][role]
    req.refresh_from_db()
    allowed = response.status_code in {200, 302} and user is not None
    assert req.messages.exists() == (view == "ecrire" and allowed)
    assert req.ambassador_shares_contact == (view == "partage" and allowed)
    assert req.state == RequestState.TAKEN  # the closing waits for its confirmation


# Who sees whose address.


def test_company_chooses_on_the_contact_form_whether_the_ambassador_sees_its_address(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = expert()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(shares_contact="1"))
    shared = CompanyRequest.objects.get()
    assert shared.company_shares_contact is True
    [mail] = smtp_inbox.to(ambassador.contact_email)
    assert "jeanne@fonderie-exemple.test" in smtp_inbox.body(mail)
    client.force_login(ambassador.user)
    page = client.get(f"/espace/demandes/{shared.pk}/").content.decode()
    assert "jeanne@fonderie-exemple.test" in page and "05 61 12 34 56" in page

    hidden = CompanyRequestFactory(ambassador=ambassador)
    page = client.get(f"/espace/demandes/{hidden.pk}/").content.decode()
    assert hidden.email not in page and hidden.phone not in page
    assert "mailto:" not in page
    client.force_login(regional("76"))  # the coordination sees it, to follow the request up
    assert hidden.email in client.get(f"/espace/demandes/{hidden.pk}/").content.decode()


def test_company_can_change_its_choice_by_correcting_its_request(client):
    req = CompanyRequestFactory(ambassador=expert())
    data = contact_data(shares_contact="1", email=req.email)
    data.pop("consent")
    response = client.post(f"/demande/{req.token}/corriger/", data)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.company_shares_contact is True


def test_ambassador_chooses_to_show_their_address_to_the_company(client):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    assert AMBASSADOR_EMAIL not in client.get(f"/demande/{req.token}/").content.decode()

    client.force_login(ambassador.user)
    assert client.post(f"/espace/demandes/{req.pk}/partage/", {"share": "1"}).status_code == 302
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert AMBASSADOR_EMAIL in page and AMBASSADOR_PHONE in page

    client.post(f"/espace/demandes/{req.pk}/partage/", {})
    assert AMBASSADOR_EMAIL not in client.get(f"/demande/{req.token}/").content.decode()


def test_reassignment_hides_the_new_ambassadors_address_until_they_choose(client):
    ambassador, second = assignee(), expert()
    req = CompanyRequestFactory(ambassador=ambassador, ambassador_shares_contact=True)
    services.request_transition(request=req, by=regional("76"), action="reassign", to_ambassador=second)
    req.refresh_from_db()
    assert req.ambassador_shares_contact is False
    assert second.contact_email not in client.get(f"/demande/{req.token}/").content.decode()


# « Ce n’est pas pour moi »: back to routing, or to the coordination.


def test_decline_routes_to_the_next_best_ambassador_and_leaves_the_first_ones_list(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    first = assignee()
    nearby = expert()  # same département, sector and topic: the best next one
    national = expert(regions=[], departements=[], is_national=True)
    req = CompanyRequestFactory(ambassador=first)
    client.force_login(first.user)
    assert "Ce n’est pas pour moi</button>" in client.get(f"/espace/demandes/{req.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/demandes/{req.pk}/decline/",
            {"version": req.version, "decline-reason": "time", "decline-note": "Pas avant juin"},
        )

    assert response.status_code == 302 and response.url == "/espace/demandes/"
    req.refresh_from_db()
    assert (req.ambassador, req.state, req.declined_at) == (nearby, RequestState.REASSIGNED, None)
    assert list(req.steps.values_list("action", flat=True)) == ["declined", "routed"]
    decline = RequestDecline.objects.get()
    assert (decline.ambassador, decline.reason, decline.note) == (first, "time", "Pas avant juin")
    # The first one: out of their lists, and the page is a 404.
    assert client.get(f"/espace/demandes/{req.pk}/").status_code == 404
    assert (
        f"/espace/demandes/{req.pk}/" not in client.get("/espace/demandes/?etat=a-traiter").content.decode()
    )
    # The next one is told; the company is told who has it now, never who declined.
    [to_next] = smtp_inbox.to(nearby.contact_email)
    assert to_next["Subject"] == f"Une demande d’entreprise vous est confiée (n°\u00a0{req.pk})"
    [to_company] = smtp_inbox.to(req.email)
    company_text = smtp_inbox.body(to_company)
    assert nearby.full_name in company_text and first.full_name not in company_text
    assert not smtp_inbox.to(national.contact_email)
    client.logout()
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert first.full_name not in page and "Rendue par" not in page
    assert "Pas avant juin" not in page
    assert "Rendue par" not in client.get(f"/demande/{req.token}/donnees.json").content.decode()


def test_decline_never_routes_back_to_who_declined_and_ends_with_the_coordination(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = regional("76")
    first, second = assignee(), expert()
    req = CompanyRequestFactory(ambassador=first)
    services.request_transition(request=req, by=first.user, action="decline", reason="field")
    req.refresh_from_db()
    assert req.ambassador == second

    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(
            request=req, by=second.user, action="decline", reason="territory", note="Loin"
        )

    req.refresh_from_db()
    assert (
        req.ambassador == second and req.declined_at is not None
    )  # nobody left: stays, for the coordination
    assert req.escalated_at == req.declined_at
    [alert] = smtp_inbox.to(coordinator.email)
    body = smtp_inbox.body(alert)
    assert "trop loin de mon territoire" in body and "«\u00a0Loin\u00a0»" in body
    assert req.email not in body and req.company_name not in body
    assert CompanyRequest.objects.filter(services.requests_unanswered_filter(), pk=req.pk).exists()
    assert list(selectors.reassignment_choices(req)) == []  # both declined it
    client.force_login(second.user)
    assert client.get(f"/espace/demandes/{req.pk}/").status_code == 404
    client.force_login(coordinator)
    listing = client.get("/espace/demandes/?sans-reponse=1").content.decode()
    assert f"/espace/demandes/{req.pk}/" in listing
    page = client.get(f"/espace/demandes/{req.pk}/").content.decode()
    assert "trop loin de mon territoire" in page and first.full_name in page
    client.logout()
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert "Transmise à la coordination régionale" in page


def test_decline_needs_a_reason(client):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador)
    client.force_login(ambassador.user)
    response = client.post(f"/espace/demandes/{req.pk}/decline/", {"version": req.version})
    assert response.status_code == 400
    assert "Indiquez pourquoi la demande n’est pas pour vous." in response.content.decode()
    with pytest.raises(services.ContactError):
        services.request_transition(request=req, by=ambassador.user, action="decline", reason="")
    req.refresh_from_db()
    assert (req.state, req.declined_at) == (RequestState.NEW, None)


def test_no_person_may_route(client):
    req = CompanyRequestFactory(ambassador=assignee())
    for user in (req.ambassador.user, regional("76"), UserFactory(national=True)):
        with pytest.raises(services.NotAllowed):
            services.request_transition(request=req, by=user, action="route")


def test_reassigned_request_leaves_the_first_ambassadors_list(client):
    first, second = assignee(), expert()
    req = CompanyRequestFactory(ambassador=first)
    services.request_transition(request=req, by=regional("76"), action="reassign", to_ambassador=second)
    client.force_login(first.user)
    page = client.get("/espace/demandes/?etat=a-traiter").content.decode()
    assert f'href="/espace/demandes/{req.pk}/"' not in page
    assert "0 demande à prendre en charge" in page
    client.force_login(second.user)
    assert f"/espace/demandes/{req.pk}/" in client.get("/espace/demandes/?etat=a-traiter").content.decode()


# Closing asks for confirmation; states read right.


def test_close_asks_for_confirmation_first(client, smtp_inbox, django_capture_on_commit_callbacks):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.ANSWERED)
    client.force_login(ambassador.user)

    response = client.post(f"/espace/demandes/{req.pk}/close/", {"version": req.version, "reason": "done"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Oui, clore la demande" in page and "Échange réalisé, demande traitée" in page
    req.refresh_from_db()
    assert req.state == RequestState.ANSWERED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/demandes/{req.pk}/close/", {"version": req.version, "reason": "done", "confirm": "1"}
        )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.CLOSED
    [mail] = smtp_inbox.to(req.email)
    assert "La messagerie de votre page est fermée" in smtp_inbox.body(mail)
    page = client.get(f"/espace/demandes/{req.pk}/").content.decode()
    assert "Clore la demande" not in page and "Envoyer le message" not in page


def test_inbox_says_which_filter_is_active(client):
    ambassador = assignee()
    client.force_login(ambassador.user)
    page = client.get("/espace/demandes/?etat=en-cours").content.decode()
    assert "Filtre actif\u00a0: <strong>En cours</strong>" in page
    page = client.get("/espace/demandes/").content.decode()
    assert "Filtre actif\u00a0: <strong>Toutes</strong>" in page


@pytest.mark.parametrize(
    "state, fields, words",
    [
        ("new", {}, "qui ne l’a pas encore prise en charge"),
        ("reassigned", {}, "est désormais confiée à"),
        ("taken", {"taken_at": timezone.now()}, "a pris en charge votre demande le"),
        (
            "answered",
            {"taken_at": timezone.now(), "answered_at": timezone.now(), "answer_kind": "call"},
            "a noté un échange avec vous (appel)",
        ),
        ("closed", {"closed_at": timezone.now(), "close_reason": "done"}, "Votre demande est close"),
    ],
)
def test_followup_wording_matches_the_state(client, state, fields, words):
    req = CompanyRequestFactory(ambassador=assignee(), state=state, **fields)
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert words in page
    assert services.state_promise(req) in page
    if state == "new":
        assert "5\u00a0jours pour prendre en charge votre demande" in page


def test_feedback_asks_contacted_before_useful(client):
    req = CompanyRequestFactory(state=RequestState.CLOSED, closed_at=timezone.now(), close_reason="done")
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert page.index("a-t-il pris contact avec vous") < page.index("vous a-t-il été utile")


# Erasure and anonymisation take the thread with them.


def test_erasure_removes_the_messages(client):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    services.request_message_send(request=req, by=ambassador.user, body="Appelez-moi au 06 11 22 33 44")
    services.request_message_send(request=req, body="Mon adresse : dirigeant@exemple.test")

    response = client.post(f"/demande/{req.token}/effacer/", {"confirm": "1"})

    assert response.status_code == 302
    assert not RequestMessage.objects.filter(request=req).exists()
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert "06 11 22 33 44" not in page and "dirigeant@exemple.test" not in page


def test_anonymisation_removes_the_messages_and_the_decline_notes():
    first, second = assignee(), expert()
    req = CompanyRequestFactory(ambassador=first)
    services.request_transition(
        request=req, by=first.user, action="decline", reason="other", note="Mme Dupont"
    )
    services.request_message_send(request=req, body="Je suis Mme Dupont")
    CompanyRequest.objects.filter(pk=req.pk).update(
        state=RequestState.CLOSED, closed_at=timezone.now() - timedelta(days=366), close_reason="done"
    )
    assert second.pk  # the request went to them

    assert services.requests_anonymise_expired()["anonymisees"] == 1

    assert not RequestMessage.objects.exists()
    assert list(RequestDecline.objects.values_list("note", flat=True)) == [""]


def test_a_message_counts_as_activity_for_the_idle_closing():
    req = CompanyRequestFactory(ambassador=assignee(), assigned_at=timezone.now() - timedelta(days=200))
    services.request_message_send(request=req, body="Toujours intéressée")
    assert services.requests_close_idle() == 0


def test_an_ambassadors_message_after_taking_counts_as_an_exchange_for_the_reminder(
    smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = assignee()
    coordinator = regional("76")
    written = CompanyRequestFactory(ambassador=ambassador)
    silent = CompanyRequestFactory(ambassador=ambassador)
    services.request_transition(request=silent, by=ambassador.user, action="take")
    services.request_message_send(request=written, by=ambassador.user, body="Bonjour, je vous appelle mardi.")
    later = timezone.now() + timedelta(days=12)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.requests_send_reminders(now=later)

    assert sent["rappels_prises_en_charge"] == 1
    unanswered = CompanyRequest.objects.filter(services.requests_unanswered_filter(later))
    assert list(unanswered.values_list("pk", flat=True)) == [silent.pk]
    assert coordinator.email not in [m["To"] for m in smtp_inbox.to(ambassador.contact_email)]


@pytest.mark.parametrize("state", [RequestState.NEW, RequestState.REASSIGNED])
def test_an_ambassador_does_not_close_a_request_not_taken(client, state):
    ambassador = assignee()
    req = CompanyRequestFactory(ambassador=ambassador, state=state)
    client.force_login(ambassador.user)

    page = client.get(f"/espace/demandes/{req.pk}/")
    close = {"reason": "unreachable", "confirm": "1", "version": str(req.version)}
    response = client.post(f"/espace/demandes/{req.pk}/close/", close)

    assert "Clore" not in page.content.decode()
    assert response.status_code == 403
    assert CompanyRequest.objects.get(pk=req.pk).state == state
    client.force_login(regional("76"))
    assert client.post(f"/espace/demandes/{req.pk}/close/", close).status_code == 302


# Query counts: the thread and the lists do not grow with their items.


def test_followup_query_count_same_for_one_and_three_messages(client):
    ambassador = assignee()
    one = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    three = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    services.request_message_send(request=one, body="Un seul message")
    for n in range(3):
        services.request_message_send(request=three, by=ambassador.user, body=f"Message {n}")
    assert _queries(client, f"/demande/{one.token}/") == _queries(client, f"/demande/{three.token}/")


@pytest.mark.parametrize("who", ["ambassador", "coordinator"])
def test_inbox_query_count_same_for_one_and_three_requests_with_messages(client, who):
    ambassador = assignee()
    coordinator = regional("76")
    client.force_login(ambassador.user if who == "ambassador" else coordinator)
    req = CompanyRequestFactory(ambassador=ambassador)
    services.request_message_send(request=req, body="Bonjour")
    one = _queries(client, "/espace/demandes/")
    for _ in range(2):
        services.request_message_send(request=CompanyRequestFactory(ambassador=ambassador), body="Bonjour")
    assert _queries(client, "/espace/demandes/") == one


# What awaits each person (core.awaiting).


def _counts(user) -> dict[str, int]:
    return {item.label: item.count for item in selectors.awaiting_for_user(user)}


def test_awaiting_is_registered():
    assert "contact.selectors.awaiting_for_user" in awaiting.SOURCES


def test_awaiting_for_an_ambassador():
    ambassador = assignee()
    now = timezone.now()
    CompanyRequestFactory(ambassador=ambassador)
    CompanyRequestFactory(ambassador=ambassador, state=RequestState.REASSIGNED)
    taken = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN, taken_at=now)
    services.request_message_send(request=taken, body="Une question")
    CompanyRequestFactory(ambassador=expert())  # someone else's
    gone = CompanyRequestFactory(ambassador=ambassador)
    services.request_transition(request=gone, by=ambassador.user, action="decline", reason="time")

    counts = _counts(ambassador.user)

    assert counts["Demandes à prendre en charge"] == 2
    assert counts["Demandes prises en charge, échange à faire"] == 1
    assert counts["Messages d’entreprises sans réponse"] == 1
    # Their declines are not something awaiting them (counted on /pilotage/, « demandes-disponibilite »).
    assert not any("rendues" in label for label in counts)
    services.request_message_send(request=taken, by=ambassador.user, body="La réponse")
    assert _counts(ambassador.user)["Messages d’entreprises sans réponse"] == 0


def test_awaiting_for_coordinators_in_their_scope():
    coordinator, elsewhere = regional("76"), regional("84")
    old = timezone.now() - timedelta(days=11)
    CompanyRequestFactory(ambassador=assignee(requests_paused=True), assigned_at=old)  # late
    lonely = assignee(regions=["84"], departements=[])
    declined = CompanyRequestFactory(ambassador=lonely)
    services.request_transition(request=declined, by=lonely.user, action="decline", reason="scope")

    counts = _counts(coordinator)

    assert counts["Demandes non prises en charge après 10 jours"] >= 1
    assert counts["Demandes à confier à un autre ambassadeur"] == 1
    assert all(item.count == 0 for item in selectors.awaiting_for_user(elsewhere))
    assert selectors.awaiting_for_user(UserFactory(reviewer=True)) == []


@pytest.mark.parametrize("who", ["ambassador", "coordinator"])
def test_awaiting_query_count_is_fixed(who, django_assert_num_queries):
    ambassador = assignee()
    user = ambassador.user if who == "ambassador" else regional("76")
    CompanyRequestFactory(ambassador=ambassador)
    # An ambassador: their profile, the requests; a coordinator: the requests.
    expected = 2 if who == "ambassador" else 1
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(expected):
        selectors.awaiting_for_user(fresh)
    for _ in range(2):
        services.request_message_send(request=CompanyRequestFactory(ambassador=ambassador), body="Bonjour")
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(expected):
        selectors.awaiting_for_user(fresh)
