# Two commands on a fresh machine: `make run` and `make test`. See the README.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest workers: the machine has 2 cores.
WORKERS ?= 2

# A Python >= 3.12: python3.13 or python3.12 on the PATH, else pyenv's installs, else python3 if recent enough.
PYTHON ?= $(shell \
  for c in python3.13 python3.12 python3; do \
    if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
      command -v $$c; exit 0; fi; done; \
  root=$${PYENV_ROOT:-$$HOME/.pyenv}; \
  for p in $$root/versions/3.13*/bin/python3.13 $$root/versions/3.12*/bin/python3.12; do \
    if [ -x "$$p" ]; then echo "$$p"; exit 0; fi; done)

.PHONY: run serve install js db demo test test-fast lint format check-deploy bench clean help

help:
	@echo "make run    installe, migre, charge les données et sert le site sur http://$(HOST):$(PORT)"
	@echo "make test   lance toute la suite de tests"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 ou 3.13 introuvable : installez-en un (ou indiquez PYTHON=...)."; exit 1; }
	@echo "Python utilisé : $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# ical.js (Mozilla's iCalendar parser, the one of Thunderbird) re-reads the agenda feed in a test. Only with node:
# without it (or if npm cannot reach its registry), the test is skipped with a message and the rest runs.
js:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  if [ ! node_modules/.package-lock.json -nt package-lock.json ]; then \
	    npm ci --no-audit --no-fund || echo "ATTENTION : npm ci a échoué, le test du flux avec ical.js sera SAUTÉ."; fi; \
	else \
	  echo "ATTENTION : node est absent, le test du flux iCalendar avec ical.js sera SAUTÉ."; \
	  echo "            Installez node et npm, puis : npm ci"; fi

db: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_reference_data

demo: db
	$(PY) manage.py load_demo_data

run: demo
	@echo
	@echo "Le site est servi sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter)."
	@echo "Connexion : http://$(HOST):$(PORT)/connexion/ avec un compte de démonstration ci-dessus."
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install js
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "ATTENTION : /usr/bin/chromium est absent, les tests navigateur (accessibilité) seront SAUTÉS."; \
	  echo "            Installez-le avec : apt-get install -y chromium"; fi
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo --no-cache
	$(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_HTTPS=1 DJANGO_SECRET_KEY=$$(openssl rand -base64 48) DJANGO_ALLOWED_HOSTS=ambassadeurs-ia.example EMAIL_HOST=smtp.example \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/db.sqlite3* var/static

bench: install
	$(PY) scripts/bench.py

# The production stack on this machine (PostgreSQL, Redis, granian behind nginx, db_worker, scheduler):
# see deploy/README.md. Ctrl+C or `make prod-stop` stops it.
.PHONY: prod prod-stop bench-http bench-lighthouse stack-tools
# nginx (the reverse proxy) and wrk (bench-http), from Debian's packages when missing (as root).
stack-tools:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] || ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installation de nginx et wrk (paquets Debian)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null; \
	  else echo "nginx ou wrk manque : sudo apt-get install -y nginx-light wrk"; exit 1; fi; fi

prod: install stack-tools
	PATH="$$PATH:/usr/sbin" $(PY) scripts/prod.py

prod-stop:
	$(PY) scripts/prod.py stop

# wrk through nginx, against nginx serving the same HTML as a static file, and the application server alone.
bench-http: install stack-tools
	PATH="$$PATH:/usr/sbin" $(PY) scripts/bench_http.py

# Lighthouse 12 (mobile, simulated throttling) through the production stack, driving Debian's Chromium: the four
# scores, paints, layout shift and KiB per page. Its npm package lives apart (scripts/lighthouse/), so that the
# npm ci of `make test` stays light; no browser is downloaded (/usr/bin/chromium).
bench-lighthouse: install stack-tools
	@command -v npm >/dev/null 2>&1 || { echo "npm est absent : apt-get install -y nodejs npm"; exit 1; }
	@test -x /usr/bin/chromium || { echo "/usr/bin/chromium est absent : apt-get install -y chromium"; exit 1; }
	@if [ ! scripts/lighthouse/node_modules/.package-lock.json -nt scripts/lighthouse/package-lock.json ]; then \
	  cd scripts/lighthouse && npm ci --no-audit --no-fund --ignore-scripts; fi
	PATH="$$PATH:/usr/sbin" $(PY) scripts/bench_lighthouse.py
