"""Reviews (score, recommendation, comment; each reviewer sees the others' once they gave their own), the scope of
each role (list, URL, export), the queue's counts and filters, and the management of calls."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassadors.models import PartnerNetwork
from core.models import AuditEntry
from recruitment import selectors, services
from recruitment.enums import ApplicationState as S
from recruitment.models import Call, Review
from territories.models import Region
from tests.factories import ApplicationFactory, CallFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def occitanie_application(**kwargs):
    return ApplicationFactory(region_id="76", departements=["31"], postcode="31000", **kwargs)


@pytest.fixture
def scene(bpifrance):
    """One application proposed by the CCI in 84, one proposed by Bpifrance in 76, one CCI in 76."""
    return {
        "cci_84": ApplicationFactory(last_name="Lyonnaisecci"),
        "bpi_76": occitanie_application(last_name="Toulousainebpi", proposing_network=bpifrance),
        "cci_76": occitanie_application(last_name="Toulousainecci"),
    }


def csv_rows(response):
    """The back office's CSV as a French spreadsheet reads it (core.exports): a byte order mark, « ; »."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def queue_names(client, query=""):
    response = client.get(f"/espace/candidatures/{query}")
    assert response.status_code == 200
    body = response.content.decode()
    return body, {name for name in ("Lyonnaisecci", "Toulousainebpi", "Toulousainecci") if name in body}


# Reviews


def test_review_records_score_recommendation_comment_and_starts_review(client):
    application = ApplicationFactory()
    reviewer = UserFactory(reviewer=True)
    client.force_login(reviewer)
    response = client.post(
        f"/espace/candidatures/{application.pk}/avis/",
        {"score": "4", "recommendation": "designate", "comment": "Très bon profil."},
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.reviewer, review.score, review.recommendation, review.comment) == (
        reviewer,
        4,
        "designate",
        "Très bon profil.",
    )
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert AuditEntry.objects.filter(action="review.create", object_id=str(application.pk)).exists()
    assert AuditEntry.objects.filter(
        action="application.under_review", object_id=str(application.pk)
    ).exists()


