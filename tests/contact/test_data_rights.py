"""The company's rights from its private link: see everything held, download it, correct it, erase it, and what
erasure leaves (nothing of the company in any page, export, email or audit entry)."""

import json

import pytest

from contact import services
from contact.enums import RequestState, StepAction
from contact.forms import RequestCorrectionForm
from contact.models import CompanyRequest
from core.models import AuditEntry
from dashboard.selectors import tables_for_csv
from territories.models import NafActivity, Region
from tests.contact.conftest import expert
from tests.contact.factories import CompanyRequestFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPANY = {
    "company_name": "Chaudronnerie Lagarde",
    "contact_name": "Lucie Lagarde",
    "email": "lucie.lagarde@chaudronnerie-exemple.test",
    "phone": "05 61 98 76 54",
    "siret": "73282932000074",
}
VALID_SIRET = "73282932000074"


def _sector():
    return NafActivity.objects.get(level="section", code="C")


def _request(**fields):
    # As the contact form records it: a sector is always chosen (or found from the SIRET).
    return CompanyRequestFactory(ambassador=expert(), sector=_sector(), **{**COMPANY, **fields})


def _correction_post(req, **overrides) -> dict:
    """What the correction form posts when nothing is changed (its initial values), plus ``overrides``."""
    form = RequestCorrectionForm(request=req)
    data = {name: form.get_initial_for_field(field, name) for name, field in form.fields.items()}
    data = {name: "" if value is None else str(value) for name, value in data.items()}
    data.update(overrides)
    return data


# What the page shows, and to whom


def test_followup_shows_everything_held_to_the_token_holder(client):
    req = _request(topic=None)
    response = client.get(f"/demande/{req.token}/")
    assert response.status_code == 200
    body = response.content.decode()
    for held in (
        "Chaudronnerie Lagarde",
        "Lucie Lagarde",
        "lucie.lagarde@chaudronnerie-exemple.test",
        "05 61 98 76 54",
        VALID_SIRET,
        "31000",
        "Haute-Garonne",
        "Occitanie",
        "PME (10 à 249 salariés)",
        "Nous voulons prévoir les pannes",
        req.ambassador.full_name,
        "Accord pour la transmission donné le",
    ):
        assert held in body, held
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_followup_of_another_token_shows_nothing_of_this_company(client):
    _request()
    other = CompanyRequestFactory()
    body = client.get(f"/demande/{other.token}/").content.decode()
    for value in COMPANY.values():
        assert value not in body


@pytest.mark.parametrize("suffix", ["", "donnees.json", "corriger/"])
def test_private_pages_with_a_wrong_or_no_token_are_404(client, suffix):
    req = _request()
    assert client.get(f"/demande/{req.token[:-1]}x/{suffix}").status_code == 404
    assert client.get(f"/demande/{suffix}").status_code == 404


