#!/usr/bin/env python3
"""The production stack, checked from outside (.ci/stack-check): starts scripts/prod.py on a fresh PostgreSQL
database and Redis, then, through nginx only:

* the pages answer 200;
* a static file is served by nginx (its header, and no request reaches the application server);
* a signed-in page is never cached (``X-Cache-Status`` never HIT, ``Cache-Control`` private or no-store);
* a task enqueued by the application is run by the worker (its result in the database);
* a public page comes from the proxy's cache on the second request, and a change (an event's new title) shows
  within 60 s;
* the stack stops cleanly.

The two checks of the page cache say « SKIP (public pages not cacheable yet) » when the application does not
mark its public pages cacheable (``Cache-Control: public, max-age``, no cookie): the cache then has nothing to do.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from prod import listening, start_in_background, stop_background

BASE = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("PROD_PORT", "8180"))
APP_PORT = int(os.environ.get("APP_PORT", "8181"))
ROOT = f"http://127.0.0.1:{PORT}"
VAR = BASE / "var" / "stack-check"
DB_NAME = "osez_ia_stack"
ENV = dict(
    os.environ,
    PROD_PORT=str(PORT),
    APP_PORT=str(APP_PORT),
    DJANGO_VAR_DIR=str(VAR),
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    REDIS_URL="redis://127.0.0.1:6379/4",
    # A fresh database, so a fresh cache: nothing of an earlier run is read (and no one else's keys are flushed).
    CACHE_KEY_PREFIX=f"osez-ia-stack-check-{int(time.time())}",
)
PASSWORD = "ambassadeurs-demo-2026"  # noqa: S105 (the demo accounts' published password)
results: list[tuple[str, str, str]] = []


def report(status: str, name: str, detail: str = "") -> None:
    results.append((status, name, detail))
    print(f"{status:5} {name}" + (f" — {detail}" if detail else ""), flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(jar=None):
    handlers = [NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def get(path: str, op=None, data: dict | None = None):
    """(status, headers, text) of one request through nginx."""
    op = op or opener()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(ROOT + path, data=body, headers={"Accept": "text/html"})  # noqa: S310
    if data is not None:
        request.add_header("Referer", ROOT + path)
    try:
        with op.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def shell(code: str) -> str:
    env = dict(ENV, DJANGO_DEBUG="0", DJANGO_VAR_DIR=str(VAR))
    secret = VAR / "secret_key"
    if secret.exists():
        env["DJANGO_SECRET_KEY"] = secret.read_text().strip()
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-600:])
    return done.stdout.strip()


def fresh_database() -> None:
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DB_NAME], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)


def check_pages() -> None:
    for path in ["/", "/agenda/", "/ambassadeurs/", "/regions/84/", "/sante/"]:
        status, _, _ = get(path)
        report("OK" if status == 200 else "FAIL", f"page {path} → {status}")


def check_static() -> None:
    _, _, html = get("/")
    found = re.search(r'/static/[^"\']+\.[0-9a-f]{12}\.css', html)
    if not found:
        report("FAIL", "fichier statique", "aucun nom empreinté (collectstatic) dans la page d’accueil")
        return
    app_log = VAR / "log" / "application.log"
    before = app_log.read_text(errors="replace").count("/static/")
    status, headers, _ = get(found.group(0))
    time.sleep(0.5)
    after = app_log.read_text(errors="replace").count("/static/")
    ok = (
        status == 200
        and headers.get("X-Served-By") == "nginx-static"
        and "immutable" in headers.get("Cache-Control", "")
        and after == before
    )
    report(
        "OK" if ok else "FAIL",
        f"statique servi par nginx {found.group(0)}",
        f"{status}, {headers.get('Cache-Control')}, requêtes à l’application : {after - before}",
    )


def check_signed_in() -> None:
    email = shell(
        "from accounts.models import User; "
        "print(User.objects.filter(email__startswith='coordination.aura@').values_list('email', flat=True)[0])"
    )
    jar = http.cookiejar.CookieJar()
    op = opener(jar)
    _, _, html = get("/connexion/", op)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, _, _ = get(
        "/connexion/", op, {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}
    )
    if status != 302:
        report("FAIL", "connexion", f"POST /connexion/ → {status}")
        return
    for path in ["/espace/", "/espace/", "/agenda/", "/agenda/"]:
        status, headers, _ = get(path, op)
        cache_status = headers.get("X-Cache-Status", "")
        control = headers.get("Cache-Control", "")
        ok = status == 200 and cache_status != "HIT" and ("private" in control or "no-store" in control)
        report(
            "OK" if ok else "FAIL", f"connecté {path} jamais en cache", f"{status}, {cache_status}, {control}"
        )


def check_worker() -> None:
    out = shell(
        "import time\n"
        "from agenda.tasks import refresh_sources\n"
        "result = refresh_sources.enqueue()\n"
        "for _ in range(120):\n"
        "    result.refresh()\n"
        "    if result.is_finished: break\n"
        "    time.sleep(0.5)\n"
        "print(result.status, result.id)\n"
    )
    report("OK" if out.startswith("SUCCESSFUL") else "FAIL", "tâche mise en file exécutée par le worker", out)


def cacheable(headers) -> bool:
    control = headers.get("Cache-Control", "")
    return "public" in control and "max-age" in control and not headers.get("Set-Cookie")


def check_page_cache() -> None:
    get("/agenda/")
    _, headers, html = get("/agenda/")
    if headers.get("X-Cache-Status") != "HIT":
        if not cacheable(headers):
            report(
                "SKIP",
                "page publique en cache",
                "(public pages not cacheable yet) " + headers.get("Cache-Control", ""),
            )
            report("SKIP", "changement visible sous 60 s", "(public pages not cacheable yet)")
            return
        report(
            "FAIL",
            "page publique en cache au second passage",
            f"X-Cache-Status {headers.get('X-Cache-Status')}",
        )
        return
    report(
        "OK", "page publique /agenda/ servie par le cache au second passage", headers.get("Cache-Control", "")
    )
    candidates = re.findall(r'href="/agenda/([a-z0-9-]+)/"', html)
    title = f"Contrôle de la pile {int(time.time())}"
    found = shell(
        "from agenda.models import Event\n"
        f"event = Event.objects.filter(slug__in={candidates!r}).first()\n"
        "print(event.slug if event else '')\n"
        "print(event.title if event else '')\n"
        "if event:\n"
        f"    event.title = {title!r}\n"
        "    event.save()\n"
    ).split("\n", 1)
    if not found[0]:
        report("FAIL", "changement visible sous 60 s", "aucun événement dans /agenda/")
        return
    slug, old = found[0], found[1]
    changed = time.monotonic()
    seen = None
    while time.monotonic() - changed < 75:
        _, _, html = get("/agenda/")
        if title in html:
            seen = time.monotonic() - changed
            break
        time.sleep(2)
    shell(
        "from agenda.models import Event\n"
        f"event = Event.objects.get(slug={slug!r})\n"
        f"event.title = {old!r}\n"
        "event.save()\n"
    )
    ok = seen is not None and seen <= 62
    report(
        "OK" if ok else "FAIL", "changement visible sous 60 s", f"vu après {seen:.0f} s" if seen else "pas vu"
    )


def main() -> int:
    fresh_database()
    print("== démarrage de la pile (scripts/prod.py)", flush=True)
    stack = start_in_background(ENV, VAR / "prod.log")
    try:
        for check in (check_pages, check_static, check_signed_in, check_worker, check_page_cache):
            try:
                check()
            except Exception as error:
                report("FAIL", check.__name__, repr(error)[:500])
    finally:
        code = stop_background(stack)
    leftover = [port for port in (PORT, APP_PORT) if listening(port)]
    report(
        "OK" if code == 0 and not leftover else "FAIL",
        "arrêt propre (Ctrl+C)",
        f"code {code}, ports {leftover}",
    )
    failed = [r for r in results if r[0] == "FAIL"]
    print(f"\n{len(results) - len(failed)} contrôles passés ou sautés, {len(failed)} en échec.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
