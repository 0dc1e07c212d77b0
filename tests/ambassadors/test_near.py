"""« Près de » in the directory (the ambassadors based within the distance, nearest first, each with its distance),
and the ambassador's commune: set from their space's profile form (a postcode, the commune asked when it serves
several), public on their page, audited when someone else changes it."""

import re

import pytest
from django.core.cache import cache

from core.models import AuditEntry
from territories.models import Commune
from tests.factories import AmbassadorFactory, UserFactory

pytestmark = pytest.mark.django_db


def based(code, **fields):
    defaults = {
        "published": True,
        "regions": ["76"],
        "commune": Commune.objects.get(code=code) if code else None,
    }
    return AmbassadorFactory(**{**defaults, **fields})


@pytest.fixture
def toulouse():
    cache.clear()
    return {
        "capitole": based("31555", last_name="Capitole", gender="f"),  # Toulouse
        "blagnac": based("31069", last_name="Blagnacais"),  # about 7 km
        "montauban": based("82121", last_name="Montalbanais"),  # 48 km
        "albi": based("81004", last_name="Albigeois"),  # 67 km
        "nowhere": based(None, last_name="Sanscommune"),
        "national": based("75056", last_name="Nationalparis", regions=[], is_national=True),
        "draft": AmbassadorFactory(commune=Commune.objects.get(code="31555"), last_name="Brouillon"),
    }


def listed(body: str) -> list[str]:
    return re.findall(r"fr-card__title\"><a href=\"[^\"]+\">Prénom\d+ (\w+)</a>", body)


def test_directory_near_lists_those_within_the_distance_nearest_first(client, toulouse):
    response = client.get("/ambassadeurs/", {"pres_de": "Toulouse", "distance": "50"})

    body = response.content.decode()
    assert response.status_code == 200
    assert listed(body) == ["Capitole", "Blagnacais", "Montalbanais"]
    assert (
        "3 ambassadeurs trouvés à moins de 50&nbsp;km de Toulouse (31), du plus proche au plus éloigné"
        in body
    )
    assert "Basée à Toulouse (31), dans la commune recherchée" in body
    assert re.search(r"Blagnac \(31\), à \d,\d km", body)
    assert "Montauban (82), à 48 km" in body
    # Farther, no commune, a national one based far, a draft: not listed.
    for name in ("Albigeois", "Sanscommune", "Nationalparis", "Brouillon"):
        assert name not in body
    # The active filters say it in words.
    assert "Près de\u00a0: Toulouse (31)" in body or "Près de : Toulouse (31)" in body


def test_directory_near_by_postcode_with_the_default_distance(client, toulouse):
    response = client.get("/ambassadeurs/", {"pres_de": "31000"})

    assert response.status_code == 200
    assert listed(response.content.decode()) == ["Capitole", "Blagnacais"]  # 30 km


def test_directory_near_combines_with_the_other_filters(client, toulouse):
    toulouse["blagnac"].topics.set([])
    based("31069", last_name="Blagnacdonnees", topics=["donnees"])

    response = client.get("/ambassadeurs/", {"pres_de": "Toulouse", "thematique": "donnees"})

    assert listed(response.content.decode()) == ["Blagnacdonnees"]


def test_directory_nobody_near_says_how_to_widen(client, toulouse):
    body = client.get("/ambassadeurs/", {"pres_de": "29000", "distance": "10"}).content.decode()

    assert "0 ambassadeur trouvé" in body
    assert "Aucun ambassadeur n’est basé à moins de 10&nbsp;km de Quimper (29)" in body


def test_directory_without_a_place_ignores_the_distance(client, toulouse):
    response = client.get("/ambassadeurs/", {"distance": "10"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Sanscommune" in body and "Albigeois" in body
    assert "Dans un rayon de\u00a0:" not in body and "Dans un rayon de :" not in body  # not an active filter


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"pres_de": "Nullepartville"}, "pres_de", "Nous ne trouvons pas «\u00a0Nullepartville\u00a0»"),
        ({"pres_de": "00000"}, "pres_de", "Nous ne trouvons pas «\u00a00000"),
        (
            {"pres_de": "Toulouse", "distance": "100"},
            "distance",
            "Choisissez une distance de 10, 30 ou 50\u00a0km.",
        ),
    ],
)
def test_directory_bad_place_or_distance_is_a_french_error(client, toulouse, params, field, message):
    response = client.get("/ambassadeurs/", params)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])


