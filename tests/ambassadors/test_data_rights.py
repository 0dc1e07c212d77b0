"""An ambassador's data rights (see, download, correct, erase), the end of a mandate, the retention of profiles,
and an audit log that records that a private field changed, never its value."""

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import User
from agenda.models import Event
from ambassadors import data_rights, services
from ambassadors.enums import PublicationState
from ambassadors.models import Ambassador
from ambassadors.tasks import erase_expired_ambassadors
from core.models import AuditEntry
from recruitment.models import Application
from tests.agenda.factories import EventFactory
from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory
from tests.typography import typography_faults

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test"


def _audit_text() -> str:
    return " ".join(
        f"{e.actor_label} {e.object_repr} {json.dumps(e.changes, ensure_ascii=False)}"
        for e in AuditEntry.objects.all()
    )


def _person(**kwargs) -> Ambassador:
    user = UserFactory(
        email="berenice.quintal@perso-exemple.test", first_name="Bérénice", last_name="Quintal"
    )
    defaults = {
        "user": user,
        "first_name": "Bérénice",
        "last_name": "Quintal",
        "slug": "berenice-quintal",
        "contact_email": "berenice.contact@perso-exemple.test",
        "contact_phone": "06 12 34 56 78",
        "regions": ["84"],
    }
    return AmbassadorFactory(**(defaults | kwargs))


PERSONAL = ("Bérénice", "Quintal", "berenice", "perso-exemple", "06 12 34 56 78")


# 1. The audit log keeps that a private field changed, never its value.


def test_audit_of_a_contact_change_keeps_no_address(client, login):
    coordinator = UserFactory(regional=True)
    national = UserFactory(national=True)
    ambassador = _person()
    services.ambassador_update(
        ambassador=ambassador,
        by=coordinator,
        data={"contact_email": "nouvelle.adresse@perso-exemple.test", "contact_phone": "07 00 00 00 01"},
    )
    entry = AuditEntry.objects.get(action="ambassador.edit")
    assert entry.changes == {"contact_email": "modifié", "contact_phone": "modifié"}
    text = _audit_text()
    for value in ("berenice.contact", "nouvelle.adresse", "06 12 34 56 78", "07 00 00 00 01"):
        assert value not in text
    body = login(national).get("/espace/journal/").content.decode()
    assert "modifié" in body
    for value in ("berenice.contact", "nouvelle.adresse", "06 12 34 56 78", "07 00 00 00 01"):
        assert value not in body


def test_audit_of_other_fields_keeps_before_and_after():
    ambassador = _person(job_title="Dirigeante")
    services.ambassador_update(
        ambassador=ambassador, by=UserFactory(national=True), data={"job_title": "Gérante"}
    )
    entry = AuditEntry.objects.get(action="ambassador.edit")
    assert entry.changes == {"job_title": {"avant": "Dirigeante", "après": "Gérante"}}


def test_redaction_migration_scrubs_private_values_already_stored():
    ambassador = _person()
    content_type = ContentType.objects.get_for_model(Ambassador)
    old = AuditEntry.objects.create(
        action="ambassador.edit",
        content_type=content_type,
        object_id=str(ambassador.pk),
        object_repr="x",
        changes={
            "contact_email": {"avant": "ancienne@perso-exemple.test", "après": "neuve@perso-exemple.test"},
            "job_title": {"avant": "A", "après": "B"},
        },
    )
    migration = importlib.import_module("core.migrations.0002_redact_private_values")
    migration.redact(apps, None)
    old.refresh_from_db()
    assert old.changes == {"contact_email": "modifié", "job_title": {"avant": "A", "après": "B"}}


# 2. End of a mandate, one year of retention.


def test_end_of_mandate_unpublishes_audits_and_tells_the_person(
    client, login, smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(regional=True)
    ambassador = _person(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            f"/espace/ambassadeurs/{ambassador.pk}/fin-de-mandat/",
            {"reason": "Fin de la période de l’AMI 2026."},
        )
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.mandate_ended_at is not None
    assert ambassador.publication_state == PublicationState.UNPUBLISHED
    assert ambassador.requests_paused
    entry = AuditEntry.objects.get(action="ambassador.mandate_end")
    assert (entry.actor, entry.changes) == (coordinator, {"motif": "Fin de la période de l’AMI 2026."})
    [message] = smtp_inbox.to("berenice.contact@perso-exemple.test")
    body = smtp_inbox.body(message)
    assert "Fin de la période de l’AMI 2026." in body
    assert "/espace/mes-donnees/" in body
    assert typography_faults(body) == []
    assert client.get(f"/ambassadeurs/{ambassador.slug}/").status_code == 404


def test_end_of_mandate_without_reason_is_a_400_in_french(client, login):
    ambassador = _person(published=True)
    response = login(UserFactory(regional=True)).post(
        f"/espace/ambassadeurs/{ambassador.pk}/fin-de-mandat/", {"reason": "  "}
    )
    assert response.status_code == 400
    assert "Indiquez le motif de la fin du mandat." in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.mandate_ended_at is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("self", 403), ("other_region", 404), ("reviewer", 403), ("regional", 200), ("national", 200)],
)
def test_end_of_mandate_page_permissions(client, login, who, status):
    ambassador = _person(published=True)
    users = {
        "self": lambda: ambassador.user,
        "other_region": lambda: UserFactory(role="regional_coordinator", region_id="76"),
        "reviewer": lambda: UserFactory(reviewer=True),
        "regional": lambda: UserFactory(regional=True),
        "national": lambda: UserFactory(national=True),
    }
    response = login(users[who]()).get(f"/espace/ambassadeurs/{ambassador.pk}/fin-de-mandat/")
    assert response.status_code == status