def test_personal_data_download_is_a_private_json_attachment(client):
    req = _request()
    services.request_transition(request=req, by=req.ambassador.user, action="take")
    response = client.get(f"/demande/{req.token}/donnees.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ma-demande.json"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    data = json.loads(response.content)
    assert data["adresse_electronique"] == COMPANY["email"]
    assert data["telephone"] == COMPANY["phone"]
    assert data["siret"] == VALID_SIRET
    assert data["etat"] == "Prise en charge"
    assert [step["etape"] for step in data["historique"]] == ["Prise en charge"]


# Correction


def test_correction_with_bad_input_is_400_in_french_and_loses_nothing(client):
    req = _request()
    post = _correction_post(
        req, phone="appelez-moi", message="Trop court.", siret="12345678901234", company_name="Nouveau nom"
    )
    response = client.post(f"/demande/{req.token}/corriger/", post)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce numéro de téléphone n’est pas valide" in body
    assert "Décrivez votre besoin en quelques phrases" in body
    assert "Ce numéro SIRET n’est pas valide" in body
    assert 'value="Nouveau nom"' in body  # what was typed is shown back
    assert response["Cache-Control"] == "private, no-store"  # the form page too: it shows the company's data
    assert response["Referrer-Policy"] == "same-origin"
    req.refresh_from_db()
    assert req.company_name == "Chaudronnerie Lagarde"
    assert not req.steps.filter(action=StepAction.MODIFIED).exists()


def test_correction_to_a_postcode_of_another_region_is_refused(client):
    req = _request()
    response = client.post(f"/demande/{req.token}/corriger/", _correction_post(req, postcode="69001"))
    assert response.status_code == 400
    assert "hors de la région de votre demande (Occitanie)" in response.content.decode()
    req.refresh_from_db()
    assert req.postcode == "31000"


def test_correction_of_the_message_after_taking_is_in_the_history_and_told_to_the_ambassador(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    req = _request()
    services.request_transition(request=req, by=req.ambassador.user, action="take")
    new_message = "Nous voulons d’abord classer automatiquement nos devis entrants."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/demande/{req.token}/corriger/", _correction_post(req, message=new_message, postcode="31200")
        )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.message == new_message
    assert req.state == RequestState.TAKEN  # a correction is no move of the workflow
    step = req.steps.get(action=StepAction.MODIFIED)
    assert step.note == ""  # no value in the history
    page = client.get(f"/demande/{req.token}/").content.decode()
    assert "La demande a été modifiée par l’entreprise" in page
    [mail] = smtp_inbox.to(req.ambassador.contact_email)[-1:]
    assert f"Demande n°\u00a0{req.pk} modifiée par l’entreprise" == mail["Subject"]
    body = smtp_inbox.body(mail)
    assert new_message in body
    assert "message, code postal" in body


def test_correction_of_a_closed_request_keeps_what_routed_it(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    req = _request()
    services.request_transition(request=req, by=req.ambassador.user, action="take")
    services.request_transition(request=req, by=req.ambassador.user, action="close", reason="unreachable")
    page = client.get(f"/demande/{req.token}/corriger/").content.decode()
    assert 'name="postcode"' not in page and 'name="size"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/demande/{req.token}/corriger/",
            {
                **_correction_post(req, contact_name="Lucie Lagarde-Martin"),
                "size": "eti",
                "postcode": "31200",
            },
        )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.contact_name == "Lucie Lagarde-Martin"
    assert (req.size, req.postcode) == ("pme", "31000")
    assert req.steps.filter(action=StepAction.MODIFIED).count() == 1
    assert not smtp_inbox.to(req.ambassador.contact_email)  # closed: the ambassador has nothing more to do


def test_correction_of_the_email_sends_the_link_to_the_new_address_and_tells_the_old(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    req = _request()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/demande/{req.token}/corriger/", _correction_post(req, email="Lucie@Nouvelle-exemple.test")
        )
    req.refresh_from_db()
    assert req.email == "lucie@nouvelle-exemple.test"
    [new] = smtp_inbox.to("lucie@nouvelle-exemple.test")
    assert req.token in smtp_inbox.body(new)
    [old] = smtp_inbox.to(COMPANY["email"])
    assert "a changé" in old["Subject"]


def test_correction_without_any_change_writes_nothing(client):
    req = _request()
    response = client.post(f"/demande/{req.token}/corriger/", _correction_post(req))
    assert response.status_code == 302
    assert not req.steps.filter(action=StepAction.MODIFIED).exists()


def test_correction_after_erasure_is_refused(client):
    req = _request()
    services.request_erase(request=req)
    response = client.post(f"/demande/{req.token}/corriger/", _correction_post(req, company_name="Revenue"))
    assert response.status_code == 302
    with pytest.raises(services.ContactError):
        services.request_correct(request=req, data=_correction_post(req, company_name="Revenue"))
    req.refresh_from_db()
    assert req.company_name == services.ERASED


# Erasure


def test_erasure_leaves_nothing_of_the_company_anywhere(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    first, second = expert(), expert()
    req = CompanyRequestFactory(ambassador=first, sector=_sector(), **COMPANY)
    coordinator = UserFactory(regional=True, region=Region.objects.get(code="76"))
    services.request_transition(
        request=req,
        by=coordinator,
        action="reassign",
        to_ambassador=second,
        note="Lucie Lagarde préfère être appelée au 05 61 98 76 54.",
    )
    services.request_correct(request=req, data=_correction_post(req, phone="05 61 98 76 55"))
    smtp_inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/demande/{req.token}/effacer/", {"confirm": "1"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        services.request_erase(request=req)  # again: nothing more happens
    assert AuditEntry.objects.filter(action="company_request.erase").count() == 1
    assert CompanyRequest.objects.get(pk=req.pk).steps.filter(action=StepAction.ERASED).count() == 1

    personal = ("Chaudronnerie", "Lagarde", "lucie.lagarde", "05 61 98 76 5", VALID_SIRET, "31000")
    texts = [
        client.get(f"/demande/{req.token}/").content.decode(),
        client.get(f"/demande/{req.token}/donnees.json").content.decode(),
        # What the erasure sent: the ambassador is told, without the company's data.
        *(f"{m['Subject']}\n{smtp_inbox.body(m)}" for m in smtp_inbox.messages),
        *(
            f"{e.object_repr} {e.actor_label} {json.dumps(e.changes, ensure_ascii=False)}"
            for e in AuditEntry.objects.all()
        ),
        *CompanyRequest.objects.get(pk=req.pk).steps.values_list("note", flat=True),
    ]
    assert smtp_inbox.messages  # the ambassador was told
    client.force_login(coordinator)
    texts += [
        client.get("/espace/demandes/").content.decode(),
        client.get(f"/espace/demandes/{req.pk}/").content.decode(),
        client.get("/pilotage/").content.decode(),
        *(client.get(f"/pilotage/{table}.csv").content.decode() for table in tables_for_csv()),
    ]
    client.force_login(second.user)
    texts += [
        client.get("/espace/demandes/").content.decode(),
        client.get(f"/espace/demandes/{req.pk}/").content.decode(),
    ]
    for text in texts:
        for value in personal:
            assert value not in text


def test_correction_of_the_email_is_limited_so_a_link_cannot_send_mail_to_anyone(client):
    req = _request()
    statuses = [
        client.post(
            f"/demande/{req.token}/corriger/", _correction_post(req, email=f"adresse{n}@exemple.test")
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 400]
    req.refresh_from_db()
    assert req.email == "adresse2@exemple.test"


def test_corrections_are_limited_so_a_link_cannot_flood_the_ambassador(client):
    req = _request()
    statuses = [
        client.post(
            f"/demande/{req.token}/corriger/",
            _correction_post(
                req, message=f"Nous voulons prévoir les pannes de nos machines de production, version {n}."
            ),
        ).status_code
        for n in range(11)
    ]
    assert statuses == [302] * 10 + [400]


def test_step_from_a_page_read_before_a_correction_is_a_conflict(client):
    from contact import services as contact_services

    req = _request()
    read_version = req.version
    client.post(
        f"/demande/{req.token}/corriger/",
        _correction_post(
            req, message="Nous voulons d’abord trier nos devis avec l’IA, puis prévoir les pannes."
        ),
    )
    req.refresh_from_db()
    with pytest.raises(contact_services.Conflict):
        contact_services.request_transition(
            request=req, by=req.ambassador.user, action="take", expected_version=read_version
        )
