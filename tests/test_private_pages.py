"""Pages behind a login carry personal data: no cache may keep them (``Cache-Control: private, no-store``), neither
a shared proxy nor the browser's history. Checked on the pages the attack listed, with data, and on every URL
pattern of the project that is behind a login, so a new back-office page cannot forget it."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.services import audit_log
from tests.agenda.factories import EventFactory
from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_private(response):
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache_control, (response.request["PATH_INFO"], cache_control)
    assert "public" not in cache_control


@pytest.fixture
def data():
    ambassador = AmbassadorFactory(consented=True, regions=["84"])
    audit_log(actor=None, action="ambassador.edit", obj=ambassador, changes={"bio": "x"})
    application = ApplicationFactory(region_id="84")
    request = CompanyRequestFactory(
        ambassador=AmbassadorFactory(published=True, regions=["84"]), region_id="84"
    )
    event = EventFactory()
    return {"ambassador": ambassador, "application": application, "request": request, "event": event}


def test_back_office_pages_are_private_and_not_stored(client, data):
    client.force_login(UserFactory(national=True))
    a, app, req, ev = data["ambassador"].pk, data["application"].pk, data["request"].pk, data["event"].pk
    paths = [
        "/espace/",
        "/espace/journal/",
        f"/espace/candidatures/{app}/",
        "/espace/candidatures/export.csv",
        "/espace/candidatures/",
        f"/espace/demandes/{req}/",
        f"/espace/ambassadeurs/{a}/",
        f"/espace/ambassadeurs/{a}/modifier/",
        f"/espace/evenements/{ev}/",
        "/pilotage/",
        "/espace/cles-api/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_private(response)


def test_ambassador_inbox_is_private(client, data):
    ambassador = data["request"].ambassador
    ambassador.user = UserFactory()
    ambassador.save()
    client.force_login(ambassador.user)
    response = client.get(f"/espace/demandes/{data['request'].pk}/")
    assert response.status_code == 200
    assert_private(response)


def test_public_page_seen_signed_in_is_private(client, data):
    # The header names the signed-in person: a shared cache must not hand that page to the next visitor.
    client.force_login(UserFactory(national=True))
    assert_private(client.get("/"))
    assert_private(client.get("/donnees/ambassadeurs.csv"))


def test_public_page_for_an_anonymous_visitor_stays_cacheable(client, data):
    response = client.get("/donnees/ambassadeurs.csv")
    assert response["Cache-Control"] == "public, max-age=30"


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _sample_path(route: str) -> str:
    """A concrete path for a route: every parameter gets a value of the right shape (an object that does not
    exist: the 404 answered behind the login must be private too)."""
    route = route.lstrip("^").rstrip("$")
    samples = {"int": "999999", "id": "999999", "token": "x" * 32, "region_code": "84", "slug": "inexistant"}
    route = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: samples.get(m.group(1) or "", "inexistant"), route)
    return "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "2026-12", route)


def test_every_page_behind_a_login_is_private(client):
    client.force_login(UserFactory(national=True))
    behind_login = sorted(
        {
            _sample_path(route)
            for route, callback in _patterns(get_resolver().url_patterns)
            if getattr(callback, "login_required", True)
        }
    )
    assert "/espace/" in behind_login and "/pilotage/" in behind_login
    for path in behind_login:
        assert_private(client.get(path))


def test_partner_api_answers_are_private(client):
    # Its unpublished events and refusal reasons: never in a shared cache, whatever the answer.
    from tests.api.conftest import issue_key

    key = issue_key(UserFactory(national=True), "CCI Occitanie", "agenda@cci-occitanie.test", ["76"])
    assert_private(client.get("/api/v1/partenaires/evenements", HTTP_AUTHORIZATION=f"Bearer {key.raw}"))
    assert_private(client.get("/api/v1/partenaires/evenements", HTTP_X_API_KEY=key.raw))
    assert_private(client.get("/api/v1/partenaires/evenements", HTTP_AUTHORIZATION="Bearer faux"))


def test_view_behind_a_login_is_private_even_without_a_session_cookie(rf):
    # A person signed in some other way than the session cookie (a proxy's single sign-on, a test client): the
    # view's own marking decides.
    from django.http import HttpResponse

    from core.middleware import PrivatePagesMiddleware

    def back_office_view(request):
        return HttpResponse("données")

    def public_view(request):
        return HttpResponse("page publique")

    public_view.login_required = False
    middleware = PrivatePagesMiddleware(lambda request: request.view(request))
    answers = {}
    for view in (back_office_view, public_view):
        request = rf.get("/")
        request.view = view
        middleware.process_view(request, view, (), {})
        answers[view.__name__] = middleware(request).get("Cache-Control", "")
    assert "no-store" in answers["back_office_view"]
    assert answers["public_view"] == ""
