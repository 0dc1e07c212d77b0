"""Distances: the communes' centres, the origin of a « près de » search, and the distance computed in the database."""

import pytest

from agenda.enums import Mode
from agenda.models import Event
from territories.geo import (
    bounding_box,
    distance_label,
    km_between,
    near,
    origin_for,
)
from territories.models import Commune, Region
from tests.agenda.factories import EventFactory

pytestmark = pytest.mark.django_db

LYON = (45.7588, 4.8353)


def test_every_commune_has_a_centre_within_its_departement():
    assert not Commune.objects.filter(latitude__isnull=True).exists()
    # Metropolitan France lies between 41° and 51.2° N, -5.2° and 9.6° E; La Réunion near 21° S 55.5° E.
    metro = Commune.objects.exclude(departement__region__zone="drom")
    assert not metro.exclude(latitude__range=(41.3, 51.1), longitude__range=(-5.2, 9.6)).exists()
    reunion = Commune.objects.filter(departement_id="974")
    assert not reunion.exclude(latitude__range=(-21.4, -20.8), longitude__range=(55.2, 55.9)).exists()


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        (("69123"), ("42218"), 50),  # Lyon – Saint-Étienne, about 50 km as the crow flies
        (("75056"), ("13055"), 661),  # Paris – Marseille
        (("33063"), ("31555"), 212),  # Bordeaux – Toulouse
    ],
)
def test_centres_give_the_distances_between_cities(a, b, km):
    one, two = Commune.objects.get(code=a), Commune.objects.get(code=b)
    assert km_between((one.latitude, one.longitude), (two.latitude, two.longitude)) == pytest.approx(
        km, rel=0.05
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("69003", "69123"),  # a postcode: the biggest commune it serves
        ("69 003", "69123"),
        ("Lyon", "69123"),
        ("saint etienne", "42218"),
        ("SAINT-ÉTIENNE", "42218"),
        ("Saint-Denis", "97411"),  # the biggest of that name (La Réunion's, by the 2026 populations)…
        ("Saint-Denis (93)", "93066"),  # …unless the département is said, as the lists write it
        ("Ajaccio (2a)", "2A004"),
    ],
)
def test_origin_for_reads_a_postcode_or_a_commune(text, code):
    assert origin_for(text).commune.code == code


@pytest.mark.parametrize("text", ["", "   ", "99999", "Atlantide", "Lyon (13)", "x" * 500])
def test_origin_for_unknown_places_is_none(text):
    assert origin_for(text) is None


def test_origin_label_names_the_commune_and_its_departement():
    assert origin_for("97400").label == "Saint-Denis (974)"


def test_bounding_box_holds_the_circle():
    lat_min, lat_max, lon_min, lon_max = bounding_box(*LYON, 30)
    # The four points 30 km due north, south, east and west lie inside, on its edges.
    assert km_between(LYON, (lat_max, LYON[1])) == pytest.approx(30, rel=1e-3)
    assert km_between(LYON, (lat_min, LYON[1])) == pytest.approx(30, rel=1e-3)
    assert km_between(LYON, (LYON[0], lon_max)) >= 30
    assert km_between(LYON, (LYON[0], lon_min)) >= 30


def test_near_filters_and_measures_in_the_database():
    region = Region.objects.get(code="84")
    at = {
        "lyon": EventFactory(commune=Commune.objects.get(code="69123"), region=region),
        "villeurbanne": EventFactory(commune=Commune.objects.get(code="69266"), region=region),
        "saint_etienne": EventFactory(commune=Commune.objects.get(code="42218"), region=region),
        "grenoble": EventFactory(commune=Commune.objects.get(code="38185"), region=region),
        "venue": EventFactory(
            commune=Commune.objects.get(code="38185"), latitude="45.7640", longitude="4.8357", region=region
        ),
        "online": EventFactory(commune=Commune.objects.get(code="69123"), mode=Mode.ONLINE, region=region),
    }
    origin = origin_for("Lyon")
    found = {
        e.pk: e.distance_km
        for e in near(Event.objects.all(), origin, 30, latitude="point_latitude", longitude="point_longitude")
    }
    names = {pk: name for name, e in at.items() for pk in [e.pk]}
    # The venue's own coordinates win over its commune's centre (Grenoble's commune, a venue in Lyon); an event
    # online has no place; Saint-Étienne (50 km) and Grenoble (95 km) are beyond 30 km.
    assert sorted(names[pk] for pk in found) == ["lyon", "venue", "villeurbanne"]
    assert found[at["lyon"].pk] == pytest.approx(0, abs=0.01)
    expected = km_between(LYON, (at["villeurbanne"].point_latitude, at["villeurbanne"].point_longitude))
    assert found[at["villeurbanne"].pk] == pytest.approx(expected, rel=1e-6)
    assert {
        names[e.pk]
        for e in near(Event.objects.all(), origin, 60, latitude="point_latitude", longitude="point_longitude")
    } == {"lyon", "venue", "villeurbanne", "saint_etienne"}


def test_an_event_moved_or_sent_online_is_located_again():
    event = EventFactory(commune=Commune.objects.get(code="69123"))
    assert (event.point_latitude, event.point_longitude) == LYON
    event.commune = Commune.objects.get(code="42218")
    event.save(update_fields=["commune"])
    event.refresh_from_db()
    assert event.point_latitude == Commune.objects.get(code="42218").latitude
    event.mode = Mode.ONLINE
    event.save()
    event.refresh_from_db()
    assert event.point_latitude is None


@pytest.mark.parametrize(
    ("km", "label"),
    [(0.04, "à 100 m"), (0.83, "à 800 m"), (0.97, "à 1 km"), (4.24, "à 4,2 km"), (27.4, "à 27 km")],
)
def test_distance_label(km, label):
    assert distance_label(km) == label
