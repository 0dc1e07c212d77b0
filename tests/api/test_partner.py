"""Partners push events with a scoped key: the event waits for moderation, then is public; a bad key is a 401, outside
its scope a 403, another partner's event a 404; a revoked key is refused; a change of what was moderated goes back to
moderation, a change of status alone does not; keys are stored hashed; national coordinators issue and revoke them."""

import pytest

from agenda.enums import Moderation
from agenda.models import Event
from api.models import ApiKey, key_hash
from core.dates import OUT_OF_RANGE
from core.models import AuditEntry
from tests.agenda.conftest import regional_user
from tests.api.conftest import bearer, event_payload, issue_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/partenaires/evenements"


def push(client, key_raw, **overrides):
    return client.post(URL, event_payload(**overrides), content_type="application/json", **bearer(key_raw))


def put(client, key_raw, event_id, **overrides):
    return client.put(
        f"{URL}/{event_id}", event_payload(**overrides), content_type="application/json", **bearer(key_raw)
    )


def test_partner_event_waits_for_moderation_then_is_public(
    client, partner_key, smtp_inbox, django_capture_on_commit_callbacks
):
    response = push(client, partner_key.raw)

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["moderation"] == "submitted"
    event = Event.objects.get(pk=data["id"])
    assert (event.partner_key, event.region_id, event.departement_id, event.source_uid) == (
        partner_key,
        "76",
        "31",
        "cci-occ-2027-001",
    )
    assert event.starts_at.isoformat() == "2027-03-11T13:30:00+00:00"  # 14:30 Paris time (no offset given)
    assert client.get("/api/v1/evenements").json()["total"] == 0
    assert client.get(f"/agenda/{event.slug}/").status_code == 404

    coordinator = regional_user("76")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/espace/evenements/{event.pk}/moderer/", {"action": "publish", "reason": ""})
    client.logout()

    event.refresh_from_db()
    assert event.moderation == Moderation.PUBLISHED
    assert [e["identifiant"] for e in client.get("/api/v1/evenements").json()["resultats"]] == [event.slug]
    [mail] = smtp_inbox.to("agenda@cci-occitanie.test")  # the partner is told
    assert "publié" in mail["Subject"]


def test_partner_time_with_offset_is_kept(client, partner_key):
    response = push(
        client, partner_key.raw, debut="2027-03-11T14:30:00+04:00", fin="2027-03-11T16:00:00+04:00"
    )

    assert Event.objects.get(pk=response.json()["id"]).starts_at.isoformat() == "2027-03-11T10:30:00+00:00"


def test_header_x_api_key_also_works(client, partner_key):
    response = client.post(
        URL, event_payload(), content_type="application/json", HTTP_X_API_KEY=partner_key.raw
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    "header", [{}, bearer("oia_00000000.faux"), bearer("n’importe quoi"), bearer("x" * 500)]
)
def test_bad_or_missing_key_is_401_in_french(client, partner_key, header):
    response = client.post(URL, event_payload(), content_type="application/json", **header)

    assert response.status_code == 401
    assert response.json()["message"] == "Clé d’API absente, inconnue ou révoquée."
    assert not Event.objects.exists()


def test_revoked_key_is_refused(client, partner_key, national):
    client.force_login(national)
    client.post(f"/espace/cles-api/{partner_key.pk}/revoquer/")
    client.logout()

    response = push(client, partner_key.raw)

    assert response.status_code == 401
    assert not Event.objects.exists()
    assert AuditEntry.objects.filter(action="api_key.revoke", object_id=str(partner_key.pk)).exists()


def test_event_outside_the_key_regions_is_403(client, partner_key):
    response = push(client, partner_key.raw, code_postal="69001")

    assert response.status_code == 403
    assert "Auvergne-Rhône-Alpes" in response.json()["message"]
    assert not Event.objects.exists()


def test_another_partners_event_is_404_as_if_it_did_not_exist(client, partner_key, national):
    other = issue_key(national, "French Tech Toulouse", "ft@exemple.test", ["76"])
    event_id = push(client, other.raw).json()["id"]

    response = put(client, partner_key.raw, event_id, titre="Détourné")
    unknown = put(client, partner_key.raw, Event.objects.order_by("pk").last().pk + 1000)
    too_large = put(client, partner_key.raw, 99999999999999999999999)

    assert response.status_code == unknown.status_code == too_large.status_code == 404
    assert (
        response.json()
        == unknown.json()
        == too_large.json()
        == {
            "message": "Événement introuvable parmi ceux envoyés avec cette clé.",
            "erreurs": {},
        }
    )
    assert Event.objects.get(pk=event_id).title == "Café IA des dirigeants toulousains"


