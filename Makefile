# Nezarat developer and CI entry points (GNU make). `make help` lists the targets.
# Every machine starts bare: `make test` installs what it needs (venv, Debian's PostgreSQL).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
LINT ?= 1
# Debian packages the tests need; installed by `make system-deps` when missing.
# chromium: the browser tests drive Debian's build through Playwright (never `playwright install`).
APT_PACKAGES ?= postgresql postgresql-contrib poppler-utils softhsm2 libnss3-tools openssl chromium
# `make system-deps FORCE_APT=1` runs apt-get even when everything looks installed.
FORCE_APT ?=

# Front-end packages (fonts, bpmn-js) come from npm at setup, pinned by package-lock.json.
.PHONY: help venv assets translations messages system-deps lint format test test-fast run bench bench-web clean distclean

help:
	@echo "make venv         create $(VENV) and install '.[test]' (again only when setup.cfg changes)"
	@echo "make assets       npm ci (bpmn-js, Vazirmatn … into node_modules/) and compile the translations"
	@echo "make messages     extract the pages' texts and update webui/translations/en/…/messages.po"
	@echo "make system-deps  install the Debian packages the tests drive if missing: $(APT_PACKAGES)"
	@echo "make lint         ruff check, ruff format --check, lint-imports"
	@echo "make format       ruff format + ruff check --fix"
	@echo "make test         lint, then every test (PostgreSQL ones included) on $(PYTEST_WORKERS) workers"
	@echo "make test-fast    lint, then the tests not marked postgres or slow"
	@echo "make run          init the demo database, deploy processes/, serve on 127.0.0.1:5000"
	@echo "make bench        bench/engine.py"
	@echo "make bench-web    bench/web.py: inbox and task completion over HTTP with 100k tasks"
	@echo "make clean        caches and build output; make distclean also removes $(VENV)"

venv: $(STAMP)

assets: $(NODE_STAMP) translations

# English catalogs: .po files are committed, their compiled .mo files are build output.
translations: venv
	@$(PY) -c "from webui.i18n import compile_catalogs; [print('compiled', p) for p in compile_catalogs()]"

messages: venv
	$(BIN)/pybabel extract -F webui/babel.cfg -k lazy_gettext --no-location --omit-header -o $(VENV)/messages.pot .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d webui/translations -w 110

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; $$sudo apt-get update -q </dev/null; $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm </dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMP): setup.cfg $(wildcard setup.py pyproject.toml)
	@test -x $(PY) || { echo "creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version 2>&1))"; $(PYTHON) -m venv $(VENV); }
	@if [ -f pyproject.toml ] || [ -f setup.py ]; then \
	  echo "+ pip install -e '.[test]'"; \
	  $(PY) -m pip install --disable-pip-version-check --no-input -q -e '.[test]'; \
	else \
	  echo "no pyproject.toml/setup.py (pip needs one for -e .): installing setup.cfg's requirements only"; \
	  $(PY) -c "$$SETUP_CFG_REQS" > $(VENV)/requirements.txt; \
	  $(PY) -m pip install --disable-pip-version-check --no-input -q -r $(VENV)/requirements.txt; \
	fi
	@touch $@

# install_requires + the `test` extra of setup.cfg, one a line (fallback when the project can't be built).
define SETUP_CFG_REQS
import configparser
cfg = configparser.ConfigParser()
cfg.read("setup.cfg")
reqs = cfg["options"].get("install_requires", "") + "\n" + cfg["options.extras_require"].get("test", "")
print("\n".join(line.strip() for line in reqs.splitlines() if line.strip()))
endef
export SETUP_CFG_REQS

# Installs Debian's PostgreSQL when missing (apt-get update once, then install); quick no-op otherwise.
# A cluster the package may have started (port 5432) is left alone: the tests start their own
# throw-away servers on free ports with sockets in temp dirs (tests/support/postgres.py).
system-deps:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$pkg"; \
	done; \
	if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing="$$missing postgresql"; fi; \
	if [ -z "$$missing" ] && [ -z "$(FORCE_APT)" ]; then \
	  echo "system-deps: present ($(APT_PACKAGES))"; exit 0; \
	fi; \
	sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
	echo "system-deps: installing $(APT_PACKAGES) (missing:$${missing:- none})"; \
	$$sudo apt-get update -q </dev/null; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	  $(APT_PACKAGES) </dev/null; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "system-deps: still no initdb under /usr/lib/postgresql" >&2; exit 1; }

lint: venv
	@status=0; \
	echo "+ ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "+ ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	echo "+ lint-imports"; $(BIN)/lint-imports || status=1; \
	exit $$status

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Lint, then pytest with $(1). Both always run (a CI log shows every problem at once); the target fails
# if either failed. pytest's exit 5 (it ran no test) fails loudly like any other non-zero exit.
# LINT=0 skips the lint step.
define lint_then_pytest
	@lint=0; if [ "$(LINT)" != 0 ]; then $(MAKE) lint || lint=$$?; fi; \
	echo "+ $(PY) -m pytest $(1)"; \
	rc=0; $(PY) -m pytest $(1) || rc=$$?; \
	if [ $$rc = 5 ]; then echo "ERROR: pytest ran no tests (exit 5): treated as a failure" >&2; fi; \
	if [ $$lint != 0 ]; then echo "ERROR: lint failed (see above)" >&2; fi; \
	if [ $$rc != 0 ]; then exit $$rc; fi; exit $$lint
endef

test: venv assets system-deps
	$(call lint_then_pytest,-n $(PYTEST_WORKERS) -q $(PYTEST_ARGS))

test-fast: venv assets
	$(call lint_then_pytest,-n $(PYTEST_WORKERS) -q -m "not postgres and not slow" $(PYTEST_ARGS))

run: venv assets
	$(PY) run.py init-db --demo --if-empty
	$(PY) run.py deploy processes/
	$(PY) run.py serve --host 127.0.0.1 --port 5000

bench: venv
	$(PY) bench/engine.py

bench-web: venv assets
	$(PY) bench/web.py

clean:
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name '*.egg-info' \) -print0 | xargs -0r rm -rf
	rm -rf .pytest_cache .ruff_cache .import_linter_cache build

distclean: clean
	rm -rf $(VENV)