@pytest.mark.parametrize("score", ["0", "6", ""])
def test_review_score_outside_1_to_5_is_refused(client, score):
    application = ApplicationFactory()
    client.force_login(UserFactory(reviewer=True))
    response = client.post(
        f"/espace/candidatures/{application.pk}/avis/",
        {"score": score, "recommendation": "designate", "comment": "Bien."},
    )
    assert response.status_code == 400
    assert not Review.objects.exists()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_review_second_time_updates_the_same_review():
    application = ApplicationFactory()
    reviewer = UserFactory(reviewer=True)
    services.review_save(
        application=application, by=reviewer, score=2, recommendation="discuss", comment="À voir."
    )
    services.review_save(
        application=application, by=reviewer, score=5, recommendation="designate", comment="Oui."
    )
    review = Review.objects.get()
    assert (review.score, review.recommendation, review.comment) == (5, "designate", "Oui.")
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.version == 2
    assert list(
        AuditEntry.objects.filter(object_id=str(application.pk), action__startswith="review.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["review.create", "review.update"]


def test_review_after_decision_is_refused(national):
    application = ApplicationFactory(state=S.DECLINED)
    with pytest.raises(services.RecruitmentError):
        services.review_save(
            application=application,
            by=UserFactory(reviewer=True),
            score=3,
            recommendation="decline",
            comment=".",
        )
    assert not Review.objects.exists()


def test_reviewer_sees_other_reviews_only_after_giving_own(client):
    application = ApplicationFactory(under_review=True)
    ReviewFactory(application=application, comment="Commentaire secret du premier relecteur.")
    reviewer = UserFactory(reviewer=True)
    client.force_login(reviewer)
    url = f"/espace/candidatures/{application.pk}/"

    body = client.get(url).content.decode()
    assert "Avis (1)" in body
    assert "Commentaire secret du premier relecteur." not in body
    assert "s’afficheront quand vous aurez donné le vôtre" in body
    assert "Donner mon avis" in body

    client.post(
        f"{url}avis/", {"score": "3", "recommendation": "discuss", "comment": "Mon propre avis nuancé."}
    )
    body = client.get(url).content.decode()
    assert "Avis (2)" in body
    assert "Commentaire secret du premier relecteur." in body
    assert "Mon propre avis nuancé." in body
    assert "Modifier mon avis" in body


def test_coordinator_sees_all_reviews_without_giving_one(client):
    application = ApplicationFactory(under_review=True)
    ReviewFactory(application=application, comment="Avis du premier.", reviewer=UserFactory(reviewer=True))
    ReviewFactory(application=application, comment="Avis du second.", reviewer=UserFactory(reviewer=True))
    client.force_login(UserFactory(regional=True))
    body = client.get(f"/espace/candidatures/{application.pk}/").content.decode()
    assert "Avis (2)" in body
    assert "Avis du premier." in body
    assert "Avis du second." in body


# Scope: list, URL, export


def test_cci_reviewer_sees_only_cci_applications_in_queue(client, scene):
    client.force_login(UserFactory(reviewer=True))
    _, names = queue_names(client)
    assert names == {"Lyonnaisecci", "Toulousainecci"}


def test_cci_reviewer_gets_404_on_other_network_application(client, scene):
    client.force_login(UserFactory(reviewer=True))
    pk = scene["bpi_76"].pk
    assert client.get(f"/espace/candidatures/{pk}/").status_code == 404
    review = client.post(
        f"/espace/candidatures/{pk}/avis/", {"score": "5", "recommendation": "designate", "comment": "x"}
    )
    assert review.status_code == 404
    decision = client.post(
        f"/espace/candidatures/{pk}/decision/", {"action": "decline", "reason": "x", "version": "1"}
    )
    assert decision.status_code == 404
    assert not Review.objects.exists()
    scene["bpi_76"].refresh_from_db()
    assert scene["bpi_76"].state == S.SUBMITTED
    assert client.get(f"/espace/candidatures/{scene['cci_84'].pk}/").status_code == 200


def test_cci_reviewer_export_contains_only_cci_applications(client, scene, cci, bpifrance):
    client.force_login(UserFactory(reviewer=True))
    response = client.get("/espace/candidatures/export.csv")
    rows = csv_rows(response)
    assert sorted(r["nom"] for r in rows) == ["Lyonnaisecci", "Toulousainecci"]
    assert {r["reseau"] for r in rows} == {cci.name}
    assert "Toulousainebpi" not in response.content.decode()
    assert scene["bpi_76"].email not in response.content.decode()
    # Filters cannot widen the scope.
    rows = csv_rows(client.get("/espace/candidatures/export.csv?network=bpifrance"))
    assert rows == []


def test_reviewer_with_region_sees_only_their_region(client, scene):
    client.force_login(UserFactory(reviewer=True, region=Region.objects.get(code="84")))
    _, names = queue_names(client)
    assert names == {"Lyonnaisecci"}
    assert client.get(f"/espace/candidatures/{scene['cci_76'].pk}/").status_code == 404
    rows = csv_rows(client.get("/espace/candidatures/export.csv"))
    assert [r["nom"] for r in rows] == ["Lyonnaisecci"]


def test_bpifrance_reviewer_sees_only_bpifrance(client, scene, bpifrance):
    client.force_login(UserFactory(reviewer=True, partner_network=bpifrance))
    _, names = queue_names(client)
    assert names == {"Toulousainebpi"}
    assert client.get(f"/espace/candidatures/{scene['cci_84'].pk}/").status_code == 404


def test_regional_coordinator_sees_only_their_region(client, scene):
    client.force_login(UserFactory(regional=True, region=Region.objects.get(code="76")))
    _, names = queue_names(client)
    assert names == {"Toulousainebpi", "Toulousainecci"}
    assert client.get(f"/espace/candidatures/{scene['cci_84'].pk}/").status_code == 404
    rows = csv_rows(client.get("/espace/candidatures/export.csv"))
    assert sorted(r["nom"] for r in rows) == ["Toulousainebpi", "Toulousainecci"]


def test_national_coordinator_sees_everything(client, scene, national):
    client.force_login(national)
    _, names = queue_names(client)
    assert names == {"Lyonnaisecci", "Toulousainebpi", "Toulousainecci"}
    assert len(csv_rows(client.get("/espace/candidatures/export.csv"))) == 3


def test_ambassador_account_is_403_on_queue_and_export(client, scene):
    client.force_login(UserFactory())
    assert client.get("/espace/candidatures/").status_code == 403
    assert client.get("/espace/candidatures/export.csv").status_code == 403
    assert client.get(f"/espace/candidatures/{scene['cci_84'].pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/espace/candidatures/",
        "/espace/candidatures/export.csv",
        "/espace/candidatures/{pk}/",
        "/espace/appels/",
        "/espace/appels/nouveau/",
    ],
)
def test_anonymous_is_redirected_to_login(client, url):
    application = ApplicationFactory()
    response = client.get(url.format(pk=application.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_export_columns_and_values(client, national):
    application = ApplicationFactory(last_name="Exportée", departements=["69", "38"], sectors=["C", "J"])
    ReviewFactory(application=application, score=4)
    ReviewFactory(application=application, score=5)
    client.force_login(national)
    response = client.get("/espace/candidatures/export.csv")
    assert 'filename="candidatures.csv"' in response["Content-Disposition"]
    [row] = csv_rows(response)
    assert row["nom"] == "Exportée"
    assert row["departements"] == "38;69"
    assert row["secteurs"] == "C;J"
    assert row["nombre_avis"] == "2"
    assert row["note_moyenne"] == "4,5"


def test_reviewer_export_hides_others_scores_until_own_review(client):
    application = ApplicationFactory(under_review=True, last_name="Notée")
    ReviewFactory(application=application, score=1, reviewer=UserFactory(reviewer=True))
    reviewer = UserFactory(reviewer=True)
    client.force_login(reviewer)

    [row] = csv_rows(client.get("/espace/candidatures/export.csv"))
    assert row["nombre_avis"] == "1"  # the count shows on the page too ("Avis (1)")
    assert row["note_moyenne"] == ""

    ReviewFactory(application=application, score=5, reviewer=reviewer)
    [row] = csv_rows(client.get("/espace/candidatures/export.csv"))
    assert row["nombre_avis"] == "2"
    assert row["note_moyenne"] == "3,0"


def test_coordinator_export_shows_scores_without_own_review(client):
    application = ApplicationFactory(under_review=True)
    ReviewFactory(application=application, score=2, reviewer=UserFactory(reviewer=True))
    client.force_login(UserFactory(regional=True))
    [row] = csv_rows(client.get("/espace/candidatures/export.csv"))
    assert row["note_moyenne"] == "2,0"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?state=inconnu", "État"),
        ("?region=99", "Région"),
        ("?network=nulle-part", "Réseau"),
        ("?call=%C2%B2", "Appel"),
        ("?call=99999999999999999999999", "Appel"),
    ],
)
def test_export_with_invalid_filter_is_a_french_400(client, national, query, field):
    ApplicationFactory(last_name="Jamaisexportée")
    client.force_login(national)
    page = client.get(f"/espace/candidatures/{query}")
    assert page.status_code == 400
    response = client.get(f"/espace/candidatures/export.csv{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Filtre invalide, l’export n’a pas été produit." in body
    assert f"{field} : " in body
    assert "Jamaisexportée" not in body


# Counts and filters


def test_state_counts_per_state():
    ApplicationFactory.create_batch(2)
    ApplicationFactory(under_review=True)
    ApplicationFactory(state=S.DECLINED)
    counts = selectors.state_counts(selectors.applications_for_user(UserFactory(national=True)))
    assert counts == {
        S.SUBMITTED: 2,
        S.UNDER_REVIEW: 1,
        S.CORRECTION_REQUESTED: 0,
        S.DESIGNATED: 0,
        S.DECLINED: 1,
        S.INELIGIBLE: 0,
        S.WITHDRAWN: 0,
    }


def test_queue_shows_counts_of_scope_only(client, scene):
    scene["cci_84"].state = S.UNDER_REVIEW
    scene["cci_84"].save()
    client.force_login(UserFactory(reviewer=True))
    body, _ = queue_names(client)
    assert "Déposée : 1" in body  # cci_76 ; bpi_76 is not counted
    assert "En cours d’examen : 1" in body
    assert "Non retenue : 0" in body


def test_queue_state_filter(client, scene, national):
    scene["cci_84"].state = S.UNDER_REVIEW
    scene["cci_84"].save()
    client.force_login(national)
    _, names = queue_names(client, f"?state={S.UNDER_REVIEW}")
    assert names == {"Lyonnaisecci"}


def test_queue_missing_my_review_filter(client, scene):
    reviewer = UserFactory(reviewer=True)
    services.review_save(
        application=scene["cci_84"], by=reviewer, score=4, recommendation="designate", comment="Bien."
    )
    client.force_login(reviewer)
    body, names = queue_names(client, "?missing_mine=on")
    assert names == {"Toulousainecci"}
    body, names = queue_names(client)
    assert names == {"Lyonnaisecci", "Toulousainecci"}
    assert "Donné" in body and "Manquant" in body


def test_queue_missing_my_review_excludes_decided(client):
    ApplicationFactory(state=S.DECLINED, last_name="Lyonnaisecci")
    client.force_login(UserFactory(reviewer=True))
    _, names = queue_names(client, "?missing_mine=on")
    assert names == set()


# Query counts


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def _add(n):
    call = Call.objects.first() or CallFactory()
    for _ in range(n):
        application = ApplicationFactory(
            call=call,
            reviewed=True,
            departements=["69", "38"],
            sectors=["C", "J"],
            topics=["production", "donnees"],
        )
        ReviewFactory(application=application, reviewer=UserFactory(reviewer=True))


@pytest.mark.parametrize("url", ["/espace/candidatures/", "/espace/candidatures/export.csv"])
@pytest.mark.parametrize("role", ["national", "reviewer"])
def test_queue_and_export_query_count_does_not_grow(client, url, role):
    _add(1)
    user = UserFactory(national=True) if role == "national" else UserFactory(reviewer=True)
    client.force_login(user)
    with_one, response = _count(client, url)
    _add(3)
    with_four, response = _count(client, url)
    if url.endswith(".csv"):
        assert len(csv_rows(response)) == 4
    else:
        assert "4 candidatures" in response.content.decode()
    assert with_one == with_four, f"{url}: {with_one} queries with 1 application, {with_four} with 4"


def test_detail_query_count_does_not_grow_with_reviews(client, bpifrance):
    application = ApplicationFactory(under_review=True, departements=["69", "38"], sectors=["C", "J"])
    networks = [bpifrance, *PartnerNetwork.objects.exclude(pk=bpifrance.pk)[:3]]

    def add_review(network):
        reviewer = UserFactory(reviewer=True, partner_network=network)
        ReviewFactory(application=application, reviewer=reviewer, comment=f"Avis du réseau {network.name}.")

    add_review(networks[0])
    client.force_login(UserFactory(national=True))
    url = f"/espace/candidatures/{application.pk}/"
    with_one, _ = _count(client, url)
    for network in networks[1:]:
        add_review(network)
    with_four, response = _count(client, url)
    body = response.content.decode()
    assert "Avis (4)" in body
    for network in networks:
        assert f" – {network.name}</h3>" in body
    assert with_one == with_four, f"{url}: {with_one} queries with 1 review, {with_four} with 4"


# Calls


def test_national_coordinator_manages_calls(client, national):
    call = CallFactory(title="AMI existant")
    client.force_login(national)
    response = client.get("/espace/appels/")
    assert response.status_code == 200
    assert "AMI existant" in response.content.decode()
    assert client.get("/espace/appels/nouveau/").status_code == 200
    assert client.get(f"/espace/appels/{call.pk}/").status_code == 200


def test_national_coordinator_creates_call_with_question_in_paris_time(client, national):
    client.force_login(national)
    response = client.post(
        "/espace/appels/nouveau/",
        {
            "title": "AMI printemps 2026",
            "slug": "ami-printemps-2026",
            "text": "Deuxième appel.",
            "opens_at": "2026-03-01T00:00:00",
            "closes_at": "2026-03-31T23:59:59",
            "regions": ["84", "76"],
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-label": "Quel projet d’IA avez-vous mené ?",
            "questions-0-help_text": "En quelques lignes.",
            "questions-0-required": "on",
            "questions-0-order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()
    call = Call.objects.get(slug="ami-printemps-2026")
    # Paris is on winter time on 1 March (UTC+1) and on summer time on 31 March 2026 (UTC+2).
    assert call.opens_at == datetime(2026, 2, 28, 23, 0, 0, tzinfo=UTC)
    assert call.closes_at == datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC)
    assert sorted(r.code for r in call.regions.all()) == ["76", "84"]
    [question] = call.questions.all()
    assert (question.label, question.required, question.order) == (
        "Quel projet d’IA avez-vous mené ?",
        True,
        1,
    )
    assert AuditEntry.objects.filter(action="call.create", object_id=str(call.pk), actor=national).exists()

    # Shown back in Paris time.
    body = client.get(f"/espace/appels/{call.pk}/").content.decode()
    assert 'value="2026-03-31T23:59:59"' in body


def test_call_closing_before_opening_is_refused(client, national):
    client.force_login(national)
    response = client.post(
        "/espace/appels/nouveau/",
        {
            "title": "AMI à l’envers",
            "slug": "ami-envers",
            "text": "x",
            "opens_at": "2026-03-31T00:00:00",
            "closes_at": "2026-03-01T00:00:00",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 400
    assert "La clôture doit être postérieure à l’ouverture." in response.content.decode()
    assert not Call.objects.filter(slug="ami-envers").exists()


@pytest.mark.parametrize("role", ["regional", "reviewer", "ambassador"])
def test_other_roles_get_403_on_calls(client, role):
    call = CallFactory()
    user = {
        "regional": lambda: UserFactory(regional=True),
        "reviewer": lambda: UserFactory(reviewer=True),
        "ambassador": lambda: UserFactory(),
    }[role]()
    client.force_login(user)
    assert client.get("/espace/appels/").status_code == 403
    assert client.get("/espace/appels/nouveau/").status_code == 403
    assert client.get(f"/espace/appels/{call.pk}/").status_code == 403
    response = client.post(
        "/espace/appels/nouveau/",
        {
            "title": "Pirate",
            "slug": "pirate",
            "text": "x",
            "opens_at": "2026-03-01T00:00:00",
            "closes_at": "2026-03-31T23:59:59",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    assert not Call.objects.filter(slug="pirate").exists()


def test_two_reviewers_giving_first_opinions_at_once_both_are_kept():
    application = ApplicationFactory()
    seen_by_first = type(application).objects.get(pk=application.pk)
    seen_by_second = type(application).objects.get(pk=application.pk)
    first, second = UserFactory(reviewer=True), UserFactory(reviewer=True)
    services.review_save(
        application=seen_by_first, by=first, score=4, recommendation="designate", comment="Oui."
    )
    services.review_save(
        application=seen_by_second, by=second, score=2, recommendation="discuss", comment="Bof."
    )
    assert sorted(application.reviews.values_list("score", flat=True)) == [2, 4]
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert (
        AuditEntry.objects.filter(action="application.under_review", object_id=str(application.pk)).count()
        == 1
    )


def test_review_on_stale_copy_of_decided_application_is_refused(national):
    application = ApplicationFactory()
    stale = type(application).objects.get(pk=application.pk)
    services.application_transition(
        application=application, action="rule_ineligible", by=national, reason="Hors champ."
    )
    with pytest.raises(services.RecruitmentError) as exc:
        services.review_save(
            application=stale, by=UserFactory(reviewer=True), score=3, recommendation="decline", comment="."
        )
    assert "avis sont clos" in str(exc.value)
    assert not Review.objects.exists()
