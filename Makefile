# Lianxin 12345 — `make run` brings the platform up, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG15_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: install run dev-console console test lint typecheck pytest test-pg15 test-console bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The console is built when its sources exist; the API serves frontend/dist at /.
console:
	@if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm run build; fi

run: install console
	$(BIN)/hotline run

dev-console:
	cd frontend && npm ci --no-audit --no-fund && npm run dev

lint: install
	$(BIN)/ruff check platform tests bench migrations

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

# Migrations and isolation against the local PostgreSQL 15 service (production servers are 15–17).
test-pg15: install
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		HOTLINE_TEST_DATABASE_URL=$(PG15_URL) $(BIN)/pytest -m portability -q; \
	elif [ -n "$$CI" ]; then echo "CI needs PostgreSQL 15 on 127.0.0.1:5432 for the portability run"; exit 1; \
	else echo "SKIPPED: no PostgreSQL on 127.0.0.1:5432, portability run not done"; fi

test-console:
	@if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm test; fi

test: lint typecheck
	$(BIN)/hotline schema check
	$(MAKE) pytest test-pg15 test-console

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .data frontend/node_modules frontend/dist