def test_public_page_shows_the_commune(client, toulouse):
    body = client.get(toulouse["capitole"].get_absolute_url()).content.decode()

    assert "Basée à</dt>" in body
    assert "<dd>Toulouse (31)</dd>" in body


def test_public_page_without_commune_says_nothing_of_it(client, toulouse):
    body = client.get(toulouse["nowhere"].get_absolute_url()).content.decode()

    assert "Basé à</dt>" not in body and "Structure basée à</dt>" not in body


# The ambassador sets their commune in their space


def _edit_data(ambassador, **changes):
    data = {
        "first_name": ambassador.first_name,
        "last_name": ambassador.last_name,
        "structure_name": ambassador.structure_name,
        "contact_email": ambassador.contact_email,
    }
    data.update(changes)
    return data


def _edit_url(ambassador):
    return f"/espace/ambassadeurs/{ambassador.pk}/modifier/"


@pytest.fixture
def person(client):
    user = UserFactory()
    ambassador = AmbassadorFactory(user=user, regions=["84"])
    client.force_login(user)
    return ambassador


def test_the_person_sets_their_commune_by_postcode(client, person):
    response = client.post(_edit_url(person), _edit_data(person, postcode="69100"))

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.commune.code == "69266"  # Villeurbanne
    # Shown back in the form: its postcode and name.
    body = client.get(_edit_url(person)).content.decode()
    assert 'value="69100"' in body
    assert 'value="Villeurbanne"' in body


def test_a_postcode_of_several_communes_asks_which(client, person):
    response = client.post(_edit_url(person), _edit_data(person, postcode="69170"))

    body = response.content.decode()
    assert response.status_code == 400
    assert "Ce code postal couvre plusieurs communes\u00a0: choisissez la vôtre" in body
    # The communes of the postcode, to choose from.
    assert '<option value="Tarare">Tarare</option>' in body
    assert '<option value="Joux">Joux</option>' in body
    person.refresh_from_db()
    assert person.commune is None

    response = client.post(_edit_url(person), _edit_data(person, postcode="69170", commune_name="Tarare"))

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.commune.name == "Tarare"
    body = client.get(_edit_url(person)).content.decode()
    assert '<option value="Tarare" selected>Tarare</option>' in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"postcode": "99999"}, "postcode", "Ce code postal est inconnu"),
        ({"postcode": "٦٩١٠٠"}, "postcode", "Ce code postal est inconnu"),
        (
            {"postcode": "69100", "commune_name": "Lyon"},
            "commune_name",
            "Cette commune n’a pas le code postal 69100",
        ),
        ({"commune_name": "Lyon"}, "postcode", "Indiquez le code postal de la commune."),
    ],
)
def test_bad_commune_is_a_french_field_error(client, person, data, field, message):
    response = client.post(_edit_url(person), _edit_data(person, **data))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])


def test_an_empty_postcode_removes_the_commune(client, person):
    person.commune = Commune.objects.get(code="69266")
    person.save()

    response = client.post(_edit_url(person), _edit_data(person, postcode="", commune_name=""))

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.commune is None


def test_a_coordinator_changing_the_commune_is_audited(client):
    ambassador = AmbassadorFactory(regions=["84"], commune=Commune.objects.get(code="69123"))
    client.force_login(UserFactory(national=True))

    response = client.post(
        _edit_url(ambassador), _edit_data(ambassador, postcode="69100", regions=["84"], departements=[])
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="ambassador.edit")
    assert entry.changes["commune"] == {"avant": "69123", "après": "69266"}


def test_the_person_s_own_change_is_not_audited(client, person):
    client.post(_edit_url(person), _edit_data(person, postcode="69100"))

    assert not AuditEntry.objects.filter(action="ambassador.edit").exists()
