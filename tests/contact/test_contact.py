"""Finding and contacting: the ranked list on demo data, the relay by email (real SMTP), the privacy of the
ambassador's address, abuse protections (honeypot, rate limits, paused ambassadors), bad input."""

import html
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from ambassadors.models import Ambassador, Topic
from contact import siret
from contact.models import CompanyRequest, RequestStep
from contact.siret import section_for_siret
from territories.models import NafActivity
from tests.contact.conftest import contact_data, expert
from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory

pytestmark = pytest.mark.django_db


def find_data(**overrides) -> dict:
    data = {
        "postcode": "31000",
        "sector": str(NafActivity.objects.get(level="section", code="C").pk),
        "siret": "",
        "size": "pme",
        "topics": [str(Topic.objects.get(slug="production").pk)],
        "question": "Nous voulons prévoir les pannes de nos machines de production.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Finding


def test_find_on_demo_data_ranks_occitanie_industry_production_first_and_explains(client):
    call_command("load_demo_data", verbosity=0)

    response = client.get("/trouver-un-ambassadeur/", find_data())

    assert response.status_code == 200
    matches = response.context["matches"]
    assert len(matches) == 5
    first, match = matches[0]
    assert first.regions.filter(code="76").exists()
    assert first.sectors.filter(code="C").exists()
    assert first.topics.filter(slug="production").exists()
    assert "secteur Industrie manufacturière" in match.reasons
    assert "thématique Production" in match.reasons
    assert match.reasons[0] in {"même département (Haute-Garonne)", "même région (Occitanie)"}
    # Every ambassador proposed serves Occitanie (or the whole country), best score first.
    for ambassador, _ in matches:
        assert ambassador.is_national or ambassador.regions.filter(code="76").exists()
    scores = [m.score for _, m in matches]
    assert scores == sorted(scores, reverse=True)
    body = response.content.decode()
    assert "Pourquoi : " in body and "thématique Production" in body


def test_find_errors_are_french_and_keep_values(client):
    response = client.get("/trouver-un-ambassadeur/", find_data(postcode="99999", topics=None))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce code postal est inconnu" in body
    assert "Choisissez au moins une thématique." in body
    assert "Nous voulons prévoir les pannes" in body


def test_find_without_sector_nor_siret_asks_for_the_sector(client):
    response = client.get("/trouver-un-ambassadeur/", find_data(sector=""))

    assert response.status_code == 400
    assert "Choisissez votre secteur d’activité (ou indiquez votre SIRET)." in response.content.decode()


def test_find_invalid_siret_is_explained(client):
    response = client.get("/trouver-un-ambassadeur/", find_data(sector="", siret="123"))

    assert response.status_code == 400
    assert "Ce numéro SIRET n’est pas valide" in response.content.decode()


SIRENE_C = {"results": [{"siren": "732829320", "section_activite_principale": "C"}]}


class _Sirene(BaseHTTPRequestHandler):
    """A local stand-in for the company search API: answers ``server.payload`` (by default, section C for the
    company 732 829 320) whatever the SIRET asked."""

    def do_GET(self):
        body = json.dumps(getattr(self.server, "payload", SIRENE_C)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def sirene(settings):
    server = HTTPServer(("127.0.0.1", 0), _Sirene)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SIRET_LOOKUP_URL = f"http://127.0.0.1:{server.server_port}/search"
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the stand-in listens on 127.0.0.1
    yield server
    server.shutdown()
    server.server_close()


def test_find_siret_fills_the_sector_when_a_lookup_service_is_configured(client, sirene):
    expert()

    response = client.get("/trouver-un-ambassadeur/", find_data(sector="", siret="732 829 320 00074"))

    assert response.status_code == 200
    assert "secteur Industrie manufacturière" in response.context["matches"][0][1].reasons


def test_find_siret_lookup_down_asks_for_the_sector(client, settings):
    settings.SIRET_LOOKUP_URL = "http://127.0.0.1:9/search"  # nothing listens there

    response = client.get("/trouver-un-ambassadeur/", find_data(sector="", siret="73282932000074"))

    assert response.status_code == 400
    assert "Nous n’avons pas pu retrouver le secteur de ce SIRET" in response.content.decode()


class _TricklingSirene(BaseHTTPRequestHandler):
    """A lookup service that sends one header line every half second, forever."""

    def do_GET(self):
        self.send_response(200)
        try:
            for n in range(60):
                self.wfile.write(f"X-Lent-{n}: 1\r\n".encode())
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_siret_lookup_trickling_headers_is_cut_at_the_limit(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TricklingSirene)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SIRET_LOOKUP_URL = f"http://127.0.0.1:{server.server_port}/search"
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    started = time.monotonic()
    try:
        assert section_for_siret("73282932000074") is None
        # A guard on the limit (3 s for the whole exchange), not a timing: the server would hold it 30 s.
        assert time.monotonic() - started < siret.TIMEOUT + 3
    finally:
        server.shutdown()
        server.server_close()


def test_find_result_passes_the_need_to_the_contact_form(client):
    ambassador = expert()
    data = find_data()

    response = client.post(f"/ambassadeurs/{ambassador.slug}/contact/", {**data, "prefill": "1"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="31000"' in body
    assert "Nous voulons prévoir les pannes de nos machines de production.</textarea>" in body
    assert "Ce champ est obligatoire" not in body
    assert not CompanyRequest.objects.exists()


# Contacting


def test_contact_relays_to_ambassador_and_acknowledges_company_without_ambassador_address(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    ambassador = expert()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data())

    request = CompanyRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/demande/{request.token}/"
    assert request.ambassador == ambassador
    assert (request.region_id, request.departement_id, request.sector.code) == ("76", "31", "C")
    assert request.email == "jeanne@fonderie-exemple.test"
    assert RequestStep.objects.filter(request=request, action="created").count() == 1

    [to_ambassador] = smtp_inbox.to(ambassador.contact_email)
    body = smtp_inbox.body(to_ambassador)
    assert to_ambassador["Subject"] == f"Une entreprise vous écrit : demande n° {request.pk}"
    assert "Fonderie L’Atelier & Fils" in body  # plain text, not HTML-escaped
    # The company did not tick « Je souhaite que l’ambassadeur voie mon adresse… »: the thread relays instead.
    assert "jeanne@fonderie-exemple.test" not in body and "05 61 12 34 56" not in body
    assert request.company_shares_contact is False
    assert f"/espace/demandes/{request.pk}/" in body

    [to_company] = smtp_inbox.to("jeanne@fonderie-exemple.test")
    company_body = smtp_inbox.body(to_company)
    assert f"/demande/{request.token}/" in company_body
    page = client.get(response.url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"
    for text in (company_body, to_company["Subject"], page.content.decode()):
        assert ambassador.contact_email not in text
        assert ambassador.contact_phone not in text


def test_contact_error_keeps_every_value_and_says_what_is_wrong(client):
    ambassador = expert()

    response = client.post(
        f"/ambassadeurs/{ambassador.slug}/contact/",
        contact_data(email="pas-une-adresse", consent=None, phone="appelez-moi"),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in body

    assert "Sans votre accord, nous ne pouvons pas transmettre votre demande." in body
    assert "Ce numéro de téléphone n’est pas valide" in body
    assert "Fonderie L’Atelier &amp; Fils" in body
    assert "Nous voulons prévoir les pannes de nos machines de production.</textarea>" in body
    assert not CompanyRequest.objects.exists()


def test_contact_honeypot_rejects_silently(client, smtp_inbox, django_capture_on_commit_callbacks):
    ambassador = expert()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(website="http://spam.test")
        )

    assert response.status_code == 302
    assert response.url == "/demande/envoyee/"
    assert not CompanyRequest.objects.exists()
    assert smtp_inbox.messages == []


def test_contact_rate_limit_per_email_answers_429_in_french(client, settings):
    settings.RATE_LIMITS = {"contact-email": (2, 3600), "contact-ip": (100, 3600)}
    ambassador = expert()
    for _ in range(2):
        assert client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data()).status_code == 302

    response = client.post(
        f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(email="JEANNE@fonderie-exemple.test")
    )

    assert response.status_code == 429
    assert "Trop de demandes en peu de temps" in response.content.decode()
    assert CompanyRequest.objects.count() == 2
    # Another address from another machine still gets through.
    other = client.post(
        f"/ambassadeurs/{ambassador.slug}/contact/",
        contact_data(email="autre@exemple.test"),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_contact_rate_limit_per_ip_answers_429(client, settings):
    settings.RATE_LIMITS = {"contact-ip": (3, 3600), "contact-email": (100, 3600)}
    ambassador = expert()
    statuses = [
        client.post(
            f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(email=f"n{i}@exemple.test")
        ).status_code
        for i in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    assert CompanyRequest.objects.count() == 3


def test_contact_paused_ambassador_receives_nothing_and_page_suggests_others(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    paused = expert(requests_paused=True)
    other = expert()

    page = client.get(f"/ambassadeurs/{paused.slug}/contact/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ambassadeurs/{paused.slug}/contact/", contact_data())

    assert "ne reçoit pas de nouvelles demandes en ce moment" in page
    assert f"/ambassadeurs/{other.slug}/contact/" in page
    assert 'name="message"' not in page
    assert response.status_code == 409
    assert not CompanyRequest.objects.exists()
    assert smtp_inbox.messages == []
    assert "ne reçoit pas de demandes en ce moment" in client.get(paused.get_absolute_url()).content.decode()


def test_contact_monthly_maximum_reached_makes_ambassador_unavailable(client):
    ambassador = expert(requests_monthly_limit=1)
    CompanyRequestFactory(ambassador=ambassador)

    response = client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data())

    assert response.status_code == 409
    assert CompanyRequest.objects.count() == 1


def test_contact_unpublished_ambassador_is_404(client):
    hidden = AmbassadorFactory(regions=["76"])

    assert client.get(f"/ambassadeurs/{hidden.slug}/contact/").status_code == 404
    assert client.post(f"/ambassadeurs/{hidden.slug}/contact/", contact_data()).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/demande/%00/",
        "/demande/court/",
        "/demande/" + "x" * 43 + "/",
        "/espace/demandes/99999999999999999999/",
        "/ambassadeurs/inconnu/contact/",
    ],
)
def test_bad_urls_are_404_never_500(client, path):
    assert client.get(path).status_code == 404


def test_contact_message_length_limit(client):
    ambassador = expert()

    response = client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(message="x" * 3001))

    assert response.status_code == 400
    assert (
        "Assurez-vous que cette valeur comporte au plus 3000 caractères (actuellement 3001)."
        in response.content.decode()
    )
    assert not CompanyRequest.objects.exists()


def test_find_proposes_an_ambassador_listing_only_a_departement_of_the_region(client):
    herault = expert(regions=[], departements=["34"])
    expert(regions=[], departements=["69"])  # Rhône: another region

    response = client.get("/trouver-un-ambassadeur/", find_data())

    [(ambassador, match)] = response.context["matches"]
    assert ambassador == herault
    assert match.reasons[0] == "même région (Occitanie)"


# Bad ids: a French field error, never a 500.

HUGE = "99999999999999999999999"
BAD_IDS = [HUGE, "²", "٣", "0", "-1", "1.5", "1e3", " 12x"]


@pytest.mark.parametrize("value", BAD_IDS)
def test_find_bad_sector_or_topic_id_is_a_french_field_error(client, value):
    sector = client.get("/trouver-un-ambassadeur/", find_data(sector=value))
    topics = client.get("/trouver-un-ambassadeur/", find_data(topics=[value]))

    assert sector.status_code == topics.status_code == 400
    assert "Sélectionnez un choix valide." in sector.content.decode()
    assert "n’est pas une valeur correcte." in topics.content.decode()


@pytest.mark.parametrize("field", ["sector", "topic"])
@pytest.mark.parametrize("value", BAD_IDS)
def test_contact_bad_sector_or_topic_id_is_a_french_field_error(client, field, value):
    ambassador = expert()

    response = client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(**{field: value}))

    assert response.status_code == 400
    assert "Sélectionnez un choix valide." in response.content.decode()
    assert not CompanyRequest.objects.exists()


# Rate limits behind a reverse proxy, and what the cache holds.


def _post_from(client, ambassador, n, forwarded):
    return client.post(
        f"/ambassadeurs/{ambassador.slug}/contact/",
        contact_data(email=f"visiteur{n}@exemple.test"),
        REMOTE_ADDR="10.0.0.1",  # the proxy
        HTTP_X_FORWARDED_FOR=forwarded,
    ).status_code


def test_contact_rate_limit_per_ip_behind_a_proxy_counts_each_visitor(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1  # AXES_PROXY_COUNT=1 in the environment
    settings.RATE_LIMITS = {"contact-ip": (1, 3600), "contact-email": (100, 3600)}
    ambassador = expert()

    assert _post_from(client, ambassador, 1, "203.0.113.5") == 302
    assert _post_from(client, ambassador, 2, "198.51.100.7") == 302  # another visitor, same proxy
    assert _post_from(client, ambassador, 3, "203.0.113.5") == 429  # the first visitor again
    # An address the visitor writes on the left changes nothing: only the proxy's entry is read.
    assert _post_from(client, ambassador, 4, "192.0.2.99, 203.0.113.5") == 429
    assert CompanyRequest.objects.count() == 2


def test_contact_rate_limit_without_proxy_setting_ignores_forwarded_header(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    settings.RATE_LIMITS = {"contact-ip": (1, 3600), "contact-email": (100, 3600)}
    ambassador = expert()

    assert _post_from(client, ambassador, 1, "203.0.113.5") == 302
    assert _post_from(client, ambassador, 2, "198.51.100.7") == 429  # a header anyone can write: not trusted


def test_rate_limit_cache_holds_no_email_nor_address_and_long_emails_make_short_keys(client):
    from django.core.cache import cache

    from core import throttle

    ambassador = expert()
    email = "jeanne@fonderie-exemple.test"
    long_email = "j" * 240 + "@fonderie-exemple.test"

    assert (
        client.post(f"/ambassadeurs/{ambassador.slug}/contact/", contact_data(email=email)).status_code == 302
    )
    assert (
        throttle.over_limit("contact-email", long_email) is False
    )  # warnings are errors: no CacheKeyWarning

    if not hasattr(cache, "_cache") or not isinstance(cache._cache, dict):
        keys = [k.decode() for k in cache._cache.get_client().keys("*")]  # Redis (CI's second run)
    else:
        keys = list(cache._cache)  # the local-memory cache
    assert len([k for k in keys if "rate:contact-" in k]) == 3
    for key in keys:
        assert email not in key and "127.0.0.1" not in key and "fonderie" not in key
        assert len(key) < 250


# What is typed survives an unavailable ambassador (409) and the rate limit (429).


def _hidden_fields(body: str, action: str) -> dict:
    form = re.search(
        rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', body, re.S
    ).group(1)
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
        if name != "csrfmiddlewaretoken"
    }


def test_contact_ambassador_unavailable_between_get_and_post_keeps_everything_typed(client):
    chosen = expert()
    other = expert()
    assert client.get(f"/ambassadeurs/{chosen.slug}/contact/").status_code == 200
    Ambassador.objects.filter(pk=chosen.pk).update(requests_paused=True)  # meanwhile
    typed = contact_data()

    response = client.post(f"/ambassadeurs/{chosen.slug}/contact/", typed)

    assert response.status_code == 409
    body = response.content.decode()
    assert "<title>Erreur – " in body
    assert f"{chosen.full_name} ne reçoit pas de nouvelles demandes en ce moment" in body
    assert f"{typed['message']}</textarea>" in body  # the message, to copy
    assert not CompanyRequest.objects.exists()
    # Each suggestion is a button that carries what was typed (never the consent) to that ambassador's form.
    carried = _hidden_fields(body, f"/ambassadeurs/{other.slug}/contact/")
    expected = {k: v for k, v in typed.items() if k not in {"consent", "website"}}
    assert carried == {"prefill": "1", **expected}

    page = client.post(f"/ambassadeurs/{other.slug}/contact/", carried)

    assert page.status_code == 200
    form = page.context["form"]
    assert not form.is_bound
    assert {name: str(form[name].value()) for name in expected} == expected
    body = page.content.decode()
    assert f"{typed['message']}</textarea>" in body
    assert 'value="jeanne@fonderie-exemple.test"' in body
    assert "Ce champ est obligatoire" not in body
    assert 'id="id_consent" name="consent" value="1" required' in body  # not checked: to give again


def test_contact_rate_limited_keeps_everything_typed(client, settings):
    settings.RATE_LIMITS = {"contact-ip": (1, 3600), "contact-email": (100, 3600)}
    ambassador = expert()
    url = f"/ambassadeurs/{ambassador.slug}/contact/"
    assert client.post(url, contact_data()).status_code == 302
    message = "Une autre question : comment préparer nos devis plus vite ?"

    response = client.post(url, contact_data(email="autre@exemple.test", message=message))

    assert response.status_code == 429
    body = response.content.decode()
    assert "<title>Erreur – " in body
    assert "Trop de demandes en peu de temps" in body
    assert f"{message}</textarea>" in body
    assert 'value="autre@exemple.test"' in body
    assert CompanyRequest.objects.count() == 1


# The consent covers a reassignment; the data-protection page says it.


def test_contact_consent_covers_a_reassignment_and_the_data_protection_page_says_so(client):
    ambassador = expert()

    form = client.get(f"/ambassadeurs/{ambassador.slug}/contact/").content.decode()
    page = client.get("/donnees-personnelles/").content.decode()

    assert (
        "J’accepte que ces informations soient transmises à l’ambassadeur choisi, ou à un autre ambassadeur à qui "
        "la coordination régionale confie la demande, pour qu’il me réponde." in form
    )
    assert "ou à un autre ambassadeur à qui la coordination régionale confie la demande" in page
    assert "Une demande restée sans aucune suite pendant six mois est close" in page
    assert "les notes de l’historique" in page


# SIRET lookup: an odd answer is no answer.


@pytest.mark.parametrize(
    "payload",
    [
        {"results": [{"siren": "552100554", "section_activite_principale": "C"}]},  # another company
        {"results": [{"siren": 732829320, "section_activite_principale": "C"}]},
        {"results": [{"section_activite_principale": "C"}]},
        {"results": ["C"]},
        {"results": [None]},
        {"results": [{"siren": "732829320", "section_activite_principale": 5}]},
        {"results": [{"siren": "732829320", "section_activite_principale": ["C"]}]},
        {"results": [{"siren": "732829320", "section_activite_principale": "CC"}]},
        {"results": {}},
        {"results": []},
        [],
        "C",
        None,
    ],
)
def test_find_siret_lookup_odd_answer_asks_for_the_sector(client, sirene, payload):
    sirene.payload = payload

    response = client.get("/trouver-un-ambassadeur/", find_data(sector="", siret="73282932000074"))

    assert response.status_code == 400
    assert "Nous n’avons pas pu retrouver le secteur de ce SIRET" in response.content.decode()


# Templates: no stray comma, errors listed with links, required fields, « Erreur » in the title.


def test_find_and_contact_show_no_stray_comma_without_structure(client):
    ambassador = expert(job_title="Directrice industrielle", structure_name="")

    found = client.get("/trouver-un-ambassadeur/", find_data()).content.decode()
    form = client.get(f"/ambassadeurs/{ambassador.slug}/contact/").content.decode()

    for body in (found, form):
        assert "Directrice industrielle</p>" in body
        assert "Directrice industrielle," not in body


def test_contact_errors_are_listed_with_links_to_the_fields_and_title_says_error(client):
    ambassador = expert()
    url = f"/ambassadeurs/{ambassador.slug}/contact/"

    body = client.post(url, contact_data(email="pas-une-adresse", size=None, consent=None)).content.decode()

    assert "<title>Erreur – Écrire à " in body
    for anchor, label in [
        ("id_email", "Votre adresse électronique"),
        ("id_size_0", "Taille de l’entreprise"),
        ("id_consent", "J’accepte que ces informations"),
    ]:
        assert f'<a href="#{anchor}">{label}' in body
        assert f'id="{anchor}"' in body
    assert "Les champs marqués d’un astérisque (*) sont obligatoires." in body
    assert re.search(r'for="id_consent">J’accepte[^<]*<span aria-hidden="true">\*</span>', body)
    assert "<title>Écrire à " in client.get(url).content.decode()


def test_find_errors_link_to_the_first_topic_and_topics_are_marked_required(client):
    body = client.get("/trouver-un-ambassadeur/", find_data(topics=None)).content.decode()

    assert "<title>Erreur – Trouver un ambassadeur IA" in body
    assert '<a href="#id_topics_0">Sur quel sujet cherchez-vous de l’aide ?</a>' in body
    assert 'id="id_topics_0"' in body
    assert re.search(r'id="id_topics-legend">Sur quel sujet[^<]*<span aria-hidden="true">\*</span>', body)


def test_contact_absent_ambassador_receives_nothing_during_the_absence_only(client):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    away = expert(absent_from=today - timedelta(days=1), absent_until=today + timedelta(days=6))
    later = expert(absent_from=today + timedelta(days=1), absent_until=today + timedelta(days=6))
    other = expert()

    page = client.get(f"/ambassadeurs/{away.slug}/contact/").content.decode()
    assert "ne reçoit pas de nouvelles demandes en ce moment" in page
    assert client.post(f"/ambassadeurs/{away.slug}/contact/", contact_data()).status_code == 409
    assert client.post(f"/ambassadeurs/{later.slug}/contact/", contact_data()).status_code == 302
    # Nor is a request handed to them by the coordination.
    request = CompanyRequestFactory(ambassador=other)
    from contact.selectors import reassignment_choices

    assert away not in reassignment_choices(request)
    assert later in reassignment_choices(request)


@pytest.mark.parametrize(
    ("absent_from", "absent_until", "error"),
    [
        ("2030-05-10", "", "Indiquez le premier et le dernier jour."),
        ("2030-05-10", "2030-05-01", "Le dernier jour doit être après le premier."),
        ("2020-05-01", "2020-05-10", "Cette absence est déjà passée."),
        ("2030-01-01", "2031-06-01", "Une absence dure un an au plus"),
        ("9999-12-01", "9999-12-31", "Date hors de l’agenda"),
    ],
)
def test_availability_absence_bad_dates_are_french_errors(client, absent_from, absent_until, error):
    ambassador = expert()
    client.force_login(ambassador.user)
    response = client.post(
        "/espace/demandes/disponibilite/",
        {"requests_monthly_limit": "", "absent_from": absent_from, "absent_until": absent_until},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.absent_from is None


def test_availability_absence_is_saved_and_said(client):
    ambassador = expert()
    client.force_login(ambassador.user)
    response = client.post(
        "/espace/demandes/disponibilite/",
        {"requests_monthly_limit": "", "absent_from": "2030-05-01", "absent_until": "2030-05-10"},
        follow=True,
    )
    assert "aucune demande ne vous est confiée du 1er mai 2030 au 10 mai 2030." in response.content.decode()
    ambassador.refresh_from_db()
    assert str(ambassador.absent_from) == "2030-05-01"
