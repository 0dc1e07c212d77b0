#!/usr/bin/env python3
"""The production stack on this machine, the way a server runs it: PostgreSQL and Redis, migrations,
collectstatic, demo data when the database is empty, the application server (granian, 2 workers), nginx in
front (deploy/nginx.conf rendered into the state folder), the task worker (``manage.py db_worker``) and the
scheduler of the periodic jobs (scripts/scheduler.py). Ctrl+C, or ``scripts/prod.py stop``, stops them all.

    scripts/prod.py [run]        prepare, then start everything in the foreground (``make prod``)
    scripts/prod.py stop         stop a running stack (``make prod-stop``)
    scripts/prod.py render-nginx --out FILE   render deploy/nginx.conf for a server (values from the environment)

Environment (defaults in brackets): PROD_PORT [8080] where nginx listens, APP_PORT [8081] the application
server, DATABASE_URL [postgres://postgres@127.0.0.1:5432/osez_ia_prod], REDIS_URL [redis://127.0.0.1:6379/3],
DJANGO_VAR_DIR [var/prod] (static files, run files, logs), APP_SERVER [granian] or gunicorn, APP_WORKERS [2],
APP_THREADS [2] (threads per granian worker, each holding one database connection).
"""

import argparse
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def config() -> dict:
    var = Path(os.environ.get("DJANGO_VAR_DIR", BASE / "var" / "prod")).resolve()
    return {
        "var": var,
        "run": var / "run",
        "log": var / "log",
        "port": int(os.environ.get("PROD_PORT", "8080")),
        "app_port": int(os.environ.get("APP_PORT", "8081")),
        "database_url": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/osez_ia_prod"),
        "redis_url": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "app_server": os.environ.get("APP_SERVER", "granian"),
        "app_workers": os.environ.get("APP_WORKERS", "2"),
        # Threads per worker, each with its own database connection (CONN_MAX_AGE): a fixed, small pool. granian's
        # default grows to hundreds under load and PostgreSQL ran out of connections (« too many clients »).
        "app_threads": os.environ.get("APP_THREADS", "2"),
    }


def django_env(cfg: dict) -> dict:
    cfg["var"].mkdir(parents=True, exist_ok=True)
    secret_file = cfg["var"] / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(48))
        secret_file.chmod(0o600)
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_VAR_DIR=str(cfg["var"]),
        DJANGO_STATIC_MANIFEST="1",
        DJANGO_SECRET_KEY=secret_file.read_text().strip(),
        DATABASE_URL=cfg["database_url"],
        REDIS_URL=cfg["redis_url"],
        AXES_PROXY_COUNT="1",  # behind nginx
        SITE_URL=f"http://127.0.0.1:{cfg['port']}",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("LOG_LEVEL", "WARNING")
    return env


def render_nginx(values: dict) -> str:
    text = (BASE / "deploy" / "nginx.conf").read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", str(value))
    if "{{" in text:
        raise SystemExit(
            "deploy/nginx.conf : une valeur manque pour " + text[text.index("{{") :].split("}}")[0]
        )
    return text


def local_nginx_values(cfg: dict) -> dict:
    user = pwd.getpwuid(os.getuid()).pw_name
    return {
        # As root, nginx's workers would switch to nobody, who cannot write the cache under our folder.
        "USER_DIRECTIVE": f"user {user};" if os.getuid() == 0 else "",
        "NGINX_WORKERS": "2",
        "RUN_DIR": cfg["run"],
        "LOG_DIR": cfg["log"],
        "MIME_TYPES": "/etc/nginx/mime.types",
        "UPSTREAM": f"127.0.0.1:{cfg['app_port']}",
        "SESSION_COOKIE": "sessionid",
        "LISTEN": f"127.0.0.1:{cfg['port']}",
        "SERVER_NAME": "127.0.0.1 localhost",
        "STATIC_ROOT": cfg["var"] / "static",
        "SERVER_EXTRA": "",
    }


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, env=env, check=check)


