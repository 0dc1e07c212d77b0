"""The pre-aggregated counts of results (``diagnostic.counts``) follow every result created or deleted, and a
rebuild after a bulk write gives the same counts: the statistics read from them equal those of the results."""

import pytest
from django.db.models import Count

from diagnostic import services
from diagnostic.counts import counts_rebuild
from diagnostic.models import DiagnosticCount, DiagnosticResult
from diagnostic.selectors import statistics
from territories.models import Departement, NafActivity
from tests.diagnostic.test_scoring import CHATGPT_A_BIT, SCEPTIQUE

pytestmark = pytest.mark.django_db


def _submit(answers, departement="31", size="pme"):
    return services.diagnostic_submit(
        answers=answers,
        departement=Departement.objects.get(code=departement),
        sector=NafActivity.objects.filter(level="section", code="C").first(),
        size=size,
    )


def _from_results() -> dict:
    key = ("region_id", "sector_id", "size", "profile")
    return {
        tuple(row[k] for k in key): row["n"]
        for row in DiagnosticResult.objects.values(*key).annotate(n=Count("pk"))
    }


def _stored() -> dict:
    return {
        (c.region_id, c.sector_id, c.size, c.profile): c.n for c in DiagnosticCount.objects.filter(n__gt=0)
    }


def test_counts_follow_results_created_and_deleted():
    for _ in range(12):
        _submit(SCEPTIQUE)
    for _ in range(3):
        _submit(CHATGPT_A_BIT, departement="69", size="tpe")
    DiagnosticResult.objects.filter(region_id="84").first().delete()

    assert _stored() == _from_results()
    assert sum(_stored().values()) == 14


def test_rebuild_after_a_bulk_write_gives_the_counts_of_the_results():
    first = _submit(SCEPTIQUE)
    for _ in range(11):
        _submit(CHATGPT_A_BIT, departement="69")
    before = statistics()
    DiagnosticResult.objects.bulk_create(
        [
            DiagnosticResult(
                **{
                    f.attname: getattr(first, f.attname)
                    for f in first._meta.concrete_fields
                    if f.attname not in ("id", "token")
                }
            )
        ]
    )  # no signal: the counts miss it until rebuilt

    assert sum(_stored().values()) == 12
    counts_rebuild()

    assert _stored() == _from_results()
    assert statistics()["total"] == before["total"] + 1
