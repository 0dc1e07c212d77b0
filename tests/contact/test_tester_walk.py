"""What a tester walking the site found (issue 14): the decliner is told what happened to the request; the company,
told who follows its request now, never that someone declined, in words that agree with the new ambassador's
gender; no nested brackets around a company's size; closing cannot claim an exchange that never happened; no
pagination when there is one page."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from contact import services
from contact.enums import CompanySize, RequestState
from territories.models import Region
from tests.contact.conftest import expert
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def _decline(client, who, req):
    client.force_login(who.user)
    return client.post(
        f"/espace/demandes/{req.pk}/decline/",
        {"version": req.version, "decline-reason": "territory"},
        follow=True,
    ).content.decode()


def test_the_decliner_is_told_the_request_went_to_another_ambassador_without_their_name(client):
    first = expert()
    nxt = expert(first_name="Sophie", last_name="Millet", gender="f")
    req = CompanyRequestFactory(ambassador=first)

    page = _decline(client, first, req)

    req.refresh_from_db()
    assert (req.ambassador, req.state) == (nxt, RequestState.REASSIGNED)
    assert "La demande est confiée à un autre ambassadeur disponible, prévenu par courriel." in page
    assert (
        "L’entreprise est informée que sa demande est suivie par un autre ambassadeur, sans savoir pourquoi."
        in page
    )
    assert "La coordination régionale est prévenue" not in page
    assert "Sophie Millet" not in page  # no longer theirs to see


def test_the_decliner_is_told_the_coordination_takes_over_when_nobody_fits(client):
    lonely = expert(regions=["84"], departements=[])
    req = CompanyRequestFactory(
        ambassador=lonely, region=Region.objects.get(code="84"), departement=None, postcode=""
    )

    page = _decline(client, lonely, req)

    req.refresh_from_db()
    assert req.ambassador == lonely and req.declined_at is not None
    assert (
        f"Aucun autre ambassadeur disponible ne convient{NBSP}: la coordination régionale est prévenue"
        in page
    )
    assert "confiée à un autre ambassadeur disponible" not in page


def test_the_decline_form_says_what_the_company_is_told(client):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)
    client.force_login(ambassador.user)

    page = client.get(f"/espace/demandes/{req.pk}/").content.decode()

    assert (
        "L’entreprise est informée que sa demande est suivie par un autre ambassadeur, sans savoir pourquoi."
        in page
    )
    assert "ne sait pas que vous l’avez rendue" not in page


@pytest.mark.parametrize(
    ("gender", "title", "promise"),
    [
        ("f", "ambassadrice IA", "L’ambassadrice a 5"),
        ("", "du réseau des ambassadeurs IA", "Cette personne a 5"),
    ],
)
def test_after_routing_the_company_is_told_who_follows_it_in_agreeing_words(
    gender, title, promise, smtp_inbox, django_capture_on_commit_callbacks
):
    first = expert()
    nxt = expert(first_name="Sophie", last_name="Millet", gender=gender)
    req = CompanyRequestFactory(ambassador=first, company_name="Garage Dufour", size=CompanySize.TPE)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(request=req, by=first.user, action="decline", reason="territory")

    [mail] = smtp_inbox.to(req.email)
    body = smtp_inbox.body(mail)
    assert mail["Subject"] == "Votre demande est désormais suivie par Sophie Millet"
    assert f"Votre demande est désormais suivie par Sophie Millet, {title}, qui va vous répondre." in body
    assert f"{promise}{NBSP}jours pour prendre en charge votre demande" in body
    assert "L’ambassadeur a" not in body
    for told in ("rendu", "Ce n’est pas pour moi", first.full_name):
        assert told not in body and told not in mail["Subject"]
    assert "autre" not in mail["Subject"]
    [to_next] = smtp_inbox.to(nxt.contact_email)
    next_body = smtp_inbox.body(to_next)
    assert (
        "Entreprise\u00a0: Garage Dufour – TPE, moins de 10 salariés ou en création" in next_body.splitlines()
    )
    assert "((" not in next_body and "))" not in next_body


def test_no_contact_template_writes_the_size_label_inside_brackets():
    """The size's label holds brackets (« TPE (moins de 10 salariés, ou en création) »): never inside other ones."""
    root = Path(settings.BASE_DIR) / "contact" / "templates"
    nested = re.compile(r"\([^()<\"]*\{\{[^}]*get_size_display")
    found = [str(p) for p in root.rglob("*.*") if nested.search(p.read_text())]
    assert found == []


