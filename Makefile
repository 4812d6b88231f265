# The few verbs a newcomer needs. `make run` and `make test` install whatever is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run PORT=8001` when port 8000 is taken (HOST=... to listen on another address).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench install catalogues

# The worker (alerts, webhooks; mail is printed here) runs beside the web server and stops with it.
run: install catalogues
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --site http://$(HOST):$(PORT)
	SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py stances_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install catalogues
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# Findings go to standard output and fail the target; the log on standard error only warns
	@# of a `# nosec` on each line of an expression that spans several.
	$(BIN)/bandit --quiet --recursive stances --exclude stances/migrations 2>/dev/null

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# `make bench PROXY=1` also measures the site behind nginx as docs/nginx.conf sets it up.
bench: install
	$(BIN)/python bench/run.py $(if $(PROXY),--proxy)
	$(BIN)/python bench/cold_renders.py
	$(BIN)/python bench/following.py

install: $(BIN)/.installed

# The translations (stances/locale/*/LC_MESSAGES/django.po), compiled when they change; the
# compiled .mo files are not committed.
CATALOGUES := $(wildcard stances/locale/*/LC_MESSAGES/django.po)
catalogues: $(BIN)/.catalogues

$(BIN)/.catalogues: $(BIN)/.installed $(CATALOGUES)
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0
	touch $@

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Stances needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '.[dev]'
	touch $@
