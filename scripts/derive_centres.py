"""Derive ``territories/data/commune_centres.csv``: one point (latitude, longitude, WGS 84) for each commune of
``communes.csv``, the place the platform measures distances from when it knows no street address.

The official geographic code gives no coordinates. The source is the « coordonnées GPS » that La Poste's Base
officielle des codes postaux carried (one point per postcode and commune, the commune's centre), in the CSV that
data.gouv.fr republished as « Communes de France – Base des codes postaux » (Licence Ouverte / Open Licence 2.0):
columns ``code_postal;libelle_acheminement;latitude;longitude;nom_commune;nom_commune_complet;code_departement;…``
(semicolons, postcodes without their leading zero). That edition predates the communes merged since, and it names
communes, not INSEE codes, so each commune of the COG 2026 is matched, in this order:

1. by one of its postcodes and its name (accents, case, hyphens and « Saint »/« St » folded);
2. by its name alone when it is unique in its département;
3. by its postcodes: the mean of the source's points for those postcodes in its département (a commune nouvelle,
   the arrondissements of Paris, Lyon and Marseille);
4. otherwise it gets no point here, and the loader gives it its département's median point
   (``territories.services.reference_data_load``).

Usage: ``python scripts/derive_centres.py /path/to/communes-departement-region.csv``. It prints how many communes each
step matched and the points it rejected (farther than 120 km from their département's median point, 400 km in Guyane:
the source's slips). The output is committed, so nothing here runs at install.
"""

import csv
import statistics
import sys
import unicodedata
from collections import defaultdict
from math import cos, radians, sqrt
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "territories" / "data"
MAX_FROM_DEPARTEMENT_KM = 120
WIDE_DEPARTEMENTS = {"973": 400}  # Guyane: communes lie hundreds of kilometres apart


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return " ".join({"saint": "st", "sainte": "ste"}.get(w, w) for w in words)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    x = radians(b[1] - a[1]) * cos(radians((a[0] + b[0]) / 2))
    y = radians(b[0] - a[0])
    return 6371 * sqrt(x * x + y * y)


def mean(points):
    return (statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points))


def departement_of(code_postal: str, code_departement: str) -> str:
    if code_departement in {"2A", "2B"} or len(code_departement) == 3:
        return code_departement
    return code_departement.zfill(2)


def derive(source: Path) -> dict[str, int]:
    by_postcode_name = defaultdict(list)
    by_departement_name = defaultdict(list)
    by_postcode = defaultdict(list)
    with source.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if not row["latitude"] or not row["longitude"]:
                continue
            point = (float(row["latitude"]), float(row["longitude"]))
            postcode = row["code_postal"].zfill(5)
            name = fold(row["nom_commune_complet"] or row["nom_commune"])
            departement = departement_of(postcode, row["code_departement"])
            by_postcode_name[(postcode, name)].append(point)
            by_departement_name[(departement, name)].append(point)
            by_postcode[(departement, postcode)].append(point)
    with (DATA / "communes.csv").open(encoding="utf-8") as f:
        communes = list(csv.DictReader(f))
    found, steps = {}, {"postcode and name": 0, "name in département": 0, "postcodes": 0, "none": 0}
    for commune in communes:
        name, postcodes, departement = (
            fold(commune["name"]),
            commune["postcodes"].split(),
            commune["departement"],
        )
        points = [p for code in postcodes for p in by_postcode_name.get((code, name), [])]
        step = "postcode and name"
        if not points:
            points, step = by_departement_name.get((departement, name), []), "name in département"
            points = points if len(set(points)) == 1 else []
        if not points:
            points = [p for code in postcodes for p in by_postcode.get((departement, code), [])]
            step = "postcodes"
        if not points:
            steps["none"] += 1
            continue
        steps[step] += 1
        found[commune["code"]] = (mean(points), commune["departement"])
    medians = {}
    for departement in {d for _, d in found.values()}:
        points = [p for p, d in found.values() if d == departement]
        medians[departement] = (
            statistics.median(p[0] for p in points),
            statistics.median(p[1] for p in points),
        )
    rejected = 0
    with (DATA / "commune_centres.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "latitude", "longitude"])
        for code, (point, departement) in sorted(found.items()):
            if km(point, medians[departement]) > WIDE_DEPARTEMENTS.get(departement, MAX_FROM_DEPARTEMENT_KM):
                print(f"rejected {code}: {km(point, medians[departement]):.0f} km from {departement}")
                rejected += 1
                continue
            writer.writerow([code, f"{point[0]:.4f}", f"{point[1]:.4f}"])
    steps["rejected"] = rejected
    steps["communes"] = len(communes)
    return steps


def main() -> None:
    print(", ".join(f"{k}: {v}" for k, v in derive(Path(sys.argv[1])).items()))


if __name__ == "__main__":
    main()