def test_moving_own_event_outside_the_key_regions_is_403(client, partner_key):
    event_id = push(client, partner_key.raw).json()["id"]

    response = put(client, partner_key.raw, event_id, code_postal="69001")

    assert response.status_code == 403
    assert "Auvergne-Rhône-Alpes" in response.json()["message"]
    assert Event.objects.get(pk=event_id).region_id == "76"


def test_significant_update_of_published_event_goes_back_to_moderation(client, partner_key):
    event_id = push(client, partner_key.raw).json()["id"]
    Event.objects.filter(pk=event_id).update(moderation=Moderation.PUBLISHED)

    response = client.put(
        f"{URL}/{event_id}", event_payload(titre="Café IA – nouvelle date", debut="2027-03-12T14:30:00",
                                          fin="2027-03-12T17:00:00"),
        content_type="application/json", **bearer(partner_key.raw),
    )  # fmt: skip

    assert response.status_code == 200
    event = Event.objects.get(pk=event_id)
    assert (event.moderation, event.sequence, event.title) == (
        Moderation.SUBMITTED,
        1,
        "Café IA – nouvelle date",
    )


def published(client, key, **overrides) -> Event:
    """An event pushed with ``key``, then published by the moderators."""
    event_id = push(client, key.raw, **overrides).json()["id"]
    Event.objects.filter(pk=event_id).update(moderation=Moderation.PUBLISHED, sequence=1)
    return Event.objects.get(pk=event_id)


@pytest.fixture
def two_regions_key(national):
    return issue_key(national, "Réseau interrégional", "agenda@reseau.test", ["76", "84"])


@pytest.mark.parametrize(
    "change",
    [
        {"secteurs": ["J"]},
        {"thematiques": ["donnees"]},
        {"public": "Gagnez des bitcoins"},
        {"format": "webinaire"},
        {"gratuit": False},
        {"code_postal": "34000"},  # Montpellier: another département of Occitanie
    ],
)
def test_partner_change_of_a_moderated_field_goes_back_to_moderation(client, partner_key, change):
    event = published(client, partner_key)

    response = put(client, partner_key.raw, event.pk, **change)

    assert response.status_code == 200, response.content
    assert response.json()["moderation"] == "submitted"
    assert Event.objects.get(pk=event.pk).moderation == Moderation.SUBMITTED
    assert client.get("/api/v1/evenements").json()["total"] == 0


def test_partner_moving_event_to_another_of_its_regions_goes_back_to_moderation(client, two_regions_key):
    online = {"code_postal": "", "modalite": "online", "lien_en_ligne": "https://visio.exemple.fr/cafe-ia"}
    event = published(client, two_regions_key, region="76", **online)

    response = put(client, two_regions_key.raw, event.pk, region="84", **online)

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.region_id, event.moderation) == ("84", Moderation.SUBMITTED)


def test_partner_cancelling_keeps_event_published_and_raises_sequence(client, partner_key):
    event = published(client, partner_key)

    response = put(client, partner_key.raw, event.pk, statut="cancelled")

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.moderation, event.status, event.sequence) == (Moderation.PUBLISHED, "cancelled", 2)
    [public] = client.get("/api/v1/evenements").json()["resultats"]
    assert public["statut"] == "cancelled"


def test_partner_same_body_again_changes_nothing(client, partner_key):
    event = published(client, partner_key)

    response = put(client, partner_key.raw, event.pk)

    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.moderation, event.sequence) == (Moderation.PUBLISHED, 1)
    assert list(event.sectors.values_list("code", flat=True)) == ["C"]


def test_partner_corrects_a_refused_event_which_goes_back_to_moderation(client, partner_key):
    event_id = push(client, partner_key.raw).json()["id"]
    coordinator = regional_user("76")
    client.force_login(coordinator)
    client.post(
        f"/espace/evenements/{event_id}/moderer/", {"action": "refuse", "reason": "Lien d’inscription cassé"}
    )
    client.logout()
    refused = client.get(URL, **bearer(partner_key.raw)).json()["resultats"][0]
    assert (refused["moderation"], refused["motif_refus"]) == ("refused", "Lien d’inscription cassé")

    response = put(client, partner_key.raw, event_id, lien_inscription="https://www.toulouse.cci.fr/ok")

    assert response.status_code == 200, response.content
    assert response.json()["moderation"] == "submitted"
    event = Event.objects.get(pk=event_id)
    assert (event.moderation, event.registration_url) == (
        Moderation.SUBMITTED,
        "https://www.toulouse.cci.fr/ok",
    )
    assert client.get("/api/v1/evenements").json()["total"] == 0


