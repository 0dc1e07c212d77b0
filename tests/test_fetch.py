"""core.fetch: downloads from untrusted addresses, against real local HTTP servers.

The DNS is outside the machine: a stand-in ``socket.getaddrinfo`` answers for the names of ``.test`` (one answer
after the other, as a rebinding name server would) and passes every other name to the real one.
"""

import ipaddress
import socket
import ssl
import subprocess
import threading
import time
from collections import Counter
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from core import fetch
from core.fetch import FetchError, fetch_url, is_public_address
from tests.conftest import bound_socket

PUBLIC = "93.184.215.14"  # a real global address: the "checked" answer of the rebinding name
BODY = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def resolver(monkeypatch):
    real = socket.getaddrinfo
    answers: dict[str, list] = {}
    lookups = Counter()

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if host not in answers:
            return real(host, port, family, type, proto, flags)
        lookups[host] += 1
        queue = answers[host]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(answer):
            answer = answer()
        if isinstance(answer, Exception):
            raise answer
        if ":" in answer:
            return [(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answer, port, 0, 0))]
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answer, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return SimpleNamespace(answers=answers, lookups=lookups)


class _Handler(BaseHTTPRequestHandler):
    """Answers from ``server.routes``: path -> (status, headers, body), or a callable given the handler."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("Host")))
        route = self.server.routes.get(self.path, (404, {}, b""))
        if callable(route):
            route(self)
            return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve(routes=None, *, host="127.0.0.1", port=0):
    server = ThreadingHTTPServer((host, port), _Handler)
    server.routes = routes or {}
    server.requests = []
    server.stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()


def _slow_headers(handler):
    """The status line, then one header line every half second: each read gets a byte well within any socket
    timeout, so only a deadline on the whole exchange stops it (bounded here so a broken client fails, not hangs)."""
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        handler.wfile.flush()
        for i in range(60):
            if handler.server.stop.wait(0.5):
                return
            handler.wfile.write(f"X-Lent-{i}: encore\r\n".encode())
            handler.wfile.flush()
    except OSError:  # the client gave up
        pass


def _slow_body(handler):
    try:
        handler.send_response(200)
        handler.end_headers()
        for _ in range(60):
            if handler.server.stop.wait(0.3):
                return
            handler.wfile.write(b"X")
            handler.wfile.flush()
    except OSError:
        pass


def _message(url: str, **kwargs) -> str:
    with pytest.raises(FetchError) as caught:
        fetch_url(url, timeout=kwargs.pop("timeout", 2), max_bytes=1000, **kwargs)
    return str(caught.value)


# DNS rebinding: the connection goes to the address that was checked.


def test_fetch_url_rebinding_name_never_reaches_the_local_server(settings, resolver):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = False
    with serve({"/x.ics": (200, {}, BODY)}) as local:
        port = local.server_address[1]
        resolver.answers["rebind.test"] = [PUBLIC, "127.0.0.1"]

        assert _message(f"http://rebind.test:{port}/x.ics", timeout=1) == fetch.UNREACHABLE

    assert local.requests == []
    assert resolver.lookups["rebind.test"] == 1


def test_fetch_url_redirect_to_a_rebinding_name_never_reaches_the_local_server(settings, resolver):
    """The first server is trusted (private hosts allowed until it answers); from its redirect on they are not."""
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve({"/x.ics": (200, {}, BODY)}) as local:
        port = local.server_address[1]
        resolver.answers["rebind.test"] = [PUBLIC, "127.0.0.1"]

        def redirect(handler):
            settings.FETCH_ALLOW_PRIVATE_HOSTS = False
            handler.send_response(302)
            handler.send_header("Location", f"http://rebind.test:{port}/x.ics")
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        local.routes["/depart.ics"] = redirect

        assert _message(f"http://127.0.0.1:{port}/depart.ics", timeout=1) == fetch.UNREACHABLE

    assert [path for path, _host in local.requests] == ["/depart.ics"]
    assert resolver.lookups["rebind.test"] == 1


def test_fetch_url_redirect_to_a_private_address_is_refused(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve({"/x.ics": (200, {}, BODY)}) as local:
        port = local.server_address[1]

        def redirect(handler):
            settings.FETCH_ALLOW_PRIVATE_HOSTS = False
            handler.send_response(302)
            handler.send_header("Location", f"http://[::ffff:127.0.0.1]:{port}/x.ics")
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        local.routes["/depart.ics"] = redirect

        assert _message(f"http://127.0.0.1:{port}/depart.ics") == fetch.UNREACHABLE

    assert [path for path, _host in local.requests] == ["/depart.ics"]


def test_fetch_url_connects_to_the_resolved_address_on_every_hop(settings, resolver):
    """Two servers on the same port of two loopback addresses: the name answers the first, then the second; only
    the first ever sees a request, on the first address as after a redirect."""
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve({"/x.ics": (200, {}, BODY)}, host="127.0.0.2") as checked:
        port = checked.server_address[1]
        with serve(host="127.0.0.1", port=port) as other, serve() as start:
            resolver.answers["rebind.test"] = ["127.0.0.2", "127.0.0.1"]
            assert fetch_url(f"http://rebind.test:{port}/x.ics", timeout=2, max_bytes=1000) == BODY

            resolver.answers["rebind.test"] = ["127.0.0.2", "127.0.0.1"]
            start.routes["/depart.ics"] = (302, {"Location": f"http://rebind.test:{port}/x.ics"}, b"")
            start_url = f"http://127.0.0.1:{start.server_address[1]}/depart.ics"
            assert fetch_url(start_url, timeout=2, max_bytes=1000) == BODY

    assert checked.requests == [("/x.ics", f"rebind.test:{port}")] * 2
    assert other.requests == []


def test_fetch_url_pinned_connection_keeps_the_host_header(settings, resolver):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    resolver.answers["calendrier.test"] = ["127.0.0.1"]
    with serve({"/agenda.ics?annee=2030": (200, {}, BODY)}) as local:
        port = local.server_address[1]
        assert (
            fetch_url(f"http://calendrier.test:{port}/agenda.ics?annee=2030", timeout=2, max_bytes=1000)
            == BODY
        )

    assert local.requests == [("/agenda.ics?annee=2030", f"calendrier.test:{port}")]


# Private and local addresses, in every spelling; one message for every network failure.


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://[::1]/",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:0:127.0.0.1]/",  # IPv4-translated
        "http://[64:ff9b::127.0.0.1]/",  # NAT64
        "http://[64:ff9b::93.184.215.14]/",  # NAT64 of a public address: not plainly global either
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[ff0e::1]/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://2130706433/",  # 127.0.0.1 in decimal
        "http://0177.0.0.1/",  # in octal
        "http://0x7f.1/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://100.64.0.1/",
        "http://192.0.2.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "https://192.168.1.1:8443/",
    ],
)
def test_fetch_url_private_addresses_give_the_network_failure_message(settings, url):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = False
    assert _message(url) == fetch.UNREACHABLE


def test_fetch_url_private_address_closed_port_and_unknown_host_give_one_message(settings, resolver):
    resolver.answers["inconnu.test"] = [socket.gaierror(socket.EAI_NONAME, "Name or service not known")]
    with bound_socket() as closed:  # bound, not listening: the connection is refused
        port = closed.getsockname()[1]
        settings.FETCH_ALLOW_PRIVATE_HOSTS = False
        private = _message(f"http://127.0.0.1:{port}/agenda.ics")
        unknown = _message("http://inconnu.test/agenda.ics")
        settings.FETCH_ALLOW_PRIVATE_HOSTS = True
        refused = _message(f"http://127.0.0.1:{port}/agenda.ics")

    assert private == unknown == refused == fetch.UNREACHABLE


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "2a01:e0a:1::1"])
def test_is_public_address_global_addresses(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://exemple.fr/agenda.ics", "seules les adresses http et https"),
        ("http://exemple.fr:99999/", "vérifiez le numéro de port"),
        ("http:///agenda.ics", "le nom du serveur manque"),
        ("http://exemple.fr/mon agenda.ics", "espaces ou des caractères de contrôle"),
    ],
)
def test_fetch_url_malformed_addresses_say_what_is_wrong(url, message):
    assert message in _message(url)


def test_fetch_url_http_error_of_a_server_that_answered_keeps_its_status(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve() as local, pytest.raises(FetchError) as caught:
        fetch_url(f"http://127.0.0.1:{local.server_address[1]}/absent.ics", timeout=2, max_bytes=1000)

    assert (caught.value.reason, caught.value.status) == ("status", 404)


def test_fetch_url_too_many_redirects(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve() as local:
        local.routes["/boucle.ics"] = (302, {"Location": "/boucle.ics"}, b"")
        assert "Trop de redirections" in _message(f"http://127.0.0.1:{local.server_address[1]}/boucle.ics")

    assert len(local.requests) == fetch.MAX_REDIRECTS + 1


# One deadline for the whole exchange.


def test_fetch_url_slow_headers_are_cut_at_the_deadline(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve({"/lent.ics": _slow_headers}) as local:
        started = time.monotonic()
        assert (
            _message(f"http://127.0.0.1:{local.server_address[1]}/lent.ics", timeout=1.5) == fetch.UNREACHABLE
        )
        elapsed = time.monotonic() - started

    assert elapsed < 5  # a guard on the limit, not a timing: unbounded, this took 30 s


def test_fetch_url_slow_body_without_length_is_cut_not_returned_truncated(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve({"/lent.ics": _slow_body}) as local:
        started = time.monotonic()
        assert (
            _message(f"http://127.0.0.1:{local.server_address[1]}/lent.ics", timeout=1) == fetch.UNREACHABLE
        )
        elapsed = time.monotonic() - started

    assert elapsed < 5


def test_fetch_url_slow_name_resolution_is_cut_at_the_deadline(settings, resolver):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    resolver.answers["lent.test"] = [lambda: time.sleep(4) or "127.0.0.1"]
    started = time.monotonic()

    assert _message("http://lent.test/agenda.ics", timeout=1) == fetch.UNREACHABLE
    assert time.monotonic() - started < 3


def test_fetch_url_https_server_that_never_answers_the_handshake_is_cut(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts the connection (backlog) and never says a word
    try:
        started = time.monotonic()
        assert _message(f"https://127.0.0.1:{silent.getsockname()[1]}/", timeout=1) == fetch.UNREACHABLE
        assert time.monotonic() - started < 4
    finally:
        silent.close()


def test_fetch_url_size_limit_while_reading(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    with serve() as local:

        def big(handler):
            handler.send_response(200)
            handler.send_header("Connection", "close")
            handler.end_headers()
            with suppress(OSError):
                handler.wfile.write(b"X" * 5000)

        local.routes["/gros.ics"] = big
        with pytest.raises(FetchError) as caught:
            fetch_url(f"http://127.0.0.1:{local.server_address[1]}/gros.ics", timeout=2, max_bytes=1000)

    assert caught.value.reason == "too_big"


# https on a pinned connection: the certificate is checked against the name, which is also the TLS server name.


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A certificate authority of the test and a certificate of ``calendrier.test`` it signed (openssl)."""
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    # Python 3.13 checks certificates strictly (X509_STRICT): key usages and key identifiers are needed.
    ca = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Autorite de test", *ca)  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "site.key", "-out", "site.csr",
            "-subj", "/CN=calendrier.test")  # fmt: skip
    (folder / "site.cnf").write_text(
        "subjectAltName=DNS:calendrier.test\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
    )
    openssl("x509", "-req", "-in", "site.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "site.pem", "-days", "2", "-extfile", "site.cnf")  # fmt: skip
    return folder


@contextmanager
def serve_tls(certificates, routes):
    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "site.pem", certificates / "site.key")
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    with serve(routes) as server:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.server_names = names
        yield server


def test_fetch_url_https_checks_the_certificate_against_the_name(
    settings, resolver, certificates, monkeypatch
):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))  # the test's authority, trusted
    resolver.answers["calendrier.test"] = ["127.0.0.1"]
    resolver.answers["autre.test"] = ["127.0.0.1"]
    with serve_tls(certificates, {"/agenda.ics": (200, {}, BODY)}) as local:
        port = local.server_address[1]
        assert fetch_url(f"https://calendrier.test:{port}/agenda.ics", timeout=3, max_bytes=1000) == BODY
        # The same server under another name: its certificate does not say that name.
        with pytest.raises(FetchError) as caught:
            fetch_url(f"https://autre.test:{port}/agenda.ics", timeout=3, max_bytes=1000)

    assert str(caught.value) == fetch.UNREACHABLE
    assert "Hostname mismatch" in str(caught.value.__cause__)

    assert local.requests == [("/agenda.ics", f"calendrier.test:{port}")]
    assert local.server_names[0] == "calendrier.test"
