"""A local stand-in for the Base Adresse Nationale's « API Adresse » (``/search/?q=…&limit=…[&citycode=…|&postcode=…]``),
answering the recorded answers of tests/territories/data/ by query, filtered by ``citycode``/``postcode`` and cut to
``limit`` as the real service does (and a 400 for a ``q`` it refuses), and, for a few queries, what the real service
does on a bad day: an error 500, a 429 (rate limit), an answer slower than the client's timeout, a body that is not
JSON, a JSON of another shape. It counts the requests it received (``server.requests``).

Also a script, to stand in for the service on a development machine::

    .venv/bin/python -m tests.territories.address_server 8765   # then ADDRESS_LOOKUP_URL=http://127.0.0.1:8765
"""

import json
import sys
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

DATA = Path(__file__).parent / "data"

HOUSENUMBER = "28 avenue henri barbusse"  # a number in a street of Villeurbanne (69266)
STREET = "cours emile zola"  # a street of Villeurbanne, no number
LYON = "20 rue de la republique"  # in Lyon's 2nd arrondissement (69382): Lyon is 69123 for us
MUNICIPALITY = "villeurbanne"  # the commune itself
LOW_SCORE = "3 impasse des peupliers"  # the best match is another street, score 0.32
OUT_OF_RANGE = "1 place ailleurs"  # a latitude of 145.77
UNKNOWN = "rue qui n existe pas"  # no feature
ERROR = "erreur interne"  # the service answers 500
BUSY = "trop de requetes"  # the service answers 429
SLOW = "reponse lente"  # the service answers after the client's timeout
NOT_JSON = "page html"  # an HTML page, as a proxy in front of the service would answer
ODD = "forme bizarre"  # JSON of another shape
SUGGESTIONS = (
    "28 avenue henri"  # several features, two of them odd: any beginning of HOUSENUMBER answers these
)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("'", " ").split())


ANSWERS = {
    HOUSENUMBER: "api_adresse_housenumber.json",
    STREET: "api_adresse_street.json",
    LYON + " lyon": "api_adresse_lyon.json",
    MUNICIPALITY: "api_adresse_municipality.json",
    LOW_SCORE: "api_adresse_low_score.json",
    OUT_OF_RANGE: "api_adresse_out_of_range.json",
    UNKNOWN: "api_adresse_empty.json",
}


def _answer(params: dict, release: threading.Event) -> tuple[int, str, bytes]:
    q = (params.get("q") or [""])[0]
    key = fold(q)
    if key == SLOW:
        release.wait(6)  # longer than the client's 3 s; released at the end of the test
    if key == ERROR:
        return 500, "application/json", b'{"code": 500, "message": "Internal Server Error"}'
    if key == BUSY:
        return 429, "application/json", read("api_adresse_429.json")
    if key == NOT_JSON:
        return 200, "text/html", b"<html><body><h1>Service indisponible</h1></body></html>"
    if key == ODD:
        return 200, "application/json", b'{"type": "FeatureCollection", "features": {"label": "1 rue"}}'
    if len(q.strip()) < 3 or not q.strip()[0].isalnum():
        return 400, "application/json", read("api_adresse_400.json")
    name = ANSWERS.get(key)
    if name is None and HOUSENUMBER.startswith(key):
        name = "api_adresse_suggestions.json"
    if key == SLOW:
        name = "api_adresse_housenumber.json"
    payload = json.loads(read(name or "api_adresse_empty.json"))
    citycode, postcode = (params.get("citycode") or [""])[0], (params.get("postcode") or [""])[0]
    limit = int((params.get("limit") or ["5"])[0])
    features = [
        f
        for f in payload["features"]
        if (not citycode or f["properties"].get("citycode") == citycode)
        and (not postcode or f["properties"].get("postcode") == postcode)
    ]
    payload.update(features=features[:limit], query=q, limit=limit)
    return 200, "application/json", json.dumps(payload, ensure_ascii=False).encode()


class _Search(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.path != "/search/":
            status, kind, body = 404, "application/json", b'{"code": 404, "message": "Not Found"}'
        else:
            status, kind, body = _answer(parse_qs(parts.query), self.server.release)
        try:
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up
            pass

    def log_message(self, *args):
        pass


def start(port: int = 0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), _Search)
    server.requests = []
    server.release = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(name="address_search")
def address_search_fixture(settings):
    """The stand-in, with ``ADDRESS_LOOKUP_URL`` pointing at it."""
    server = start()
    settings.ADDRESS_LOOKUP_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the stand-in listens on 127.0.0.1
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    running = start(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print(f"API Adresse stand-in on http://127.0.0.1:{running.server_address[1]}", flush=True)
    threading.Event().wait()
