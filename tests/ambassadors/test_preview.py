"""« See before you publish »: the person previews their public page before consenting, the coordinator sees the
whole page before publishing, and the person is told by email when the profile goes online or offline."""

import pytest
from django.utils import timezone

from ambassadors import exports, services
from ambassadors.enums import PublicationState
from ambassadors.models import Ambassador
from ambassadors.selectors import NEVER_PUBLIC, PUBLIC_FIELDS
from core.models import AuditEntry
from tests.factories import AmbassadorFactory, UserFactory
from tests.typography import typography_faults

pytestmark = pytest.mark.django_db


def _person(**kwargs) -> Ambassador:
    user = UserFactory(email="roseline.compte@perso-exemple.test")
    defaults = {
        "first_name": "Roseline",
        "last_name": "Aperçue",
        "slug": "roseline-apercue",
        "regions": ["84"],
        "topics": ["production"],
        "bio": "Je montre aux artisans ce que l’IA change à leurs devis.",
        "website_url": "https://roseline.exemple.test/",
        "contact_email": "roseline.contact@perso-exemple.test",
        "contact_phone": "06 11 22 33 44",
        "user": user,
    }
    return AmbassadorFactory(**(defaults | kwargs))


def _main(body: str) -> str:
    return body[body.index("<main") : body.index("</main>")]


def test_preview_shows_what_the_public_page_shows(client, login):
    ambassador = _person(published=True)
    public = _main(client.get(f"/ambassadeurs/{ambassador.slug}/").content.decode())

    preview = _main(
        login(ambassador.user).get(f"/espace/ambassadeurs/{ambassador.pk}/apercu/").content.decode()
    )

    for text in (
        "Roseline Aperçue",
        "Je montre aux artisans ce que l’IA change à leurs devis.",
        "Auvergne-Rhône-Alpes",
        "https://roseline.exemple.test/",
        "Domaines d’intervention",
        "Écrire à Roseline",
        ambassador.title,
        ambassador.structure_name,
    ):
        assert text in public
        assert text in preview
    # Neither page shows how to reach the person directly.
    for private in ("roseline.contact@", "roseline.compte@", "06 11 22 33 44"):
        assert private not in public
        assert private not in preview


def test_preview_before_consent_lists_what_will_and_will_never_be_shown(login):
    ambassador = _person()

    response = login(ambassador.user).get(f"/espace/ambassadeurs/{ambassador.pk}/apercu/")

    body = response.content.decode()
    assert response.status_code == 200
    for field in (*PUBLIC_FIELDS, *NEVER_PUBLIC):
        assert field in body
    assert "J’accepte que mon profil soit publié" in body
    assert "Publier le profil" not in body
    assert typography_faults(_main(body)) == []


def test_consent_text_covers_every_open_data_column():
    """Every column of the open data is named by the consent (a new public column must be added to it)."""
    said = " ".join(PUBLIC_FIELDS)
    words = {
        "prenom": "prénom",
        "nom": "nom",
        "fonction": "fonction",
        "structure": "structure",
        "siren": "SIREN",
        "profil": "profil",
        "national": "territoires",
        "regions": "régions",
        "departements": "départements",
        "secteurs": "secteurs",
        "thematiques": "thématiques",
        "reseau": "réseau",
        "date_designation": "désignation",
        "date_publication": "publication",
        "activateur_france_num": "activateur France Num",
        "page_france_num": "page France Num",
        "site_web": "site web",
        "linkedin": "LinkedIn",
        "identifiant": "nom",
        "url": "nom",
    }
    assert set(words) == {column.name for column in exports.COLUMNS}
    assert all(word in said for word in words.values())


def test_dashboard_profile_page_offers_the_preview_before_any_consent_button(login):
    ambassador = _person()

    body = login(ambassador.user).get(f"/espace/ambassadeurs/{ambassador.pk}/").content.decode()

    assert f"/espace/ambassadeurs/{ambassador.pk}/apercu/" in body
    assert "J’accepte que mon profil soit publié" not in body


