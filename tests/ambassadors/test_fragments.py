"""The directory's results and the cards of the directory, of a region's page and of its embed are cached by the
versions of what they show (ambassadors/views.py, core/fragments.py): a change to a profile, to its links, to a
name it is found or shown by, a new or withdrawn profile, shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassadors import services
from ambassadors.data_rights import ambassador_erase
from ambassadors.models import Topic
from territories.models import Region
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, url="/ambassadeurs/", **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content.decode()


def _tables(queries) -> list[str]:
    return [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries if " FROM " in q["sql"]]


def test_directory_edited_profile_and_its_topics_show_at_once(client):
    ambassador = AmbassadorFactory(published=True, regions=["84"], topics=["production"], last_name="Avant")
    production, donnees = Topic.objects.get(slug="production").name, Topic.objects.get(slug="donnees").name
    body = _page(client)
    assert "Avant" in body and f'fr-card__detail">{production}</p>' in body
    assert "Avant" in _page(client, "/ambassadeurs/?q=avant")

    services.ambassador_update(
        ambassador=ambassador,
        by=UserFactory(national=True),
        data={"last_name": "Après", "topics": Topic.objects.filter(slug="donnees")},
    )

    body = _page(client)
    assert "Après" in body and "Avant" not in body
    assert f'fr-card__detail">{donnees}</p>' in body and f'fr-card__detail">{production}</p>' not in body
    assert "Après" in _page(client, "/ambassadeurs/?q=apres")
    assert "1 ambassadeur trouvé" in _page(client, "/ambassadeurs/?q=apres")
    assert "0 ambassadeur trouvé" in _page(client, "/ambassadeurs/?q=avant")
    assert "1 ambassadeur trouvé" in _page(client, "/ambassadeurs/?thematique=donnees")
    assert "0 ambassadeur trouvé" in _page(client, "/ambassadeurs/?thematique=production")


def test_directory_new_withdrawn_and_erased_profiles_show_at_once(client):
    first = AmbassadorFactory(published=True, regions=["84"], bio="Vision industrielle.")
    assert "1 ambassadeur trouvé" in _page(client, "/ambassadeurs/?q=vision")

    second = AmbassadorFactory(published=True, regions=["84"], bio="Vision par ordinateur.")
    body = _page(client, "/ambassadeurs/?q=vision")
    assert "2 ambassadeurs trouvés" in body and second.last_name in body

    services.ambassador_unpublish(ambassador=second, by=UserFactory(national=True), reason="Fin de mission.")
    body = _page(client, "/ambassadeurs/?q=vision")
    assert "1 ambassadeur trouvé" in body and second.last_name not in body

    ambassador_erase(ambassador=first)
    assert "0 ambassadeur trouvé" in _page(client, "/ambassadeurs/?q=vision")


def test_directory_renamed_topic_is_shown_and_found_at_once(client, django_capture_on_commit_callbacks):
    AmbassadorFactory(published=True, regions=["84"], topics=["production"])
    _page(client)
    assert "0 ambassadeur trouvé" in _page(client, "/ambassadeurs/?q=logistique")

    with django_capture_on_commit_callbacks(execute=True):
        topic = Topic.objects.get(slug="production")
        topic.name = "Production et logistique"
        topic.save()

    assert 'fr-card__detail">Production et logistique</p>' in _page(client)
    assert "1 ambassadeur trouvé" in _page(client, "/ambassadeurs/?q=logistique")


def test_directory_pages_of_a_search_are_kept_apart(client):
    AmbassadorFactory.create_batch(30, published=True, regions=["84"], bio="Robotique collaborative.")
    first = client.get("/ambassadeurs/?q=robotique")
    second = client.get("/ambassadeurs/?q=robotique&page=2")
    again = client.get("/ambassadeurs/?q=robotique&page=2")

    assert len(first.context["ambassadors"]) == 24 and len(second.context["ambassadors"]) == 6
    assert {a.pk for a in first.context["ambassadors"]}.isdisjoint(
        a.pk for a in second.context["ambassadors"]
    )
    assert [a.pk for a in again.context["ambassadors"]] == [a.pk for a in second.context["ambassadors"]]
    assert "page 2 sur 2" in again.content.decode()


def test_directory_cached_search_reads_no_profile(client):
    """Warm, a search asks the database only for the profiles' version: no profile, link or place name."""
    AmbassadorFactory(published=True, regions=["84"], topics=["production"], bio="Maintenance prédictive.")
    _page(client, "/ambassadeurs/?q=maintenance+Rhône")

    with CaptureQueriesContext(connection) as queries:
        body = _page(client, "/ambassadeurs/?q=maintenance+Rhône")

    assert "1 ambassadeur trouvé" in body
    assert len(queries.captured_queries) == 1, _tables(queries)
    assert "ambassadors_ambassador" in queries.captured_queries[0]["sql"]


def test_region_page_and_embed_show_a_changed_profile_at_once(client):
    ambassador = AmbassadorFactory(
        published=True, regions=["84"], kind="grand_public", structure_name="Atelier avant"
    )
    assert "Atelier avant" in _page(client, "/regions/84/")
    assert "Atelier avant" in _page(client, "/regions/84/integration/")

    services.ambassador_update(
        ambassador=ambassador, by=UserFactory(national=True), data={"structure_name": "Atelier après"}
    )

    for url in ("/regions/84/", "/regions/84/integration/"):
        body = _page(client, url)
        assert "Atelier après" in body and "Atelier avant" not in body, url
    services.ambassador_update(
        ambassador=ambassador,
        by=UserFactory(national=True),
        data={"regions": Region.objects.filter(code="76")},
    )
    for url in ("/regions/84/", "/regions/84/integration/"):
        assert "Atelier après" not in _page(client, url), url
    assert "Atelier après" in _page(client, "/regions/76/")


def test_region_page_national_profiles_show_at_once(client):
    AmbassadorFactory(published=True, regions=["84"])
    assert "Ambassadeurs nationaux" not in _page(client, "/regions/84/")

    AmbassadorFactory(published=True, kind="grand_public", is_national=True, last_name="Célèbre")

    body = _page(client, "/regions/84/")
    assert "Ambassadeurs nationaux" in body and "Célèbre" in body


def test_region_embed_links_to_the_address_it_was_asked_at(client):
    """The embed's links are written with the host it was asked at: its cached list is not another host's."""
    ambassador = AmbassadorFactory(published=True, regions=["84"])
    first = _page(client, "/regions/84/integration/", HTTP_HOST="testserver")
    other = _page(client, "/regions/84/integration/", HTTP_HOST="127.0.0.1")

    assert f"http://testserver/ambassadeurs/{ambassador.slug}/" in first
    assert f"http://127.0.0.1/ambassadeurs/{ambassador.slug}/" in other
    assert "http://testserver/" not in other


def test_region_page_cached_reads_no_profile_row(client):
    """Warm, a region's page reads the versions of its cards, not the profiles with their relations."""
    AmbassadorFactory(published=True, regions=["84"], topics=["production"])
    _page(client, "/regions/84/")

    with CaptureQueriesContext(connection) as queries:
        _page(client, "/regions/84/")

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "territories_departement" not in sql and "ambassadors_topic" not in sql, _tables(queries)
    assert '"ambassadors_ambassador"."bio"' not in sql
