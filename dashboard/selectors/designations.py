"""Designations against the targets (by region, profile and network) and the coverage of regions and sectors by
published « sectoriel et régional » ambassadors."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q

from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork
from dashboard.models import NATIONAL_TARGET, RegionTarget
from dashboard.selectors.months import Trend, counts_by_month, past_months
from dashboard.selectors.scope import (
    AmbassadorRegion,
    Scope,
    _ambassadors,
    _percent,
    _published,
    every,
    regions_in,
)
from dashboard.tables import GAP, TEXT, Column, Table
from territories.models import NafActivity


@dataclass
class RegionFigure:
    code: str
    name: str
    is_overseas: bool
    target: int | None
    designated: int
    published: int

    @property
    def percent(self) -> int | None:
        return _percent(self.published, self.target)

    @property
    def level(self) -> str:
        """The colour class of the map: « na » without a target, then 0 to 4 by quarters of the target."""
        if self.percent is None:
            return "na"
        return str(min(4, self.percent // 25))


def region_figures(scope: Scope) -> list[RegionFigure]:
    """Designated and published ambassadors of each region of the scope, next to the region's target."""
    # Targets are a region's, whatever the network; the links are those of the scope's ambassadors, in its region.
    targets = scope.narrow(RegionTarget.objects.all(), region="region_id", network=every)
    links = scope.narrow(
        AmbassadorRegion.objects.filter(ambassador__in=_ambassadors(scope)).order_by(),
        region="region_id",
        network=every,
    )
    target_of = dict(targets.values_list("region_id", "target"))
    counts = {
        row["region_id"]: row
        for row in links.values("region_id").annotate(
            designated=Count("ambassador_id", filter=Q(ambassador__designated_at__isnull=False)),
            published=Count("ambassador_id", filter=_published("ambassador_id")),
        )
    }
    return [
        RegionFigure(
            code=region.code,
            name=region.name,
            is_overseas=region.is_overseas,
            target=target_of.get(region.code),
            designated=counts.get(region.code, {}).get("designated", 0),
            published=counts.get(region.code, {}).get("published", 0),
        )
        for region in regions_in(scope)
    ]


def _designation_counts() -> dict:
    return {
        "designated": Count("pk", filter=Q(designated_at__isnull=False)),
        "published": Count("pk", filter=_published()),
    }


def designations_by_region(scope: Scope, figures: list[RegionFigure] | None = None) -> Table:
    figures = region_figures(scope) if figures is None else figures
    ambassadors = _ambassadors(scope)
    table = Table(
        "designations-regions",
        "Ambassadeurs désignés et publiés par région, au regard de l’objectif",
        [
            Column("Région", TEXT),
            Column("Objectif"),
            Column("Désignés"),
            Column("Publiés", GAP),
            Column("Publiés / objectif (%)"),
        ],
        [[f.name, f.target, f.designated, f.published, f.percent] for f in figures],
    )
    if scope.region_code is None:
        national = ambassadors.filter(~Exists(AmbassadorRegion.objects.filter(ambassador_id=OuterRef("pk"))))
        row = national.aggregate(**_designation_counts())
        table.rows.append(
            ["Sans région (ambassadeurs nationaux)", None, row["designated"], row["published"], None]
        )
    total = ambassadors.aggregate(**_designation_counts())
    target = figures[0].target if scope.region_code else NATIONAL_TARGET
    table.footer = [
        "Ensemble du périmètre",
        target,
        total["designated"],
        total["published"],
        _percent(total["published"], target),
    ]
    table.note = "Un ambassadeur actif dans plusieurs régions compte dans chacune : le total compte chaque personne une fois."
    return table


def designations_by_profile(scope: Scope) -> Table:
    ambassadors = _ambassadors(scope)
    counts = {row["kind"]: row for row in ambassadors.values("kind").annotate(**_designation_counts())}
    return Table(
        "designations-profils",
        "Ambassadeurs désignés et publiés par profil",
        [Column("Profil", TEXT), Column("Désignés"), Column("Publiés")],
        [
            [label, counts.get(kind, {}).get("designated", 0), counts.get(kind, {}).get("published", 0)]
            for kind, label in ProfileKind.choices
        ],
    )


def designations_by_network(scope: Scope) -> Table:
    ambassadors = _ambassadors(scope)
    counts = {
        row["proposing_network_id"]: row
        for row in ambassadors.values("proposing_network_id").annotate(**_designation_counts())
    }
    networks = scope.narrow(PartnerNetwork.objects.order_by("name"), region=every, network="pk")
    rows = [
        [name, counts.get(pk, {}).get("designated", 0), counts.get(pk, {}).get("published", 0)]
        for pk, name in networks.values_list("pk", "name")
    ]
    if None in counts:
        rows.append(["Sans réseau", counts[None]["designated"], counts[None]["published"]])
    return Table(
        "designations-reseaux",
        "Ambassadeurs désignés et publiés par réseau qui les a proposés",
        [Column("Réseau", TEXT), Column("Désignés"), Column("Publiés")],
        rows,
    )


def designations_by_month(scope: Scope, now: datetime | None = None) -> Trend:
    """The scope's ambassadors by month of their designation (``designated_at``, a calendar day), in one query. An
    ambassador of several regions counts once."""
    months = past_months(now)
    return Trend(months, counts_by_month(_ambassadors(scope), {"designated": "designated_at"}, months))


# Coverage: regions and sectors without a published sectoral and regional ambassador.


def _sections() -> list[tuple[int, str, str]]:
    return list(
        NafActivity.objects.filter(level="section", version="rev2")
        .order_by("code")
        .values_list("pk", "code", "label")
    )


def coverage(scope: Scope) -> tuple[Table, Table]:
    """Two tables: each region with its published « sectoriel et régional » ambassadors and the NAF sections none
    of them covers; and the matrix region x section (0 = nobody)."""
    sectoral = _ambassadors(scope, Ambassador.objects.published().filter(kind=ProfileKind.SECTORIEL_REGIONAL))
    per_region = dict(
        AmbassadorRegion.objects.filter(ambassador__in=sectoral)
        .values("region_id")
        .annotate(n=Count("ambassador_id"))
        .values_list("region_id", "n")
        .order_by()
    )
    per_cell = {
        (row["regions"], row["sectors"]): row["n"]
        for row in sectoral.values("regions", "sectors").annotate(n=Count("pk", distinct=True))
    }
    sections = _sections()
    regions = regions_in(scope)
    summary = Table(
        "couverture-regions",
        "Couverture de chaque région par des ambassadeurs sectoriels et régionaux publiés",
        [
            Column("Région", TEXT),
            Column("Ambassadeurs sectoriels publiés", GAP),
            Column(f"Sections NAF couvertes (sur {len(sections)})"),
            Column("Sections NAF sans ambassadeur", TEXT),
        ],
    )
    matrix = Table(
        "couverture-secteurs",
        "Ambassadeurs sectoriels et régionaux publiés par région et section NAF (0 : aucun)",
        [Column("Région", TEXT), *(Column(code, GAP, f"{code} – {label}") for _, code, label in sections)],
    )
    for region in regions:
        cells = [per_cell.get((region.code, pk), 0) for pk, _, _ in sections]
        missing = [code for (_, code, _), n in zip(sections, cells, strict=True) if n == 0]
        summary.rows.append(
            [
                region.name,
                per_region.get(region.code, 0),
                len(sections) - len(missing),
                "toutes" if len(missing) == len(sections) else ", ".join(missing) or "aucune",
            ]
        )
        matrix.rows.append([region.name, *cells])
    return summary, matrix
