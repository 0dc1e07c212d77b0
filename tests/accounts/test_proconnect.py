"""« S’identifier avec ProConnect », the whole flow against a real OpenID Connect provider on localhost.

``Provider`` is a small OpenID Connect provider, written here, that answers as ProConnect does: discovery, JWKS,
authorize (back with a code and the state), token (checks the client, the redirect URI and the PKCE verifier, gives
an ID token signed RS256 with the nonce), userinfo (a signed JWT, ``application/jwt``) and end-session. The site's
code is not mocked: the test client follows the redirects by hand, the step at the provider is a real HTTP request.
"""

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from accounts import services
from accounts.models import User
from tests.conftest import bound_socket
from tests.factories import UserFactory
from tests.typography import typography_faults

pytestmark = pytest.mark.django_db

CLIENT_ID = "ambassadeurs-ia-test"
CLIENT_SECRET = "secret-du-client-de-test"
CALLBACK = "http://testserver/connexion/proconnect/retour/"


class Provider:
    """What the provider knows: the person who signs in (``claims``), the codes and tokens it gave, the logouts it
    saw. ``nonce`` set: the ID token carries it instead of the one asked (a replayed or forged token)."""

    def __init__(self, issuer: str):
        self.issuer = issuer
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "cle-de-test"
        self.claims = {}
        self.nonce = None
        self.codes = {}
        self.tokens = {}
        self.logouts = []
        self.token_errors = []

    def sign(self, payload: dict) -> str:
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict) -> str:
        assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
        assert set(query["scope"].split()) >= {"openid", "email", "given_name", "usual_name", "uid", "siret"}
        assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict) -> tuple[int, dict]:
        asked = self.codes.pop(form.get("code"), None)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if asked is None:
            self.token_errors.append("code")
        elif (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            self.token_errors.append("client")
        elif form.get("redirect_uri") != asked["redirect_uri"]:
            self.token_errors.append("redirect_uri")
        elif challenge != asked["code_challenge"]:
            self.token_errors.append("pkce")
        if asked is None or self.token_errors:
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        sub = "sub-" + hashlib.sha256(self.claims["email"].lower().encode()).hexdigest()[:12]
        id_token = self.sign(
            {
                "iss": self.issuer,
                "aud": CLIENT_ID,
                "sub": sub,
                "iat": now,
                "exp": now + 60,
                "nonce": self.nonce or asked["nonce"],
                "acr": "eidas1",
            }
        )
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = sub
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, str]:
        sub = self.tokens.get(authorization.removeprefix("Bearer "))
        if sub is None:
            return 401, ""
        now = int(time.time())
        return 200, self.sign(
            {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 60, "sub": sub, **self.claims}
        )

    def end_session(self, query: dict) -> str:
        self.logouts.append(query)
        return f"{query['post_logout_redirect_uri']}?{urlencode({'state': query['state']})}"


def _handler(provider: Provider):
    prefix = urlsplit(provider.issuer).path

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body=b"", content_type="application/json", location=None):
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlsplit(self.path)
            path = url.path.removeprefix(prefix)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if path == "/.well-known/openid-configuration":
                self._send(200, json.dumps(provider.discovery()).encode())
            elif path == "/jwks":
                self._send(200, json.dumps(provider.jwks()).encode())
            elif path == "/authorize":
                self._send(302, location=provider.authorize(query))
            elif path == "/userinfo":
                status, body = provider.userinfo(self.headers.get("Authorization", ""))
                self._send(status, body.encode(), content_type="application/jwt; charset=utf-8")
            elif path == "/session/end":
                self._send(302, location=provider.end_session(query))
            else:
                self._send(404)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path.removeprefix(prefix) == "/token":
                status, body = provider.token(form)
                self._send(status, json.dumps(body).encode())
            else:
                self._send(404)

    return Handler


@pytest.fixture
def provider(settings):
    """The provider on a local port, and the site configured for it (ProConnect on)."""
    sock = bound_socket()
    port = sock.getsockname()[1]
    issuer = f"http://127.0.0.1:{port}/api/v2"
    provider = Provider(issuer)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(provider), bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.server_activate()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PROCONNECT_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_TIMEOUT = 5
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def person(**claims) -> dict:
    return {
        "given_name": "Claire",
        "usual_name": "Martin",
        "uid": "1234",
        "siret": "13002526500013",
        **claims,
    }


def visible(body: str) -> str:
    main = body.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(
        r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", main)
    )  # not \s: it would eat the no-break spaces


