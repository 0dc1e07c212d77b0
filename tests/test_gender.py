"""People are written of as they said: « ambassadrice », « désignée » for a woman who said so, « ambassadeur »,
« désigné » for a man, and wording without agreement when they said nothing."""

import pytest

from ambassadors.enums import Gender
from recruitment.enums import ApplicationState
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory
from tests.recruitment.test_designation import designate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("gender", "badge", "description"),
    [
        (Gender.FEMININE, "Ambassadrice sectorielle et régionale", "ambassadrice IA"),
        (Gender.MASCULINE, "Ambassadeur sectoriel et régional", "ambassadeur IA"),
        (Gender.UNSAID, "Profil sectoriel et régional", "membre du réseau des ambassadeurs IA"),
    ],
)
def test_profile_page_agrees_with_the_person(client, gender, badge, description):
    ambassador = AmbassadorFactory(published=True, gender=gender, kind="sectoriel_regional", regions=["84"])

    body = client.get(ambassador.get_absolute_url()).content.decode()

    assert f'<p class="fr-badge fr-badge--blue-ecume">{badge}</p>' in body
    assert f"{ambassador.full_name}, {description}" in body


def test_region_page_headings_are_plural_and_agree(client):
    AmbassadorFactory(published=True, kind="sectoriel_regional", regions=["84"])

    body = client.get("/regions/84/").content.decode()

    assert "Ambassadeurs sectoriels et régionaux (1)" in body
    assert "Pas encore d’ambassadeur grand public publié dans cette région." in body


@pytest.mark.parametrize(
    ("gender", "subject", "sentence"),
    [
        (Gender.FEMININE, "Vous êtes désignée ambassadrice IA", "Vous êtes désignée ambassadrice IA."),
        (Gender.MASCULINE, "Vous êtes désigné ambassadeur IA", "Vous êtes désigné ambassadeur IA."),
        (
            Gender.UNSAID,
            "Votre candidature d’ambassadeur IA est retenue",
            "Vous rejoignez le réseau des ambassadeurs IA.",
        ),
    ],
)
def test_designation_emails_and_status_page_agree_with_the_applicant(
    client, smtp_inbox, django_capture_on_commit_callbacks, gender, subject, sentence
):
    application = ApplicationFactory(gender=gender, state=ApplicationState.UNDER_REVIEW)
    national = UserFactory(national=True)

    with django_capture_on_commit_callbacks(execute=True):
        designate(application, national, reason="Un parcours solide.")

    messages = smtp_inbox.to(application.email)
    assert subject in [m["Subject"] for m in messages]
    assert all(sentence in smtp_inbox.body(m) for m in messages)
    status = client.get(f"/candidature/{application.token}/").content.decode()
    assert sentence.replace("Vous", "vous", 1) in status
    application.refresh_from_db()
    assert application.ambassador.gender == gender  # the profile keeps what the person said
