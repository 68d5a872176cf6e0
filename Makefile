# Set-up: `make run` (serve the demo) and `make test` (the whole suite). See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install messages migrate demo run test lint bench bench-report format clean node_modules

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# axe-core for the accessibility browser tests, pinned in package-lock.json. Without npm the
# tests skip (CI, where .ci/run installs npm, fails them instead).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm is missing: the accessibility tests will be skipped (apt-get install npm)"; fi

node_modules: $(NODE_STAMP)

messages: install
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --ignore=node_modules -v0

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: messages demo
	bin/run

# The suite on every core (pytest-xdist); a module's tests stay in one process, so the demo is
# loaded once per module. `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

test: messages node_modules
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy ogp_portal documents limits notifications commitments meetings cocreation reports portal
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/djlint templates --lint

# `make bench BENCH_HTTP_ARGS=--quick`: the wrk runs of 2 s instead of 10 (benchmarks/README.md).
BENCH_HTTP_ARGS ?=

# Every benchmark runs even when an earlier one misses its target; the exit status says
# whether any missed one. bench_dashboard reuses the database bench_pages has just built.
bench: messages
	@status=0; \
	for bench in bench_demo.py bench_pages.py "bench_dashboard.py --reuse" \
	    "bench_http.py $(BENCH_HTTP_ARGS)" bench_report.py; do \
	    echo "== benchmarks/$$bench"; \
	    $(BIN)/python benchmarks/$$bench || status=1; \
	done; \
	exit $$status

bench-report: messages
	$(BIN)/python benchmarks/bench_report.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3 .pytest_cache node_modules
