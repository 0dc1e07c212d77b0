"""Every URL of the site against who may open it: the permission matrix (tests/permission_matrix.py) is the list
of every named URL pattern outside Django's admin, with the answer of a GET for each kind of visitor.

Two guarantees:

* ``test_every_url_is_in_the_matrix``: the URL names of the resolver and the matrix's are the same set, and every
  pattern of a name (``agenda:month`` has two) has its row. A new view fails this test until its row is written:
  nobody adds a page without saying who may see it.
* ``test_matrix_is_what_the_site_does``: for each row, a GET of the URL by each visitor, compared with the row.
* ``test_a_forged_token_opens_nothing``: a link of an application, a company request or a diagnostic result with a
  token nobody was given is a 404: the token is the only key of these pages.

Adding a view: add a ``Row`` to ``ROWS`` in tests/permission_matrix.py with its URL name, the kwargs to build the
URL (keys of the scene built by ``build_scene`` below, a new key there if the view needs a new object) and the
expected answer for each visitor of ``VISITORS`` (anonymous, ambassador, network reviewer, regional coordinator of
the object's region, regional coordinator of another region, national coordinator). Write what the view must do;
if it does otherwise today and the view is not yours to change, write what it does with a ``# BUG?`` comment.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services as account_services
from accounts.enums import Role
from agenda.models import ImportSource
from ambassadors.models import PartnerNetwork
from api import services as api_services
from diagnostic.models import DiagnosticResult
from territories.models import Departement, NafActivity, Region
from tests.agenda.factories import EventFactory
from tests.conftest import StrictClient
from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory, ApplicationFactory, CallFactory, UserFactory
from tests.permission_matrix import LOGIN, ROWS, VISITORS, Row

# The resolver ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the full route of a pattern without a name
    route: str
    params: frozenset  # the URL's keyword arguments (what reverse() needs to pick this pattern)


def _walk(resolver, namespaces=(), prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry, spaces, route)
        elif isinstance(entry, URLPattern):
            key = ":".join((*namespaces, entry.name)) if entry.name else route
            yield Pattern(key, route, frozenset(entry.pattern.regex.groupindex))


def site_patterns() -> list[Pattern]:
    """Every pattern outside the admin (Django's own, staff only: tested apart)."""
    return [p for p in _walk(get_resolver()) if not p.route.startswith("admin/")]


def test_every_url_is_in_the_matrix():
    patterns = site_patterns()
    in_site = {p.key for p in patterns}
    in_matrix = {row.name for row in ROWS}
    missing, extra = sorted(in_site - in_matrix), sorted(in_matrix - in_site)
    assert not missing, f"URL sans ligne dans tests/permission_matrix.py (qui peut l’ouvrir ?) : {missing}"
    assert not extra, f"lignes de la matrice sans URL (vue supprimée ou renommée ?) : {extra}"
    # Each pattern of a name has its row: the row's kwargs are the pattern's arguments.
    wanted = {(p.key, p.params) for p in patterns}
    covered = {(row.name, frozenset(row.kwargs)) for row in ROWS if row.path is None}
    covered |= {
        (row.name, p.params) for row in ROWS if row.path is not None for p in patterns if p.key == row.name
    }
    assert not wanted - covered, f"motifs d’URL sans ligne : {sorted(wanted - covered, key=str)}"
    assert len({(row.name, frozenset(row.kwargs)) for row in ROWS}) == len(ROWS), "ligne en double"
    for row in ROWS:
        assert set(row.expect) == set(VISITORS), f"{row.name} : visiteurs {sorted(row.expect)}"


# The scene ------------------------------------------------------------------------------------------------------


def build_scene() -> tuple[dict, dict]:
    """The objects of the matrix, all of Auvergne-Rhône-Alpes (84) and proposed by the CCI, and the visitors.

    The ambassador visitor owns the published profile; the event was written by them (a contributor's event); the
    company request is addressed to them. The reviewer is the CCI's. Returns (the URL values by key, the users by
    visitor; None for the anonymous visitor, who holds every token link)."""
    cci = PartnerNetwork.objects.get(slug="cci")
    region = Region.objects.get(code="84")
    users = {
        "anonymous": None,
        "ambassador": UserFactory(),
        "reviewer": UserFactory(reviewer=True),
        "regional": UserFactory(regional=True),
        "regional_other": UserFactory(regional=True, region=Region.objects.get(code="76")),
        "national": UserFactory(national=True),
    }
    ambassador = AmbassadorFactory(
        published=True,
        regions=["84"],
        proposing_network=cci,
        user=users["ambassador"],
        slug="matrice-ambassadrice",
    )
    event = EventFactory(slug="matrice-atelier", created_by=users["ambassador"])
    call = CallFactory(regions=["84"])
    application = ApplicationFactory(call=call, region_id="84", proposing_network=cci, under_review=True)
    company_request = CompanyRequestFactory(
        ambassador=ambassador, region=region, departement=Departement.objects.get(code="69"), postcode="69001"
    )
    result = DiagnosticResult.objects.create(
        version="2025-1",
        answers={},
        departement_id="69",
        region_id="84",
        sector=NafActivity.objects.get(version="rev2", level="section", code="C"),
        size="pme",
        scores={},
        profile="innovateur",
    )
    source = ImportSource.objects.create(
        name="Agenda de la matrice", url="https://agenda.exemple.fr/flux.ics", default_region=region
    )
    key, _raw = api_services.api_key_issue(
        by=users["national"],
        name="Partenaire de la matrice",
        contact_email="api@exemple.test",
        regions=[region],
    )
    invited = UserFactory(role=Role.AMBASSADOR)
    values = {
        "region_code": "84",
        "ambassador_slug": ambassador.slug,
        "ambassador_pk": ambassador.pk,
        "event_slug": event.slug,
        "event_pk": event.pk,
        "call_pk": call.pk,
        "application_pk": application.pk,
        "application_token": application.token,
        "request_pk": company_request.pk,
        "request_token": company_request.token,
        "request_action": "take",
        "diagnostic_token": result.token,
        "diagnostic_step": 1,
        "source_pk": source.pk,
        "api_key_pk": key.pk,
        "dashboard_table": "designations-regions",
        "postcode": "69001",
        "month": "2026-12",
        # An invitation's link (a new account choosing its password) and the ambassador's address-change link.
        "activation_uid": urlsafe_base64_encode(force_bytes(invited.pk)),
        "activation_token": default_token_generator.make_token(invited),
        "email_token": signing.dumps(
            {"u": users["ambassador"].pk, "e": "nouvelle.adresse@exemple.test"},
            salt=account_services.EMAIL_CHANGE_SALT,
        ),
    }
    return values, users


@pytest.fixture
def scene(db):
    return build_scene()


# The answers ----------------------------------------------------------------------------------------------------


def answer(response) -> object:
    """The short code of a response: the status, « login » for the way to the login page."""
    if 300 <= response.status_code < 400:
        location = response["Location"]
        return LOGIN if location.startswith("/connexion/?next=") else 302
    return response.status_code


def url_of(row: Row, values: dict) -> str:
    if row.path is not None:
        return row.path
    return reverse(row.name, kwargs={name: values[key] for name, key in row.kwargs.items()})


@pytest.fixture(scope="module")
def one_client():
    """One test client for the module: a new client loads the middleware again (WhiteNoise reads every static
    file's headers, 80 ms), and each visitor starts from no cookie at all."""
    return StrictClient()


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.name}{sorted(r.kwargs) or ''}" for r in ROWS])
def test_matrix_is_what_the_site_does(row, scene, one_client):
    values, users = scene
    url = url_of(row, values)
    client = one_client
    seen = {}
    for visitor in VISITORS:
        client.cookies.clear()
        if users[visitor] is not None:
            client.force_login(users[visitor])
        seen[visitor] = answer(client.get(url))
    wrong = {
        v: f"attendu {row.expect[v]!r}, obtenu {seen[v]!r}" for v in VISITORS if seen[v] != row.expect[v]
    }
    assert not wrong, f"GET {url} ({row.name}) : {wrong} ; observé : {tuple(seen[v] for v in VISITORS)}"


# The admin ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_is_for_staff_only():
    response = StrictClient().get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/")
    client = StrictClient()
    client.force_login(UserFactory(national=True))  # a coordinator, not staff
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    staff = StrictClient()
    staff.force_login(UserFactory(national=True, is_staff=True, is_superuser=True))
    assert staff.get("/admin/").status_code == 200


# A link with a token nobody was given -------------------------------------------------------------------------

TOKEN_KEYS = {"application_token", "request_token", "diagnostic_token"}
TOKEN_ROWS = [row for row in ROWS if TOKEN_KEYS & set(row.kwargs.values())]


@pytest.mark.parametrize("row", TOKEN_ROWS, ids=[row.name for row in TOKEN_ROWS])
def test_a_forged_token_opens_nothing(row, scene, one_client):
    """The link's holder is whoever has the token: the same URL with a well-formed token nobody was given is a
    404 (405 where a GET is refused before anything is looked up)."""
    values, _users = scene
    forged = {key: ("x" * 43 if key in TOKEN_KEYS else value) for key, value in values.items()}
    one_client.cookies.clear()
    response = one_client.get(url_of(row, forged))
    assert answer(response) == (405 if row.expect["anonymous"] == 405 else 404), url_of(row, forged)
