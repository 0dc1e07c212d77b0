"""/espace/ opens on « Ce qui vous attend » (core.awaiting): the ambassadors' part, per role and scoped, with a
fixed number of queries; the tools stay below."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from ambassadors.enums import PublicationState
from ambassadors.models import PartnerNetwork
from ambassadors.selectors import awaiting_for_user
from core.awaiting import Awaiting
from territories.models import Region
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _items(user) -> dict[str, Awaiting]:
    return {item.label.split("\u00a0:")[0]: item for item in awaiting_for_user(user)}


def _own(**kwargs):
    user = UserFactory()
    AmbassadorFactory(user=user, regions=["84"], **kwargs)
    return user


def _queries(client, url="/espace/") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


# The ambassador: what the profile lacks, its consent and publication, the absence.


def test_ambassador_sees_what_the_profile_lacks_and_the_consent_to_give(client, login):
    user = _own(bio="", job_title="", website_url="", linkedin_url="")

    items = _items(user)
    body = login(user).get("/espace/").content.decode()

    missing = items["À compléter sur votre profil"]
    assert missing.count == 5  # job title, presentation, topics, sectors, a link
    assert "présentation" in missing.label and "thématiques" in missing.label and "secteurs" in missing.label
    assert missing.url == f"/espace/ambassadeurs/{user.ambassador.pk}/modifier/"
    consent = items["Consentement à la publication à donner, après l’aperçu de votre page publique"]
    assert (consent.count, consent.url) == (1, f"/espace/ambassadeurs/{user.ambassador.pk}/apercu/")
    assert "Ce qui vous attend" in body and "Vos outils" in body
    assert body.index("Ce qui vous attend") < body.index("Vos outils")
    assert f'href="/espace/ambassadeurs/{user.ambassador.pk}/apercu/"' in body


def test_ambassador_with_a_complete_published_profile_is_told_what_next(client, login):
    user = _own(
        published=True,
        topics=["production"],
        sectors=["C"],
        website_url="https://exemple.test/",
        absent_from=None,
    )

    items = _items(user)
    body = login(user).get("/espace/").content.decode()

    assert items["À compléter sur votre profil"].count == 0
    assert items["Votre profil est publié"].count == 0
    assert items["Votre profil est publié"].url == user.ambassador.get_absolute_url()
    assert items["Absence annoncée"].count == 0
    assert "Rien en attente" in body
    assert "Votre profil est complet." in body
    assert "Aucune absence annoncée." in body


def test_consented_profile_waits_for_the_coordination(client):
    user = _own(consented=True)
    assert _items(user)["Profil en attente de publication par la coordination"].count == 1
    user.ambassador.publication_state = PublicationState.UNPUBLISHED
    user.ambassador.save()
    assert _items(user)["Profil retiré de la publication par la coordination"].count == 1


def test_ambassador_absence_is_said_with_its_dates_not_counted_as_work(client, login):
    today = timezone.localdate()
    user = _own(absent_from=today - timedelta(days=2), absent_until=today + timedelta(days=4))

    absence = _items(user)["Absence annoncée"]

    assert absence.count == 0  # not « 5 » things to do
    assert absence.url == "/espace/demandes/disponibilite/"
    assert absence.empty.startswith("Du ")
    assert "aucune demande ne vous est transmise" in absence.empty


def test_a_coming_absence_says_requests_will_not_be_sent():
    today = timezone.localdate()
    user = _own(absent_from=today + timedelta(days=3), absent_until=today + timedelta(days=12))
    absence = _items(user)["Absence annoncée"]
    assert absence.count == 0
    assert "aucune demande ne vous sera transmise" in absence.empty


def test_a_past_absence_is_not_counted():
    today = timezone.localdate()
    user = _own(absent_from=today - timedelta(days=9), absent_until=today - timedelta(days=1))
    assert _items(user)["Absence annoncée"].count == 0


def test_absence_period_reads_in_french():
    from datetime import date

    from ambassadors.selectors import _period

    assert _period(date(2026, 5, 1), date(2026, 5, 15)) == "du 1er au 15 mai 2026"
    assert _period(date(2026, 4, 28), date(2026, 5, 3)) == "du 28 avril au 3 mai 2026"
    assert _period(date(2026, 12, 28), date(2027, 1, 3)) == "du 28 décembre 2026 au 3 janvier 2027"
    assert _period(date(2026, 5, 1), date(2026, 5, 1)) == "le 1er mai 2026"


def test_ended_mandate_has_nothing_awaiting():
    user = _own(mandate_ended_at=timezone.now())
    assert awaiting_for_user(user) == []


# Coordinators: the profiles of their scope to publish, and those without consent.


@pytest.fixture
def profiles():
    """In 84: 2 consented to publish (one draft, one withdrawn), 1 without consent, 1 published, 1 ended.
    In 76: 3 consented, 2 without consent (data that a coordinator of 84 must not count)."""
    AmbassadorFactory(consented=True, regions=["84"])
    AmbassadorFactory(consented=True, regions=["84"], publication_state=PublicationState.UNPUBLISHED)
    AmbassadorFactory(regions=["84"])
    AmbassadorFactory(published=True, regions=["84"])
    AmbassadorFactory(regions=["84"], mandate_ended_at=timezone.now())
    AmbassadorFactory.create_batch(3, consented=True, regions=["76"])
    AmbassadorFactory.create_batch(2, regions=["76"])


@pytest.mark.parametrize(
    ("coordinator", "to_publish", "no_consent"),
    [
        ({"regional": True}, 2, 1),
        ({"regional": True, "region_code": "76"}, 3, 2),
        ({"national": True}, 5, 3),
    ],
    ids=["regional_84", "regional_76", "national"],
)
def test_coordinator_counts_only_their_scope(client, login, profiles, coordinator, to_publish, no_consent):
    code = coordinator.pop("region_code", None)
    if code:
        coordinator["region"] = Region.objects.get(code=code)
    user = UserFactory(**coordinator)

    items = _items(user)
    body = login(user).get("/espace/").content.decode()

    assert items["Profils consentis à publier"].count == to_publish
    assert items["Profils consentis à publier"].url == "/espace/ambassadeurs/?etat=a-publier"
    assert items["Profils sans consentement à la publication"].count == no_consent
    assert (
        items["Profils sans consentement à la publication"].url
        == "/espace/ambassadeurs/?etat=sans-consentement"
    )
    assert 'href="/espace/ambassadeurs/?etat=a-publier"' in body


def test_coordinator_with_nothing_to_publish_reads_what_next(client, login):
    body = login(UserFactory(regional=True)).get("/espace/").content.decode()
    assert "Aucun profil n’attend d’être publié." in body


def test_reviewer_has_no_profile_to_publish(client, login, profiles):
    reviewer = UserFactory(reviewer=True)
    assert awaiting_for_user(reviewer) == []
    assert login(reviewer).get("/espace/").status_code == 200


# The space, whatever the domains that answer.


def late_source(user) -> list[Awaiting]:
    """A stand-in for another domain's ``awaiting_for_user``, as the agenda's or the contact's will be."""
    return [
        Awaiting(label="Demandes sans réponse", count=2, url="/espace/demandes/", empty="", urgent=True),
        Awaiting(label="Événements à modérer", count=0, url="/espace/evenements/", empty="Aucun événement."),
    ]


