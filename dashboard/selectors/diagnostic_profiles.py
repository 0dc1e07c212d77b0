"""The profiles of the self-diagnostics of the scope against the national baseline."""

from dataclasses import dataclass

from django.db.models import Sum

from dashboard.selectors.scope import (
    Scope,
    _diagnostic_counts,
    _percent,
    regions_in,
)
from dashboard.tables import TEXT, Column, Table
from diagnostic.enums import BASELINE, Profile
from diagnostic.selectors import MIN_GROUP

BASELINE_SIZE = 1209  # leaders in the Bpifrance Le Lab study behind ``diagnostic.enums.BASELINE``


@dataclass
class ProfileShare:
    label: str
    share: int | None
    baseline: int


def _profile_cells(by_profile: dict[str, int]) -> list:
    total = sum(by_profile.values())
    if total < MIN_GROUP:
        return [f"moins de {MIN_GROUP}" if total else 0, *([None] * len(Profile.values))]
    return [total, *(_percent(by_profile.get(p, 0), total) for p in Profile.values)]


def diagnostics(scope: Scope) -> tuple[Table, list[ProfileShare]]:
    """The profiles of the self-diagnostics of the scope against the national baseline; a group of fewer than
    ``MIN_GROUP`` results is not detailed (as on the public statistics)."""
    counts: dict[str, dict[str, int]] = {}
    for region_id, profile, n in (
        _diagnostic_counts(scope).values_list("region_id", "profile").annotate(total=Sum("n"))
    ):
        counts.setdefault(region_id, {})[profile] = n
    overall: dict[str, int] = {}
    for by_profile in counts.values():
        for profile, n in by_profile.items():
            overall[profile] = overall.get(profile, 0) + n
    table = Table(
        "autodiagnostics",
        "Profils des dirigeants ayant fait l’autodiagnostic, en pourcentage, au regard de la référence nationale",
        [Column("Groupe", TEXT), Column("Résultats"), *(Column(f"{label} (%)") for label in Profile.labels)],
        [
            ["Référence nationale (Bpifrance Le Lab, 2025)", BASELINE_SIZE, *(BASELINE[p] for p in Profile)],
            ["Ensemble du périmètre", *_profile_cells(overall)],
            *([region.name, *_profile_cells(counts.get(region.code, {}))] for region in regions_in(scope)),
        ],
        note=f"– : moins de {MIN_GROUP} résultats, groupe non détaillé (trop peu pour être significatif).",
    )
    total = sum(overall.values())
    shares = [
        ProfileShare(label, _percent(overall.get(p, 0), total) if total >= MIN_GROUP else None, BASELINE[p])
        for p, label in Profile.choices
    ]
    return table, shares
