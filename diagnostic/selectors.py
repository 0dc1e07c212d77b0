"""Reads: what to propose next to a result, and the public statistics."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Sum, When

from agenda.enums import Mode, Status
from agenda.selectors import events_public
from ambassadors.models import Ambassador
from contact.enums import CompanySize
from core.fragments import FRAGMENT_SECONDS, digest, reference_version
from diagnostic.counts import counts_version
from diagnostic.enums import BASELINE, Profile
from diagnostic.models import DiagnosticCount, DiagnosticResult
from territories.models import NafActivity, Region

MIN_GROUP = 10  # a group with fewer results is not shown: too few to be meaningful, and too close to a person


def events_near(result: DiagnosticResult, limit: int = 5) -> list:
    """Upcoming events of the leader’s département or region, soonest first; then, if there is room, events one can
    follow online (online, or in person and online) elsewhere, soonest first: never an online event of another
    region before a local one (one query). Cancelled events, listed in the agenda with their status, are no next
    step."""
    local = Q(departement_id=result.departement_id) | Q(region_id=result.region_id)
    online = Q(mode__in=[Mode.ONLINE, Mode.HYBRID])
    qs = (
        events_public()
        .filter(local | online)
        .exclude(status=Status.CANCELLED)
        .annotate(nearness=Case(When(local, then=0), default=1, output_field=IntegerField()))
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
        .order_by("-same_sector", "sort_name", "pk")
    )
    return list(qs[:limit])


OTHERS = "Autres (regroupés pour protéger l’anonymat)"  # the small groups, and the smallest others if needed


@dataclass
class Row:
    label: str
    total: int
    shares: dict[str, int]  # profile -> percent, adding up to 100
    others: bool = False  # the row that merges the small groups (and those merged with them to protect them)


@dataclass
class Breakdown:
    caption: str
    rows: list[Row]


def _counts():
    """The pre-aggregated counts (``diagnostic.counts``): a few thousand rows however many results are stored."""
    return DiagnosticCount.objects.filter(n__gt=0).order_by()


def _rows(group_field: str, labels: dict) -> list[Row]:
    counts: dict = {}
    for row in _counts().values(group_field, "profile").annotate(total=Sum("n")):
        counts.setdefault(row[group_field], {})[row["profile"]] = row["total"]
    groups = [(label, counts.pop(key)) for key, label in labels.items() if key in counts]
    # A key without a label (a sector outside the listed NAF sections) is never shown alone, but still counted:
    # otherwise the overall total minus the rows would reveal it.
    return _protected(groups, unlabelled=list(counts.values()))


def _protected(
    groups: list[tuple[str, dict[str, int]]], unlabelled: Sequence[dict[str, int]] = ()
) -> list[Row]:
    """The rows of one breakdown (``groups``: label and counts by profile, in display order) such that no group of
    fewer than ``MIN_GROUP`` results can be read or recovered, even by subtracting the shown rows from the overall
    total: the small groups are merged into one « Autres » row; if that row would itself be under ``MIN_GROUP``,
    the smallest shown groups join it (secondary suppression) until it reaches ``MIN_GROUP``. So the overall total
    minus the shown rows is either 0 or the « Autres » row, of at least ``MIN_GROUP`` results. Nothing when the
    whole breakdown has fewer than ``MIN_GROUP`` results. Groups with no result are left out."""
    groups = [(label, counts) for label, counts in groups if _size(counts)]
    if sum(_size(counts) for _, counts in groups) + sum(map(_size, unlabelled)) < MIN_GROUP:
        return []
    shown = [(label, counts) for label, counts in groups if _size(counts) >= MIN_GROUP]
    merged = [counts for _, counts in groups if _size(counts) < MIN_GROUP]
    merged.extend(unlabelled)
    while merged and sum(map(_size, merged)) < MIN_GROUP:
        # Ends before ``shown`` is empty, as the whole breakdown has at least MIN_GROUP results.
        smallest = min(range(len(shown)), key=lambda i: (_size(shown[i][1]), i))
        merged.append(shown.pop(smallest)[1])
    rows = [Row(label, _size(counts), _shares(counts)) for label, counts in shown]
    if merged:
        others = Counter()
        for counts in merged:
            others.update(counts)
        rows.append(Row(OTHERS, others.total(), _shares(others), others=True))
    return rows


def _size(counts: dict[str, int]) -> int:
    return sum(counts.values())


def _shares(by_profile: dict[str, int]) -> dict[str, int]:
    """Percent by profile, adding up to 100 (largest remainder: the points left after rounding down go to the
    largest remainders, equal ones in the order of the profiles)."""
    total = _size(by_profile)
    exact = {p: divmod(100 * by_profile.get(p, 0), total) for p in Profile.values}
    shares = {p: whole for p, (whole, _) in exact.items()}
    by_remainder = sorted(Profile.values, key=lambda p: -exact[p][1])  # stable: equal ones in profile order
    for p in by_remainder[: 100 - sum(shares.values())]:
        shares[p] += 1
    return shares


def statistics_key() -> str:
    """What the statistics depend on: the counts and the names of the regions and sectors (a release too)."""
    return digest("diagnostic-statistics", counts_version(), reference_version())


def statistics() -> dict:
    """The distribution of profiles, overall and by region, size and sector, next to the national baseline. In each
    breakdown, no group of fewer than ``MIN_GROUP`` results can be read nor recovered by subtraction (see
    ``_protected``); shares add up to 100. Kept in the shared cache under ``statistics_key``: the page and the API
    add up the counts once per change, not once per visitor."""
    key = "diagnostic-statistics:" + statistics_key()
    stats = cache.get(key)
    if stats is None:
        stats = _statistics()
        cache.set(key, stats, FRAGMENT_SECONDS)
    return stats


def _statistics() -> dict:
    overall = dict(_counts().values_list("profile").annotate(total=Sum("n")))
    total = sum(overall.values())
    by_region = _rows("region", dict(Region.objects.order_by("search_name").values_list("code", "name")))
    by_size = _rows("size", dict(CompanySize.choices))
    by_sector = _rows(
        "sector",
        {
            pk: f"{code} – {label}"
            for pk, code, label in NafActivity.objects.filter(level="section", version="rev2")
            .order_by("code")
            .values_list("pk", "code", "label")
        },
    )
    return {
        "total": total,
        "overall": _shares(overall) if total >= MIN_GROUP else None,
        # In the profiles' order, as the shares.
        "baseline": {p: BASELINE[Profile(p)] for p in Profile.values},
        "by_region": by_region,
        "by_size": by_size,
        "by_sector": by_sector,
        "breakdowns": [
            Breakdown("Par région", by_region),
            Breakdown("Par taille d’entreprise", by_size),
            Breakdown("Par secteur d’activité (NAF)", by_sector),
        ],
    }