def test_space_shows_other_domains_items_the_late_first(client, login, monkeypatch):
    monkeypatch.setattr(
        "core.awaiting.SOURCES",
        ["ambassadors.selectors.awaiting_for_user", "tests.accounts.test_dashboard.late_source"],
    )
    AmbassadorFactory(consented=True, regions=["84"])

    body = login(UserFactory(regional=True)).get("/espace/").content.decode()

    assert body.index("Demandes sans réponse") < body.index("Profils consentis à publier")
    assert "En retard" in body
    assert "Aucun événement." in body
    assert body.index("Profils consentis à publier") < body.index("Événements à modérer")


TOOLS = {
    "ambassador": ["/espace/ambassadeurs/", "/espace/mes-donnees/", "/espace/compte/", "/espace/demandes/"],
    "regional": ["/espace/ambassadeurs/", "/espace/candidatures/", "/pilotage/", "/espace/demandes/"],
    "national": ["/espace/journal/", "/espace/appels/", "/espace/evenements/sources/", "/espace/cles-api/"],
}


@pytest.mark.parametrize("role", TOOLS)
def test_space_keeps_every_tool_link(client, login, role):
    user = _own() if role == "ambassador" else UserFactory(**{role: True})
    body = login(user).get("/espace/").content.decode()
    tools = body[body.index("Vos outils") :]
    for prefix in TOOLS[role]:
        assert f'href="{prefix}' in tools, prefix


# Fixed number of queries, for each role, with 1 and with 3 items of each kind.


def test_space_queries_do_not_grow_for_an_ambassador(client, login):
    user = _own(consented=True, bio="", topics=["production"], sectors=["C"])  # 1 piece missing
    client = login(user)
    with_one = _queries(client)
    user.ambassador.job_title = ""
    user.ambassador.website_url = user.ambassador.linkedin_url = ""
    user.ambassador.absent_from = timezone.localdate()
    user.ambassador.absent_until = timezone.localdate() + timedelta(days=3)
    user.ambassador.save()
    user.ambassador.topics.clear()  # 4 pieces missing now, and an absence
    assert _queries(client) == with_one


@pytest.mark.parametrize(
    "role",
    [{"regional": True}, {"national": True}, {"reviewer": True}],
    ids=["regional", "national", "reviewer"],
)
def test_space_queries_do_not_grow_for_a_coordinator_or_reviewer(client, login, role):
    client = login(UserFactory(**role))
    AmbassadorFactory(consented=True, regions=["84"])
    AmbassadorFactory(regions=["84"])
    with_one = _queries(client)
    AmbassadorFactory.create_batch(2, consented=True, regions=["84"], topics=["production", "donnees"])
    AmbassadorFactory.create_batch(2, regions=["84"], sectors=["C", "J"])
    assert _queries(client) == with_one


def test_reviewer_of_bpifrance_sees_the_space(client, login):
    user = UserFactory(
        role=Role.REVIEWER,
        partner_network=PartnerNetwork.objects.get(slug="bpifrance"),
        region=Region.objects.get(code="84"),
    )
    assert login(user).get("/espace/").status_code == 200
