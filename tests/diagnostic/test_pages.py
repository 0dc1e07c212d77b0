"""The questionnaire without JavaScript (errors, values kept, back, tampered answers), the anonymous storage with its
version, the result page (events and ambassadors that fit the postcode and sector), the statistics (small groups
hidden)."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnostic import services
from diagnostic.enums import Profile
from diagnostic.models import DiagnosticResult
from diagnostic.scoring import CURRENT, VERSIONS, Scoring
from territories.models import Departement, NafActivity
from tests.agenda.factories import EventFactory, at, in_days
from tests.diagnostic.test_scoring import CHATGPT_A_BIT, NO_ONE_TO_HELP
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.django_db
TOULOUSE = "31555"


def section(code="C"):
    return NafActivity.objects.get(level="section", code=code)


def context(**overrides):
    return {"postcode": "31000", "sector": str(section().pk), "size": "pme"} | overrides


def url(step):
    return "/diagnostic/" if step == 1 else f"/diagnostic/etape-{step}/"


def post_step(client, step, data, **extra):
    return client.post(url(step), {"next": "1", **data}, **extra)


def run_all(client, answers, **ctx):
    data = context(**ctx) | answers
    for step in range(1, 5):
        response = post_step(client, step, data)
        assert (response.status_code, response.url) == (302, url(step + 1))
    return post_step(client, 5, data)


def test_questionnaire_walk_stores_an_anonymous_result_with_its_version(client):
    response = run_all(client, NO_ONE_TO_HELP)

    result = DiagnosticResult.objects.get()
    assert response.status_code == 302
    assert response.url == f"/diagnostic/resultat/{result.token}/"
    assert (result.profile, result.version) == (Profile.BLOQUE, CURRENT.version)
    assert (result.departement_id, result.region_id, result.sector.code, result.size) == (
        "31",
        "76",
        "C",
        "pme",
    )
    assert result.answers == NO_ONE_TO_HELP
    stored = [str(getattr(result, f.attname)) for f in DiagnosticResult._meta.concrete_fields]
    assert not any("31000" in value for value in stored)  # the postcode is not kept


def test_a_page_reached_shows_no_error_before_it_is_answered(client):
    response = post_step(client, 1, context(), follow=True)

    body = response.content.decode()
    assert response.redirect_chain == [("/diagnostic/etape-2/", 302)]
    assert "Étape 2 sur 5" in body
    assert "Choisissez une réponse." not in body and "fr-alert--error" not in body


def test_each_page_shows_progress(client):
    data = context() | CHATGPT_A_BIT
    assert "Étape 1 sur 5" in client.get("/diagnostic/").content.decode()
    for step in range(1, 5):
        assert f"Étape {step + 1} sur 5" in post_step(client, step, data, follow=True).content.decode()


def test_missing_answer_is_400_with_french_message_and_answers_kept(client):
    answers = {k: v for k, v in NO_ONE_TO_HELP.items() if k != "gains"}

    response = post_step(client, 2, context() | answers)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Choisissez une réponse." in body
    assert "<title>Erreur – Autodiagnostic IA" in body
    # The summary links to the question left unanswered, and to it only.
    assert '<li><a href="#id_gains-set">Voyez-vous des gains concrets' in body
    assert 'href="#id_impact-set"' not in body and 'id="id_gains-set"' in body
    assert 'value="3" checked' in body  # impact, answered, still checked
    assert 'name="postcode" value="31000"' in body  # page 1, carried
    assert not DiagnosticResult.objects.exists()


def test_back_shows_previous_page_with_its_values(client):
    response = client.post(url(2), {"back": "1", **context(), **NO_ONE_TO_HELP}, follow=True)

    body = response.content.decode()
    assert response.redirect_chain == [("/diagnostic/", 302)]
    assert "Étape 1 sur 5" in body
    assert 'value="31000"' in body
    assert 'name="impact" value="3"' in body  # page 2's answers travel along, hidden


def test_unknown_postcode_sends_back_to_page_1(client):
    response = post_step(client, 3, context(postcode="99999") | NO_ONE_TO_HELP)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Étape 1 sur 5" in body and "Ce code postal est inconnu" in body


@pytest.mark.parametrize("step", ["x", "", "²", "0", "6", "99999999999999999999", "-1"])
def test_odd_step_addresses_are_404_never_500(client, step):
    assert client.get(f"/diagnostic/etape-{step}/").status_code == 404
    assert client.post(f"/diagnostic/etape-{step}/", context()).status_code == 404


def test_an_odd_step_field_is_ignored(client):
    response = client.post("/diagnostic/", {"step": "²", **context()})

    assert (response.status_code, response.url) == (302, "/diagnostic/etape-2/")


def test_tampered_answer_is_400_not_500(client):
    response = post_step(client, 5, context() | NO_ONE_TO_HELP | {"impact": "7"})

    assert response.status_code == 400
    assert "Étape 2 sur 5" in response.content.decode()
    assert not DiagnosticResult.objects.exists()


def test_stored_result_keeps_its_version_when_the_scoring_changes(client):
    result = services.diagnostic_submit(
        answers=CHATGPT_A_BIT, departement=Departement.objects.get(code="31"), sector=section(), size="pme"
    )
    stricter = Scoring("2099-1", CURRENT.questions, lambda answers, scores: (Profile.SCEPTIQUE, []))
    VERSIONS["2099-1"] = stricter
    try:
        other = services.diagnostic_submit(
            answers=CHATGPT_A_BIT,
            departement=result.departement,
            sector=section(),
            size="pme",
            scoring=stricter,
        )
    finally:
        del VERSIONS["2099-1"]
    result.refresh_from_db()

    assert (result.version, result.profile) == (CURRENT.version, Profile.EXPERIMENTATEUR)
    assert (other.version, other.profile) == ("2099-1", Profile.SCEPTIQUE)
    assert "Votre profil : expérimentateur" in client.get(result.get_absolute_url()).content.decode()


def test_result_stored_with_2026_1_keeps_its_profile_and_reasons_after_2026_2(client):
    # Classified innovateur by 2026-1 (perception counted in strategy), expérimentateur by 2026-2.
    leader = CHATGPT_A_BIT | {"impact": "3", "gains": "2", "ia_generative": "3", "outils": "3", "connaissance": "2",
                              "formation": "1"}  # fmt: skip
    old = services.diagnostic_submit(
        answers=leader, departement=Departement.objects.get(code="31"), sector=section(), size="pme",
        scoring=VERSIONS["2026-1"],
    )  # fmt: skip
    new = services.diagnostic_submit(
        answers=leader, departement=old.departement, sector=section(), size="pme"
    )

    assert (old.version, old.profile, new.version, new.profile) == (
        "2026-1", Profile.INNOVATEUR, "2026-2", Profile.EXPERIMENTATEUR
    )  # fmt: skip
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Votre profil : innovateur" in page
    assert "vous avez une stratégie" in page  # the reasons of the version it was computed with


def test_result_page_shows_events_and_ambassadors_that_fit_postcode_and_sector(client):
    toulouse = EventFactory(title="Café IA à Toulouse", commune_code=TOULOUSE)
    online = EventFactory(title="Webinaire national IA", online=True, region_code="11")
    elsewhere = EventFactory(title="Atelier IA à Lyon")
    past = EventFactory(title="Café IA passé", commune_code=TOULOUSE, starts_at=at(in_days(-10), 14))
    cancelled = EventFactory(title="Café IA annulé", commune_code=TOULOUSE, status="cancelled")
    industry = AmbassadorFactory(published=True, regions=["76"], sectors=["C"], last_name="Zindustrie")
    other_sector = AmbassadorFactory(published=True, regions=["76"], sectors=["I"], last_name="Arestauration")
    other_region = AmbassadorFactory(published=True, regions=["84"], sectors=["C"], last_name="Lyonnaise")
    hidden = AmbassadorFactory(regions=["76"], sectors=["C"], last_name="Nonpubliee")
    run_all(client, NO_ONE_TO_HELP)
    result = DiagnosticResult.objects.get()

    response = client.get(result.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"  # the answers are kept by no cache
    assert f"http://testserver{result.get_absolute_url()}" in body  # the address to keep, also on paper
    assert body.index(toulouse.title) < body.index(online.title)  # département first, then online
    assert elsewhere.title not in body and past.title not in body and cancelled.title not in body
    assert body.index(industry.last_name) < body.index(other_sector.last_name)  # their sector first
    assert f"/ambassadeurs/{industry.slug}/contact/" in body
    assert other_region.last_name not in body and hidden.last_name not in body
    assert "Votre profil : bloqué" in body
    for label in ("Stratégie", "Données", "Compétences", "Usages", "Moyens et accompagnement"):
        assert label in body
    assert '<meter min="0" max="100"' in body
    assert body.count('<li class="fr-mb-2w"><strong>') in range(3, 6)  # three to five next steps


def test_result_page_query_count_is_fixed(client):
    EventFactory(commune_code=TOULOUSE)
    AmbassadorFactory(published=True, regions=["76"], sectors=["C"])
    run_all(client, NO_ONE_TO_HELP)
    result = DiagnosticResult.objects.get()
    with CaptureQueriesContext(connection) as few:
        client.get(result.get_absolute_url())
    for n in range(4):
        EventFactory(commune_code=TOULOUSE, title=f"Événement {n}")
        AmbassadorFactory(published=True, regions=["76"], sectors=["C"], topics=["production"])
    with CaptureQueriesContext(connection) as many:
        client.get(result.get_absolute_url())
    assert len(many.captured_queries) == len(few.captured_queries) == 4  # the same on SQLite and PostgreSQL


def test_unknown_result_token_is_404(client):
    assert client.get("/diagnostic/resultat/" + "a" * 43 + "/").status_code == 404
    assert client.get("/diagnostic/resultat/%00/").status_code == 404


def _results(n, *, departement="31", sector="C", size="pme", answers=NO_ONE_TO_HELP):
    for _ in range(n):
        services.diagnostic_submit(
            answers=answers,
            departement=Departement.objects.get(code=departement),
            sector=section(sector),
            size=size,
        )


def test_statistics_with_fewer_than_10_results_overall_show_no_shares(client):
    _results(3)

    stats = client.get("/diagnostic/statistiques/").context["stats"]

    assert stats["total"] == 3 and stats["overall"] is None


def test_postcode_of_two_departements_asks_which_one_and_keeps_the_answer(client):
    # 05110 serves communes of the Hautes-Alpes (05) and of the Alpes-de-Haute-Provence (04).
    first = post_step(client, 1, context(postcode="05110"))

    body = first.content.decode()
    assert first.status_code == 400 and "Étape 1 sur 5" in body
    assert "Choisissez le département de l’entreprise." in body
    assert 'value="04"' in body and 'value="05"' in body
    data = context(postcode="05110", departement="04") | CHATGPT_A_BIT
    for step in range(1, 5):
        assert post_step(client, step, data).status_code == 302
    post_step(client, 5, data)

    result = DiagnosticResult.objects.get()
    assert (result.departement_id, result.region_id) == ("04", "93")


def test_a_departement_carried_from_an_earlier_postcode_is_ignored(client):
    data = context(postcode="31000", departement="04") | CHATGPT_A_BIT

    assert run_all(client, CHATGPT_A_BIT, postcode="31000", departement="04").status_code == 302
    assert DiagnosticResult.objects.get().departement_id == "31"
    page_1 = client.post(url(2), {"back": "1", **data}, follow=True).content.decode()
    assert "Étape 1 sur 5" in page_1 and "Département de l’entreprise" not in page_1


def test_too_many_results_from_one_address_is_429_with_the_answers_kept(client, settings):
    settings.RATE_LIMITS = {"diagnostic-ip": (2, 3600)}
    assert run_all(client, CHATGPT_A_BIT).status_code == 302
    client.get("/diagnostic/?nouveau")  # a new diagnostic, even with the same answers, is a new result
    assert run_all(client, CHATGPT_A_BIT).status_code == 302

    third = post_step(client, 5, context() | NO_ONE_TO_HELP)

    body = third.content.decode()
    assert third.status_code == 429
    assert "Trop d’autodiagnostics envoyés depuis votre connexion" in body
    assert "<title>Erreur – " in body and "Étape 5 sur 5" in body
    assert 'name="impact" value="3"' in body and 'value="31000"' in body  # nothing lost
    assert DiagnosticResult.objects.count() == 2
    # Another address is not held back.
    other = {"next": "1", **context(), **NO_ONE_TO_HELP}
    assert client.post(url(5), other, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_each_page_has_its_address_and_keeps_what_was_typed_when_reached_again(client):
    """Post/redirect/get: Back (a GET of the previous address) shows the page with its answers, from the session."""
    data = context() | NO_ONE_TO_HELP
    post_step(client, 1, data)
    post_step(client, 2, data)

    page_1 = client.get(url(1)).content.decode()
    page_2 = client.get(url(2)).content.decode()

    assert "Étape 1 sur 5" in page_1 and 'name="postcode" value="31000"' in page_1
    assert "Étape 2 sur 5" in page_2 and 'value="3" checked' in page_2  # impact, as answered
    assert not DiagnosticResult.objects.exists()


def test_a_page_reached_by_its_address_before_the_earlier_ones_sends_to_the_first_unanswered(client):
    post_step(client, 1, context())

    assert client.get(url(4)).url == url(2)
    assert client.get(url(2)).status_code == 200


def test_result_sent_again_after_back_is_the_same_result_not_a_second_one(client):
    first = run_all(client, NO_ONE_TO_HELP)

    again = post_step(client, 5, context() | NO_ONE_TO_HELP)
    changed = post_step(client, 5, context(size="tpe") | NO_ONE_TO_HELP)

    assert again.url == first.url
    assert changed.url != first.url
    assert DiagnosticResult.objects.count() == 2


def test_new_diagnostic_starts_with_nothing(client):
    post_step(client, 1, context())

    client.get("/diagnostic/?nouveau")

    assert 'value="31000"' not in client.get(url(1)).content.decode()
    assert client.get(url(2)).url == url(1)


def test_result_lists_local_events_soonest_first_then_online_ones_of_other_regions(client):
    online_soon = EventFactory(
        title="Webinaire demain", online=True, region_code="11", starts_at=at(in_days(1), 10)
    )
    hybrid = EventFactory(
        title="Conférence hybride", mode="hybrid", region_code="84", starts_at=at(in_days(2), 10)
    )
    region_soon = EventFactory(
        title="Atelier à Montpellier", commune_code="34172", starts_at=at(in_days(3), 10)
    )
    here_later = EventFactory(title="Café IA à Toulouse", commune_code=TOULOUSE, starts_at=at(in_days(9), 10))
    result = services.diagnostic_submit(
        answers=NO_ONE_TO_HELP, departement=Departement.objects.get(code="31"), sector=section(), size="pme"
    )

    body = client.get(result.get_absolute_url()).content.decode()

    order = [region_soon, here_later, online_soon, hybrid]
    assert [body.index(e.title) for e in order] == sorted(body.index(e.title) for e in order)


def test_result_contact_links_prefill_the_contact_form_like_the_finder(client):
    ambassador = AmbassadorFactory(published=True, regions=["76"], sectors=["C"])
    result = services.diagnostic_submit(
        answers=NO_ONE_TO_HELP, departement=Departement.objects.get(code="31"), sector=section(), size="pme"
    )
    body = client.get(result.get_absolute_url()).content.decode()
    link = re.search(rf'href="(/ambassadeurs/{ambassador.slug}/contact/\?[^"]+)"', body).group(1)

    form = client.get(html.unescape(link)).content.decode()

    assert re.search(r'value="pme"[^>]*checked', form)
    assert f'<option value="{section().pk}" selected>' in form
    assert "mon entreprise a le profil «\u00a0bloqué\u00a0»" in form
