"""Demo regional targets: the 300 ambassadors of the plan shared between the regions by population (largest
remainders, at least two per region), so that /pilotage/ compares designations with a target in each region.
Set by the national coordination at the plan's launch (1 July 2025), before any designation. Idempotent, and never
overwrites a target already set (by the national coordination)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Sum

from dashboard.models import NATIONAL_TARGET, RegionTarget
from territories.models import Region

MIN_PER_REGION = 2
TARGETS_SET_AT = datetime(2025, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def share_by_population(populations: dict[str, int], total: int, minimum: int) -> dict[str, int]:
    """``total`` split in proportion to ``populations``, each at least ``minimum``, summing to ``total``."""
    spare = total - minimum * len(populations)
    weight = sum(populations.values()) or 1
    exact = {code: spare * pop / weight for code, pop in populations.items()}
    shares = {code: minimum + int(value) for code, value in exact.items()}
    left = total - sum(shares.values())
    for code in sorted(exact, key=lambda c: (-(exact[c] - int(exact[c])), c))[:left]:
        shares[code] += 1
    return shares


@transaction.atomic
def demo_dashboard_load() -> dict[str, int]:
    if not RegionTarget.objects.exists():
        populations = dict(
            Region.objects.annotate(pop=Sum("departements__communes__population")).values_list("code", "pop")
        )
        shares = share_by_population(
            {code: pop or 0 for code, pop in populations.items()}, NATIONAL_TARGET, MIN_PER_REGION
        )
        RegionTarget.objects.bulk_create(RegionTarget(region_id=code, target=n) for code, n in shares.items())
        RegionTarget.objects.update(updated_at=TARGETS_SET_AT)
    return {"objectifs régionaux": RegionTarget.objects.count()}