def test_profile_cannot_be_published_again_after_the_end_of_mandate():
    coordinator = UserFactory(national=True)
    ambassador = _person(published=True)
    data_rights.ambassador_end_mandate(ambassador=ambassador, by=coordinator, reason="Fin.")
    with pytest.raises(services.AmbassadorError, match="mandat"):
        services.ambassador_publish(ambassador=ambassador, by=coordinator)


def test_profile_is_erased_one_year_after_the_end_of_mandate_and_kept_before():
    ambassador = _person(published=True)
    ended = timezone.now()
    data_rights.ambassador_end_mandate(
        ambassador=ambassador, by=UserFactory(national=True), reason="Fin.", now=ended
    )
    assert data_rights.ambassadors_erase_expired(now=ended + timedelta(days=364)) == 0
    assert Ambassador.objects.filter(pk=ambassador.pk).exists()
    assert data_rights.ambassadors_erase_expired(now=ended + timedelta(days=366)) == 1
    assert not Ambassador.objects.filter(pk=ambassador.pk).exists()
    assert not User.objects.filter(email="berenice.quintal@perso-exemple.test").exists()


def test_erase_task_and_command_run_the_same_service():
    from django.core.management import call_command

    first, second = _person(), AmbassadorFactory()
    first.erasure_requested_at = second.erasure_requested_at = timezone.now()
    first.save()
    second.save()
    assert erase_expired_ambassadors.enqueue().return_value == 2
    third = AmbassadorFactory(erasure_requested_at=timezone.now())
    call_command("erase_ambassadors", verbosity=0)
    assert not Ambassador.objects.filter(pk=third.pk).exists()


# 3. The person's data page, the download, the erasure request.


