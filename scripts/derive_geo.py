"""Derive the compact geographic reference files from the official geographic code (COG).

Source: the npm package ``@etalab/decoupage-administratif`` (INSEE’s Code officiel géographique and La Poste’s
postcodes, published by Etalab under the Licence Ouverte / Open Licence 2.0). This script keeps what the platform
needs (the 18 regions, the 101 départements, every current commune of those départements with its postcodes) and
writes three small CSV files into ``territories/data/``. Those files are committed, so nothing here runs at install.

Usage (needs ``npm`` only when no extracted package is given):

    python scripts/derive_geo.py                      # fetches the pinned version with `npm pack`
    python scripts/derive_geo.py /path/to/package     # an already extracted package folder
"""

import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"  # millésime 2026 of the COG
OUT = Path(__file__).resolve().parent.parent / "territories" / "data"
# Collectivités d'outre-mer (zone "com") are not regions of the platform: only metropolitan France and the DROM.
KEPT_ZONES = {"metro", "drom"}


def fetch_package(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}"], cwd=workdir, check=True, capture_output=True)
    tarball = next(workdir.glob("*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def derive(package: Path) -> dict[str, int]:
    data = package / "data"
    regions = [r for r in json.loads((data / "regions.json").read_text()) if r["zone"] in KEPT_ZONES]
    departements = [
        d for d in json.loads((data / "departements.json").read_text()) if d["zone"] in KEPT_ZONES
    ]
    communes = [
        c
        for c in json.loads((data / "communes.json").read_text())
        if c["type"] == "commune-actuelle" and c["zone"] in KEPT_ZONES
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "regions.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "zone", "chef_lieu"])
        for r in sorted(regions, key=lambda r: r["code"]):
            writer.writerow([r["code"], r["nom"], r["zone"], r["chefLieu"]])
    with (OUT / "departements.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "region"])
        for d in sorted(departements, key=lambda d: d["code"]):
            writer.writerow([d["code"], d["nom"], d["region"]])
    with (OUT / "communes.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "departement", "postcodes", "population"])
        for c in sorted(communes, key=lambda c: c["code"]):
            postcodes = " ".join(sorted(set(c.get("codesPostaux", []))))
            writer.writerow([c["code"], c["nom"], c["departement"], postcodes, c.get("population") or ""])
    return {"regions": len(regions), "departements": len(departements), "communes": len(communes)}


def main() -> None:
    if len(sys.argv) > 1:
        counts = derive(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            counts = derive(fetch_package(Path(tmp)))
    print(f"{PACKAGE}@{VERSION}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
