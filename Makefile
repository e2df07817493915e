# Xianjie — the two commands of CONTRACT.md, and what they are made of.
# `make run`  : install, migrate, load the demo if the database is empty, serve on 127.0.0.1:8000.
# `make test` : install with the test tools (Chromium and CJK fonts when root), lint, type-check, test.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NPM_STAMP := node_modules/.installed
PYTEST_ARGS ?=

.PHONY: install install-dev system-deps run test test-pg lint lock clean

install: $(STAMP) $(NPM_STAMP)

$(STAMP): requirements/base.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-dev: install $(DEV_STAMP) system-deps

$(DEV_STAMP): requirements/dev.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

# Debian packages the browser tests and PDF checks need; installed only when missing and root.
system-deps:
	@bash scripts/system-deps.sh

run: install
	$(BIN)/xianjie serve --host 127.0.0.1 --port 8000

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy xianjie
	$(BIN)/xianjie makemigrations --check --dry-run

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# A throwaway PostgreSQL cluster on 127.0.0.1, removed afterwards; the whole suite runs against it.
test-pg: install-dev
	bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

# Re-pin the Python dependencies after editing requirements/*.in.
lock:
	$(PYTHON) -m venv /tmp/xianjie-lock && /tmp/xianjie-lock/bin/pip install --quiet pip-tools
	cd requirements && for f in base dev; do /tmp/xianjie-lock/bin/pip-compile --quiet \
		--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o $$f.txt $$f.in; done

clean:
	rm -rf $(VENV) node_modules var/static
