"""accounts.scope: one scope per person, built from their account, and how a domain's rows meet it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.scope import NOTHING, Scope, scope_for
from recruitment.models import Application
from territories.models import Region
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_scope_of_each_role(django_assert_num_queries):
    national = UserFactory(national=True)
    regional = UserFactory(regional=True)
    reviewer = UserFactory(reviewer=True, region=Region.objects.get(code="76"))
    ambassador = UserFactory()
    with django_assert_num_queries(0):  # the account's own columns
        assert scope_for(national) == Scope(everything=True)
        assert scope_for(regional) == Scope(region_code="84")
        assert scope_for(reviewer) == Scope(region_code="76", network_id=reviewer.partner_network_id)
        assert scope_for(ambassador) == Scope(owner_id=ambassador.pk)
        assert scope_for(AnonymousUser()) == NOTHING


def test_condition_combines_the_parts_the_scope_has():
    assert Scope(everything=True).condition(region="region_id") == Q()
    assert Scope(region_code="84", network_id=3).condition(region="region_id", network="network_id") == Q(
        network_id=3
    ) & Q(region_id="84")
    # A part the domain does not offer: none of its rows (a reviewer has no company requests).
    assert Scope(network_id=3).condition(region="region_id") is None
    assert Scope(owner_id=5).condition(region="region_id", network="network_id") is None
    assert NOTHING.condition(region="region_id", network="n", owner="o") is None
    assert Scope(owner_id=5).condition(owner=lambda pk: Q(user_id=pk, active=True)) == Q(
        user_id=5, active=True
    )


def test_narrow_keeps_the_rows_of_the_scope():
    lyon, toulouse = ApplicationFactory(), ApplicationFactory()
    Application.objects.filter(pk=lyon.pk).update(region_id="84")
    Application.objects.filter(pk=toulouse.pk).update(region_id="76")
    qs = Application.objects.all()

    assert set(Scope(region_code="84").narrow(qs, region="region_id")) == {lyon}
    assert Scope(owner_id=1).narrow(qs, region="region_id").count() == 0
    assert Scope(everything=True).narrow(qs, region="region_id").count() == 2
