"""The public AMI form at /ami/, the applicant's private page /candidature/<token>/, and the emails they get
(through a real local SMTP server)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import AuditEntry
from recruitment import services
from recruitment.enums import ApplicationState
from recruitment.models import Application, CallQuestion
from territories.models import Region
from tests.factories import ApplicationFactory, CallFactory
from tests.recruitment.conftest import VALID_SIRET, application_data, form_data

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NONCE_RE = r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"'


@pytest.fixture
def call():
    call = CallFactory(title="AMI printemps 2026", text="Rejoignez les ambassadeurs de l’IA.")
    CallQuestion.objects.create(call=call, label="Quel projet d’IA avez-vous mené ?", order=1)
    return call


def field_error(body: str, name: str) -> str:
    """The error text shown next to the field ``name`` (empty if none)."""
    match = re.search(rf'id="id_{name}-err"[^>]*>(.*?)</(p|div)>', body, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def assert_typed_values_kept(body: str, data: dict):
    for name in (
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "structure_name",
        "availability_hours",
    ):
        assert f'name="{name}" value="{data[name]}"' in body, name
    assert data["motivation"] in body
    assert data["ai_experience"] in body
    assert re.search(r'name="sectors" value="C" checked', body)
    assert re.search(r'name="topics" value="production" checked', body)
    assert re.search(r'<option value="cci" selected>', body)
    assert re.search(r'<option value="pme" selected>', body)


# The page


def test_ami_get_with_open_call_shows_its_form(client, call):
    response = client.get("/ami/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "AMI printemps 2026" in body
    assert "Rejoignez les ambassadeurs de l’IA." in body
    assert f'name="call" value="{call.pk}"' in body
    assert "Quel projet d’IA avez-vous mené ?" in body
    assert "Envoyer ma candidature" in body


def test_ami_get_with_only_future_call_shows_next_opening_date(client):
    CallFactory(
        title="AMI d’automne 2030",
        opens_at=datetime(2030, 10, 1, 9, 0, tzinfo=PARIS),
        closes_at=datetime(2030, 12, 15, 23, 59, 59, tzinfo=PARIS),
    )
    response = client.get("/ami/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "AMI d’automne 2030" in body
    assert "1er octobre 2030" in body
    assert "Envoyer ma candidature" not in body


def test_ami_get_without_call_says_none_is_open(client):
    CallFactory(closed=True)
    response = client.get("/ami/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aucun appel" in body
    assert "Envoyer ma candidature" not in body


# Applying


def test_ami_post_valid_creates_application_and_emails_private_link(
    client, call, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ami/", form_data(call))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/ami/envoyee/"
    assert application.call == call
    assert application.state == ApplicationState.SUBMITTED
    assert application.email == "jeanne@exemple.test"
    assert application.siret == VALID_SIRET
    assert application.region_id == "84"
    assert [d.code for d in application.departements.all()] == ["69"]
    assert [s.code for s in application.sectors.all()] == ["C"]
    assert [t.slug for t in application.topics.all()] == ["production"]
    assert application.proposing_network.slug == "cci"
    assert application.consent_at is not None
    question = call.questions.get()
    assert application.answers == {
        str(question.pk): {"question": question.label, "reponse": f"Réponse à « {question.label} »"}
    }

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["X-Envelope-To"] == "jeanne@exemple.test"
    assert "enregistrée" in message["Subject"]
    body = smtp_inbox.body(message)
    private_url = f"{settings.SITE_URL}/candidature/{application.token}/"
    assert private_url.startswith("http")
    assert private_url in body
    assert settings.SITE_NAME in body

    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert "Un courriel part à l’adresse que vous avez indiquée" in sent.content.decode()
    page = client.get(private_url.removeprefix(settings.SITE_URL))
    assert page.status_code == 200
    assert "Déposée" in page.content.decode()


def test_ami_post_bad_siret_shows_error_next_to_field_and_keeps_input(client, call):
    data = form_data(call, siret="12345678901234")
    response = client.post("/ami/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce numéro SIRET n’est pas valide" in field_error(body, "siret")
    assert 'name="siret" value="12345678901234"' in body
    assert "Rien de ce que vous avez saisi n’est perdu" in body
    assert_typed_values_kept(body, data)
    assert not Application.objects.exists()


def test_ami_post_unknown_postcode_shows_error_next_to_field(client, call):
    data = form_data(call, postcode="99999")
    response = client.post("/ami/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce code postal est inconnu" in field_error(body, "postcode")
    assert 'name="postcode" value="99999"' in body
    assert_typed_values_kept(body, data)
    assert not Application.objects.exists()


def test_ami_post_without_consent_is_refused_next_to_field(client, call):
    data = form_data(call, consent=None)
    response = client.post("/ami/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Votre accord est nécessaire" in field_error(body, "consent")
    assert_typed_values_kept(body, data)
    assert not Application.objects.exists()


def test_ami_post_other_departements_outside_region_is_refused(client, call):
    data = form_data(call, other_departements=["38", "31"])  # Isère is in 84, Haute-Garonne is not
    response = client.post("/ami/", data)
    assert response.status_code == 400
    body = response.content.decode()
    error = field_error(body, "other_departements")
    assert "Choisissez des départements de la région Auvergne-Rhône-Alpes" in error
    assert "Haute-Garonne" in error
    assert "Isère" not in error
    assert re.search(r'<input type="checkbox"[^>]* name="other_departements" value="31" checked>', body)
    assert not Application.objects.exists()


def test_ami_post_other_departements_in_region_are_recorded(client, call):
    response = client.post("/ami/", form_data(call, other_departements=["38", "69"]))
    assert response.status_code == 302
    application = Application.objects.get()
    assert sorted(d.code for d in application.departements.all()) == ["38", "69"]


def test_ami_post_missing_required_question_is_refused(client, call):
    question = call.questions.get()
    response = client.post("/ami/", form_data(call, **{f"question_{question.pk}": ""}))
    assert response.status_code == 400
    assert field_error(response.content.decode(), f"question_{question.pk}")
    assert not Application.objects.exists()


def test_ami_post_call_restricted_to_region_76_refuses_postcode_69001(client):
    call = CallFactory(regions=[Region.objects.get(code="76")])
    response = client.post("/ami/", form_data(call, postcode="69001"))
    assert response.status_code == 400
    error = field_error(response.content.decode(), "postcode")
    assert "Cet appel concerne les régions suivantes : Occitanie" in error
    assert "Auvergne-Rhône-Alpes n’en fait pas partie" in error
    assert not Application.objects.exists()


def test_ami_post_call_restricted_to_region_76_accepts_postcode_31000(client):
    call = CallFactory(regions=[Region.objects.get(code="76")])
    response = client.post("/ami/", form_data(call, postcode="31000"))
    assert response.status_code == 302
    assert Application.objects.get().region_id == "76"


def test_ami_post_without_call_is_bad_request(client, call):
    data = form_data(call)
    del data["call"]
    assert client.post("/ami/", data).status_code == 400
    assert not Application.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "0", "-1", " ", "1e3", str(2**31)])
def test_ami_post_with_odd_call_id_is_a_french_400(client, call, value):
    response = client.post("/ami/", {**form_data(call), "call": value})
    assert response.status_code == 400
    assert "Le formulaire ne désigne pas d’appel." in response.content.decode()
    assert not Application.objects.exists()


# One application per person and call


@pytest.mark.parametrize("email", ["jeanne@exemple.test", "Jeanne@Exemple.test"])
def test_ami_post_second_application_same_email_answers_as_a_success_and_resends_link(
    client, call, email, smtp_inbox, django_capture_on_commit_callbacks
):
    first = ApplicationFactory(call=call, email="jeanne@exemple.test", under_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ami/", form_data(call, email=email))

    assert response.status_code == 302
    assert response["Location"] == "/ami/envoyee/"
    assert Application.objects.filter(call=call).count() == 1

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["X-Envelope-To"] == "jeanne@exemple.test"
    body = smtp_inbox.body(message)
    assert f"{settings.SITE_URL}/candidature/{first.token}/" in body
    assert "« en cours d’examen »" in body


def test_ami_post_answer_does_not_tell_whether_an_email_has_applied(client, call):
    ApplicationFactory(call=call, email="deja@exemple.test", under_review=True)

    known = client.post("/ami/", form_data(call, email="deja@exemple.test"), follow=True)
    unknown = client.post("/ami/", form_data(call, email="jamais@exemple.test"), follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [("/ami/envoyee/", 302)]
    body = known.content.decode()
    assert re.sub(NONCE_RE, "", body) == re.sub(NONCE_RE, "", unknown.content.decode())
    assert "Si une candidature à cet appel existait déjà pour cette adresse" in body
    assert "déjà candidaté" not in body
    assert "en cours d’examen" not in body


def test_ami_duplicate_resends_link_at_most_once_per_15_minutes(
    client, call, smtp_inbox, django_capture_on_commit_callbacks
):
    ApplicationFactory(call=call, email="jeanne@exemple.test")
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/ami/", form_data(call)).status_code == 302
    assert len(smtp_inbox.to("jeanne@exemple.test")) == 1

    # Another call or another address has its own allowance.
    other_call = CallFactory()
    ApplicationFactory(call=other_call, email="jeanne@exemple.test")
    ApplicationFactory(call=call, email="paul@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ami/", form_data(other_call))
        client.post("/ami/", form_data(call, email="paul@exemple.test"))
    assert len(smtp_inbox.to("jeanne@exemple.test")) == 2
    assert len(smtp_inbox.to("paul@exemple.test")) == 1


def test_submit_service_duplicate_resends_again_after_15_minutes(
    smtp_inbox, django_capture_on_commit_callbacks
):
    call = CallFactory()
    ApplicationFactory(call=call, email="jeanne@exemple.test")
    now = timezone.now()
    for minutes in (0, 5, 14, 15, 16, 29, 31):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(services.DuplicateApplication),
        ):
            services.application_submit(
                call=call, data=application_data(call), now=now + timedelta(minutes=minutes)
            )
    # Sent at 0, 15 and 31 minutes: never twice within 15 minutes.
    assert len(smtp_inbox.to("jeanne@exemple.test")) == 3


def test_ami_post_same_email_to_another_call_is_accepted(client, call):
    ApplicationFactory(call=CallFactory(closed=True), email="jeanne@exemple.test")
    response = client.post("/ami/", form_data(call))
    assert response.status_code == 302
    assert Application.objects.filter(email="jeanne@exemple.test").count() == 2


def test_submit_service_duplicate_email_other_case_raises():
    call = CallFactory()
    ApplicationFactory(call=call, email="jeanne@exemple.test")
    data = application_data(call)
    data.fields["email"] = "  JEANNE@exemple.TEST "
    with pytest.raises(services.DuplicateApplication) as exc:
        services.application_submit(call=call, data=data)
    assert "« déposée »" in str(exc.value)


# Tokens and the private page


def test_tokens_are_long_and_unique():
    applications = ApplicationFactory.create_batch(25)
    tokens = {a.token for a in applications}
    assert len(tokens) == 25
    assert all(len(t) >= 40 for t in tokens)


def test_status_wrong_token_is_404(client):
    application = ApplicationFactory()
    assert client.get(f"/candidature/{application.token[:-1]}x/").status_code == 404
    assert client.get("/candidature/1/").status_code == 404
    assert client.post(f"/candidature/{application.token}x/retirer/").status_code == 404


def test_status_page_shows_state_and_is_private(client):
    application = ApplicationFactory(under_review=True, structure_name="Atelier Dupont")
    response = client.get(application.get_private_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "En cours d’examen" in body
    assert "Atelier Dupont" in body
    assert "Retirer ma candidature" in body
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize(
    "state",
    [ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW, ApplicationState.CORRECTION_REQUESTED],
)
def test_withdraw_before_decision_works(client, state, smtp_inbox, django_capture_on_commit_callbacks):
    application = ApplicationFactory(state=state)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/candidature/{application.token}/retirer/", {"confirm": "oui"}, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    body = response.content.decode()
    assert "Votre candidature est retirée." in body
    assert "Retirer ma candidature" not in body
    entry = AuditEntry.objects.get(action="application.withdrawn", object_id=str(application.pk))
    assert entry.actor is None
    assert [m["X-Envelope-To"] for m in smtp_inbox.messages] == [application.email]


def test_withdraw_asks_for_confirmation_first_and_changes_nothing(client):
    application = ApplicationFactory(state=ApplicationState.UNDER_REVIEW)
    status_page = client.get(application.get_private_url()).content.decode()
    assert f'href="/candidature/{application.token}/retirer/"' in status_page

    page = client.get(f"/candidature/{application.token}/retirer/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Retirer ma candidature\u00a0?" in body
    assert "Confirmer le retrait" in body
    assert 'name="confirm" value="oui"' in body
    assert f'href="/candidature/{application.token}/"' in body  # « Garder ma candidature »
    # A POST without the confirmation (an old page, a stray form) only shows the question again.
    again = client.post(f"/candidature/{application.token}/retirer/")
    assert again.status_code == 200
    assert "Confirmer le retrait" in again.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW
    assert not AuditEntry.objects.filter(action="application.withdrawn").exists()


def test_withdraw_page_of_a_decided_application_leads_back_to_the_private_page(client):
    application = ApplicationFactory(state=ApplicationState.DECLINED, decision_reason="Motif.")
    response = client.get(f"/candidature/{application.token}/retirer/")
    assert response.status_code == 302
    assert response["Location"] == application.get_private_url()


@pytest.mark.parametrize(
    "state", [ApplicationState.DESIGNATED, ApplicationState.DECLINED, ApplicationState.INELIGIBLE]
)
def test_withdraw_after_decision_is_refused(client, state):
    application = ApplicationFactory(state=state, decision_reason="Décision prise.")
    page = client.get(application.get_private_url())
    assert "Retirer ma candidature" not in page.content.decode()
    response = client.post(f"/candidature/{application.token}/retirer/", {"confirm": "oui"}, follow=True)
    assert response.status_code == 200
    assert "Impossible de passer une candidature" in response.content.decode()
    application.refresh_from_db()
    assert application.state == state
    assert not AuditEntry.objects.filter(action="application.withdrawn").exists()


DECIDE = {
    ApplicationState.DESIGNATED: "designate",
    ApplicationState.DECLINED: "decline",
    ApplicationState.INELIGIBLE: "rule_ineligible",
}


@pytest.mark.parametrize(
    "to", [ApplicationState.DESIGNATED, ApplicationState.DECLINED, ApplicationState.INELIGIBLE]
)
def test_withdrawn_application_cannot_be_decided(national, to):
    application = ApplicationFactory(state=ApplicationState.WITHDRAWN)
    with pytest.raises(services.RecruitmentError):
        services.application_transition(
            application=application, action=DECIDE[to], by=national, reason="Motif."
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert application.ambassador is None