def test_update_with_a_revoked_key_is_401(client, partner_key, national):
    from api import services

    event = published(client, partner_key)
    services.api_key_revoke(by=national, key=partner_key)

    response = put(client, partner_key.raw, event.pk, titre="Après révocation")

    assert response.status_code == 401
    assert response.json()["message"] == "Clé d’API absente, inconnue ou révoquée."
    assert Event.objects.get(pk=event.pk).title == "Café IA des dirigeants toulousains"


def test_same_external_id_twice_is_409(client, partner_key):
    assert push(client, partner_key.raw).status_code == 201
    response = push(client, partner_key.raw)

    assert response.status_code == 409
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code_postal": "99999"}, "code_postal"),
        ({"code_postal": "", "region": ""}, "region"),
        ({"format": "rave"}, "format"),
        ({"modalite": "online", "lien_en_ligne": ""}, "lien_en_ligne"),
        ({"fin": "2027-03-11T10:00:00"}, "fin"),
        ({"fuseau_horaire": "Mars/Olympus"}, "fuseau_horaire"),
        ({"thematiques": ["astrologie"]}, "thematiques"),
        ({"secteurs": ["Z"]}, "secteurs"),
        ({"lien_inscription": "javascript:alert(1)"}, "lien_inscription"),
        ({"debut": "1850-01-01T10:00:00"}, "debut"),
    ],
)
def test_invalid_event_is_a_400_with_french_errors_per_field(client, partner_key, overrides, field):
    response = push(client, partner_key.raw, **overrides)

    assert response.status_code == 400
    assert field in response.json()["erreurs"]
    assert not Event.objects.exists()


@pytest.mark.parametrize("body", ["[]", '{"titre": 3}', '{"debut": "demain"}', "null"])
def test_invalid_json_data_is_422_in_french(client, partner_key, body):
    response = client.post(URL, body, content_type="application/json", **bearer(partner_key.raw))

    assert response.status_code == 422
    assert response.json()["message"] == "Paramètres ou données invalides : voyez le détail par champ."


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{", "application/json"), ('{"titre": "Café IA",', "application/json"), ("titre=Café", "text/plain")],
)
def test_malformed_json_body_is_a_400_in_french(client, partner_key, body, content_type):
    response = client.post(URL, body, content_type=content_type, **bearer(partner_key.raw))

    assert response.status_code == 400
    assert response.json() == {
        "message": "JSON invalide : le corps de la requête doit être un objet JSON bien formé.",
        "erreurs": {},
    }
    assert not Event.objects.exists()


def test_partner_lists_its_own_events_only(client, partner_key, national):
    push(client, issue_key(national, "Autre", "a@exemple.test", ["76"]).raw)
    push(client, partner_key.raw, identifiant_externe="mine")

    data = client.get(URL, **bearer(partner_key.raw)).json()

    assert [e["identifiant_externe"] for e in data["resultats"]] == ["mine"]


def test_keys_are_stored_hashed_and_issued_by_national_coordination_only(client, national):
    client.force_login(national)
    response = client.post(
        "/espace/cles-api/",
        {"name": "CCI Bretagne", "contact_email": "agenda@cci-bretagne.test", "regions": ["53"]},
    )

    assert response.status_code == 200
    key = ApiKey.objects.get(name="CCI Bretagne")
    raw = response.context["new_key"]
    assert raw.startswith(key.prefix + ".")
    assert key.hashed_key == key_hash(raw) and raw not in key.hashed_key
    assert raw not in str(list(ApiKey.objects.values()))
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="api_key.issue").count() == 1
    # Shown once: the list does not show it again.
    assert raw not in client.get("/espace/cles-api/").content.decode()


