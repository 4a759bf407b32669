# The two commands of the README: `make run` and `make test`. Everything else helps them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The layers' import rules that hold today ([tool.importlinter] in pyproject.toml); the
# layers contract joins when the apps no longer import upwards (docs/architecture.md).
LINT_IMPORTS := $(VENV)/bin/lint-imports --no-logo

.PHONY: setup run dev test lint migrate seed db-stop browser bench clean-db

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed
	$(PY) manage.py add_city_names

# The background-job worker (webhook deliveries, digests): `make run` starts it beside the
# server and stops it when the server stops (docs/deployment.md for production).
WORKER := $(PY) manage.py run_worker
STOP_WORKER_WITH_SERVER := worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM;

## Set up, start PostgreSQL, migrate, load the seed data, start the job worker and serve on
## $(HOST):$(PORT) with gunicorn (workers from the core count, static files collected and
## compressed).
run: seed
	STATIC_COLLECTED=true $(PY) manage.py collectstatic --noinput --verbosity 0
	$(WORKER) & $(STOP_WORKER_WITH_SERVER) STATIC_COLLECTED=true DEBUG=$${DEBUG:-false} $(VENV)/bin/gunicorn -c citypairing/gunicorn_conf.py --bind $(HOST):$(PORT)

## The same with Django's development server, which reloads when the code changes.
dev: seed
	$(WORKER) & $(STOP_WORKER_WITH_SERVER) $(PY) manage.py runserver $(HOST):$(PORT)

lint: setup
	$(PY) -m ruff check .
	$(LINT_IMPORTS)

## Set up, lint (ruff, import rules), check migrations, run the whole suite on PostgreSQL.
test: setup
	$(PY) -m ruff check .
	$(LINT_IMPORTS)
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

## Debian's chromium for the browser tests and Java for the HTML checker (root or sudo).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	# Fonts for the names in Thai, Chinese and Korean the browser tests show.
	fc-list :lang=th | grep -q . || (apt-get update && apt-get install -y fonts-thai-tlwg fonts-wqy-microhei fonts-nanum)
	command -v java >/dev/null || (apt-get update && apt-get install -y default-jre-headless)
	# Tesseract reads the pages of uploaded PDFs that have no text layer (intake).
	command -v tesseract >/dev/null || (apt-get update && apt-get install -y tesseract-ocr)

## Benchmark at SCALE (tiny, small, medium, large) in its own database citypairing_bench_SCALE;
## writes docs/benchmarks.md and docs/benchmarks/SCALE.json. BENCH_ARGS=--keep keeps the data.
SCALE ?= small
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) \
		|| echo "wrk could not be installed: the load test will be skipped."
	$(PY) -m bench --scale $(SCALE) $(BENCH_ARGS)

## Stop the embedded PostgreSQL server (it keeps running between commands otherwise).
db-stop:
	$(PY) -c 'from core.embedded_db import stop_server; stop_server()'
