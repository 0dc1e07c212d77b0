"""No long multiple choice is a Ctrl-click ``<select multiple>``: « Autres départements » of the call form and the
départements of a profile are searchable lists of checkboxes (core.widgets.Checklist), as « Ambassadeurs
présents » of the event form (tests/agenda/test_preview.py)."""

import re

import pytest

from territories.models import Region
from tests.factories import AmbassadorFactory, CallFactory, UserFactory

pytestmark = pytest.mark.django_db


def _checkboxes(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" id="[^"]*" name="{name}" value="([^"]+)"', html)


def _no_ctrl_click(html: str) -> None:
    assert not re.search(r"<select[^>]*\bmultiple\b", html)
    assert "Ctrl" not in html


def test_call_form_other_departements_is_a_checklist_that_names_each_region(client):
    CallFactory()
    html = client.get("/ami/").content.decode()
    _no_ctrl_click(html)
    assert len(_checkboxes(html, "other_departements")) == 101
    assert "Ain (01), Auvergne-Rhône-Alpes" in html  # found by typing the region's name


def test_profile_departements_is_a_checklist_of_the_coordinators_region(client):
    ambassador = AmbassadorFactory(regions=["84"])
    client.force_login(UserFactory(regional=True, region=Region.objects.get(code="84")))
    html = client.get(f"/espace/ambassadeurs/{ambassador.pk}/modifier/").content.decode()
    _no_ctrl_click(html)
    assert len(_checkboxes(html, "departements")) == 12
    assert "Loire (42)" in html


def test_profile_departements_of_every_region_for_the_national_coordination(client):
    ambassador = AmbassadorFactory(regions=["84"])
    client.force_login(UserFactory(national=True))
    html = client.get(f"/espace/ambassadeurs/{ambassador.pk}/modifier/").content.decode()
    _no_ctrl_click(html)
    assert len(_checkboxes(html, "departements")) == 101
    assert "Loire (42), Auvergne-Rhône-Alpes" in html
