"""The proxy (deploy/nginx.conf, rendered as scripts/prod.py renders it), run for real in front of a small stand-in
application: the application sees the Host with its port; a public page is served from the page cache on the
second request; a visitor with a session, or with a message waiting (Django's ``messages`` cookie, set after a
form's POST), is never served from it nor fills it; an answer that sets a cookie is never stored. Skipped without nginx (``apt-get install nginx-light``;
.ci/stack-check installs it and checks the whole stack)."""

import http.server
import importlib.util
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or next((p for p in ["/usr/sbin/nginx"] if Path(p).exists()), None)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx absent : le cache du mandataire n’est pas vérifié"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Application(http.server.BaseHTTPRequestHandler):
    """Public pages, numbered by the requests that reached the application."""

    served = 0
    COOKIES = {
        # What Django sends after a form's POST (cookie storage of django.contrib.messages) ...
        "/apres-formulaire/": "messages=abc123; Path=/; HttpOnly; SameSite=Lax",
        # ... and on the next page, which shows the message and deletes the cookie.
        "/message-lu/": 'messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
    }

    def do_GET(self):
        type(self).served += 1
        body = f"{self.path} {type(self).served} {self.headers['Host']}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "public, max-age=60")
        self.send_header("Content-Length", str(len(body)))
        if self.path in self.COOKIES:
            self.send_header("Set-Cookie", self.COOKIES[self.path])
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _load_prod():
    spec = importlib.util.spec_from_file_location("prod", BASE / "scripts" / "prod.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    application = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Application)  # the port the system gives
    app_port = application.server_port
    port = _free_port()  # nginx binds its own port from its configuration: chosen free just before
    threading.Thread(target=application.serve_forever, daemon=True).start()
    cfg = {"var": folder, "run": folder / "run", "log": folder / "log", "port": port, "app_port": app_port}
    for sub in (cfg["run"] / "tmp", cfg["run"] / "cache", cfg["log"], folder / "static"):
        sub.mkdir(parents=True, exist_ok=True)
    prod = _load_prod()
    values = prod.local_nginx_values(cfg)
    assert values["SESSION_COOKIE"] == settings.SESSION_COOKIE_NAME
    (cfg["run"] / "nginx.conf").write_text(prod.render_nginx(values))
    with open(cfg["log"] / "nginx.out", "wb") as output:
        nginx = subprocess.Popen(
            [NGINX, "-p", str(cfg["run"]), "-c", str(cfg["run"] / "nginx.conf"), "-g", "daemon off;"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 10
    while not prod.wait_port(port, 0.2):
        if nginx.poll() is not None or time.monotonic() > deadline:
            nginx.kill()
            nginx.wait()
            pytest.fail("nginx n’a pas démarré : " + (cfg["log"] / "nginx.out").read_text()[-2000:])
    yield f"http://127.0.0.1:{port}"
    nginx.send_signal(signal.SIGQUIT)
    try:
        nginx.wait(10)
    except subprocess.TimeoutExpired:
        nginx.kill()
        nginx.wait()
    application.shutdown()
    application.server_close()


def _get(url: str, cookie: str = "") -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (local)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a local address)
        return response.headers.get("X-Cache-Status", ""), response.read().decode()


def test_a_public_page_is_served_from_the_cache(proxy):
    first = _get(proxy + "/public/")
    assert first[0] == "MISS"
    assert _get(proxy + "/public/") == ("HIT", first[1])


def test_a_visitor_with_a_message_waiting_is_never_served_from_the_cache(proxy):
    status, cached = _get(proxy + "/accueil/")
    assert _get(proxy + "/accueil/") == ("HIT", cached)
    # Back from a form's POST, with the message in its cookie: the application answers (and shows it).
    status, body = _get(proxy + "/accueil/", cookie="messages=abc123")
    assert status == "BYPASS"
    assert body != cached
    # ... and that answer did not replace what everyone else is served.
    assert _get(proxy + "/accueil/") == ("HIT", cached)


def test_a_signed_in_visitor_is_never_served_from_the_cache(proxy):
    _, cached = _get(proxy + "/agenda/")
    status, body = _get(proxy + "/agenda/", cookie=f"{settings.SESSION_COOKIE_NAME}=une-session")
    assert (status, body == cached) == ("BYPASS", False)
    assert _get(proxy + "/agenda/") == ("HIT", cached)


@pytest.mark.parametrize("path", ["/apres-formulaire/", "/message-lu/"])
def test_an_answer_that_sets_a_cookie_is_never_stored(proxy, path):
    # Even marked public: the cookie (a message, or its deletion) belongs to one visitor.
    bodies = {_get(proxy + path) for _ in range(3)}
    assert {status for status, _ in bodies} == {"MISS"}
    assert len(bodies) == 3


def test_django_names_its_message_cookie_as_nginx_expects():
    from django.contrib.messages.storage.cookie import CookieStorage

    assert CookieStorage.cookie_name == "messages"
    assert "$cookie_messages" in (BASE / "deploy" / "nginx.conf").read_text()


def test_the_application_sees_the_host_with_its_port(proxy):
    # Django compares a form's Origin (http://127.0.0.1:8080 under `make prod`) with the Host it is given: without
    # the port, every sign-in from a browser was refused (403).
    _, body = _get(proxy + "/hote/")
    assert body.endswith(" " + proxy.removeprefix("http://"))
