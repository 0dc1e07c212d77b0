"""The applicant's rights from their private link: see everything held, download it, correct it, erase it; and the
retention of withdrawn applications."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ambassadors.models import Ambassador
from core.formats import french_date
from core.models import AuditEntry
from dashboard.selectors import tables_for_csv
from recruitment import services
from recruitment.enums import ApplicationState as S
from recruitment.models import Application, CallQuestion, Review
from tests.factories import ApplicationFactory, CallFactory, ReviewFactory, UserFactory
from tests.recruitment.conftest import VALID_SIRET

pytestmark = pytest.mark.django_db

PERSON = {
    "first_name": "Odile",
    "last_name": "Personnelle",
    "email": "odile.personnelle@exemple.test",
    "phone": "06 55 44 33 22",
    "gender": "f",
}
REVIEW_COMMENT = "Commentaire interne du relecteur, jamais montré."


@pytest.fixture
def question_call():
    call = CallFactory()
    CallQuestion.objects.create(call=call, label="Quel projet d’IA avez-vous mené ?", order=1)
    return call


def _application(call, **fields):
    question = call.questions.first()
    answers = {str(question.pk): {"question": question.label, "reponse": "Un tri de courrier automatique."}}
    return ApplicationFactory(call=call, answers=answers, **{**PERSON, **fields})


def _correction_post(application, **overrides) -> dict:
    """What the correction form posts when nothing is changed (its initial values), plus ``overrides``."""
    from recruitment.forms import ApplicationCorrectionForm

    form = ApplicationCorrectionForm(application=application)
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if hasattr(field, "queryset") and value is not None:
            to_field = getattr(field, "to_field_name", None) or "pk"
            if isinstance(value, list):
                value = [str(getattr(v, to_field)) for v in value]
            else:
                value = str(getattr(value, to_field))
        data[name] = "" if value is None else value
    data.update(overrides)
    return data


def _audit_text(application_pk: int) -> str:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=str(application_pk)
    )
    return "\n".join(e.object_repr + json.dumps(e.changes, ensure_ascii=False) for e in entries)


# What the page shows, and to whom


def test_status_page_shows_everything_held_to_the_token_holder(client, question_call):
    application = _application(question_call, under_review=True)
    ReviewFactory(application=application, comment=REVIEW_COMMENT)
    response = client.get(application.get_private_url())
    assert response.status_code == 200
    body = response.content.decode()
    for held in (
        "odile.personnelle@exemple.test",
        "06 55 44 33 22",
        "Quel projet d’IA avez-vous mené\u00a0?",  # as the page writes it
        "Un tri de courrier automatique.",
        "Vous désigner comme",
        "Ambassadrice",
        "En cours d’examen",
        "Dirigeante",
        "Aider les PME de mon territoire.",
        "8 h par mois",
        "Consentement donné le",
    ):
        assert held in body, held
    assert REVIEW_COMMENT not in body
    assert "ne sont pas montrés ici" in body  # and the page says why
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_status_page_of_another_token_shows_only_its_own_person(client, question_call):
    mine = _application(question_call)
    other = ApplicationFactory(call=question_call)
    body = client.get(other.get_private_url()).content.decode()
    assert "odile.personnelle@exemple.test" not in body
    assert "06 55 44 33 22" not in body
    assert mine.email not in body


@pytest.mark.parametrize("suffix", ["", "donnees.json", "corriger/", "effacer/"])
def test_private_pages_with_a_wrong_or_no_token_are_404(client, suffix):
    application = ApplicationFactory()
    assert client.get(f"/candidature/{application.token[:-1]}x/{suffix}").status_code == 404
    assert client.get(f"/candidature/{suffix}").status_code == 404
    assert client.post(f"/candidature/{'b' * 43}/{suffix}").status_code in {404, 405}


def test_personal_data_download_is_a_private_json_attachment(client, question_call):
    application = _application(question_call, under_review=True)
    ReviewFactory(application=application, comment=REVIEW_COMMENT)
    response = client.get(f"/candidature/{application.token}/donnees.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="ma-candidature.json"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    data = json.loads(response.content)
    assert data["adresse_electronique"] == "odile.personnelle@exemple.test"
    assert data["telephone"] == "06 55 44 33 22"
    assert data["vous_designer_comme"] == "Ambassadrice"
    assert data["reponses_aux_questions"] == [
        {"question": "Quel projet d’IA avez-vous mené ?", "reponse": "Un tri de courrier automatique."}
    ]
    assert data["etat"] == "En cours d’examen"
    assert data["motif_de_la_decision"] is None
    assert REVIEW_COMMENT not in response.content.decode()


def test_personal_data_gives_the_reason_once_the_decision_is_communicated(client, national):
    application = ApplicationFactory(under_review=True)
    services.application_transition(
        application=application, action="decline", by=national, reason="Profil trop éloigné."
    )
    data = json.loads(client.get(f"/candidature/{application.token}/donnees.json").content)
    assert data["motif_de_la_decision"] == "Profil trop éloigné."
    assert data["decidee_le"]


# Correction


def test_correction_with_bad_input_is_400_in_french_and_loses_nothing(client, question_call):
    application = _application(question_call)
    post = _correction_post(
        application, siret="12345678901234", postcode="99999", motivation="Ma nouvelle motivation."
    )
    response = client.post(f"/candidature/{application.token}/corriger/", post)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce numéro SIRET n’est pas valide" in body
    assert "Ce code postal est inconnu" in body
    assert "Ma nouvelle motivation." in body  # what was typed is shown back
    assert response["Cache-Control"] == "private, no-store"  # the form page too: it shows the person's data
    application.refresh_from_db()
    assert application.motivation == "Aider les PME de mon territoire."
    assert not AuditEntry.objects.filter(action="application.correct").exists()


def test_correction_outside_the_calls_regions_is_refused_like_the_form(client):
    from territories.models import Region

    call = CallFactory(regions=[Region.objects.get(code="84")])
    application = ApplicationFactory(call=call)
    response = client.post(
        f"/candidature/{application.token}/corriger/", _correction_post(application, postcode="31000")
    )
    assert response.status_code == 400
    assert "Cet appel concerne les régions suivantes" in response.content.decode()


def test_correction_is_audited_without_values_and_shown_to_reviewers(
    client, login, question_call, national, smtp_inbox, django_capture_on_commit_callbacks
):
    application = _application(question_call, under_review=True)
    question = question_call.questions.first()
    post = _correction_post(
        application,
        email="odile.nouvelle@exemple.test",
        phone="07 00 11 22 33",
        motivation="Une motivation entièrement réécrite.",
        siret=VALID_SIRET,
        **{f"question_{question.pk}": "Une réponse corrigée."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/candidature/{application.token}/corriger/", post)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.email == "odile.nouvelle@exemple.test"
    assert application.phone == "07 00 11 22 33"
    assert application.answers[str(question.pk)]["reponse"] == "Une réponse corrigée."

    entry = AuditEntry.objects.get(action="application.correct")
    assert entry.actor is None
    assert entry.changes == {
        "email": "modifié",
        "phone": "modifié",
        "siret": "modifié",
        "motivation": "modifié",
        "answers": "modifié",
    }
    text = _audit_text(application.pk)
    for value in ("odile.nouvelle", "07 00 11 22 33", "réécrite", "corrigée", VALID_SIRET):
        assert value not in text

    # The new address gets the link, the old one is told.
    assert application.get_private_url() in smtp_inbox.body(smtp_inbox.to("odile.nouvelle@exemple.test")[0])
    assert smtp_inbox.to("odile.personnelle@exemple.test")

    body = login(national).get(f"/espace/candidatures/{application.pk}/").content.decode()
    assert "Modifiée par la personne depuis son dépôt" in body
    assert "adresse électronique, téléphone, SIRET, motivation, réponses aux questions de l’appel" in body


def test_correction_after_a_decision_changes_only_email_and_phone(client, national):
    application = ApplicationFactory(under_review=True, **PERSON)
    services.application_transition(application=application, action="decline", by=national, reason="Non.")
    page = client.get(f"/candidature/{application.token}/corriger/").content.decode()
    assert 'name="phone"' in page
    assert 'name="first_name"' not in page and 'name="motivation"' not in page
    response = client.post(
        f"/candidature/{application.token}/corriger/",
        {"email": PERSON["email"], "phone": "07 99 99 99 99", "first_name": "Autre", "motivation": "Autre."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.phone == "07 99 99 99 99"
    assert application.first_name == "Odile"
    assert application.motivation == "Aider les PME de mon territoire."
    assert AuditEntry.objects.get(action="application.correct").changes == {"phone": "modifié"}


def test_correction_to_an_email_of_another_application_of_the_call_is_a_form_error(client):
    application = ApplicationFactory()
    ApplicationFactory(call=application.call, email="deja.pris@exemple.test")
    response = client.post(
        f"/candidature/{application.token}/corriger/",
        _correction_post(application, email="Deja.Pris@exemple.test"),
    )
    assert response.status_code == 400
    assert "Cette adresse ne peut pas être enregistrée pour cette candidature" in response.content.decode()
    application.refresh_from_db()
    assert application.email != "deja.pris@exemple.test"


def test_correction_without_any_change_writes_nothing(client):
    application = ApplicationFactory()
    before = Application.objects.values("updated_at").get(pk=application.pk)
    response = client.post(f"/candidature/{application.token}/corriger/", _correction_post(application))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="application.correct").exists()
    assert Application.objects.values("updated_at").get(pk=application.pk) == before


def test_correction_service_refuses_bad_input_with_the_form():
    application = ApplicationFactory()
    with pytest.raises(services.CorrectionInvalid) as exc:
        services.application_correct(
            application=application, data=_correction_post(application, availability_hours="500")
        )
    assert "availability_hours" in exc.value.form.errors


# Erasure


def test_erase_leaves_nothing_of_the_person(client, login, national, question_call):
    application = _application(question_call, under_review=True)
    ReviewFactory(application=application, reviewer=national, comment=REVIEW_COMMENT)
    services.application_transition(
        application=application,
        action="decline",
        by=national,
        reason="Odile Personnelle (odile.personnelle@exemple.test, 06 55 44 33 22) n’est pas disponible.",
    )
    services.application_correct(application=application, data={**PERSON, "phone": "06 55 44 33 23"})
    token, pk = application.token, application.pk

    page = client.get(f"/candidature/{token}/effacer/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    response = client.post(f"/candidature/{token}/effacer/")
    assert response.status_code == 302 and response["Location"] == "/candidature/effacee/"
    assert "Votre candidature est effacée" in client.get(response["Location"]).content.decode()

    assert not Application.objects.filter(pk=pk).exists()
    assert not Review.objects.filter(application_id=pk).exists()
    assert client.get(f"/candidature/{token}/").status_code == 404

    personal = ("Odile", "Personnelle", "odile.personnelle", "06 55 44 33 2", REVIEW_COMMENT)
    text = _audit_text(pk)
    assert "application.erase" in AuditEntry.objects.filter(object_id=str(pk)).values_list(
        "action", flat=True
    )
    all_audit = "\n".join(
        e.object_repr + json.dumps(e.changes, ensure_ascii=False) for e in AuditEntry.objects.all()
    )
    coordinator = login(national)
    pages = [
        coordinator.get("/espace/candidatures/").content.decode(),
        coordinator.get("/espace/candidatures/export.csv").content.decode(),
        coordinator.get("/pilotage/").content.decode(),
        coordinator.get("/espace/journal/").content.decode(),
        *(coordinator.get(f"/pilotage/{table}.csv").content.decode() for table in tables_for_csv()),
    ]
    assert coordinator.get(f"/espace/candidatures/{pk}/").status_code == 404
    for value in personal:
        assert value not in text
        assert value not in all_audit
        for body in pages:
            assert value not in body


def test_erase_is_idempotent(client):
    application = ApplicationFactory()
    assert services.application_erase(application=application) is True
    assert services.application_erase(application=application) is False
    assert AuditEntry.objects.filter(action="application.erase").count() == 1
    assert client.post(f"/candidature/{application.token}/effacer/").status_code == 404


def test_erase_keeps_the_designated_ambassador_profile(client, national):
    application = ApplicationFactory(under_review=True)
    services.application_transition(application=application, action="designate", by=national, reason="Oui.")
    ambassador = Ambassador.objects.get(application=application)
    page = client.get(f"/candidature/{application.token}/effacer/").content.decode()
    assert "Votre profil d’ambassadeur n’est pas effacé avec votre candidature" in page
    client.post(f"/candidature/{application.token}/effacer/")
    assert not Application.objects.filter(pk=application.pk).exists()
    assert Ambassador.objects.filter(pk=ambassador.pk).exists()


# Retention of withdrawn applications


def test_withdrawn_application_is_erased_30_days_after_withdrawal():
    withdrawn = ApplicationFactory()
    services.application_transition(application=withdrawn, action="withdraw", by=None)
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_at is not None
    declined = ApplicationFactory(call=withdrawn.call, state=S.DECLINED)
    now = withdrawn.withdrawn_at

    assert services.applications_purge_expired(now=now + timedelta(days=29, hours=23)) == 0
    # An email corrected after the withdrawal does not restart the clock.
    services.application_correct(
        application=withdrawn, data={"email": withdrawn.email, "phone": "0600000000"}
    )
    assert services.applications_purge_expired(now=now + timedelta(days=30)) == 1
    assert list(Application.objects.all()) == [declined]  # a declined one waits for two years after the call


def test_withdrawal_page_says_when_it_will_be_erased(client):
    application = ApplicationFactory()
    response = client.post(f"/candidature/{application.token}/retirer/", {"confirm": "oui"}, follow=True)
    body = response.content.decode()
    assert "Elle sera effacée dans 30 jours" in body
    application.refresh_from_db()
    erase_on = timezone.localtime(application.withdrawn_at + timedelta(days=30))
    assert f"le {french_date(erase_on, weekday=False)}" in body


def test_reviewer_sees_no_correction_notice_on_an_application_never_corrected(login):
    reviewer = UserFactory(reviewer=True)
    application = ApplicationFactory()
    body = login(reviewer).get(f"/espace/candidatures/{application.pk}/").content.decode()
    assert "Modifiée par la personne" not in body


def test_correction_of_the_email_is_limited_so_a_link_cannot_send_mail_to_anyone(client):
    application = ApplicationFactory()
    statuses = [
        client.post(
            f"/candidature/{application.token}/corriger/",
            _correction_post(application, email=f"adresse{n}@exemple.test"),
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 400]
    application.refresh_from_db()
    assert application.email == "adresse2@exemple.test"
    response = client.post(
        f"/candidature/{application.token}/corriger/",
        _correction_post(application, email="autre@exemple.test"),
    )
    assert "changé d’adresse électronique plusieurs fois aujourd’hui" in response.content.decode()


def test_decision_from_a_page_read_before_a_correction_is_a_conflict(client, national):
    application = ApplicationFactory(state=S.UNDER_REVIEW, region_id="84")
    read_version = application.version
    client.post(
        f"/candidature/{application.token}/corriger/",
        _correction_post(application, motivation="Tout autre chose."),
    )
    application.refresh_from_db()
    with pytest.raises(services.Conflict):
        services.application_transition(
            application=application,
            action="decline",
            by=national,
            reason="Profil trop éloigné.",
            expected_version=read_version,
        )