@pytest.mark.parametrize("role", ["anonymous", "ambassador", "reviewer", "regional"])
def test_key_pages_are_for_national_coordination_only(client, partner_key, role):
    users = {
        "anonymous": None,
        "ambassador": UserFactory(),
        "reviewer": UserFactory(reviewer=True),
        "regional": regional_user("76"),
    }
    if users[role]:
        client.force_login(users[role])

    page = client.get("/espace/cles-api/")
    revoke = client.post(f"/espace/cles-api/{partner_key.pk}/revoquer/")

    assert page.status_code == revoke.status_code == (302 if role == "anonymous" else 403)
    partner_key.refresh_from_db()
    assert partner_key.revoked_at is None


def test_key_form_errors_are_400_in_french(client, national):
    client.force_login(national)

    response = client.post(
        "/espace/cles-api/", {"name": "", "contact_email": "pas-une-adresse", "regions": ["zz"]}
    )

    assert response.status_code == 400
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize(
    "field", ["titre", "description", "identifiant_externe", "region", "secteurs", "thematiques"]
)
def test_nul_character_in_a_partner_event_is_a_400(client, partner_key, field):
    value = ["C\x00"] if field in ("secteurs", "thematiques") else "x\x00y"

    response = push(client, partner_key.raw, **{field: value})

    assert response.status_code == 400
    assert response.json()["erreurs"][field] == ["Caractère nul interdit."]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"debut": "0001-01-01T00:00:00", "fin": "0001-01-01T02:00:00"},
        {"debut": "9999-12-31T20:00:00", "fin": "9999-12-31T23:00:00", "fuseau_horaire": "America/Cayenne"},
        {"debut": "0001-01-01T00:00:00+14:00", "fin": "2027-03-11T17:00:00"},
        {"fin": "9999-12-31T23:59:59-12:00"},
        # the day on the clock it is written with: 2000 in UTC, still 1999 where it was typed
        {"debut": "1999-12-31T23:30:00-01:00"},
        # and on the event's own clock: 3 a.m. on 1 January 2101 in Toulouse
        {"debut": "2100-12-31T20:00:00-03:00", "fin": "2100-12-31T23:00:00-03:00"},
    ],
)
def test_event_with_far_dates_is_a_400_with_the_forms_message(client, partner_key, overrides):
    response = push(client, partner_key.raw, **overrides)

    assert response.status_code == 400
    errors = response.json()["erreurs"]
    assert OUT_OF_RANGE in errors.get("debut", []) + errors.get("fin", [])
    assert not Event.objects.exists()


def test_event_on_the_last_evening_of_2100_is_accepted_and_public_once_published(client, partner_key):
    response = push(
        client,
        partner_key.raw,
        debut="2100-12-31T20:00:00-03:00",
        fin="2100-12-31T23:00:00-03:00",
        fuseau_horaire="America/Cayenne",
    )

    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert event.ends_at.year == 2101  # in UTC
    Event.objects.filter(pk=event.pk).update(moderation=Moderation.PUBLISHED)
    assert client.get(f"/api/v1/evenements/{event.slug}").json()["fin"] == "2100-12-31T23:00:00-03:00"


# One validator (agenda/validation.py): the API and the contribution form say the same thing about the same fault
# (tests/agenda/test_moderation.py: FORM_ERRORS checks the form's words).
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fin": "2027-03-11T10:00:00"}, "fin", "La fin doit être après le début."),
        (
            {"modalite": "online", "lien_en_ligne": ""},
            "lien_en_ligne",
            "Indiquez le lien de connexion d’un événement en ligne.",
        ),
        (
            {"code_postal": "99999"},
            "code_postal",
            "Ce code postal est inconnu\u00a0: vérifiez-le (5 chiffres).",
        ),
        ({"code_postal": "", "region": ""}, "region", "Indiquez la région, ou le code postal du lieu."),
        (
            {"code_postal": "", "region": "99"},
            "region",
            "Région inconnue\u00a0: donnez son code INSEE (ex. 84).",
        ),
    ],
)
def test_partner_errors_are_the_contribution_forms_words(client, partner_key, overrides, field, message):
    response = push(client, partner_key.raw, **overrides)

    assert response.status_code == 400
    assert response.json()["erreurs"][field] == [message]


def test_partner_event_is_placed_as_the_form_places_it(client, partner_key):
    # A postcode gives the commune, its département and region; the region its time zone.
    response = push(client, partner_key.raw, code_postal="31000", region="", fuseau_horaire="")

    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert (event.commune.name, event.departement_id, event.region_id, event.timezone) == (
        "Toulouse",
        "31",
        "76",
        "Europe/Paris",
    )
