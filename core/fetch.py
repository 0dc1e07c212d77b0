"""Downloads from addresses that someone outside the team typed (a partner's calendar) or that a remote API gives.

``fetch_url`` guarantees:

* Only ``http`` and ``https``; at most ``MAX_REDIRECTS`` redirections, each checked like the first address.
* Never a server of a private or local network (loopback, RFC 1918, link-local, carrier-grade NAT, multicast,
  reserved, and IPv6 forms that carry such an IPv4: mapped, compatible, translated, NAT64, 6to4, Teredo), unless
  the setting ``FETCH_ALLOW_PRIVATE_HOSTS`` says so (tests, a development machine). The host name is resolved
  once per hop and the connection is opened to the very address that was checked (DNS rebinding cannot swap in
  another one); the ``Host`` header, the TLS server name and the certificate check still use the name.
* ``timeout`` bounds the whole exchange: name resolution, connection, TLS, status line, headers, body, every hop
  together. Each socket operation is given the time left, and a watchdog shuts the socket down at the deadline
  (a server trickling one header line at a time cannot hold us).
* No more than ``max_bytes`` is read.
* Every failure is a ``FetchError`` with a French message. Every network failure (unknown name, private address,
  refused, reset, timeout, TLS) gives the same message, so the form where an address is typed tells nothing about
  which ports answer on which machine.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
DEFAULT_USER_AGENT = "osez-ia-ambassadeurs/1.0"

UNREACHABLE = "Le téléchargement à cette adresse a échoué : vérifiez-la ou réessayez plus tard."

# IPv6 unicast that is routed on the Internet is 2000::/3; everything else (::/8 with the IPv4-compatible and
# IPv4-mapped forms, ::ffff:0:0:0/96, 64:ff9b::/96 NAT64, fc00::/7, fe80::/10, ff00::/8…) is refused outright.
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")


class FetchError(Exception):
    """A download failed; ``str()`` is the French message. ``reason`` is one of ``"scheme"`` (neither http nor
    https), ``"address"`` (malformed), ``"unreachable"`` (any network failure, private addresses included),
    ``"status"`` (a checked server answered an error; ``status`` holds the code), ``"too_big"``, ``"redirects"``
    (more than ``MAX_REDIRECTS``)."""

    def __init__(self, message: str, *, reason: str, status: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.status = status


def _unreachable() -> FetchError:
    return FetchError(UNREACHABLE, reason="unreachable")


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is plainly a server of the Internet. Conservative: what is not clearly global is not."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id or address not in _GLOBAL_UNICAST_V6:
            return False
        embedded = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
        if not all(is_public_address(v4) for v4 in embedded if v4 is not None):
            return False
    return address.is_global and not address.is_multicast and not address.is_reserved


class _Deadline:
    """The time left for the whole exchange, and the watchdog that shuts the current socket down when it is over:
    socket timeouts bound each operation, not a server that sends one byte just before each one expires."""

    def __init__(self, seconds: float):
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self._socket = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds left; a ``FetchError`` when none."""
        left = self.ends_at - time.monotonic()
        if self.expired or left <= 0:
            raise _unreachable()
        return left

    def watch(self, sock) -> None:
        with self._lock:
            self._socket = sock
            if self.expired:
                self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._socket is None:
            return
        # socket.socket's own shutdown, not SSLSocket's: that one drops the TLS object under a running read.
        # OSError: already closed, or never connected.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(self._socket, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _resolve(host: str, port: int, deadline: _Deadline) -> list[tuple]:
    """The (family, address) pairs for ``host``, checked. getaddrinfo has no timeout of its own: it runs in a
    thread that is given up at the deadline (it ends when the system resolver does)."""
    found: dict = {}

    def lookup():
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as exc:
            found["error"] = exc

    resolver = threading.Thread(target=lookup, daemon=True)
    resolver.start()
    resolver.join(deadline.left())
    if "infos" not in found:
        raise _unreachable()
    targets = []
    for family, _type, _proto, _name, sockaddr in found["infos"]:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        target = (family, sockaddr)
        if target not in targets:
            targets.append(target)
    if not targets:
        raise _unreachable()
    if not settings.FETCH_ALLOW_PRIVATE_HOSTS:
        for _family, sockaddr in targets:
            try:
                address = ipaddress.ip_address(sockaddr[0])
            except ValueError:  # a zone suffix (fe80::1%eth0): local by definition
                raise _unreachable() from None
            if isinstance(address, ipaddress.IPv6Address) and len(sockaddr) > 3 and sockaddr[3]:
                raise _unreachable()
            if not is_public_address(address):
                raise _unreachable()
    return targets


