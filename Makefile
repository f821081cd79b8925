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

# Vite's dev server with hot reload on http://127.0.0.1:5173, proxying /graphql to the API started by `make run`
# (or HOTLINE_API=http://host:port).
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

# Type checks, lint, component tests, then the browser walk against a fresh backend (see frontend/README.md).
# The walk drives Debian's Chromium and needs a font with Chinese glyphs: both are installed when missing.
test-console: install
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends chromium fonts-wqy-microhei; \
	fi
	cd frontend && npm ci --no-audit --no-fund && npm test

test: lint typecheck
	$(BIN)/hotline schema check
	$(MAKE) pytest test-pg15 test-console

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .data frontend/node_modules frontend/dist
