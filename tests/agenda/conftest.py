"""Helpers shared by the agenda tests: the people who contribute and moderate, what the contribution form receives,
a reader of the iCalendar feed, and the local calendar server of the import tests (``calendar_server``)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import icalendar
import pytest

from agenda import imports
from agenda.enums import Format, Mode, Status
from ambassadors.models import Topic
from territories.models import NafActivity, Region
from tests.agenda.factories import in_days
from tests.agenda.imports_helpers import read
from tests.factories import AmbassadorFactory, UserFactory

PASSWORD = "mot-de-passe-de-test"  # tests.factories.UserFactory


def ambassador_user(*, trusted: bool = False, region: str = "84", **user_fields):
    """An ambassador's account with its published profile in ``region``."""
    user = UserFactory(**user_fields)
    AmbassadorFactory(user=user, published=True, regions=[region], is_trusted_contributor=trusted)
    return user


def regional_user(code: str = "84", **user_fields):
    return UserFactory(regional=True, region=Region.objects.get(code=code), **user_fields)


def as_user(client, user):
    """The client, logged in as ``user`` (logged out for None)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def contribution_data(**overrides) -> dict:
    """The POST of /espace/evenements/nouveau/: a café IA in Lyon (69001), in 30 days from 14 h 30 to 17 h, times
    entered in the event’s zone. ``None`` removes a field."""
    day = in_days(30)
    data = {
        "title": "Café IA des dirigeants lyonnais",
        "description": "Des **cas concrets** d’IA dans les PME de la région.",
        "starts_at": f"{day:%Y-%m-%d}T14:30",
        "ends_at": f"{day:%Y-%m-%d}T17:00",
        "timezone": "",
        "mode": Mode.IN_PERSON.value,
        "venue_name": "Maison des entreprises",
        "address": "12 rue de la République",
        "postcode": "69001",
        "region": "",
        "online_url": "",
        "format": Format.CAFE_IA.value,
        "audience": "Dirigeants de PME",
        "sectors": [str(NafActivity.objects.get(version="rev2", level="section", code="C").pk)],
        "topics": [str(Topic.objects.get(slug="production").pk)],
        "is_free": "1",
        "registration_url": "https://inscriptions.exemple.fr/cafe-ia",
        "organizer_name": "CCI Lyon Métropole",
        "organizer_url": "https://www.lyon-metropole.cci.fr",
        "status": Status.SCHEDULED.value,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def ics_events(content: bytes) -> dict[str, icalendar.Event]:
    """The VEVENTs of an iCalendar body, by UID."""
    calendar = icalendar.Calendar.from_ical(content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def ambassador():
    return ambassador_user(first_name="Amandine", last_name="Contributrice")


@pytest.fixture
def regional():
    return regional_user("84", first_name="Corentin", last_name="Coordinateur")


# The calendar server of the import tests (tests/agenda/test_imports_remote.py, test_imports_back_office.py).


class _Calendars(BaseHTTPRequestHandler):
    big = b"BEGIN:VCALENDAR\r\n" + b"X" * imports.MAX_BYTES + b"\r\nEND:VCALENDAR\r\n"

    def do_GET(self):
        if self.path == "/lent.ics":
            self.server.release.wait(5)  # longer than the client's timeout; released at the end of the test
        if self.path == "/en-tetes-lents.ics":
            self.slow_headers()
            return
        routes = {
            "/agenda.ics": (200, read("forever.ics")),
            "/lent.ics": (200, read("forever.ics")),
            "/trop-gros.ics": (200, self.big),
            "/page.ics": (200, read("not_a_calendar.ics")),
            "/absent.ics": (404, b"introuvable"),
        }
        if self.path == "/redirection.ics":
            self.send_response(302)
            self.send_header("Location", "/agenda.ics")
            self.end_headers()
            return
        status, body = routes.get(self.path, (404, b""))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            if self.path != "/trop-gros.ics":  # no Content-Length: the limit applies while reading
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout, size limit)
            pass

    def slow_headers(self):
        """One header line every half second: every read gets its byte in time, only a deadline on the whole
        download stops it (30 s at most, so that a client without one fails rather than hangs)."""
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(60):
                if self.server.release.wait(0.5):
                    return
                self.wfile.write(f"X-Lent-{i}: encore\r\n".encode())
                self.wfile.flush()
        except OSError:  # the client gave up
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def calendar_server(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the test server is on 127.0.0.1
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Calendars)
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
