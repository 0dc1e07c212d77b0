"""The review of the relayed thread: a rate limit on each side's messages, who declined (and why) shown only to the
coordinators, what awaits on /espace/ is what its link lists, wording without a guessed gender, and an erased
ambassador's messages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ambassadors.data_rights import ambassador_erase
from contact import selectors, services
from contact.enums import RequestState, Side
from contact.models import RequestDecline, RequestMessage, RequestStep
from territories.models import Region
from tests.contact.conftest import expert
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTE = "Appelez plutôt Jean au 06 12 34 56 78"


def regional(code="76"):
    return UserFactory(regional=True, region=Region.objects.get(code=code))


# 1. No side floods the other's mailbox.


def test_a_company_writes_at_most_ten_messages_a_day_then_a_429_keeps_its_text(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            response = client.post(f"/demande/{req.token}/ecrire/", {"body": f"Question {n}"})
            assert response.status_code == 302

        response = client.post(f"/demande/{req.token}/ecrire/", {"body": "Encore une question tapée"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "réessayez demain" in page and "Encore une question tapée" in page
    assert req.messages.count() == 10
    assert len(smtp_inbox.to(ambassador.contact_email)) == 10


def test_the_team_side_has_its_own_limit(client, settings):
    settings.RATE_LIMITS = {**getattr(settings, "RATE_LIMITS", {}), "request-message-team": (2, 86400)}
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    client.force_login(ambassador.user)
    for n in range(2):
        assert client.post(f"/espace/demandes/{req.pk}/ecrire/", {"body": f"Réponse {n}"}).status_code == 302

    response = client.post(f"/espace/demandes/{req.pk}/ecrire/", {"body": "Une réponse de trop"})

    assert response.status_code == 429 and "Une réponse de trop" in response.content.decode()
    # Counted per request and side: the company may still write, and another request is not concerned.
    services.request_message_send(request=req, body="La question de l’entreprise")
    other = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    services.request_message_send(request=other, by=ambassador.user, body="Bonjour")
    with pytest.raises(services.TooManyMessages):
        services.request_message_send(request=req, by=ambassador.user, body="Toujours trop")


def test_the_default_limits_are_ten_for_the_company_and_thirty_for_the_team():
    assert services.MESSAGE_LIMITS == {
        "request-message-company": (10, 86400),
        "request-message-team": (30, 86400),
    }


# 2. Who declined, and why, is for the region's coordinators.


def test_the_next_ambassador_does_not_see_who_declined_nor_the_note(client):
    coordinator = regional("76")
    first = expert(first_name="Nora", last_name="Haddad")
    nearby = expert()
    req = CompanyRequestFactory(ambassador=first)
    services.request_transition(request=req, by=first.user, action="decline", reason="time", note=NOTE)
    req.refresh_from_db()
    assert req.ambassador == nearby

    client.force_login(nearby.user)
    page = client.get(f"/espace/demandes/{req.pk}/").content.decode()

    assert "Haddad" not in page and "06 12 34 56 78" not in page and "Jean" not in page
    assert "Rendue par" not in page
    assert "Transmise par la plateforme" in page
    client.force_login(coordinator)
    page = client.get(f"/espace/demandes/{req.pk}/").content.decode()
    assert "Rendue par" in page and "Haddad" in page and NOTE in page


# 3. What awaits on /espace/ is exactly what its link lists.


def _rows(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {int(pk) for pk in re.findall(r'<a href="/espace/demandes/(\d+)/">n°', response.content.decode())}


def _situations(ambassador):
    now = timezone.now()
    old = now - timedelta(days=11)
    CompanyRequestFactory(ambassador=ambassador)  # to take
    late = CompanyRequestFactory(ambassador=ambassador, state=RequestState.REASSIGNED, assigned_at=old)
    services.request_message_send(request=late, body="Vous êtes là ?")  # new, the company wrote
    taken = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN, taken_at=now)
    services.request_message_send(request=taken, body="Une question")  # taken, the company wrote
    CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN, taken_at=now)  # no exchange yet
    written = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN, taken_at=now)
    services.request_message_send(request=written, by=ambassador.user, body="Je vous appelle")  # an exchange
    answered = CompanyRequestFactory(ambassador=ambassador, state=RequestState.ANSWERED, taken_at=now)
    services.request_message_send(request=answered, body="Merci, et une autre question")
    CompanyRequestFactory(ambassador=ambassador, state=RequestState.ANSWERED, taken_at=now)
    closed = CompanyRequestFactory(
        ambassador=ambassador, state=RequestState.CLOSED, closed_at=now, close_reason="done"
    )
    RequestMessage.objects.create(request=closed, side=Side.COMPANY, body="Merci")
    lonely = expert(regions=["76"], departements=[], sectors=[], topics=[], requests_paused=True)
    declined = CompanyRequestFactory(ambassador=lonely)
    lonely.requests_paused = False
    lonely.save()
    services.request_transition(request=declined, by=lonely.user, action="decline", reason="scope")


@pytest.mark.parametrize("who", ["ambassador", "coordinator"])
def test_each_awaiting_count_is_what_its_link_lists(client, who):
    ambassador = expert()
    _situations(ambassador)
    gone = CompanyRequestFactory(
        ambassador=ambassador
    )  # their own decline: not awaiting them, no line for it
    services.request_transition(request=gone, by=ambassador.user, action="decline", reason="time")
    user = ambassador.user if who == "ambassador" else regional("76")
    client.force_login(user)

    items = selectors.awaiting_for_user(user)

    checked = 0
    for item in items:
        assert len(_rows(client, item.url)) == item.count, item.label
        checked += item.count > 0
    assert checked >= 3


def test_the_message_filter_lists_exactly_the_requests_where_the_company_wrote_last(client):
    ambassador = expert()
    waits = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    services.request_message_send(request=waits, body="Une question")
    answered = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    services.request_message_send(request=answered, body="Une question")
    services.request_message_send(request=answered, by=ambassador.user, body="La réponse")
    CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    client.force_login(ambassador.user)

    page = client.get("/espace/demandes/?etat=message-en-attente").content.decode()

    assert _rows(client, "/espace/demandes/?etat=message-en-attente") == {waits.pk}
    assert "Message de l’entreprise en attente" in page
    # The coordinators' own filters are not offered to an ambassador.
    assert "?etat=a-confier" not in page


# 5. Wording when the gender is unknown, and agreed when it is recorded.


def test_wording_needs_no_gender(smtp_inbox, django_capture_on_commit_callbacks):
    first, unsaid = expert(), expert(gender="")
    req = CompanyRequestFactory(ambassador=first)
    assert "prévenu" not in services.state_promise(
        CompanyRequestFactory(state=RequestState.NEW, declined_at=timezone.now())
    )
    assert "il lui est rappelé" not in services.state_promise(CompanyRequestFactory(state=RequestState.TAKEN))

    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(request=req, by=first.user, action="decline", reason="time")

    req.refresh_from_db()
    assert req.ambassador == unsaid
    [to_company] = smtp_inbox.to(req.email)
    body = smtp_inbox.body(to_company)
    assert f"{unsaid.full_name}, ambassadeur IA" not in body
    assert f"{unsaid.full_name}, du réseau des ambassadeurs IA" in body
    [to_next] = smtp_inbox.to(unsaid.contact_email)
    assert "placés" not in smtp_inbox.body(to_next)
    with pytest.raises(services.ContactError) as refused:
        services.request_transition(request=req, by=regional("76"), action="reassign", to_ambassador=first)
    assert "pour lui" not in str(refused.value)


def test_a_recorded_gender_is_agreed(smtp_inbox, django_capture_on_commit_callbacks):
    man = expert(gender="m")
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_submit(ambassador=man, data=_data())
    body = smtp_inbox.body(smtp_inbox.to(req.email)[0])
    assert f"{man.full_name}, ambassadeur IA, qui va vous contacter" in body


def _data():
    from ambassadors.models import Topic
    from territories.models import Departement

    return services.RequestData(
        company_name="Fonderie",
        contact_name="Jeanne Dirigeante",
        email="jeanne@fonderie-exemple.test",
        phone="",
        postcode="31000",
        region=Region.objects.get(code="76"),
        departement=Departement.objects.get(code="31"),
        size="pme",
        sector=None,
        topic=Topic.objects.get(slug="production"),
        message="Prévoir les pannes.",
    )


# 6. An erased ambassador's messages stay for the company, without their name or a link to them.


def test_erasing_an_ambassador_keeps_their_messages_without_name_nor_author():
    ambassador = expert(first_name="Amélie", last_name="Martin")
    user = ambassador.user
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    services.request_message_send(
        request=req, by=user, body="Bonjour, ici Amélie MARTIN : appelez-moi. Amélie"
    )
    other = CompanyRequestFactory(ambassador=ambassador)
    services.request_transition(
        request=other, by=user, action="decline", reason="other", note="Amélie, en congé"
    )

    ambassador_erase(ambassador=ambassador)

    [message] = RequestMessage.objects.filter(request=req)
    assert message.author is None and message.side == Side.AMBASSADOR
    assert "Amélie" not in message.body and "MARTIN" not in message.body
    assert "appelez-moi" in message.body and "(effacé)" in message.body
    assert not RequestStep.objects.filter(note__contains="Amélie").exists()
    assert not RequestDecline.objects.filter(note__contains="Amélie").exists()