def start(client, next_url: str = "") -> str:
    """« S’identifier avec ProConnect »: the site sends the browser to the provider's authorization endpoint."""
    response = client.get("/connexion/proconnect/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.status_code
    return response["Location"]


def at_provider(authorize_url: str) -> str:
    """The browser at the provider: a real request, answered by a redirect to the site's callback."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(CALLBACK)
    return location.removeprefix("http://testserver")


def sign_in(client, provider, email: str, next_url: str = ""):
    provider.claims = person(email=email)
    return client.get(at_provider(start(client, next_url)))


def test_the_login_page_shows_the_button_with_its_stylesheet(client, provider):
    """The button ProConnect's documentation asks of sites using the DSFR: the DSFR's own connection button
    (« fr-connect », its mark drawn by the DSFR's sheet), « ProConnect » for its brand, the link to proconnect.gouv.fr."""
    body = client.get("/connexion/").content.decode()
    assert 'class="fr-connect" href="/connexion/proconnect/"' in body
    assert '<span class="fr-connect__login">S’identifier avec</span>' in body
    assert '<span class="fr-connect__brand">ProConnect</span>' in body
    assert 'href="https://www.proconnect.gouv.fr/"' in body and "Qu’est-ce que ProConnect\u00a0?" in body
    # The DSFR's subset carries the connect component (tests/test_static_assets.py: every class named has a rule).
    sheet = client.get("/static/css/dsfr.css")
    css = b"".join(sheet.streaming_content)
    sheet.close()
    assert b".fr-connect:before{background-image:url(" in css and b".fr-connect__brand" in css
    assert 'name="password"' in body  # passwords stay
    assert not typography_faults(visible(body))


def test_the_authorization_request_asks_for_pkce_state_nonce_and_the_claims(client, provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["scope"] == ["openid email given_name usual_name uid siret"]


def test_a_known_coordinator_signs_in_whatever_the_case_of_the_email(client, provider):
    user = UserFactory(regional=True, email="claire.martin@region.test")
    response = sign_in(client, provider, "Claire.Martin@Region.TEST", next_url="/pilotage/")
    assert response.status_code == 302
    assert response["Location"] == "/pilotage/"
    assert provider.token_errors == []
    assert client.get("/espace/").status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session["_auth_user_backend"] == "accounts.proconnect.ProConnectBackend"
    user.refresh_from_db()
    assert user.last_login is not None
    assert User.objects.count() == 1  # nothing created


def test_without_next_the_person_lands_on_their_space(client, provider):
    UserFactory(reviewer=True, email="relecteur@cci.test")
    response = sign_in(client, provider, "relecteur@cci.test")
    assert response["Location"] == "/espace/"


def test_an_unknown_email_gets_a_french_page_and_no_account(client, provider):
    UserFactory(national=True, email="coordination@exemple.test")
    response = sign_in(client, provider, "inconnu@administration.test")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Aucun compte à cette adresse" in body
    assert "inconnu@administration.test" in body
    assert "coordination régionale de votre région" in body and "coordination nationale" in body
    assert not typography_faults(visible(body))
    assert User.objects.filter(email__iexact="inconnu@administration.test").count() == 0
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_a_closed_account_is_not_opened(client, provider):
    UserFactory(regional=True, email="partie@region.test", is_active=False)
    response = sign_in(client, provider, "partie@region.test")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_invited_ambassador_activates_through_proconnect(client, provider):
    user, created = services.user_get_or_invite_ambassador(
        email="jeanne@exemple.test", first_name="", last_name=""
    )
    assert created and not user.has_usable_password()
    response = sign_in(client, provider, "Jeanne@Exemple.test")
    assert response["Location"] == "/espace/"
    user.refresh_from_db()
    assert user.last_login is not None
    assert (user.first_name, user.last_name) == ("Claire", "Martin")  # the names it lacked, from ProConnect
    assert not user.has_usable_password()  # no password chosen for them


def test_a_name_the_account_has_is_kept(client, provider):
    user = UserFactory(
        regional=True, email="claire@region.test", first_name="Clara", last_name="Martin-Dupont"
    )
    sign_in(client, provider, "claire@region.test")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Clara", "Martin-Dupont")


def test_a_wrong_state_is_refused(client, provider):
    UserFactory(regional=True, email="claire@region.test")
    provider.claims = person(email="claire@region.test")
    callback = at_provider(start(client))
    forged = re.sub(r"state=[^&]+", "state=un-etat-jamais-envoye", callback)
    response = client.get(forged)
    assert response.status_code == 400
    assert "La connexion avec ProConnect n’a pas abouti" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert provider.codes  # the code was never exchanged


def test_a_state_serves_once(client, provider):
    UserFactory(regional=True, email="claire@region.test")
    provider.claims = person(email="claire@region.test")
    callback = at_provider(start(client))
    assert client.get(callback)["Location"] == "/espace/"
    client.post("/deconnexion/")
    assert client.get(callback).status_code == 400


def test_a_nonce_mismatch_is_refused(client, provider):
    UserFactory(regional=True, email="claire@region.test")
    provider.nonce = "un-autre-nonce"
    response = sign_in(client, provider, "claire@region.test")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_token_of_another_issuer_is_refused(client, provider, settings):
    UserFactory(regional=True, email="claire@region.test")
    provider.claims = person(email="claire@region.test")
    callback = at_provider(start(client))
    provider.issuer = provider.issuer + "/autre"  # the tokens now name another issuer than the discovery's
    response = client.get(callback)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_provider_refusing_at_the_authorize_step_is_a_french_page(client, provider):
    start(client)
    response = client.get("/connexion/proconnect/retour/?error=access_denied&state=x")
    assert response.status_code == 400
    assert "La connexion avec ProConnect n’a pas abouti" in response.content.decode()


def test_a_provider_that_does_not_answer_is_a_french_page(client, provider, settings):
    sock = bound_socket()  # bound, never listening: the connection is refused
    settings.PROCONNECT_ISSUER = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v2"
    try:
        response = client.get("/connexion/proconnect/")
    finally:
        sock.close()
    assert response.status_code == 503
    assert "ProConnect ne répond pas" in response.content.decode()


def test_logout_goes_through_proconnect_with_id_token_hint_and_state(client, provider):
    UserFactory(regional=True, email="claire@region.test")
    sign_in(client, provider, "claire@region.test")
    id_token = client.session["oidc_id_token"]
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    end_session = urlsplit(response["Location"])
    assert (
        f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == f"{provider.issuer}/session/end"
    )
    query = {k: v[0] for k, v in parse_qs(end_session.query).items()}
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == "http://testserver/deconnexion/proconnect/"
    assert len(query["state"]) >= 32
    assert "_auth_user_id" not in client.session  # signed out here before leaving

    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert provider.logouts == [query]
    back_url = back.headers["Location"].removeprefix("http://testserver")
    response = client.get(back_url)
    assert response["Location"] == "/"
    assert "Vous êtes déconnecté de la plateforme et de ProConnect." in client.get("/").content.decode()


def test_a_logout_return_with_another_state_says_nothing(client, provider):
    response = client.get("/deconnexion/proconnect/?state=forge")
    assert response["Location"] == "/"
    assert "ProConnect" not in client.get("/").content.decode().split("<main")[-1]


def test_a_password_login_logs_out_locally_only(client, provider):
    user = UserFactory(regional=True)
    client.post("/connexion/", {"username": user.email, "password": "mot-de-passe-de-test"})
    response = client.post("/deconnexion/")
    assert response["Location"] == "/"
    assert provider.logouts == []


def test_password_login_still_works_and_reads_nothing_from_the_provider(client, provider, settings):
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9/api/v2"  # would fail if it were read
    user = UserFactory(regional=True)
    response = client.post("/connexion/", {"username": user.email, "password": "mot-de-passe-de-test"})
    assert response["Location"] == "/espace/"


@pytest.mark.parametrize(
    "path",
    ["/connexion/proconnect/", "/connexion/proconnect/retour/?code=x&state=y", "/deconnexion/proconnect/"],
)
def test_off_when_unset_no_button_and_404(client, settings, path):
    settings.PROCONNECT_ISSUER = ""
    settings.OIDC_RP_CLIENT_ID = ""
    assert "proconnect" not in client.get("/connexion/").content.decode().lower()
    assert client.get(path).status_code == 404


def test_an_address_locked_by_the_login_throttle_is_refused_on_the_way_back_too(client, provider, settings):
    # django-axes and the address throttle stand before the ProConnect backend: an address that sprayed passwords
    # gets the same 429 page on ProConnect's return, and the known account is not signed in.
    settings.RATE_LIMITS = {"login-ip": (3, 900)}
    UserFactory(regional=True, email="claire@region.test")
    for n in range(3):
        client.post("/connexion/", {"username": f"essai{n}@exemple.test", "password": "faux-mot-de-passe"})
    response = sign_in(client, provider, "claire@region.test")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_unknown_email_counts_as_a_failed_login(client, provider, settings):
    settings.RATE_LIMITS = {"login-ip": (2, 900)}
    UserFactory(regional=True, email="claire@region.test")
    for _ in range(2):
        assert sign_in(client, provider, "inconnu@administration.test").status_code == 403
    assert sign_in(client, provider, "claire@region.test").status_code == 429


def test_the_login_steps_are_never_kept_by_a_cache(client, provider):
    # Each answer carries this visitor's state, nonce or code: no shared cache nor the browser's history keeps it.
    response = client.get("/connexion/proconnect/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    UserFactory(regional=True, email="claire@region.test")
    provider.claims = person(email="claire@region.test")
    callback = client.get(at_provider(start(client)))
    assert "no-store" in callback["Cache-Control"]
