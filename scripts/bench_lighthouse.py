#!/usr/bin/env python3
"""Page weight as a phone sees it (``make bench-lighthouse``): Lighthouse 12 (mobile preset, simulated
throttling) drives Debian's Chromium headless against the production stack (nginx in front of granian, static
files compressed and fingerprinted) and prints, per page, the four scores and what weighs:

    page  performance  accessibility  best practices  SEO  FCP  LCP  CLS  KiB transferred

Starts scripts/prod.py on its own ports, state folder and database (created and filled with the demo data when
missing), unless BENCH_REUSE=1 and a stack already listens on PROD_PORT. Lighthouse comes from the npm package
pinned in scripts/lighthouse/ (``npm ci`` there, done by the make target); no browser is ever downloaded: the
Chromium is /usr/bin/chromium (CHROME_PATH). Each run has a time limit, so nothing hangs.

Environment (defaults in brackets): PROD_PORT [8290], APP_PORT [8291], DJANGO_VAR_DIR [var/bench-lighthouse],
DATABASE_URL [postgres://postgres@127.0.0.1:5432/osez_ia_bench_lighthouse], REDIS_URL [redis://127.0.0.1:6379/8],
LIGHTHOUSE_RUNS [3] runs per page (the median run by performance score is shown), LIGHTHOUSE_PAGES (paths
separated by spaces), LIGHTHOUSE_TIMEOUT [180] seconds per run, LIGHTHOUSE_REPORTS (a folder where the JSON
reports are kept), BENCH_MIN_PERFORMANCE [0]: exit 1 when a page scores under it (or under 100 elsewhere).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from prod import listening, start_in_background, stop_background

BASE = Path(__file__).resolve().parent.parent
LIGHTHOUSE = BASE / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PORT = int(os.environ.get("PROD_PORT", "8290"))
APP_PORT = int(os.environ.get("APP_PORT", "8291"))
VAR = Path(os.environ.get("DJANGO_VAR_DIR", BASE / "var" / "bench-lighthouse")).resolve()
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/osez_ia_bench_lighthouse")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8")
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
TIMEOUT = int(os.environ.get("LIGHTHOUSE_TIMEOUT", "180"))
PAGES = os.environ.get(
    "LIGHTHOUSE_PAGES", "/ /ambassadeurs/ /regions/84/ /agenda/ /diagnostic/ /ami/"
).split()
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def start_stack() -> subprocess.Popen | None:
    if os.environ.get("BENCH_REUSE") == "1" and listening(PORT):
        return None
    if listening(PORT) or listening(APP_PORT):
        raise SystemExit(
            f"Le port {PORT} ou {APP_PORT} est déjà pris : arrêtez ce qui l’écoute, "
            "ou BENCH_REUSE=1 pour mesurer la pile qui tourne."
        )
    env = dict(
        os.environ,
        PROD_PORT=str(PORT),
        APP_PORT=str(APP_PORT),
        DJANGO_VAR_DIR=str(VAR),
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        # A fresh cache prefix: nothing cached by an earlier release is served (and no one's keys are flushed).
        CACHE_KEY_PREFIX=f"osez-ia-bench-lighthouse-{int(time.time())}",
    )
    return start_in_background(env, VAR / "prod.log", timeout=900)


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run (mobile preset, simulated throttling: Lighthouse's defaults, said explicitly)."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROME}",
        "--chrome-flags=" + " ".join(CHROME_FLAGS),
        "--form-factor=mobile",
        "--throttling-method=simulate",
        "--only-categories=" + ",".join(CATEGORIES),
        "--output=json",
        f"--output-path={report}",
        "--max-wait-for-load=45000",
        "--quiet",
    ]
    env = dict(os.environ, CHROME_PATH=CHROME)
    # Its own process group: a timeout ends Lighthouse and the Chromium it started, nothing else.
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RuntimeError(f"Lighthouse n’a pas fini en {TIMEOUT} s sur {url}") from None
    if process.returncode != 0 or not report.exists():
        raise RuntimeError(f"Lighthouse a échoué sur {url} :\n{err[-2000:]}")
    return json.loads(report.read_text())


def summary(result: dict) -> dict:
    audits = result["audits"]

    def score(name: str) -> int | None:
        value = result["categories"][name]["score"]
        return None if value is None else round(value * 100)

    return {
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "best-practices": score("best-practices"),
        "seo": score("seo"),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
        "failed": [
            audit["title"]
            for name in CATEGORIES[1:]
            for ref in result["categories"][name]["auditRefs"]
            if ref["weight"] and (audit := audits[ref["id"]])["score"] is not None and audit["score"] < 1
        ],
        "warnings": result.get("runWarnings", []),
        # Audits Lighthouse could not compute (12.2.3's trace engine and a newer Chromium: layout-shifts,
        # render-blocking-resources); the scores do not depend on them, the metrics come from the trace.
        "errors": sorted(name for name, audit in audits.items() if audit.get("scoreDisplayMode") == "error"),
    }


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            "Lighthouse manque : (cd scripts/lighthouse && npm ci --ignore-scripts), ou make bench-lighthouse"
        )
    if not Path(CHROME).exists():
        raise SystemExit(f"{CHROME} manque : apt-get install -y chromium")
    keep = os.environ.get("LIGHTHOUSE_REPORTS")
    reports = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    stack = start_stack()
    rows = []
    try:
        for page in PAGES:
            url = f"http://127.0.0.1:{PORT}{page}"
            try:
                # Warm the page cache and the application, as a visitor after the first finds them.
                urllib.request.urlopen(url, timeout=30).read()
                runs = []
                for number in range(RUNS):
                    name = (page.strip("/").replace("/", "-") or "accueil") + f"-{number + 1}.json"
                    try:
                        result = lighthouse(url, reports / name)
                    except RuntimeError as error:  # once more: a shared machine has its hiccups
                        print(f"  {error}\n  nouvel essai", flush=True)
                        result = lighthouse(url, reports / name)
                    runs.append(summary(result))
                    print(
                        f"  {page} essai {number + 1}/{RUNS} : performance {runs[-1]['performance']}",
                        flush=True,
                    )
            except (OSError, RuntimeError) as error:
                print(f"  {page} : {error}", flush=True)
                rows.append((page, None, []))
                continue
            runs.sort(key=lambda run: run["performance"] or 0)
            median = runs[(len(runs) - 1) // 2]
            spread = [run["performance"] for run in runs]
            rows.append((page, median, spread))
    finally:
        stop_background(stack)
        if not keep:
            shutil.rmtree(reports, ignore_errors=True)

    print(
        f"\nLighthouse 12 (mobile, throttling simulé, {Path(CHROME).name} headless) à travers nginx, "
        f"médiane de {RUNS} essai(s) par page (machine partagée : la performance varie de quelques points)"
    )
    header = f"{'page':16} {'perf.':>5} {'access.':>7} {'prat.':>5} {'SEO':>4} {'FCP':>6} {'LCP':>6} {'CLS':>6} {'KiB':>6}  perf. des essais"
    print(header)
    print("-" * len(header))
    failing = False
    minimum = int(os.environ.get("BENCH_MIN_PERFORMANCE", "0"))
    for page, run, spread in rows:
        if run is None:
            print(f"{page:16} échec (voir plus haut)")
            failing = True
            continue
        print(
            f"{page:16} {run['performance']:5} {run['accessibility']:7} {run['best-practices']:5} "
            f"{run['seo']:4} {run['fcp']:5.1f}s {run['lcp']:5.1f}s {run['cls']:6.3f} {run['kib']:6.0f}  "
            + " ".join(str(value) for value in spread)
        )
        for title in run["failed"]:
            print(f"{'':16} à revoir : {title}")
        for warning in run["warnings"]:
            print(f"{'':16} avertissement : {warning}")
        if run["errors"]:
            print(f"{'':16} audits non calculés : {', '.join(run['errors'])}")
        if minimum and (
            (run["performance"] or 0) < minimum
            or min(run[name] or 0 for name in ("accessibility", "best-practices", "seo")) < 100
        ):
            failing = True
    if keep:
        print(f"\nRapports JSON : {reports}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
