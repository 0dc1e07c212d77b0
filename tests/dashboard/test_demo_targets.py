"""The demo's regional targets: the 300 of the plan shared by population, a target already set never overwritten."""

import pytest

from dashboard.models import RegionTarget
from demo.dashboard import demo_dashboard_load, share_by_population


def test_share_by_population_sums_to_the_total_with_a_minimum_each():
    shares = share_by_population({"a": 1000, "b": 10, "c": 0}, 10, 2)

    assert shares == {"a": 6, "b": 2, "c": 2}
    assert sum(share_by_population({"a": 1, "b": 1, "c": 1}, 10, 0).values()) == 10


@pytest.mark.django_db
def test_demo_targets_never_overwrite_a_target_already_set():
    RegionTarget.objects.create(region_id="84", target=77)

    demo_dashboard_load()

    assert list(RegionTarget.objects.values_list("region_id", "target")) == [("84", 77)]
