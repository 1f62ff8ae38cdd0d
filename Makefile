# The two commands: `make run` starts the app, `make test` runs every test tier.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Page tests wait on their script thread part of the time: one worker more than the cores keeps
# every core busy.
WORKERS := $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

.PHONY: run test test-fast lint format bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/python -m kam_core demo --if-empty
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Everything but the browser tests on every core (and one worker more), then the browser tests
# (all in tests/e2e) on two workers, a module per worker: each drives its own servers and
# Chromium, a core's work.
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n $(WORKERS) -m "not e2e"
	$(BIN)/python -m pytest -n 2 --dist loadscope -m e2e tests/e2e

# Unit and page tests without the browser and the slow ones: under a minute.
test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n $(WORKERS) -q -m "not e2e and not slow" tests/unit tests/app

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/ingest.py

# Translations: extract the marked strings (locale/kam.pot, for translators' tools), compile
# every language's catalog with its parts, and list the strings still without Hebrew. A new
# string gets its Hebrew in the part of its area (locale/he/LC_MESSAGES/parts/*.po); the app
# merges the parts into the .mo it compiles (kam_core/i18n/catalogs.py).
messages: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k NP_:1c,2 -c Translators: --add-location=file \
		--sort-output --project="KAM Analytics" -o locale/kam.pot .
	$(BIN)/python -c "from kam_core.i18n.catalogs import compile_catalogs; compile_catalogs(force=True)"
	$(BIN)/python -m pytest -q tests/unit/test_catalog.py

clean:
	rm -rf $(VENV) .pytest_cache
