# Two commands do everything on a fresh machine: `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON_VERSION := 3.13
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/telecentre
APPS_WITH_CATALOGS := accounts organisation audit privacy waitlist committees coworking telecentre/training housing forum journey impact operations
export DJANGO_SETTINGS_MODULE := telecentre.settings

.PHONY: install run test test-sqlite test-postgres lint check messages compilemessages bench browser proxy clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v python$(PYTHON_VERSION) >/dev/null || { echo "python$(PYTHON_VERSION) is required (pyenv: see .python-version)"; exit 1; }
	test -x $(PY) || python$(PYTHON_VERSION) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed compilemessages

compilemessages: $(VENV)/.installed
	$(PY) manage.py compilemessages -v0 -i .venv -i node_modules

# Extract translatable strings: each app keeps its own catalogue, the root one holds the site's templates.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr --no-obsolete --no-location -i '.venv/*' -i 'node_modules/*' $(foreach app,$(APPS_WITH_CATALOGS),-i '$(app)/*') -i 'bench/*' -i 'tests/*' -i 'staticfiles/*'
	@for app in $(APPS_WITH_CATALOGS); do \
	  mkdir -p $$app/locale && (cd $$app && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l fr --no-obsolete --no-location) || exit 1; \
	done

# nginx for the multi-server test (tests/deploy/test_cluster.py), from Debian's packages; never started as a service.
proxy:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get install -y -qq nginx-light >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null)); \
	  else echo "WARNING: nginx is missing and you are not root: the multi-server test will fail."; fi; \
	fi

browser:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	  else echo "WARNING: chromium is missing and you are not root: browser tests will be skipped (CI fails)."; fi; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_PRODUCTION=true DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
	  DJANGO_ALLOWED_HOSTS=telecentre.example.org DATABASE_URL=$(PG_URL) \
	  $(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: install browser
	$(PY) -m pytest -q -n 2

test-postgres: install proxy
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ -z "$$DATABASE_URL" ]; then \
	  if [ -n "$$CI" ]; then echo "PostgreSQL is required in CI and is not reachable on 127.0.0.1:5432"; exit 1; fi; \
	  echo "************************************************************"; \
	  echo "* WARNING: PostgreSQL unreachable: the PostgreSQL run and   *"; \
	  echo "* the concurrency tests were NOT run. Start PostgreSQL or  *"; \
	  echo "* set DATABASE_URL.                                        *"; \
	  echo "************************************************************"; \
	else \
	  DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -q -n 2; \
	fi

test: lint check test-sqlite test-postgres

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --no-input -v0
	@trap 'kill 0' EXIT; \
	$(PY) manage.py db_worker & \
	$(PY) manage.py run_scheduler & \
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3*

# Every key page measured against a bare Django view (gunicorn, production settings, wrk at 16 connections),
# on PostgreSQL (database tc_bench) and SQLite (bench/out/), with scale data seeded once per factor
# (BENCH_FACTOR, default 1), then the forum rush. Writes bench/results.md. See bench/run.py for the knobs.
bench: install
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)); \
	  else echo "wrk is required: sudo apt-get install wrk"; exit 1; fi; \
	fi
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then dbs="postgresql sqlite"; \
	else echo "WARNING: PostgreSQL unreachable on 127.0.0.1:5432: measuring SQLite only, no forum rush."; dbs=sqlite; fi; \
	BENCH_DATABASES="$${BENCH_DATABASES:-$$dbs}" $(PY) bench/run.py
