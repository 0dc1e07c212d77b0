"""Reads: what to propose next to a result, and the public statistics."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, When

from agenda.enums import Mode, Status
from agenda.selectors import events_public
from ambassadors.models import Ambassador
from contact.enums import CompanySize
from diagnostic.enums import BASELINE, Profile
from diagnostic.models import DiagnosticResult
from territories.models import NafActivity, Region

MIN_GROUP = 10  # a group with fewer results is not shown: too few to be meaningful, and too close to a person


def events_near(result: DiagnosticResult, limit: int = 5) -> list:
    """Upcoming events of the leader's département, then of their region, then online ones (one query). Cancelled
    events, listed in the agenda with their status, are no next step."""
    here = Q(departement_id=result.departement_id)
    region = Q(region_id=result.region_id)
    online = Q(mode=Mode.ONLINE)
    qs = (
        events_public()
        .filter(here | region | online)
        .exclude(status=Status.CANCELLED)
        .annotate(
            nearness=Case(When(here, then=0), When(region, then=1), default=2, output_field=IntegerField())
        )
        .order_by("nearness", "starts_at", "pk")
        .prefetch_related(None)
    )
    return list(qs[:limit])


def ambassadors_for(result: DiagnosticResult, limit: int = 4) -> list[Ambassador]:
    """Published ambassadors of the leader's region, those of their sector first."""
    qs = (
        Ambassador.objects.published()
        .filter(regions=result.region_id)
        .annotate(same_sector=Count("sectors", filter=Q(sectors=result.sector_id)))
        .order_by("-same_sector", "last_name", "first_name", "pk")
    )
    return list(qs[:limit])


@dataclass
class Row:
    label: str
    total: int
    shares: dict[str, int] | None  # profile -> percent; None when the group is too small to show


def _rows(group_field: str, labels: dict[str, str]) -> list[Row]:
    counts: dict[str, dict[str, int]] = {}
    for row in DiagnosticResult.objects.values(group_field, "profile").annotate(n=Count("pk")).order_by():
        counts.setdefault(row[group_field], {})[row["profile"]] = row["n"]
    rows = []
    for key, label in labels.items():
        by_profile = counts.get(key, {})
        total = sum(by_profile.values())
        if total == 0:
            continue
        rows.append(Row(label, total, _shares(by_profile, total) if total >= MIN_GROUP else None))
    return rows


def _shares(by_profile: dict[str, int], total: int) -> dict[str, int]:
    return {p: round(100 * by_profile.get(p, 0) / total) for p in Profile.values}


def statistics() -> dict:
    """The distribution of profiles, overall and by region, size and sector, next to the national baseline; groups
    of fewer than ``MIN_GROUP`` results are hidden (their count only says « moins de 10 »)."""
    overall = dict(DiagnosticResult.objects.values_list("profile").annotate(n=Count("pk")).order_by())
    total = sum(overall.values())
    return {
        "total": total,
        "overall": _shares(overall, total) if total >= MIN_GROUP else None,
        "baseline": {p.value: v for p, v in BASELINE.items()},
        "by_region": _rows("region", dict(Region.objects.order_by("name").values_list("code", "name"))),
        "by_size": _rows("size", dict(CompanySize.choices)),
        "by_sector": _rows(
            "sector",
            {
                pk: f"{code} – {label}"
                for pk, code, label in NafActivity.objects.filter(level="section", version="rev2")
                .order_by("code")
                .values_list("pk", "code", "label")
            },
        ),
    }
