"""« Correction demandée » and the exchange of messages: a reviewer or coordinator sends the application back with
a message and a date; the applicant corrects from the private link before the date and the application returns to
review; past the date they cannot; both sides write in the application's exchange, each message emailed to the
other side, the reviewers' names and addresses never shown to the applicant; all of it erased with the
application. And what awaits each person (``selectors.awaiting_for_user``)."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from ambassadors.models import PartnerNetwork
from core.awaiting import SOURCES, awaiting_for
from core.formats import french_date
from core.models import AuditEntry
from recruitment import selectors, services, workflow
from recruitment.enums import ApplicationState as S
from recruitment.enums import MessageKind, MessageSender
from recruitment.models import Application, ApplicationMessage
from territories.models import Region
from tests.factories import ApplicationFactory, ReviewFactory, UserFactory
from tests.recruitment.test_data_rights import _correction_post

pytestmark = pytest.mark.django_db

ASK = "Précisez le nom exact de votre structure et son SIRET, s’il vous plaît."
NB = "\u00a0"


@pytest.fixture
def reviewer():
    return UserFactory(
        reviewer=True, first_name="Rémi", last_name="Relecteurcci", email="remi.relecteur@cci.test"
    )


@pytest.fixture
def regional():
    return UserFactory(
        regional=True, first_name="Régine", last_name="Coordaura", email="regine.coord@aura.test"
    )


def _ask(application, by, *, due_on=None, message=ASK):
    return services.application_transition(
        application=application,
        action="request_correction",
        by=by,
        reason=message,
        correction_due_on=due_on,
        expected_version=application.version,
    )


def _bodies(inbox, address):
    return [inbox.body(m) for m in inbox.to(address)]


# The round of correction, through the services


def test_reviewer_requests_correction_with_default_date_message_audit_and_email(
    reviewer, smtp_inbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(under_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(application, reviewer)
    application.refresh_from_db()
    assert application.state == S.CORRECTION_REQUESTED
    due = timezone.localdate() + timedelta(days=services.CORRECTION_DEFAULT_DAYS)
    assert application.correction_due_on == due
    [message] = application.messages.all()
    assert (message.kind, message.sender, message.author, message.body) == (
        MessageKind.CORRECTION_REQUEST,
        MessageSender.TEAM,
        reviewer,
        ASK,
    )
    assert message.author_label == "L’équipe de relecture du réseau CCI France"
    entry = AuditEntry.objects.get(action="application.correction_requested", object_id=str(application.pk))
    assert entry.actor == reviewer
    assert entry.changes["echeance"] == due.isoformat()
    [mail] = smtp_inbox.to(application.email)
    body = smtp_inbox.body(mail)
    assert mail["Subject"] == "Une correction est demandée sur votre candidature d’ambassadeur IA"
    assert ASK in body
    assert french_date(due, weekday=True) in body
    assert f"/candidature/{application.token}/corriger/" in body
    # The applicant reads a role, never the reviewer's name or address.
    assert "remi.relecteur" not in body and "Relecteurcci" not in body and "Rémi" not in body


def test_first_step_a_submitted_application_can_be_sent_back_too(reviewer):
    application = ApplicationFactory()
    _ask(application, reviewer)
    application.refresh_from_db()
    assert application.state == S.CORRECTION_REQUESTED


@pytest.mark.parametrize("message", ["", "   "])
def test_correction_request_without_message_is_refused(reviewer, message):
    application = ApplicationFactory(under_review=True)
    with pytest.raises(services.RecruitmentError, match="message est obligatoire"):
        _ask(application, reviewer, message=message)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert not application.messages.exists()


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (60, True), (61, False), (-3, False)])
def test_correction_date_is_bounded(reviewer, days, ok):
    application = ApplicationFactory(under_review=True)
    due = timezone.localdate() + timedelta(days=days)
    if ok:
        _ask(application, reviewer, due_on=due)
        application.refresh_from_db()
        assert application.correction_due_on == due
    else:
        with pytest.raises(services.RecruitmentError, match="date limite"):
            _ask(application, reviewer, due_on=due)
        application.refresh_from_db()
        assert application.state == S.UNDER_REVIEW


def test_reviewer_of_another_network_cannot_request_correction():
    application = ApplicationFactory(under_review=True)
    other = UserFactory(role=Role.REVIEWER, partner_network=PartnerNetwork.objects.get(slug="bpifrance"))
    with pytest.raises(services.NotAllowed):
        _ask(application, other)


@pytest.mark.parametrize("state", [S.DESIGNATED, S.DECLINED, S.INELIGIBLE, S.WITHDRAWN])
def test_correction_cannot_be_requested_once_decided_or_withdrawn(reviewer, state):
    application = ApplicationFactory(state=state)
    with pytest.raises(services.RecruitmentError):
        _ask(application, UserFactory(national=True))
    application.refresh_from_db()
    assert application.state == state


def test_applicant_correction_before_the_date_returns_to_review_and_tells_the_team(
    client, reviewer, regional, smtp_inbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    application.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/candidature/{application.token}/corriger/",
            _correction_post(application, structure_name="Usinage Lyonnais SAS"),
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.structure_name == "Usinage Lyonnais SAS"
    assert application.correction_returned_at is not None
    corrected = application.messages.get(kind=MessageKind.CORRECTED)
    assert corrected.sender == MessageSender.APPLICANT
    assert corrected.body == "Champs corrigés\u00a0: structure."
    entry = AuditEntry.objects.get(action="application.under_review", object_id=str(application.pk))
    assert entry.actor is None and entry.changes["de"] == S.CORRECTION_REQUESTED
    # The one who asked and the region's coordinator are told, each in their own email, with the link.
    for address in (reviewer.email, regional.email):
        [mail] = smtp_inbox.to(address)
        assert mail["Subject"] == f"Candidature corrigée{NB}: {application.full_name}"
        assert f"/espace/candidatures/{application.pk}/#echanges" in smtp_inbox.body(mail)
        assert mail["To"] == address
    page = client.get(application.get_private_url()).content.decode()
    assert "votre candidature retourne à l’examen" in page


def test_applicant_correction_without_change_keeps_the_request(client, reviewer):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    application.refresh_from_db()
    response = client.post(
        f"/candidature/{application.token}/corriger/", _correction_post(application), follow=True
    )
    assert "la correction demandée reste à faire" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.CORRECTION_REQUESTED


def test_after_the_date_the_applicant_can_correct_only_email_and_phone(client, reviewer):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer, due_on=timezone.localdate() + timedelta(days=1))
    Application.objects.filter(pk=application.pk).update(
        correction_due_on=timezone.localdate() - timedelta(days=1)
    )
    application.refresh_from_db()
    assert workflow.correction_overdue(application, timezone.localdate())

    page = client.get(f"/candidature/{application.token}/corriger/").content.decode()
    assert "est passée" in page
    assert 'name="structure_name"' not in page
    response = client.post(
        f"/candidature/{application.token}/corriger/",
        {"email": application.email, "phone": "06 00 00 00 01", "structure_name": "Autre nom"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.phone == "06 00 00 00 01"
    assert application.structure_name != "Autre nom"
    assert application.state == S.CORRECTION_REQUESTED  # still waiting: coordinators see it overdue
    with pytest.raises(services.RecruitmentError, match="est passée"):
        services.application_transition(application=application, action="return_correction", by=None)


def test_on_the_last_day_the_correction_is_still_open(reviewer):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    Application.objects.filter(pk=application.pk).update(correction_due_on=timezone.localdate())
    application.refresh_from_db()
    assert workflow.correction_open(application, timezone.localdate())
    assert workflow.correctable_all(application, timezone.localdate())


def test_no_opinion_while_the_correction_is_requested(reviewer):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    application.refresh_from_db()
    with pytest.raises(services.RecruitmentError, match="correction est demandée"):
        services.review_save(
            application=application, by=reviewer, score=3, recommendation="discuss", comment="x"
        )


DECIDE = {S.DESIGNATED: "designate", S.DECLINED: "decline", S.INELIGIBLE: "rule_ineligible"}


@pytest.mark.parametrize("to", [S.DECLINED, S.INELIGIBLE, S.DESIGNATED])
def test_coordinator_decides_on_a_correction_requested_and_clears_the_round(reviewer, to):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    application.refresh_from_db()
    with pytest.raises(services.NotAllowed):
        services.application_transition(
            application=application, action=DECIDE[to], by=reviewer, reason="Motif."
        )
    services.application_transition(
        application=application, action=DECIDE[to], by=UserFactory(national=True), reason="Motif."
    )
    application.refresh_from_db()
    assert application.state == to
    assert application.correction_returned_at is None


def test_asking_again_sets_a_new_date_once_overdue(reviewer, regional):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    Application.objects.filter(pk=application.pk).update(
        correction_due_on=timezone.localdate() - timedelta(days=2)
    )
    application.refresh_from_db()
    new_due = timezone.localdate() + timedelta(days=7)
    _ask(application, regional, due_on=new_due, message="Nouveau délai : une semaine.")
    application.refresh_from_db()
    assert application.state == S.CORRECTION_REQUESTED
    assert application.correction_due_on == new_due
    assert application.messages.filter(kind=MessageKind.CORRECTION_REQUEST).count() == 2


def test_withdrawal_while_a_correction_is_requested_is_the_applicants(reviewer):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    application.refresh_from_db()
    services.application_transition(application=application, action="withdraw", by=None)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN


# Messages


def test_team_message_reaches_the_applicant_signed_by_role_only(
    client, reviewer, smtp_inbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(under_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_message_send(application=application, by=reviewer, body="Pouvez-vous préciser ?")
    [mail] = smtp_inbox.to(application.email)
    body = smtp_inbox.body(mail)
    assert f"Pouvez-vous préciser{NB}?" in body
    assert application.get_private_url() + "#echanges" in body
    page = client.get(application.get_private_url()).content.decode()
    assert "L’équipe de relecture du réseau CCI France" in page
    assert f"Pouvez-vous préciser{NB}?" in page
    for leak in ("remi.relecteur", "Relecteurcci", "Rémi"):
        assert leak not in body and leak not in page
    assert AuditEntry.objects.get(action="application.message").changes == {"de": "team"}


def test_applicant_answers_from_the_private_page_and_the_team_is_told_without_the_text(
    client, reviewer, regional, smtp_inbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(under_review=True)
    services.application_message_send(application=application, by=reviewer, body="Une question.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/candidature/{application.token}/message/", {"body": "Ma réponse détaillée."}
        )
    assert response.status_code == 302
    assert response["Location"] == application.get_private_url() + "#echanges"
    assert [m.sender for m in application.messages.all()] == ["team", "applicant"]
    for address in (reviewer.email, regional.email):
        [mail] = smtp_inbox.to(address)
        body = smtp_inbox.body(mail)
        assert f"/espace/candidatures/{application.pk}/#echanges" in body
        assert "Ma réponse détaillée" not in body
        assert application.email not in body
    client.force_login(reviewer)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert detail.index("Une question.") < detail.index("Ma réponse détaillée.")
    assert "Rémi Relecteurcci" in detail  # the team sees who wrote


def test_applicant_message_goes_to_the_national_coordination_when_no_one_else_follows(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    national = UserFactory(national=True, email="nationale@coordination.test")
    application = ApplicationFactory(under_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/candidature/{application.token}/message/", {"body": "Bonjour."})
    assert len(smtp_inbox.to(national.email)) == 1


@pytest.mark.parametrize("body", ["", "   "])
def test_empty_applicant_message_is_a_french_400(client, body):
    application = ApplicationFactory(under_review=True)
    response = client.post(f"/candidature/{application.token}/message/", {"body": body})
    assert response.status_code == 400
    assert "Le message est vide" in response.content.decode()
    assert not ApplicationMessage.objects.exists()


def test_no_message_on_a_withdrawn_application(client, reviewer):
    application = ApplicationFactory(state=S.WITHDRAWN)
    response = client.post(f"/candidature/{application.token}/message/", {"body": "Encore moi."})
    assert response.status_code == 400
    assert "l’échange est clos" in response.content.decode()
    with pytest.raises(services.RecruitmentError):
        services.application_message_send(application=application, by=reviewer, body="Pourquoi ?")
    assert not ApplicationMessage.objects.exists()


def test_applicant_messages_are_limited_per_day(client):
    application = ApplicationFactory(under_review=True)
    for n in range(services.APPLICANT_MESSAGES_PER_DAY):
        assert (
            client.post(f"/candidature/{application.token}/message/", {"body": f"Message {n}"}).status_code
            == 302
        )
    response = client.post(f"/candidature/{application.token}/message/", {"body": "Un de trop"})
    assert response.status_code == 400
    assert "beaucoup de messages" in response.content.decode()
    assert application.messages.count() == services.APPLICANT_MESSAGES_PER_DAY


def test_team_message_too_long_is_refused(client, reviewer):
    application = ApplicationFactory(under_review=True)
    client.force_login(reviewer)
    response = client.post(f"/espace/candidatures/{application.pk}/message/", {"body": "x" * 3001})
    assert response.status_code == 400
    assert not ApplicationMessage.objects.exists()


def test_messages_are_in_the_personal_data_download(client, reviewer):
    application = ApplicationFactory(under_review=True)
    services.application_message_send(application=application, by=reviewer, body="Question de l’équipe.")
    data = json.loads(client.get(f"/candidature/{application.token}/donnees.json").content)
    [message] = data["echanges"]
    assert message["de"] == "L’équipe de relecture du réseau CCI France"
    assert message["message"] == "Question de l’équipe."
    assert "remi" not in json.dumps(data).lower()


# Erasure


def _ask_and_talk(application, reviewer):
    _ask(application, reviewer)
    application.refresh_from_db()
    services.application_message_send(application=application, by=None, body="Réponse de la personne.")


def test_erasure_on_request_erases_the_exchange_and_the_texts_of_its_audit(client, reviewer):
    application = ApplicationFactory(under_review=True)
    _ask_and_talk(application, reviewer)
    client.post(f"/candidature/{application.token}/effacer/")
    assert not ApplicationMessage.objects.exists()
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk)
    )
    text = json.dumps([e.changes for e in entries], ensure_ascii=False)
    assert ASK not in text


def test_purge_of_expired_applications_erases_their_exchange(reviewer):
    application = ApplicationFactory(under_review=True)
    _ask_and_talk(application, reviewer)
    services.application_transition(application=application, action="withdraw", by=None)
    kept = ApplicationFactory(under_review=True)
    services.application_message_send(application=kept, by=reviewer, body="Reste.")
    erased = services.applications_purge_expired(now=timezone.now() + services.WITHDRAWN_RETENTION)
    assert erased == 1
    assert list(ApplicationMessage.objects.values_list("application_id", flat=True)) == [kept.pk]


# What awaits each person


def _awaiting(user) -> dict:
    return {item.label: item for item in selectors.awaiting_for_user(user)}


def test_awaiting_is_registered_for_the_space():
    assert "recruitment.selectors.awaiting_for_user" in SOURCES


def test_awaiting_for_a_reviewer_counts_the_applications_without_their_opinion(reviewer):
    ApplicationFactory()  # submitted
    ApplicationFactory(under_review=True)
    ReviewFactory(application=ApplicationFactory(under_review=True), reviewer=reviewer)  # given
    ApplicationFactory(state=S.WITHDRAWN)
    ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=timezone.localdate())
    ApplicationFactory(proposing_network=PartnerNetwork.objects.get(slug="bpifrance"))  # outside the scope
    items = _awaiting(reviewer)
    # A reviewer re-examines corrections and may take the examination back up: those items are theirs too.
    assert list(items) == [
        "Candidatures qui attendent votre avis",
        "Corrections reçues, à réexaminer",
        "Demandes de correction avec une réponse à lire",
        "Corrections en retard",
    ]
    item = items["Candidatures qui attendent votre avis"]
    assert item.count == 2
    assert item.url == "/espace/candidatures/?missing_mine=on"
    assert item in awaiting_for(reviewer)


def test_awaiting_for_a_coordinator_decision_returned_and_overdue(regional, reviewer):
    today = timezone.localdate()
    ApplicationFactory(under_review=True)
    returned = ApplicationFactory(under_review=True)
    _ask(returned, reviewer)
    returned.refresh_from_db()
    services.application_correct(
        application=returned, data=_correction_post(returned, structure_name="Nom corrigé")
    )
    ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=today - timedelta(days=1))
    ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=today)  # not yet overdue
    ApplicationFactory(
        region_id="76",
        postcode="31000",
        departements=["31"],
        state=S.CORRECTION_REQUESTED,
        correction_due_on=today - timedelta(days=5),
    )  # another region
    items = _awaiting(regional)
    assert items["Candidatures en attente de décision"].count == 2
    assert items["Corrections reçues, à réexaminer"].count == 1
    overdue = items["Corrections en retard"]
    assert (overdue.count, overdue.urgent) == (1, True)
    assert (
        items["Candidatures qui attendent votre avis"].count == 2
    )  # a regional coordinator gives opinions too
    assert awaiting_for(regional)[0].urgent
    # The list behind each link holds them.
    national = UserFactory(national=True)
    assert _awaiting(national)["Corrections en retard"].count == 2
    assert "Candidatures qui attendent votre avis" not in _awaiting(national)


def test_awaiting_is_empty_for_an_ambassador_or_anonymous():
    from django.contrib.auth.models import AnonymousUser

    assert selectors.awaiting_for_user(UserFactory()) == []
    assert selectors.awaiting_for_user(AnonymousUser()) == []


def test_awaiting_links_open_the_lists_they_count(client, regional, reviewer):
    today = timezone.localdate()
    overdue = ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=today - timedelta(days=1))
    pending = ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=today + timedelta(days=3))
    client.force_login(regional)
    body = client.get(_awaiting(regional)["Corrections en retard"].url).content.decode()
    assert overdue.last_name in body and pending.last_name not in body
    assert "En retard" in body


@pytest.mark.parametrize("role", ["reviewer", "regional", "national"])
def test_awaiting_query_count_does_not_grow(role):
    users = {
        "reviewer": UserFactory(reviewer=True),
        "regional": UserFactory(regional=True),
        "national": UserFactory(national=True),
    }
    user = users[role]
    today = timezone.localdate()

    def count():
        with CaptureQueriesContext(connection) as queries:
            selectors.awaiting_for_user(user)
        return len(queries)

    ApplicationFactory(under_review=True)
    ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=today - timedelta(days=1))
    one = count()
    for _ in range(3):
        ApplicationFactory(under_review=True, correction_returned_at=timezone.now())
        ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=today - timedelta(days=1))
        ApplicationFactory()
    assert count() == one == 1


# The queue: « Mon avis » where it means something


def test_queue_says_missing_only_where_an_opinion_is_expected(client, reviewer):
    expected = ApplicationFactory(under_review=True, last_name="Attendue")
    ApplicationFactory(state=S.WITHDRAWN, last_name="Retiree")
    ApplicationFactory(state=S.DECLINED, last_name="Refusee")
    ApplicationFactory(
        state=S.CORRECTION_REQUESTED, correction_due_on=timezone.localdate(), last_name="Corrigeant"
    )
    client.force_login(reviewer)
    body = client.get("/espace/candidatures/").content.decode()
    rows = {
        name: body[body.index(name) : body.index("</tr>", body.index(name))]
        for name in ("Attendue", "Retiree", "Refusee", "Corrigeant")
    }
    assert "Manquant" in rows["Attendue"]
    for name in ("Retiree", "Refusee", "Corrigeant"):
        assert "Manquant" not in rows[name], name
    assert "Sans objet" in rows["Retiree"]
    assert "Après la correction" in rows["Corrigeant"]
    assert expected.pk


@pytest.mark.parametrize("role", ["national", "reviewer"])
def test_queue_query_count_does_not_grow_with_corrections_and_messages(client, role):
    user = UserFactory(national=True) if role == "national" else UserFactory(reviewer=True)
    client.force_login(user)
    today = timezone.localdate()

    def make():
        a = ApplicationFactory(state=S.CORRECTION_REQUESTED, correction_due_on=today - timedelta(days=1))
        services.application_message_send(application=a, by=None, body="Bonjour.")
        ApplicationFactory(under_review=True, correction_returned_at=timezone.now())
        ApplicationFactory(state=S.WITHDRAWN)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/espace/candidatures/").status_code == 200
        return len(queries)

    make()
    one = count()
    make()
    make()
    assert count() == one


def test_detail_and_private_page_query_counts_do_not_grow_with_messages(client, reviewer):
    application = ApplicationFactory(under_review=True)
    team = UserFactory(regional=True)

    def counts():
        with CaptureQueriesContext(connection) as private:
            assert client.get(application.get_private_url()).status_code == 200
        client.force_login(team)
        with CaptureQueriesContext(connection) as detail:
            assert client.get(application.get_absolute_url()).status_code == 200
        client.logout()
        return len(private), len(detail)

    services.application_message_send(application=application, by=reviewer, body="Un.")
    one = counts()
    for text in ("Deux.", "Trois."):
        services.application_message_send(application=application, by=None, body=text)
    services.application_message_send(application=application, by=team, body="Quatre.")
    assert counts() == one


# Permission matrix of the new views: role -> status, with an application in 84 proposed by the CCI.

ROLES = [
    "anonymous",
    "ambassador",
    "reviewer_cci",
    "reviewer_bpifrance",
    "regional_84",
    "regional_76",
    "national",
]


def _user(role):
    return {
        "anonymous": lambda: None,
        "ambassador": lambda: UserFactory(),
        "reviewer_cci": lambda: UserFactory(reviewer=True),
        "reviewer_bpifrance": lambda: UserFactory(
            role=Role.REVIEWER, partner_network=PartnerNetwork.objects.get(slug="bpifrance")
        ),
        "regional_84": lambda: UserFactory(regional=True),
        "regional_76": lambda: UserFactory(regional=True, region=Region.objects.get(code="76")),
        "national": lambda: UserFactory(national=True),
    }[role]()


IN_SCOPE = {
    "anonymous": 302,
    "ambassador": 404,
    "reviewer_cci": 302,
    "reviewer_bpifrance": 404,
    "regional_84": 302,
    "regional_76": 404,
    "national": 302,
}
MATRIX = {
    "request_correction": IN_SCOPE,
    "team_message": IN_SCOPE,
    "detail": {**IN_SCOPE, "reviewer_cci": 200, "regional_84": 200, "national": 200},
}
CASES = [(view, role, status) for view, row in MATRIX.items() for role, status in row.items()]


@pytest.mark.parametrize(("view", "role", "expected"), CASES, ids=[f"{v}-{r}" for v, r, _ in CASES])
def test_back_office_views_match_the_matrix(client, view, role, expected):
    application = ApplicationFactory(under_review=True)
    ApplicationFactory(region_id="76", postcode="31000", departements=["31"], last_name="Fuiteoccitane")
    user = _user(role)
    if user:
        client.force_login(user)
    url = f"/espace/candidatures/{application.pk}/"
    if view == "request_correction":
        due = (timezone.localdate() + timedelta(days=10)).isoformat()
        response = client.post(
            url + "correction/", {"message": ASK, "due_on": due, "version": application.version}
        )
    elif view == "team_message":
        response = client.post(url + "message/", {"body": "Bonjour."})
    else:
        response = client.get(url)
    assert response.status_code == expected
    application.refresh_from_db()
    done = expected == 302 and role != "anonymous"
    if view == "request_correction":
        assert (application.state == S.CORRECTION_REQUESTED) == done
    if view == "team_message":
        assert application.messages.exists() == done
    if role == "anonymous":
        assert response["Location"].startswith("/connexion/")
    elif expected == 200:
        assert "Fuiteoccitane" not in response.content.decode()


PRIVATE = {"status": "get", "withdraw": "get", "applicant_message": "post"}


@pytest.mark.parametrize("view", list(PRIVATE))
@pytest.mark.parametrize("token", ["right", "other", "none"])
def test_private_link_views_answer_only_the_token_holder(client, view, token):
    application = ApplicationFactory(under_review=True, last_name="Titulaire")
    other = ApplicationFactory(under_review=True, last_name="Autrepersonne")
    key = {"right": application.token, "other": other.token, "none": "x" * 43}[token]
    suffix = {"status": "", "withdraw": "retirer/", "applicant_message": "message/"}[view]
    response = getattr(client, PRIVATE[view])(f"/candidature/{key}/{suffix}", {"body": "Bonjour."})
    if token == "none":
        assert response.status_code == 404
        return
    assert response.status_code == (302 if view == "applicant_message" else 200)
    owner = application if token == "right" else other
    if view == "applicant_message":
        assert list(ApplicationMessage.objects.values_list("application_id", flat=True)) == [owner.pk]
    else:
        body = response.content.decode()
        assert owner.last_name in body or view == "withdraw"
        stranger = other if token == "right" else application
        assert stranger.last_name not in body


@pytest.mark.parametrize("suffix", ["correction/", "message/"])
def test_post_only_back_office_addresses_opened_by_hand_give_the_detail_page(client, suffix):
    application = ApplicationFactory(under_review=True)
    client.force_login(UserFactory(national=True))
    response = client.get(f"/espace/candidatures/{application.pk}/{suffix}")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/espace/candidatures/{application.pk}/")


def test_applicant_message_address_opened_by_hand_gives_the_private_page(client):
    application = ApplicationFactory(under_review=True)
    response = client.get(f"/candidature/{application.token}/message/")
    assert response.status_code == 302
    assert response["Location"] == application.get_private_url() + "#echanges"


# The views of the round


def test_request_correction_through_the_detail_page(
    client, regional, smtp_inbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(under_review=True)
    client.force_login(regional)
    page = client.get(application.get_absolute_url()).content.decode()
    default = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert f'value="{default}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/candidatures/{application.pk}/correction/",
            {"message": ASK, "due_on": default, "version": application.version},
            follow=True,
        )
    body = response.content.decode()
    assert "La demande de correction est envoyée" in body
    assert "Correction demandée à la personne, attendue au plus tard le" in body
    assert len(smtp_inbox.to(application.email)) == 1


@pytest.mark.parametrize(
    ("due", "text"),
    [
        ("", "Ce champ est obligatoire"),
        ("pas-une-date", "Saisissez une date valide"),
        ("9999-12-31", "date limite"),
    ],
)
def test_request_correction_with_a_bad_date_is_a_french_400(client, regional, due, text):
    application = ApplicationFactory(under_review=True)
    client.force_login(regional)
    response = client.post(
        f"/espace/candidatures/{application.pk}/correction/",
        {"message": ASK, "due_on": due, "version": application.version},
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_request_correction_from_a_stale_page_is_a_conflict(client, regional):
    application = ApplicationFactory(under_review=True)
    version = application.version
    services.application_transition(
        application=application, action="decline", by=UserFactory(national=True), reason="M."
    )
    client.force_login(regional)
    response = client.post(
        f"/espace/candidatures/{application.pk}/correction/",
        {
            "message": ASK,
            "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "version": version,
        },
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.state == S.DECLINED


def test_overdue_correction_is_shown_on_the_detail_page(client, regional):
    application = ApplicationFactory(
        state=S.CORRECTION_REQUESTED, correction_due_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(regional)
    body = client.get(application.get_absolute_url()).content.decode()
    assert "Correction en retard" in body
    assert "Demander de nouveau une correction" in body
    assert "Donner mon avis" not in body
    assert "Ne pas retenir" in body  # the coordinator may decide


def test_private_page_shows_the_request_its_date_and_the_correction_button(client, reviewer):
    application = ApplicationFactory(under_review=True)
    _ask(application, reviewer)
    application.refresh_from_db()
    body = client.get(application.get_private_url()).content.decode()
    assert "Correction demandée, avant le" in body
    assert french_date(application.correction_due_on, weekday=False) in body
    assert f'href="/candidature/{application.token}/corriger/"' in body
    assert "L’équipe de relecture du réseau CCI France" in body
    assert "Rémi" not in body and "remi.relecteur" not in body


# What the applicant sent, on the private page


def test_private_page_shows_what_was_sent_as_the_form_asked_it(client):
    from recruitment.models import CallQuestion

    application = ApplicationFactory(under_review=True)
    first = CallQuestion.objects.create(
        call=application.call, label="Quel projet d’IA avez-vous mené ?", order=1
    )
    Application.objects.filter(pk=application.pk).update(
        answers={str(first.pk): {"question": first.label, "reponse": "Un tri de courrier automatique."}}
    )
    CallQuestion.objects.create(call=application.call, label="Question ajoutée après le dépôt", order=2)
    body = client.get(application.get_private_url()).content.decode()
    for heading in ("Ce que vous avez envoyé", "Vous", "Votre structure", "Votre rôle d’ambassadeur"):
        assert f">{heading}</h" in body, heading
    assert "Les questions de l’appel" in body
    assert "Un tri de courrier automatique." in body
    after = body.index("Question ajoutée après le dépôt")
    assert "Sans réponse" in body[after : after + 200]
    assert application.motivation in body and application.ai_experience in body
