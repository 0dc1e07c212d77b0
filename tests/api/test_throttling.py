"""Rate limits of the API: per address for anonymous reads (an X-Forwarded-For header does not make a new address
unless a proxy is declared), per key for partners (anonymous readers are not held to the keys' rate), and per address
for failed authentications (a key cannot be guessed cheaply). Low rates from the settings keep the tests fast."""

import pytest

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
PARTNER_URL = "/api/v1/partenaires/evenements"


def test_forged_x_forwarded_for_does_not_escape_the_anonymous_limit(client, settings):
    settings.API_ANON_RATE = "3/m"
    settings.AXES_IPWARE_PROXY_COUNT = None  # no proxy in front: the address is REMOTE_ADDR

    statuses = [
        client.get("/api/v1/regions", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


def test_behind_one_proxy_each_client_has_its_own_anonymous_limit(client, settings):
    settings.API_ANON_RATE = "2/m"
    settings.AXES_IPWARE_PROXY_COUNT = 1

    def get(forwarded):
        return client.get("/api/v1/regions", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # The proxy appends the address it received from; what the client wrote before it does not count.
    assert [get("203.0.113.1"), get("forged, 203.0.113.1"), get("203.0.113.1")] == [200, 200, 429]
    assert get("203.0.113.2") == 200


def test_anonymous_reads_are_not_held_to_the_keys_rate(client, settings):
    settings.API_ANON_RATE = "6/m"
    settings.API_KEY_RATE = "2/m"

    statuses = [client.get("/api/v1/regions").status_code for _ in range(7)]

    assert statuses == [200] * 6 + [429]


def test_a_key_is_limited_to_the_keys_rate(client, settings, partner_key):
    settings.API_ANON_RATE = "100/m"
    settings.API_KEY_RATE = "2/m"

    statuses = [client.get(PARTNER_URL, **bearer(partner_key.raw)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/regions").status_code == 200  # the address still reads as anonymous


def test_failed_authentications_are_limited_per_address(client, settings, partner_key):
    settings.API_AUTH_FAILURE_RATE = "3/m"
    wrong = bearer(partner_key.prefix + ".mauvaise-cle")

    statuses = [
        client.get(PARTNER_URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}", **wrong).status_code for n in range(3)
    ]
    blocked = client.get(PARTNER_URL, **wrong)
    right_key_too = client.get(PARTNER_URL, **bearer(partner_key.raw))
    other_address = client.get(PARTNER_URL, REMOTE_ADDR="192.0.2.7", **bearer(partner_key.raw))

    assert statuses == [401, 401, 401]
    assert blocked.status_code == right_key_too.status_code == 429
    assert blocked.json() == {
        "message": "Trop d’échecs d’authentification depuis cette adresse : réessayez dans quelques minutes.",
        "erreurs": {},
    }
    assert int(blocked["Retry-After"]) == 60
    assert right_key_too.json() == blocked.json()
    assert other_address.status_code == 200