def test_publish_confirmation_shows_the_whole_profile_to_the_coordinator(login):
    ambassador = _person(consented=True)

    response = login(UserFactory(regional=True)).get(f"/espace/ambassadeurs/{ambassador.pk}/publier/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Je montre aux artisans ce que l’IA change à leurs devis." in body
    assert "Publier le profil" in body
    assert f'action="/espace/ambassadeurs/{ambassador.pk}/publier/"' in body
    assert "J’accepte que mon profil soit publié" not in body
    # The confirmation changes nothing.
    assert Ambassador.objects.get(pk=ambassador.pk).publication_state == PublicationState.DRAFT


def test_manage_detail_leads_the_coordinator_to_the_confirmation(login):
    ambassador = _person(consented=True)

    body = login(UserFactory(regional=True)).get(f"/espace/ambassadeurs/{ambassador.pk}/").content.decode()

    assert f'href="/espace/ambassadeurs/{ambassador.pk}/publier/"' in body
    assert "Publier le profil</button>" not in body  # publishing is done from the page that shows it all


def test_publish_without_consent_is_not_offered_on_the_confirmation(login):
    ambassador = _person()

    body = (
        login(UserFactory(regional=True))
        .get(f"/espace/ambassadeurs/{ambassador.pk}/publier/")
        .content.decode()
    )

    assert "Publier le profil</button>" not in body
    assert "n’a pas encore consenti" in body


def test_publish_emails_the_person_only_with_their_page_and_space(
    login, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = _person(consented=True)
    other = AmbassadorFactory(consented=True, regions=["84"])
    coordinator = UserFactory(regional=True, email="coordination.84@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(f"/espace/ambassadeurs/{ambassador.pk}/publier/")

    assert response.status_code == 302
    [message] = smtp_inbox.messages
    assert set(message["X-Envelope-To"].split(", ")) == {
        "roseline.contact@perso-exemple.test",
        "roseline.compte@perso-exemple.test",
    }
    assert message["Subject"].startswith("Votre profil est publié")
    body = smtp_inbox.body(message)
    assert "/ambassadeurs/roseline-apercue/" in body
    assert "/espace/" in body
    for address in ("coordination.84@", other.contact_email):
        assert address not in body and address not in message["X-Envelope-To"]


def test_publishing_again_sends_nothing(smtp_inbox, django_capture_on_commit_callbacks):
    ambassador = _person(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.ambassador_publish(ambassador=ambassador, by=UserFactory(national=True))
    assert smtp_inbox.messages == []


def test_two_coordinators_publishing_from_pages_read_before_send_one_email(
    smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = _person(consented=True)
    first, second = Ambassador.objects.get(pk=ambassador.pk), Ambassador.objects.get(pk=ambassador.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.ambassador_publish(ambassador=first, by=UserFactory(national=True))
        services.ambassador_publish(ambassador=second, by=UserFactory(national=True))

    assert len(smtp_inbox.messages) == 1
    assert AuditEntry.objects.filter(action="ambassador.publish").count() == 1


def test_publishing_a_profile_whose_consent_was_just_withdrawn_is_refused(
    smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = _person(consented=True)
    read_by_the_coordinator = Ambassador.objects.get(pk=ambassador.pk)
    services.ambassador_set_consent(ambassador=ambassador, by=ambassador.user, consent=False)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.AmbassadorError):
        services.ambassador_publish(ambassador=read_by_the_coordinator, by=UserFactory(national=True))

    assert Ambassador.objects.get(pk=ambassador.pk).publication_state != PublicationState.PUBLISHED
    assert smtp_inbox.messages == []


def test_unpublish_emails_the_reason_to_the_person(login, smtp_inbox, django_capture_on_commit_callbacks):
    ambassador = _person(published=True)
    coordinator = UserFactory(regional=True, email="coordination.84@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            f"/espace/ambassadeurs/{ambassador.pk}/retirer/", {"reason": "Présentation à mettre à jour."}
        )

    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.publication_state == PublicationState.UNPUBLISHED
    [message] = smtp_inbox.to("roseline.contact@perso-exemple.test")
    assert message["Subject"].startswith("Votre profil n’est plus public")
    body = smtp_inbox.body(message)
    assert "Présentation à mettre à jour." in body
    assert "/espace/" in body
    assert "coordination.84@" not in body and "coordination.84@" not in message["X-Envelope-To"]
    assert AuditEntry.objects.get(action="ambassador.unpublish").changes == {
        "motif": "Présentation à mettre à jour."
    }


def test_unpublish_without_reason_keeps_the_profile_online_and_says_why(
    login, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = _person(published=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(UserFactory(regional=True)).post(
            f"/espace/ambassadeurs/{ambassador.pk}/retirer/", {"reason": "   "}, follow=True
        )

    ambassador.refresh_from_db()
    assert ambassador.publication_state == PublicationState.PUBLISHED
    assert "Indiquez le motif du retrait" in response.content.decode()
    assert smtp_inbox.messages == []


def test_withdrawing_consent_sends_no_email(login, smtp_inbox, django_capture_on_commit_callbacks):
    ambassador = _person(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        login(ambassador.user).post(f"/espace/ambassadeurs/{ambassador.pk}/consentement/", {"consent": "0"})
    ambassador.refresh_from_db()
    assert ambassador.consent_at is None
    assert smtp_inbox.messages == []


def test_manage_list_filters_the_profiles_awaiting_publication_and_consent(login):
    to_publish = AmbassadorFactory(consented=True, regions=["84"], last_name="Apublier")
    no_consent = AmbassadorFactory(regions=["84"], last_name="Sansaccord")
    AmbassadorFactory(published=True, regions=["84"], last_name="Dejapublie")
    AmbassadorFactory(consented=True, regions=["84"], last_name="Finimandat", mandate_ended_at=timezone.now())
    client = login(UserFactory(regional=True))

    waiting = client.get("/espace/ambassadeurs/?etat=a-publier").content.decode()
    missing = client.get("/espace/ambassadeurs/?etat=sans-consentement").content.decode()

    assert to_publish.last_name in waiting
    assert all(name not in waiting for name in ("Sansaccord", "Dejapublie", "Finimandat"))
    assert no_consent.last_name in missing
    assert all(name not in missing for name in ("Apublier", "Dejapublie", "Finimandat"))


@pytest.mark.parametrize(("state", "traits"), [("a-publier", {"consented": True}), ("sans-consentement", {})])
def test_manage_list_filters_keep_a_fixed_number_of_queries(login, state, traits):
    from tests.test_query_counts import assert_query_count_does_not_grow

    def add(n):
        return [
            AmbassadorFactory(regions=["84"], topics=["production", "donnees"], sectors=["C", "J"], **traits)
            for _ in range(n)
        ]

    add(1)
    assert_query_count_does_not_grow(
        login(UserFactory(regional=True)),
        f"/espace/ambassadeurs/?etat={state}",
        add,
        lambda a: a.last_name,
        expected=8,  # as the list unfiltered (tests/test_query_counts.py)
    )


def test_preview_says_what_the_public_sees_now_once_published_and_where_it_sits(login):
    published, waiting = _person(published=True), AmbassadorFactory(consented=True, regions=["84"])
    coordinator = UserFactory(regional=True)

    seen = login(published.user).get(f"/espace/ambassadeurs/{published.pk}/apercu/").content.decode()
    assert "ce que le public voit de vous" in seen and "une fois votre profil publié" not in seen
    before = login(coordinator).get(f"/espace/ambassadeurs/{waiting.pk}/apercu/").content.decode()
    assert "une fois publié" in before
    breadcrumb = before[
        before.index('class="fr-breadcrumb"') : before.index("</nav>", before.index("fr-breadcrumb"))
    ]
    assert 'href="/espace/ambassadeurs/">Ambassadeurs</a>' in breadcrumb
    assert f'href="/espace/ambassadeurs/{waiting.pk}/">{waiting.full_name}</a>' in breadcrumb
