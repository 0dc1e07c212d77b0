"""A local stand-in for the « API Recherche d’entreprises » (``/search?q=<siret>``), answering the recorded answers
of tests/territories/data/ by SIRET, and, for a few SIRETs, what the real service does on a bad day: an error 500,
a 429 (rate limit), an answer slower than the client's timeout, a JSON of another shape. It counts the requests it
received (``server.requests``), to show what the cache saves. Shared by the territories and the forms' tests.

recherche_entreprises_recorded.json is an answer of the live service, as recorded and published with the command
that gave it (``curl "https://recherche-entreprises.api.gouv.fr/search?q=carrefour&page=1&per_page=1"``, its
``date_mise_a_jour`` of 16 November 2025): public register data of a company, no person in it. The others are
written in its shape, for the cases a live answer cannot be asked for (an establishment apart from the head
office, a name not to be diffused)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

DATA = Path(__file__).parent / "data"

FOUND = "73282932000074"  # an establishment in Lyon (69003) of a company whose head office is in Toulouse
HEAD_OFFICE = "73282932000017"  # the same company's head office, in Toulouse
UNKNOWN = "55210055400013"  # a valid key, no such company: an empty result list
ERROR = "40483304800022"  # the service answers 500
BUSY = "35600000000048"  # the service answers 429
SLOW = "44306184100047"  # the service answers after the client's timeout
ODD = "12345678200010"  # an answer of another shape
OTHER = "81234567600009"  # the search answers another company
RECORDED = "51076150500013"  # the live service's recorded answer: Le Cannet, no employee (NN)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


class _Search(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        siret = (parse_qs(urlsplit(self.path).query).get("q") or [""])[0]
        if siret == SLOW:
            self.server.release.wait(6)  # longer than the client's 3 s; released at the end of the test
        status, body = {
            FOUND: (200, read("recherche_entreprises_found.json")),
            HEAD_OFFICE: (200, read("recherche_entreprises_found.json")),
            UNKNOWN: (200, read("recherche_entreprises_empty.json")),
            ERROR: (500, b'{"erreur": "Erreur interne"}'),
            BUSY: (429, read("recherche_entreprises_429.json")),
            SLOW: (200, read("recherche_entreprises_found.json")),
            ODD: (200, b'{"results": {"siren": "123456782"}, "total_results": "un"}'),
            OTHER: (200, read("recherche_entreprises_found.json")),
            RECORDED: (200, read("recherche_entreprises_recorded.json")),
        }.get(siret, (200, read("recherche_entreprises_empty.json")))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(name="company_search")
def company_search_fixture(settings):
    """The stand-in, with ``SIRET_LOOKUP_URL`` pointing at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Search)
    server.requests = []
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIRET_LOOKUP_URL = f"http://127.0.0.1:{server.server_address[1]}/search"
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the stand-in listens on 127.0.0.1
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
