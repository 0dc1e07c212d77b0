#!/usr/bin/env python3
"""HTTP throughput of the production stack (``make bench-http``), with wrk, in one run:

* through nginx (its page cache included) on /agenda/, /ambassadeurs/, /regions/84/;
* nginx serving the same bytes as a static file (each page's HTML saved under the static folder): the ceiling;
* the application server alone (granian, without nginx nor its page cache; the page's fragments still come from
  the shared cache, core/fragments.py) on /agenda/.

Starts scripts/prod.py (its own state folder and database, created and filled with the demo data when missing),
unless BENCH_REUSE=1 and a stack already listens on PROD_PORT/APP_PORT; prints requests per second and the ratio
stack / static file.
Environment: BENCH_SECONDS [8], BENCH_CONNECTIONS [16], BENCH_THREADS [2].
"""

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from prod import listening, start_in_background, stop_background

BASE = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("PROD_PORT", "8280"))
APP_PORT = int(os.environ.get("APP_PORT", "8281"))
VAR = Path(os.environ.get("DJANGO_VAR_DIR", BASE / "var" / "bench-http")).resolve()
DB_NAME = "osez_ia_bench_http"  # not scripts/bench.py's osez_ia_bench
SECONDS = os.environ.get("BENCH_SECONDS", "8")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
THREADS = os.environ.get("BENCH_THREADS", "2")
PAGES = ["/agenda/", "/ambassadeurs/", "/regions/84/"]


def wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t", THREADS, "-c", CONNECTIONS, "-d", f"{SECONDS}s", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  attention : {non2xx.group(1)} réponses en erreur sur {url}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def start_stack() -> subprocess.Popen | None:
    if os.environ.get("BENCH_REUSE") == "1" and listening(PORT):
        return None
    env = dict(
        os.environ,
        PROD_PORT=str(PORT),
        APP_PORT=str(APP_PORT),
        DJANGO_VAR_DIR=str(VAR),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        REDIS_URL="redis://127.0.0.1:6379/6",
    )
    return start_in_background(env, VAR / "prod.log")


def main() -> int:
    stack = start_stack()
    try:
        static_dir = VAR / "static" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        rows = []
        for page in PAGES:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{page}", timeout=30) as response:
                body = response.read()
                cache_control = response.headers.get("Cache-Control", "")
            name = page.strip("/").replace("/", "-") + ".html"
            (static_dir / name).write_bytes(body)
            wrk(f"http://127.0.0.1:{PORT}{page}")  # warm-up (fills the cache)
            through_nginx = wrk(f"http://127.0.0.1:{PORT}{page}")
            static = wrk(f"http://127.0.0.1:{PORT}/static/bench/{name}")
            rows.append((page, through_nginx, static, cache_control))
        app_alone = wrk(f"http://127.0.0.1:{APP_PORT}/agenda/")
        shutil.rmtree(static_dir, ignore_errors=True)
    finally:
        stop_background(stack)
    print(
        f"\nwrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s, granian à 2 workers derrière nginx (machine partagée : ordres de grandeur)"
    )
    print(f"{'page':16} {'pile (req/s)':>14} {'statique (req/s)':>17} {'rapport':>8}  Cache-Control")
    for page, through_nginx, static, cache_control in rows:
        print(
            f"{page:16} {through_nginx:14.0f} {static:17.0f} {through_nginx / static:8.0%}  {cache_control}"
        )
    print(
        f"{'/agenda/ seul':16} {app_alone:14.1f}   (serveur d’application seul : ni nginx ni son cache de pages ; fragments en cache Redis)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