def test_my_data_page_shows_everything_held_and_is_not_cached(client, login):
    designer = UserFactory(national=True, first_name="Nadia", last_name="Nationale")
    ambassador = _person(
        designated_by=designer, designated_at=timezone.localdate(), consented=True, sectors=["C"]
    )
    CompanyRequestFactory(ambassador=ambassador)
    response = login(ambassador.user).get("/espace/mes-donnees/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    body = response.content.decode()
    for shown in (
        "berenice.quintal@perso-exemple.test",
        "berenice.contact@perso-exemple.test",
        "06 12 34 56 78",
        "Auvergne-Rhône-Alpes",
        "Nadia Nationale",
        "C – Industrie manufacturière",
        "Consentement à la publication",
        "Demander l’effacement",
        "Pour changer de région, écrivez à la coordination de votre région",
    ):
        assert shown in body
    assert "/espace/mes-donnees/export.json" in body


def test_my_data_export_is_a_private_json_attachment(client, login):
    ambassador = _person()
    response = login(ambassador.user).get("/espace/mes-donnees/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    data = json.loads(response.content)
    assert data["compte"]["adresse_electronique"] == "berenice.quintal@perso-exemple.test"
    assert data["profil"]["adresse_contact"] == "berenice.contact@perso-exemple.test"
    assert data["profil"]["telephone"] == "06 12 34 56 78"
    assert data["profil"]["regions"] == ["Auvergne-Rhône-Alpes"]
    assert data["demandes_entreprises"] == {"total": 0, "en_cours": 0}


def test_my_data_of_a_coordinator_shows_the_account_only(client, login):
    coordinator = UserFactory(regional=True, email="coord@exemple.test")
    response = login(coordinator).get("/espace/mes-donnees/")
    assert response.status_code == 200
    assert "coord@exemple.test" in response.content.decode()
    assert login(coordinator).get("/espace/mes-donnees/effacement/").status_code == 404


def test_my_data_needs_a_login(client):
    for path in (
        "/espace/mes-donnees/",
        "/espace/mes-donnees/export.json",
        "/espace/mes-donnees/effacement/",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")


def test_erasure_request_takes_offline_logs_out_and_closes_the_account(
    client, login, smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(regional=True, email="coordination.ara@exemple.test")
    ambassador = _person(published=True)
    login(ambassador.user)
    assert client.get("/espace/mes-donnees/effacement/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/espace/mes-donnees/effacement/")
    assert response.status_code == 302
    assert response["Location"] == "/effacement-demande/"
    page = client.get("/effacement-demande/").content.decode()
    assert "dans les 24 heures" in page
    ambassador.refresh_from_db()
    assert ambassador.erasure_requested_at is not None
    assert not ambassador.is_public
    assert client.get("/espace/").status_code == 302  # logged out
    refused = client.post(
        "/connexion/", {"username": "berenice.quintal@perso-exemple.test", "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert "incorrect" in refused.content.decode()
    assert client.get("/espace/").status_code == 302
    [to_coordinators] = smtp_inbox.to(coordinator.email)
    assert "Bérénice Quintal" in smtp_inbox.body(to_coordinators)
    [to_person] = smtp_inbox.to("berenice.contact@perso-exemple.test")
    assert "24 heures" in smtp_inbox.body(to_person)
    for message in smtp_inbox.messages:
        assert typography_faults(smtp_inbox.body(message)) == []


def test_erasure_request_needs_csrf(login):
    from django.test import Client

    ambassador = _person()
    strict = Client(enforce_csrf_checks=True)  # Django's own CSRF failure page has an inline style
    strict.force_login(ambassador.user)
    assert strict.post("/espace/mes-donnees/effacement/").status_code == 403
    ambassador.refresh_from_db()
    assert ambassador.erasure_requested_at is None


def test_territory_change_request_reaches_the_coordinators(
    client, login, smtp_inbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(regional=True, email="coordination.ara@exemple.test")
    ambassador = _person()
    login(ambassador.user)
    assert client.post("/espace/mes-donnees/", {"message": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/espace/mes-donnees/", {"message": "J’interviens aussi en Occitanie."})
    assert response.status_code == 302
    [message] = smtp_inbox.to(coordinator.email)
    body = smtp_inbox.body(message)
    assert "J’interviens aussi en Occitanie." in body
    assert "berenice.contact@perso-exemple.test" in body
    # Coordinators' addresses are not shown to ambassadors.
    assert coordinator.email not in client.get("/espace/mes-donnees/").content.decode()


# The erasure leaves nothing of the person anywhere.


def test_erasure_leaves_nothing_of_the_person(client, login, smtp_inbox, django_capture_on_commit_callbacks):
    national = UserFactory(national=True)
    ambassador = _person(published=True)
    event = EventFactory(ambassadors=[ambassador])
    services.ambassador_update(
        ambassador=ambassador,
        by=national,
        data={"contact_email": "autre@perso-exemple.test", "bio": "Bérénice"},
    )
    services.ambassador_set_consent(ambassador=ambassador, by=ambassador.user, consent=True)
    services.ambassador_unpublish(ambassador=ambassador, by=national, reason="Bérénice Quintal l’a demandé.")
    services.ambassador_publish(ambassador=ambassador, by=national)
    public = ["/", "/ambassadeurs/", "/regions/84/", f"/agenda/{event.slug}/", "/donnees/ambassadeurs.csv"]
    public += ["/donnees/ambassadeurs.json", "/api/v1/ambassadeurs", "/regions/84/integration/"]
    assert "Quintal" in client.get(f"/agenda/{event.slug}/").content.decode()  # listed before
    # The application the profile came from: reviewers would still read the person there.
    application = ApplicationFactory(
        first_name="Bérénice",
        last_name="Quintal",
        email="berenice.quintal@perso-exemple.test",
        ambassador=ambassador,
    )

    data_rights.ambassador_request_erasure(ambassador=ambassador, by=ambassador.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert data_rights.ambassadors_erase_expired() == 1

    assert not Ambassador.objects.filter(pk=ambassador.pk).exists()
    assert not User.objects.filter(email__icontains="berenice").exists()
    assert Event.objects.get(pk=event.pk).ambassadors.count() == 0
    text = _audit_text()
    for personal in PERSONAL:
        assert personal not in text
    entries = AuditEntry.objects.filter(object_id=str(ambassador.pk), content_type__model="ambassador")
    assert {e.object_repr for e in entries} == {f"Ambassadeur n° {ambassador.pk} (effacé)"}
    assert entries.get(action="ambassador.publish").actor == national  # who decided stays
    for path in public:
        body = client.get(path).content.decode()
        for personal in PERSONAL:
            assert personal not in body, (path, personal)
    assert not Application.objects.filter(pk=application.pk).exists()
    back_office = login(national)
    for path in ("/espace/journal/", "/espace/candidatures/", "/espace/candidatures/export.csv"):
        body = back_office.get(path).content.decode()
        for personal in PERSONAL:
            assert personal not in body, (path, personal)
    # The only email sent is the one telling the person.
    assert {m["X-Envelope-To"] for m in smtp_inbox.messages} <= {
        "autre@perso-exemple.test",
        "berenice.quintal@perso-exemple.test",
        "autre@perso-exemple.test, berenice.quintal@perso-exemple.test",
    }
    assert len(smtp_inbox.messages) == 1


def test_erasure_with_company_requests_leaves_an_empty_shell(client, login):
    national = UserFactory(national=True)
    ambassador = _person(published=True, regions=["76"])
    request = CompanyRequestFactory(ambassador=ambassador)
    ambassador.erasure_requested_at = timezone.now()
    ambassador.save()

    assert data_rights.ambassadors_erase_expired() == 1

    shell = Ambassador.objects.get(pk=ambassador.pk)
    assert shell.erased_at is not None
    assert (shell.contact_email, shell.contact_phone, shell.user_id, shell.bio) == ("", "", None, "")
    assert shell.full_name == f"Ambassadeur n° {ambassador.pk} (effacé)"
    assert not shell.is_public
    request.refresh_from_db()
    assert request.ambassador_id == shell.pk
    login(national)
    assert client.get(f"/espace/ambassadeurs/{shell.pk}/").status_code == 404
    assert "effacé" not in client.get("/espace/ambassadeurs/").content.decode()
    assert client.get("/pilotage/").status_code == 200
    assert data_rights.ambassadors_erase_expired() == 0  # erased once


def test_my_data_is_linked_from_the_space_and_the_profile(client, login):
    ambassador = _person()
    login(ambassador.user)
    assert "/espace/mes-donnees/" in client.get("/espace/").content.decode()
    assert "/espace/mes-donnees/" in client.get(f"/espace/ambassadeurs/{ambassador.pk}/").content.decode()


def test_back_office_page_says_when_an_ended_mandate_is_erased_and_offers_no_publication(client, login):
    coordinator = UserFactory(regional=True)
    ambassador = _person(consented=True)
    ended = timezone.now()
    data_rights.ambassador_end_mandate(ambassador=ambassador, by=coordinator, reason="Fin.", now=ended)
    body = login(coordinator).get(f"/espace/ambassadeurs/{ambassador.pk}/").content.decode()
    assert "Publier le profil" not in body
    assert "Mettre fin au mandat" not in body
    assert "profil effacé le" in body


def test_deleting_in_the_admin_erases_like_the_retention_job(client, login):
    superuser = UserFactory(national=True, is_staff=True, is_superuser=True)
    ambassador = _person()
    services.ambassador_update(ambassador=ambassador, by=superuser, data={"job_title": "Gérante"})
    # What an edit in the admin writes in the admin's history.
    LogEntry.objects.log_actions(
        user_id=superuser.pk, queryset=[ambassador], action_flag=CHANGE, change_message="Bérénice Quintal"
    )
    response = login(superuser).post(
        f"/admin/ambassadors/ambassador/{ambassador.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Ambassador.objects.filter(pk=ambassador.pk).exists()
    admin_history = " ".join(f"{e.object_repr} {e.change_message}" for e in LogEntry.objects.all())
    for personal in PERSONAL:
        assert personal not in _audit_text()
        assert personal not in admin_history


def test_end_of_mandate_of_an_ambassador_of_two_regions_is_the_national_coordination_s(client, login):
    ambassador = _person(published=True)
    ambassador.regions.add("76")
    lyon = UserFactory(regional=True)
    assert login(lyon).get(f"/espace/ambassadeurs/{ambassador.pk}/fin-de-mandat/").status_code == 403
    with pytest.raises(services.NotAllowed):
        data_rights.ambassador_end_mandate(ambassador=ambassador, by=lyon, reason="Fin d’activité.")
    ambassador.refresh_from_db()
    assert ambassador.mandate_ended_at is None
    assert (
        login(UserFactory(national=True))
        .get(f"/espace/ambassadeurs/{ambassador.pk}/fin-de-mandat/")
        .status_code
        == 200
    )


def test_territory_change_requests_are_limited_so_the_coordinators_are_not_flooded(client, login):
    UserFactory(regional=True)
    login(_person().user)
    statuses = [
        client.post(
            "/espace/mes-donnees/", {"message": f"J’interviens aussi en Occitanie ({n})."}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 400]
    assert (
        "déjà envoyé plusieurs demandes aujourd’hui"
        in client.post("/espace/mes-donnees/", {"message": "Encore."}).content.decode()
    )
