"""Public pages are the same bytes for every anonymous visitor, and any cache may keep them for a minute: no
session read (no ``Vary: Cookie``), no cookie set, ``Cache-Control: public, max-age=30`` (two caches in a row: a change within 60 s), a validator (ETag or
Last-Modified) answered with a 304. The list of pages is built from the URLconf: every view marked
``login_not_required`` is either checked as public here or named below with the reason it is not, so a new public
page cannot be forgotten. Private pages (secret addresses, the back office, a signed-in visitor) are never public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.agenda.factories import EventFactory
from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

# Public views that are not cacheable pages, and why. Secret addresses (a <token> or <uidb64> in the route) are
# checked apart: always private, no-store.
NOT_CACHEABLE = {
    "core:health": "the health check answers the state of the moment, never from a cache",
    "ambassadors:erasure_requested": "confirms a person's erasure request: never stored",
    "accounts:login": "a POST form (CSRF token)",
    "accounts:logout": "POST only",
    "accounts:password_link": "a POST form (CSRF token)",
    "accounts:proconnect_login": "starts a ProConnect login: a redirect with this visitor's state and nonce",
    "accounts:proconnect_callback": "ProConnect's answer to this visitor's login (code and state): never stored",
    "accounts:proconnect_logged_out": "the return from ProConnect's logout (this visitor's state): never stored",
    "accounts:password_link_sent": "follows a form; says an email was sent",
    "recruitment:ami": "the application form (CSRF token)",
    "recruitment:ami_sent": "follows a form",
    "recruitment:erased": "follows a form",
    "contact:find": "its address carries the company's need (the question typed): never stored",
    "contact:contact": "the contact form (CSRF token)",
    "contact:sent": "follows a form",
    "diagnostic:questionnaire": "the questionnaire (a POST form, a draft in the session)",
    "diagnostic:step": "a step of the questionnaire (a POST form, a draft in the session)",
    "api:partner_events": "a partner's API, behind its key",
    "api:partner_event_create": "a partner's API, behind its key",
    "api:partner_event_update": "a partner's API, behind its key",
    "api:api-root": "the same address as api:index",
    "api:": "the API's catch-all, a 404",
    "territories:postcode_lookup": "reference data (postcodes), cached a day on purpose",
    "territories:address_suggestions": "needs « q » (without it a 400); public for 30 s like any page, tested apart",
}

SECRET_PARAMETERS = {"token", "uidb64"}
SITE_ABSENT = {"ambassador": "inexistant", "event": "inexistant"}


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _patterns(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name or ''}", entry.callback


def _public_routes():
    return [
        (route, name)
        for route, name, callback in _patterns(get_resolver().url_patterns)
        if not getattr(callback, "login_required", True)
    ]


def _parameters(route: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))


@pytest.fixture
def site():
    ambassador = AmbassadorFactory(published=True, regions=["84"])
    event = EventFactory(ambassadors=[ambassador])
    return {"ambassador": ambassador.slug, "event": event.slug}


def _path(route: str, name: str, site: dict, **extra: str) -> str:
    values = {
        "ambassadors:detail": {"slug": site["ambassador"]},
        "agenda:detail": {"slug": site["event"]},
        "agenda:event_ics": {"slug": site["event"]},
        "api:ambassador": {"identifiant": site["ambassador"]},
        "api:event": {"identifiant": site["event"]},
    }.get(name, {})
    values = {"code": "84", "month": "2026-12", **values, **extra}
    route = route.lstrip("^").rstrip("$")
    missing = _parameters(route) - set(values)
    assert not missing, f"{name}: give a sample value for {missing} in _path (or name it in NOT_CACHEABLE)"
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def _cache_control(response) -> dict[str, str]:
    parts = [part.strip().lower() for part in response.get("Cache-Control", "").split(",") if part.strip()]
    return dict(part.split("=", 1) if "=" in part else (part, "") for part in parts)


def _cacheable_paths(site) -> list[str]:
    return sorted(
        {
            _path(route, name, site)
            for route, name in _public_routes()
            if name not in NOT_CACHEABLE and not (_parameters(route) & SECRET_PARAMETERS)
        }
    )


def assert_public(response, path):
    assert response.status_code == 200, (path, response.status_code)
    assert not response.cookies, (path, list(response.cookies))
    assert "cookie" not in response.get("Vary", "").lower(), (path, response["Vary"])
    directives = _cache_control(response)
    assert "public" in directives, (path, directives)
    assert not {"private", "no-store", "no-cache"} & set(directives), (path, directives)
    assert 0 < int(directives["max-age"]) <= 30, (path, directives)


def test_every_public_page_is_cacheable_for_an_anonymous_visitor(client, site):
    paths = _cacheable_paths(site)
    for expected in [
        "/",
        "/ambassadeurs/",
        "/regions/84/integration/",
        "/agenda/flux.ics",
        "/api/v1/evenements",
    ]:
        assert expected in paths
    for path in paths:
        assert_public(client.get(path), path)


def test_every_public_page_answers_304_to_its_own_validator(client, site):
    for path in _cacheable_paths(site):
        response = client.get(path)
        assert response.has_header("ETag") or response.has_header("Last-Modified"), path
        if response.has_header("ETag"):
            again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304, path
            assert again.content == b""
            assert not again.cookies, path
            assert "public" in _cache_control(again), path
        if response.has_header("Last-Modified"):
            again = client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
            assert again.status_code == 304, path


def test_a_public_page_is_the_same_bytes_on_each_visit(client, site):
    # No CSP nonce, no CSRF token, no name: what a shared cache keeps is what anyone would have got.
    for path in ["/", "/ambassadeurs/", "/agenda/", f"/agenda/{site['event']}/", "/regions/84/"]:
        first, second = client.get(path), client.get(path)
        assert first.content == second.content, path
        assert first["ETag"] == second["ETag"], path
        assert first["Content-Security-Policy"] == second["Content-Security-Policy"], path


def test_a_change_gives_a_new_validator(client, site):
    before = client.get("/ambassadeurs/")["ETag"]
    AmbassadorFactory(published=True, regions=["84"], first_name="Nouvelle", last_name="Personne")
    after = client.get("/ambassadeurs/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_a_distance_search_is_public_and_cacheable_too(client, site):
    # « Près de » a place: the same public list, whatever the place typed (its address says it all).
    for path in [
        "/agenda/?pres_de=69003&distance=30",
        "/agenda/passes/?pres_de=Lyon&distance=10",
        "/api/v1/evenements?pres_de=69003&distance_km=30&par_page=100",
    ]:
        response = client.get(path)
        assert_public(response, path)
        again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, path
        assert client.get(path).content == response.content, path


def test_public_list_pages_embed_no_post_form(client, site):
    # A form needing a CSRF token would set the csrftoken cookie: it lives on its own page.
    for path in [
        "/",
        "/ambassadeurs/",
        "/regions/",
        "/regions/84/",
        "/agenda/",
        "/agenda/mois/",
        "/donnees/",
    ]:
        assert 'method="post"' not in client.get(path).content.decode().lower(), path


def test_form_pages_are_not_public(client):
    for path in ["/connexion/", "/ami/", "/diagnostic/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "public" not in _cache_control(response), path


def test_secret_addresses_are_private_and_not_stored(client):
    application = ApplicationFactory(region_id="84")
    request = CompanyRequestFactory(
        ambassador=AmbassadorFactory(published=True, regions=["84"]), region_id="84"
    )
    paths = [f"/candidature/{application.token}/", f"/demande/{request.token}/"]
    for route, name in _public_routes():
        if _parameters(route) & SECRET_PARAMETERS and not (
            _parameters(route) - SECRET_PARAMETERS - {"uidb64"}
        ):
            paths.append(_path(route, name, SITE_ABSENT, token="x" * 32, uidb64="MQ"))
    for path in paths:
        directives = _cache_control(client.get(path))
        assert {"private", "no-store"} <= set(directives), (path, directives)
        assert "public" not in directives, path


def test_diagnostic_result_is_private(client):
    from tests.diagnostic.test_pages import NO_ONE_TO_HELP, run_all

    answered = run_all(client, NO_ONE_TO_HELP)
    client.cookies.clear()  # the address alone, opened elsewhere
    response = client.get(answered.url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(_cache_control(response))


def test_a_signed_in_visitor_public_page_is_not_public(client, site):
    client.force_login(UserFactory(national=True))
    for path in ["/", "/ambassadeurs/", "/agenda/", "/api/v1/evenements", "/donnees/ambassadeurs.csv"]:
        directives = _cache_control(client.get(path))
        assert "public" not in directives, (path, directives)
        assert {"private", "no-store"} <= set(directives), (path, directives)


def test_a_visitor_with_a_session_cookie_is_not_served_the_shared_page(client, site):
    # A session cookie (signed in, or an anonymous draft): the page reads the session, so it says Vary: Cookie
    # and is not public.
    client.cookies["sessionid"] = "une-session-inconnue"
    response = client.get("/")
    assert "cookie" in response["Vary"].lower()
    assert "public" not in _cache_control(response)
