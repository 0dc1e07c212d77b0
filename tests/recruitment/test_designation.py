"""Designation: the ambassador profile is created from the application (unpublished, not consented), the person is
invited by email to choose a password, then logs in, sees their profile and consents."""

import re

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from ambassadors.enums import ProfileKind, PublicationState
from ambassadors.models import Ambassador
from core.models import AuditEntry
from recruitment import services
from recruitment.enums import ApplicationState as S
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory
from tests.recruitment.conftest import VALID_SIRET

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Une-phrase-de-passe-solide-2026"
ACTIVATION_RE = re.compile(re.escape(settings.SITE_URL) + r"(/compte/activer/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def application():
    return ApplicationFactory(
        under_review=True,
        first_name="Jeanne",
        last_name="Désignée",
        email="jeanne@exemple.test",
        phone="06 12 34 56 78",
        job_title="Directrice de production",
        structure_name="Usinage du Rhône",
        siret=VALID_SIRET,
        profile_kind=ProfileKind.GRAND_PUBLIC,
        departements=["69", "38"],
        sectors=["C", "J"],
        topics=["production", "donnees"],
    )


def designate(application, by, reason="Profil très complet."):
    return services.application_transition(application=application, action="designate", by=by, reason=reason)


def test_designation_creates_unpublished_ambassador_from_application(application, national, cci):
    designate(application, national)
    application.refresh_from_db()
    ambassador = application.ambassador
    assert ambassador is not None
    assert Ambassador.objects.count() == 1
    assert ambassador.publication_state == PublicationState.DRAFT
    assert ambassador.published_at is None
    assert ambassador.consent_at is None
    assert not ambassador.is_public
    assert (ambassador.first_name, ambassador.last_name) == ("Jeanne", "Désignée")
    assert ambassador.job_title == "Directrice de production"
    assert ambassador.structure_name == "Usinage du Rhône"
    assert ambassador.siren == VALID_SIRET[:9] == "732829320"
    assert ambassador.kind == ProfileKind.GRAND_PUBLIC
    assert [r.code for r in ambassador.regions.all()] == ["84"]
    assert sorted(d.code for d in ambassador.departements.all()) == ["38", "69"]
    assert sorted(s.code for s in ambassador.sectors.all()) == ["C", "J"]
    assert sorted(t.slug for t in ambassador.topics.all()) == ["donnees", "production"]
    assert ambassador.proposing_network == cci
    assert ambassador.designated_by == national
    assert ambassador.designated_at == timezone.localdate()
    assert ambassador.contact_email == "jeanne@exemple.test"
    assert ambassador.contact_phone == "06 12 34 56 78"
    assert ambassador.slug
    assert AuditEntry.objects.filter(action="ambassador.designate", object_id=str(ambassador.pk)).exists()


def test_designation_without_siret_leaves_siren_empty(national):
    application = ApplicationFactory(under_review=True, siret="")
    designate(application, national)
    application.refresh_from_db()
    assert application.ambassador.siren == ""


def test_designation_creates_ambassador_user_without_usable_password(application, national):
    designate(application, national)
    user = User.objects.get(email="jeanne@exemple.test")
    assert user.role == Role.AMBASSADOR
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Jeanne", "Désignée")
    application.refresh_from_db()
    assert application.ambassador.user == user


def test_designation_emails_decision_and_invitation(
    application, national, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        designate(application, national, reason="Excellente connaissance de l’industrie.")
    messages = smtp_inbox.to("jeanne@exemple.test")
    assert len(messages) == len(smtp_inbox.messages) == 2
    bodies = [smtp_inbox.body(m) for m in messages]
    decision = next(b for b in bodies if "Excellente connaissance de l’industrie." in b)
    assert f"{settings.SITE_URL}/candidature/{application.token}/" in decision
    invitations = [m for m in messages if ACTIVATION_RE.search(smtp_inbox.body(m))]
    assert len(invitations) == 1
    assert "mot de passe" in invitations[0]["Subject"] or "accès" in invitations[0]["Subject"]
    assert "jeanne@exemple.test" in smtp_inbox.body(invitations[0])


def test_invitation_link_sets_password_then_login_profile_and_consent(
    client, application, national, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        designate(application, national)
    link = next(
        m.group(1) for m in (ACTIVATION_RE.search(smtp_inbox.body(x)) for x in smtp_inbox.messages) if m
    )
    application.refresh_from_db()
    ambassador = application.ambassador

    # The link: Django moves the token into the session, then shows the form.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choisir mon mot de passe" in body
    assert 'name="new_password1"' in body
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/espace/"  # signed in, on the space
    user = User.objects.get(email="jeanne@exemple.test")
    assert user.has_usable_password()
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)

    # Later, through the login form (the throttling backend needs the request).
    client.post("/deconnexion/")
    response = client.post("/connexion/", {"username": "jeanne@exemple.test", "password": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    assert client.session["_auth_user_id"] == str(user.pk)

    page = client.get(f"/espace/ambassadeurs/{ambassador.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Jeanne Désignée" in body
    assert "Pas encore donné" in body
    assert "Voir l’aperçu et consentir à la publication" in body  # the consent is given on the preview

    response = client.post(f"/espace/ambassadeurs/{ambassador.pk}/consentement/", {"consent": "1"})
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.consent_at is not None
    assert ambassador.publication_state == PublicationState.DRAFT  # consent is not publication

    # The link served once: it no longer works.
    client.logout()
    response = client.get(link, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce lien n’est plus valable" in body
    assert 'name="new_password1"' not in body


def test_invitation_link_with_wrong_password_confirmation_keeps_link_valid(
    client, application, national, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        designate(application, national)
    link = next(
        m.group(1) for m in (ACTIVATION_RE.search(smtp_inbox.body(x)) for x in smtp_inbox.messages) if m
    )
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert response.status_code == 200
    assert not User.objects.get(email="jeanne@exemple.test").has_usable_password()


@pytest.mark.parametrize(
    ("owner", "said"),
    [
        (
            {"reviewer": True},
            "appartient déjà à un compte « Relecteur d’un réseau partenaire » de la plateforme",
        ),
        ({"regional": True}, "appartient déjà à un compte « Coordination régionale » de la plateforme"),
        ({"with_profile": True}, "est déjà celle du compte d’un ambassadeur qui a un profil"),
    ],
    ids=["reviewer", "regional", "ambassador-with-profile"],
)
def test_designation_when_email_belongs_to_another_account_is_refused_and_nothing_changes(
    client, national, owner, said, smtp_inbox, django_capture_on_commit_callbacks
):
    with_profile = owner.pop("with_profile", False)
    other = UserFactory(email="Jeanne@Exemple.test", **owner)
    if with_profile:
        AmbassadorFactory(user=other)
    ambassadors_before = Ambassador.objects.count()
    application = ApplicationFactory(under_review=True, email="jeanne@exemple.test")
    client.force_login(national)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/candidatures/{application.pk}/decision/",
            {"action": "designate", "reason": "Profil très complet.", "version": application.version},
        )

    assert response.status_code == 409
    body = response.content.decode()
    assert f"L’adresse jeanne@exemple.test {said}" in body
    assert "un compte n’a qu’un rôle : la désignation n’est pas enregistrée" in body
    assert "Faites d’abord changer l’adresse de ce compte" in body
    assert "Profil très complet." in body  # the reason typed is kept
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.version == 1
    assert application.ambassador is None
    assert application.decision_reason == ""
    assert Ambassador.objects.count() == ambassadors_before
    assert not AuditEntry.objects.filter(
        action__in=["application.designated", "ambassador.designate"]
    ).exists()
    role_before = other.role
    other.refresh_from_db()
    assert other.role == role_before
    assert User.objects.filter(email__iexact="jeanne@exemple.test").count() == 1
    assert smtp_inbox.messages == []


def test_designation_in_bulk_refuses_the_taken_email_and_designates_the_others(
    client, national, smtp_inbox, django_capture_on_commit_callbacks
):
    UserFactory(reviewer=True, email="prise@exemple.test")
    taken = ApplicationFactory(under_review=True, email="prise@exemple.test", last_name="Prise")
    free = ApplicationFactory(under_review=True, email="libre@exemple.test")
    client.force_login(national)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/espace/candidatures/decision-groupee/",
            {"applications": [taken.pk, free.pk], "action": "designate", "reason": "Retenues."},
            follow=True,
        )
    body = response.content.decode()
    assert "Décision enregistrée pour 1 candidature(s)." in body
    assert f"{taken.full_name} : L’adresse prise@exemple.test appartient déjà à un compte" in body
    taken.refresh_from_db()
    free.refresh_from_db()
    assert (taken.state, taken.ambassador) == (S.UNDER_REVIEW, None)
    assert free.state == S.DESIGNATED
    assert free.ambassador.user.email == "libre@exemple.test"
    assert smtp_inbox.to("prise@exemple.test") == []


def test_designation_reuses_existing_ambassador_account_without_profile(national):
    user = UserFactory(email="jeanne@exemple.test")  # an ambassador account, no profile yet
    application = ApplicationFactory(under_review=True, email="jeanne@exemple.test")
    designate(application, national)
    application.refresh_from_db()
    assert application.ambassador.user == user
    assert User.objects.filter(email__iexact="jeanne@exemple.test").count() == 1


def test_designation_through_view_links_to_created_profile(client, application, national):
    client.force_login(national)
    response = client.post(
        f"/espace/candidatures/{application.pk}/decision/",
        {"action": "designate", "reason": "Retenue.", "version": application.version},
        follow=True,
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == S.DESIGNATED
    assert f"/espace/ambassadeurs/{application.ambassador.pk}/" in response.content.decode()
