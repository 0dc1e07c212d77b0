import pytest
from django.core.management import call_command

from accounts.enums import Role
from accounts.models import User
from agenda.models import Event
from ambassadors.models import Ambassador
from contact.enums import RequestState
from contact.models import CompanyRequest, RequestStep
from dashboard.models import NATIONAL_TARGET, RegionTarget
from diagnostic.enums import Profile
from diagnostic.models import DiagnosticResult
from recruitment.models import Application, Call, Review
from territories.models import Region

pytestmark = pytest.mark.django_db


def test_demo_data_is_realistic_and_loading_it_twice_changes_nothing():
    call_command("load_demo_data", verbosity=0)

    def counts():
        return (
            Ambassador.objects.count(),
            Ambassador.objects.published().count(),
            User.objects.count(),
            Call.objects.count(),
            Application.objects.count(),
            Review.objects.count(),
            Event.objects.count(),
            CompanyRequest.objects.count(),
            RequestStep.objects.count(),
            DiagnosticResult.objects.count(),
            sorted(RegionTarget.objects.values_list("region_id", "target")),
        )

    first = counts()
    call_command("load_demo_data", verbosity=0)
    assert counts() == first
    assert first[3:5] == (2, 40)
    assert first[6] == 60
    assert first[7] == 40
    assert first[9] == 400
    # Each region has a target, by population: the 300 of the plan, Île-de-France the largest.
    targets = dict(first[10])
    assert sum(targets.values()) == NATIONAL_TARGET and len(targets) == Region.objects.count()
    assert max(targets, key=targets.get) == "11" and min(targets.values()) >= 2
    assert set(DiagnosticResult.objects.values_list("profile", flat=True)) == set(Profile.values)
    assert set(CompanyRequest.objects.values_list("state", flat=True)) == set(RequestState.values)
    assert CompanyRequest.objects.filter(region_id__in=["84", "76"]).count() >= 30  # the demo coordinators
    assert Event.objects.public().filter(region_id="04", timezone="Indian/Reunion").exists()
    assert set(Application.objects.values_list("state", flat=True)) >= {
        "submitted",
        "under_review",
        "declined",
    }
    assert first[0] == 300
    # A third is not yet published.
    assert first[1] == 200
    assert {u.role for u in User.objects.all()} == set(Role.values)
    # Every region has published ambassadors; both profiles, all networks, all topics are used.
    for region in Region.objects.all():
        assert Ambassador.objects.published().filter(regions=region).exists(), region.name
    assert set(Ambassador.objects.values_list("kind", flat=True)) == {"grand_public", "sectoriel_regional"}
    assert Ambassador.objects.values("proposing_network").distinct().count() == 5
    assert Ambassador.objects.filter(is_france_num_activateur=True).exists()
    assert Ambassador.objects.filter(is_national=True).exists()
    # The demo ambassador account owns a profile.
    assert Ambassador.objects.filter(user__role=Role.AMBASSADOR).count() == 1
