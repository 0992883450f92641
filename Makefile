# ChartGenius — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
PORT ?= 8080
export PYTHONPATH := $(CURDIR)

.PHONY: run install web test test-deps check lint typecheck locks lock lock-check unit integration contract e2e rehearsal bench clean

run: install web ## start the whole system on http://127.0.0.1:$(PORT)
	CHARTGENIUS_ENV=local CHARTGENIUS_DEV_LOGIN=1 PORT=$(PORT) $(BIN)/python -m local

install: $(VENV)/.installed

web: ## build the web app into web/dist (npm ci + vite build, skipped when nothing changed)
	bash scripts/build_web.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# --- dependencies: installed from the lock files (decision 0110), only when a lock changed ---
INSTALL_LOCK := bash scripts/install_lock.sh

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(INSTALL_LOCK) requirements.txt $(VENV) --python $(PYTHON) --stamp $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(INSTALL_LOCK) requirements-dev.txt $(VENV) --python $(PYTHON) --stamp $@
	touch $(VENV)/.installed

lock: ## after editing a requirements*.in: recompile every lock file (needs the index)
	$(INSTALL_LOCK) uv-only -
	python3 scripts/lock.py

lock-check: ## recompile every lock into a temporary folder and report any difference
	$(INSTALL_LOCK) uv-only -
	python3 scripts/lock.py --check

locks: ## offline: every lock file matches its inputs
	python3 scripts/lock.py --verify

test-deps: $(VENV)/.installed-dev web ## Python packages, the web build, the Firestore emulator, Chromium
	bash scripts/install_test_tools.sh
	bash scripts/install_browser.sh

test: test-deps check ## every test, as CI runs it
	cd web && npx --no-install vitest run
	$(BIN)/python -m pytest -q

check: locks lint typecheck

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	@if command -v terraform >/dev/null; then terraform fmt -check -recursive infra; \
	else echo "terraform is not installed: the infra's formatting is not checked here"; fi

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q tests/unit

integration: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q tests/integration

contract: test-deps
	$(BIN)/python -m pytest -q tests/contract

e2e: test-deps
	$(BIN)/python -m pytest -q tests/e2e

rehearsal: test-deps ## the five staged functions in their own 3.12 venvs (tests/rehearsal)
	$(BIN)/python -m pytest -q tests/rehearsal

bench: install ## print the performance figures (bench/README.md)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf .data .tools test-results web/dist