def create_database(url: str) -> None:
    """The PostgreSQL database of DATABASE_URL, created when missing (nothing said when it exists)."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith("postgres") or not shutil.which("createdb"):
        return
    command = ["createdb", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        command += ["-U", parts.username]
    subprocess.run([*command, parts.path.lstrip("/")], capture_output=True, check=False)


def prepare(cfg: dict, env: dict) -> None:
    for folder in (cfg["run"] / "tmp", cfg["run"] / "cache", cfg["log"]):
        folder.mkdir(parents=True, exist_ok=True)
    create_database(cfg["database_url"])
    print("== migrations", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    empty = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "import sys; from accounts.models import User; sys.exit(1 if User.objects.exists() else 0)",
        check=False,
    )
    if empty.returncode == 0:
        print("== base vide : données de référence et de démonstration", flush=True)
        manage(env, "load_reference_data")
        manage(env, "load_demo_data")
    print("== collectstatic", flush=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    # A new release: pages cached by nginx before it may name static files that no longer exist.
    shutil.rmtree(cfg["run"] / "cache", ignore_errors=True)
    (cfg["run"] / "cache").mkdir()
    (cfg["run"] / "nginx.conf").write_text(render_nginx(local_nginx_values(cfg)))


def app_server_command(cfg: dict) -> list[str]:
    access_log = str(cfg["log"] / "app-access.log")
    if cfg["app_server"] == "gunicorn":
        return [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            cfg["app_workers"],
            "--bind",
            f"127.0.0.1:{cfg['app_port']}",
            "--access-logfile",
            access_log,
        ]
    return [
        str(VENV_BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(cfg["app_port"]),
        "--workers",
        cfg["app_workers"],
        "--blocking-threads",
        cfg["app_threads"],
        "--blocking-threads-idle-timeout",
        "600",
        "--no-ws",
        "--access-log",
        "--log-level",
        "warning",
        "config.wsgi:application",
    ]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if listening(port):
            return True
        time.sleep(0.2)
    return False


READY = "Le site est servi"  # printed by run() once nginx and the application server answer


def start_in_background(env: dict, log_path: Path, timeout: float = 600) -> subprocess.Popen:
    """Start this script's stack as a child (the benchmarks and the CI's check of the stack), its output in
    ``log_path``; return once it serves, or stop it and exit with the end of its log."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 (the child's output)
    stack = subprocess.Popen(
        [sys.executable, str(Path(__file__))], cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + timeout
    while READY not in log_path.read_text():
        if stack.poll() is not None or time.monotonic() > deadline:
            stop_background(stack)
            raise SystemExit("La pile n’a pas démarré :\n" + log_path.read_text()[-3000:])
        time.sleep(1)
    return stack


def stop_background(stack: subprocess.Popen | None) -> int | str | None:
    """Ctrl+C to a stack started by ``start_in_background``: its exit code, « bloquée » if it had to be killed."""
    if stack is None:
        return None
    if stack.poll() is not None:
        return stack.returncode
    stack.send_signal(signal.SIGINT)
    try:
        return stack.wait(30)
    except subprocess.TimeoutExpired:
        stack.kill()
        stack.wait()
        return "bloquée"


def run(cfg: dict) -> int:
    pid_file = cfg["run"] / "prod.pid"
    if pid_file.exists() and _alive(int(pid_file.read_text())):
        raise SystemExit(f"Une pile tourne déjà (pid {pid_file.read_text()}) : scripts/prod.py stop")
    env = django_env(cfg)
    prepare(cfg, env)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    commands = {
        "application": app_server_command(cfg),
        "nginx": [nginx, "-p", str(cfg["run"]), "-c", str(cfg["run"] / "nginx.conf"), "-g", "daemon off;"],
        "worker": [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
        "scheduler": [sys.executable, "scripts/scheduler.py"],
    }
    processes: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    pid_file.write_text(str(os.getpid()))
    try:
        for name, command in commands.items():
            log = open(cfg["log"] / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the child)
            processes[name] = subprocess.Popen(
                command, cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        if not (wait_port(cfg["app_port"]) and wait_port(cfg["port"])):
            print("La pile n’a pas démarré : voir " + str(cfg["log"]), file=sys.stderr)
            return 1
        print(
            f"\n{READY} par nginx sur http://127.0.0.1:{cfg['port']}/ "
            f"({cfg['app_server']} sur :{cfg['app_port']}, worker et planificateur lancés ; journaux : {cfg['log']}).\n"
            "Ctrl+C (ou make prod-stop) pour arrêter.",
            flush=True,
        )
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} s’est arrêté (code {process.returncode}) : voir {cfg['log']}/{name}.log")
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if process.args[0].endswith("nginx") else signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        pid_file.unlink(missing_ok=True)
        print("Pile arrêtée.", flush=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop_running(cfg: dict) -> int:
    pid_file = cfg["run"] / "prod.pid"
    if not pid_file.exists() or not _alive(pid := int(pid_file.read_text())):
        print("Aucune pile en cours.")
        pid_file.unlink(missing_ok=True)
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(200):
        if not _alive(pid):
            print("Pile arrêtée.")
            return 0
        time.sleep(0.1)
    print(f"La pile (pid {pid}) ne s’arrête pas.", file=sys.stderr)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", nargs="?", default="run", choices=["run", "stop", "render-nginx"])
    parser.add_argument("--out", help="render-nginx : fichier écrit (sinon la sortie standard)")
    args = parser.parse_args()
    cfg = config()
    if args.action == "stop":
        return stop_running(cfg)
    if args.action == "render-nginx":
        # For a server: every placeholder from an environment variable NGINX_<NAME>, with Debian's defaults.
        values = {
            "USER_DIRECTIVE": "user www-data;",
            "NGINX_WORKERS": "auto",
            "RUN_DIR": "/var/cache/osez-ia/nginx",
            "LOG_DIR": "/var/log/nginx",
            "MIME_TYPES": "/etc/nginx/mime.types",
            "UPSTREAM": "127.0.0.1:8000",
            "SESSION_COOKIE": "sessionid",
            "LISTEN": "443 ssl http2",
            "SERVER_NAME": "ambassadeurs-ia.example",
            "STATIC_ROOT": "/var/lib/osez-ia/static",
            # Port 80 answers too: Django redirects it to https (X-Forwarded-Proto: http).
            "SERVER_EXTRA": (
                "listen 80; "
                "ssl_certificate /etc/letsencrypt/live/ambassadeurs-ia.example/fullchain.pem; "
                "ssl_certificate_key /etc/letsencrypt/live/ambassadeurs-ia.example/privkey.pem;"
            ),
        }
        values = {name: os.environ.get(f"NGINX_{name}", value) for name, value in values.items()}
        text = render_nginx(values)
        if args.out:
            Path(args.out).write_text(text)
        else:
            sys.stdout.write(text)
        return 0
    return run(cfg)


if __name__ == "__main__":
    sys.exit(main())
