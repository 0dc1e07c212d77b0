import csv
import statistics
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from core.formats import french_typography
from core.fragments import drop_reference_version
from territories.enums import NafLevel
from territories.geo import region_timezone
from territories.models import Commune, Departement, NafActivity, PostalCode, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


# Names and labels are shown to people: the official files write « Côte-d'Or », « qu'employeurs », we store
# « Côte-d’Or », « qu’employeurs » (search folds both apostrophes, so typing either finds them).
TYPOGRAPHIC_COLUMNS = ("name", "label")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for column in TYPOGRAPHIC_COLUMNS:
            if column in row:
                row[column] = french_typography(row[column])
    return rows


def _searchable(rows: list) -> list:
    """``bulk_create`` skips ``save()``: the search columns are computed here."""
    for row in rows:
        for name, value in row.search_values().items():
            setattr(row, name, value)
    return rows


def _centres(commune_rows: list[dict[str, str]]) -> dict[str, tuple[float, float]]:
    """Each commune's centre (``commune_centres.csv``); the few the source could not place get their département's
    median point, so every commune has one."""
    with (DATA_DIR / "commune_centres.csv").open(encoding="utf-8", newline="") as f:
        centres = {r["code"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)}
    by_departement: dict[str, list[tuple[float, float]]] = {}
    for c in commune_rows:
        if c["code"] in centres:
            by_departement.setdefault(c["departement"], []).append(centres[c["code"]])
    for c in commune_rows:
        if c["code"] not in centres:
            points = by_departement[c["departement"]]
            centres[c["code"]] = (
                statistics.median(p[0] for p in points),
                statistics.median(p[1] for p in points),
            )
    return centres


@transaction.atomic
def reference_data_load() -> dict[str, int]:
    """Load the regions, départements, communes, postcodes and NAF activities from the committed files.

    Idempotent: running it again updates names and links in place, adds what is new and removes postcode links
    that disappeared. Communes are never deleted (other records may point at them)."""
    regions = [
        Region(
            code=r["code"],
            name=r["name"],
            slug=slugify(r["name"]),
            zone=r["zone"],
            timezone=region_timezone(r["code"]),
        )
        for r in _rows("regions.csv")
    ]
    Region.objects.bulk_create(
        _searchable(regions),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "slug", "zone", "timezone", "search_name", "search_text"],
    )
    departements = [
        Departement(code=d["code"], name=d["name"], region_id=d["region"]) for d in _rows("departements.csv")
    ]
    Departement.objects.bulk_create(
        _searchable(departements),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "region", "search_name", "search_text"],
    )

    commune_rows = _rows("communes.csv")
    centres = _centres(commune_rows)
    Commune.objects.bulk_create(
        _searchable(
            [
                Commune(
                    code=c["code"],
                    name=c["name"],
                    departement_id=c["departement"],
                    population=int(c["population"]) if c["population"] else None,
                    latitude=centres[c["code"]][0],
                    longitude=centres[c["code"]][1],
                )
                for c in commune_rows
            ]
        ),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "departement",
            "population",
            "latitude",
            "longitude",
            "search_name",
            "search_text",
        ],
        batch_size=2000,
    )
    wanted = {(pc, c["code"]) for c in commune_rows for pc in c["postcodes"].split()}
    existing = {
        (code, commune_id): pk
        for pk, code, commune_id in PostalCode.objects.values_list("pk", "code", "commune_id")
    }
    PostalCode.objects.bulk_create(
        [PostalCode(code=code, commune_id=commune) for code, commune in sorted(wanted - existing.keys())],
        batch_size=2000,
    )
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        PostalCode.objects.filter(pk__in=stale).delete()

    naf_rows = _rows("naf-rev2.csv")
    NafActivity.objects.bulk_create(
        _searchable(
            [
                NafActivity(version="rev2", level=n["level"], code=n["code"], label=n["label"])
                for n in naf_rows
                if n["level"] == NafLevel.SECTION
            ]
        ),
        update_conflicts=True,
        unique_fields=["version", "code"],
        update_fields=["level", "label", "search_text"],
    )
    sections = dict(
        NafActivity.objects.filter(version="rev2", level=NafLevel.SECTION).values_list("code", "pk")
    )
    NafActivity.objects.bulk_create(
        _searchable(
            [
                NafActivity(
                    version="rev2",
                    level=n["level"],
                    code=n["code"],
                    label=n["label"],
                    section_id=sections[n["section"]],
                )
                for n in naf_rows
                if n["level"] == NafLevel.DIVISION
            ]
        ),
        update_conflicts=True,
        unique_fields=["version", "code"],
        update_fields=["level", "label", "section", "search_text"],
    )
    # Bulk writes send no signal: the pages and filter forms that show these names are rendered again.
    drop_reference_version()
    return {
        "régions": Region.objects.count(),
        "départements": Departement.objects.count(),
        "communes": Commune.objects.count(),
        "codes postaux": PostalCode.objects.values("code").distinct().count(),
        "sections NAF": NafActivity.objects.filter(level=NafLevel.SECTION).count(),
        "divisions NAF": NafActivity.objects.filter(level=NafLevel.DIVISION).count(),
    }