def _close_options(client, user, req) -> list[tuple[str, bool]]:
    client.force_login(user)
    page = client.get(f"/espace/demandes/{req.pk}/").content.decode()
    select = re.search(r'<select[^>]* name="reason".*?</select>', page, re.S).group(0)
    return [(v, bool(s)) for v, s in re.findall(r'<option value="([^"]*)"( selected)?', select)]


def test_closing_preselects_no_reason_and_offers_done_only_once_the_exchange_is_noted(client):
    ambassador = expert()
    taken = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    answered = CompanyRequestFactory(ambassador=ambassador, state=RequestState.ANSWERED)

    taken_options = _close_options(client, ambassador.user, taken)
    answered_options = _close_options(client, ambassador.user, answered)

    assert taken_options[0] == ("", True)  # « Choisir un motif »
    assert not any(selected for _, selected in taken_options[1:])
    assert "done" not in [v for v, _ in taken_options] and "unreachable" in [v for v, _ in taken_options]
    assert "done" in [v for v, _ in answered_options] and not any(s for _, s in answered_options[1:])


@pytest.mark.parametrize("confirm", ["", "1"])
def test_closing_as_done_without_an_exchange_is_refused_in_french(client, confirm):
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador, state=RequestState.TAKEN)
    client.force_login(ambassador.user)

    response = client.post(
        f"/espace/demandes/{req.pk}/close/", {"version": req.version, "reason": "done", "confirm": confirm}
    )

    assert response.status_code == 400
    assert "suppose un échange noté sur la demande" in response.content.decode()
    assert "Oui, clore la demande" not in response.content.decode()
    req.refresh_from_db()
    assert req.state == RequestState.TAKEN


@pytest.mark.parametrize("state", [RequestState.NEW, RequestState.TAKEN, RequestState.REASSIGNED])
def test_the_service_refuses_done_without_an_exchange_whoever_closes(state):
    req = CompanyRequestFactory(ambassador=expert(), state=state)
    coordinator = UserFactory(regional=True, region=Region.objects.get(code="76"))

    for by in (coordinator, UserFactory(national=True)):
        with pytest.raises(services.ContactError, match="Aucun échange n’est noté sur cette demande"):
            services.request_transition(request=req, by=by, action="close", reason="done")
    req.refresh_from_db()
    assert req.state == state


def test_done_is_accepted_once_the_exchange_is_noted():
    ambassador = expert()
    req = CompanyRequestFactory(ambassador=ambassador)
    services.request_transition(request=req, by=ambassador.user, action="take")
    services.request_transition(request=req, by=ambassador.user, action="answer", answer_kind="call")

    services.request_transition(request=req, by=ambassador.user, action="close", reason="done")

    req.refresh_from_db()
    assert (req.state, req.close_reason) == (RequestState.CLOSED, "done")


def test_no_pagination_on_a_single_page_and_pagination_past_one(client):
    ambassador = expert()
    CompanyRequestFactory(ambassador=ambassador)
    client.force_login(ambassador.user)

    assert "Première page" not in client.get("/espace/demandes/").content.decode()

    CompanyRequestFactory.create_batch(30, ambassador=ambassador)
    page = client.get("/espace/demandes/").content.decode()
    assert "Première page" in page and "Page suivante" in page