def _open_socket(targets: list[tuple], deadline: _Deadline) -> socket.socket:
    """A TCP connection to one of the checked addresses, never to a name resolved again."""
    for family, sockaddr in targets:
        sock = socket.socket(family, socket.SOCK_STREAM)
        deadline.watch(sock)
        try:
            sock.settimeout(deadline.left())
            sock.connect(sockaddr)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except FetchError:
            sock.close()
            raise
        except OSError:
            sock.close()
    raise _unreachable()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """http.client with ``connect`` opened to the checked addresses; ``self.host`` stays the name (Host header)."""

    def __init__(self, host: str, port: int, *, targets: list[tuple], deadline: _Deadline):
        super().__init__(host, port, timeout=deadline.left())
        self._targets = targets
        self._deadline = deadline

    def connect(self):
        # Kept apart: http.client forgets self.sock once a "Connection: close" response is read.
        self.sock = self.pinned_socket = _open_socket(self._targets, self._deadline)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same for https: TLS on the pinned socket, with the name as SNI and for the certificate check."""

    def __init__(self, host: str, port: int, *, targets: list[tuple], deadline: _Deadline):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=deadline.left(), context=self._tls)
        self._targets = targets
        self._deadline = deadline

    def connect(self):
        sock = _open_socket(self._targets, self._deadline)
        try:
            tls = self._tls.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
        except Exception:
            sock.close()
            raise
        self.sock = self.pinned_socket = tls
        # The handshake is under the watchdog too: wrap_socket moved the connection into a new socket object.
        self._deadline.watch(tls)
        tls.settimeout(self._deadline.left())
        tls.do_handshake()


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of ``url``, or a ``FetchError`` saying what is wrong with it."""
    url = (url or "").strip()
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise FetchError(
            "Adresse invalide : elle contient des espaces ou des caractères de contrôle.", reason="address"
        )
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            "Adresse refusée : seules les adresses http et https sont acceptées.", reason="scheme"
        )
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise FetchError("Adresse invalide : vérifiez le numéro de port.", reason="address") from exc
    if not host:
        raise FetchError("Adresse invalide : le nom du serveur manque.", reason="address")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if not path.isascii():  # http.client sends the request line in ASCII; browsers percent-encode the rest
        path = quote(path, safe="/?&=%:@!$'()*+,;~")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _read_body(response: http.client.HTTPResponse, sock, deadline: _Deadline, max_bytes: int) -> bytes:
    too_big = FetchError(
        f"Le document dépasse la taille maximale ({max_bytes / 1_000_000:g} Mo).", reason="too_big"
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    chunks, total = [], 0
    while not response.isclosed():  # http.client closes the socket itself once the declared length is read
        sock.settimeout(deadline.left())
        chunk = response.read1(65536)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise too_big
        chunks.append(chunk)
    # The watchdog's shutdown looks like the end of a body without Content-Length: a cut body is not a body.
    deadline.left()
    return b"".join(chunks)


def fetch_url(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    accept: str = "*/*",
    user_agent: str = DEFAULT_USER_AGENT,
) -> bytes:
    """The body at ``url`` (see the module docstring for what is guaranteed)."""
    deadline = _Deadline(timeout)
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            scheme, host, port, path = _target(url)
            targets = _resolve(host, port, deadline)
            connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
            connection = connection_class(host, port, targets=targets, deadline=deadline)
            response = None
            try:
                connection.request(
                    "GET", path, headers={"User-Agent": user_agent, "Accept": accept, "Connection": "close"}
                )
                response = connection.getresponse()
                deadline.left()  # headers complete only if the watchdog did not cut them
                location = response.headers.get("Location")
                if response.status in REDIRECT_STATUSES and location:
                    url = urljoin(url, location.strip())
                    continue
                if not 200 <= response.status < 300:
                    raise FetchError(
                        f"Le serveur a répondu par une erreur {response.status} : vérifiez l’adresse.",
                        reason="status",
                        status=response.status,
                    )
                return _read_body(response, connection.pinned_socket, deadline, max_bytes)
            finally:
                if response is not None:
                    response.close()
                connection.close()
        raise FetchError("Trop de redirections : vérifiez l’adresse.", reason="redirects")
    except FetchError:
        raise
    except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, reset, TLS, bad status line…
        raise _unreachable() from exc
    finally:
        deadline.cancel()
