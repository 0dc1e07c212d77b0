"""Follow-up of company requests: the pages (the availability form, the inbox's and the detail's labels and dates,
what the company reads, the finder's ranking)."""

import pytest

from contact import services
from tests.contact.conftest import expert, regional
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_availability_form_pauses_requests(client):
    ambassador = expert()
    client.force_login(ambassador.user)

    response = client.post(
        "/espace/demandes/disponibilite/", {"requests_paused": "1", "requests_monthly_limit": ""}
    )

    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.requests_paused is True
    bad = client.post("/espace/demandes/disponibilite/", {"requests_monthly_limit": "0"})
    assert bad.status_code == 400
    assert "Indiquez un nombre entre 1 et 100" in bad.content.decode()


def test_availability_labels_are_capitalised(client):
    ambassador = expert()
    client.force_login(ambassador.user)

    body = client.get("/espace/demandes/disponibilite/").content.decode()

    assert ">Demandes en pause" in body
    assert ">Demandes par mois au plus" in body


# Templates of the back office.


def test_inbox_shows_the_short_size_label(client):
    CompanyRequestFactory(ambassador=expert())
    client.force_login(regional("76"))

    body = client.get("/espace/demandes/").content.decode()

    assert '(<abbr title="PME (10 à 249 salariés)">PME</abbr>)' in body
    assert "…" not in body


def test_detail_dates_say_1er_and_times_14_h_30(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    first_of_may = datetime(2026, 5, 1, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, assigned_at=first_of_may)
    services.request_transition(request=req, by=ambassador.user, action="take")
    req.steps.update(at=first_of_may)
    client.force_login(ambassador.user)

    body = client.get(f"/espace/demandes/{req.pk}/").content.decode()

    assert "(confiée le 1er mai 2026)" in body
    assert "1er mai 2026 à 14\u00a0h\u00a030 – Prise en charge" in body


def test_company_reads_the_response_time_and_is_told_when_the_request_is_taken(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    from contact import services as contact_services
    from tests.contact.factories import CompanyRequestFactory

    request = CompanyRequestFactory(email="direction@fonderie-exemple.test")
    request.ambassador.user = UserFactory()
    request.ambassador.save()
    promise = "a 5\u00a0jours pour prendre en charge votre demande"
    # Their gender unsaid: neutral words on their request's page; after sending, both.
    assert f"Cette personne {promise}" in client.get(f"/demande/{request.token}/").content.decode()
    assert f"L’ambassadeur ou l’ambassadrice {promise}" in client.get("/demande/envoyee/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        contact_services.request_transition(request=request, by=request.ambassador.user, action="take")

    [message] = smtp_inbox.to("direction@fonderie-exemple.test")
    assert message["Subject"] == "Votre demande est prise en charge"
    assert request.token in smtp_inbox.body(message)


def test_find_kept_ranking_follows_a_profile_change_at_once(client):
    # The finder keeps a need's ranking for a minute, keyed by the profiles' version: a pause shows at once.
    from ambassadors.services import ambassador_availability_set
    from tests.contact.test_contact import find_data

    first = expert()
    assert [a for a, _ in client.get("/trouver-un-ambassadeur/", find_data()).context["matches"]] == [first]
    ambassador_availability_set(ambassador=first, by=first.user, data={"requests_paused": True})

    assert client.get("/trouver-un-ambassadeur/", find_data()).context["matches"] == []
