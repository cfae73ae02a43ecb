# secondopinion — the two commands in the README are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
VENDOR := src/secondopinion/static/vendor
PG_URL ?= postgres://postgres@127.0.0.1:5432/secondopinion_$(shell date +%s)_$$$$
PYTEST_WORKERS ?= 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install system-deps system-deps-runtime demo serve test test-sqlite test-postgres test-browser lint format bench messages clean

install: system-deps-runtime $(VENV)/.installed $(VENDOR)/.installed

# Debian packages (tools/install-system-deps.sh): everything the tests need, the browser included; or only
# what the product needs at run time (fonts and Pango for the PDFs), which `make install` and `make demo` use.
system-deps:
	@bash tools/install-system-deps.sh all

system-deps-runtime:
	@bash tools/install-system-deps.sh runtime

$(VENV)/.installed: pyproject.toml
	@PY="$$(tools/find-python.sh)" && [ -x $(BIN)/python ] || $$PY -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/uswds $(VENDOR)/htmx $(VENDOR)/axe
	cp -r node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/js \
	      node_modules/@uswds/uswds/dist/fonts node_modules/@uswds/uswds/dist/img $(VENDOR)/uswds/
	cp node_modules/@uswds/uswds/LICENSE.md $(VENDOR)/uswds/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE $(VENDOR)/htmx/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE $(VENDOR)/axe/
	@touch $@

demo: install
	$(BIN)/secondopinion migrate --verbosity 0
	$(BIN)/secondopinion demo load
	PORT=$(PORT) $(BIN)/secondopinion serve

serve: install
	PORT=$(PORT) $(BIN)/secondopinion serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src config tools
	$(BIN)/python tools/check_access.py
	$(BIN)/python tools/check_sizes.py
	$(BIN)/vulture
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: system-deps install lint test-sqlite test-postgres

# Everything, browser tests included, on embedded SQLite.
test-sqlite: system-deps install
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

# The integration tests again on PostgreSQL, in a database made fresh for this run.
test-postgres: install
	DATABASE_URL="$(PG_URL)" $(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not browser"

test-browser: system-deps install
	$(BIN)/pytest -q -m browser

bench: install
	$(BIN)/python benchmarks/upload.py
	$(BIN)/python benchmarks/directory.py

messages: install
	cd src/secondopinion && ../../$(BIN)/secondopinion makemessages -l es --no-obsolete --ignore 'static/*'
	cd src/secondopinion && ../../$(BIN)/secondopinion compilemessages -l es

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
