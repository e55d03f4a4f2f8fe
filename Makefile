# The two commands that matter: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The first Python >= 3.12 found: python3.13, python3.12, pyenv's versions, then python3.
PYTHON_CANDIDATES := python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) $(wildcard /root/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.12*/bin/python3) python3
BASE_PYTHON := $(shell for p in $(PYTHON_CANDIDATES); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; \
	then command -v $$p; break; fi; done)

# The browser tests drive Debian's Chromium (never a downloaded one); CHROMIUM_PATH picks another.
CHROMIUM := $(or $(CHROMIUM_PATH),/usr/bin/chromium)
# The demo's database and private files: the embedded defaults `make run` uses.
DEMO_DB := $(or $(SQLITE_PATH),db.sqlite3)
DEMO_FILES := $(or $(PRIVATE_STORAGE_ROOT),private)
# How far make test-clock moves the machine's clock, each way.
CLOCK_SHIFT_DAYS := 400

# $(call debian-package,PATH,PACKAGE): when PATH is missing, install Debian's PACKAGE if we are
# root with apt-get, or else stop at once with one line saying what to install.
define debian-package
@if [ ! -x "$(1)" ]; then \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's $(2) ($(1) is missing)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get update -qq && apt-get install -y -qq $(2) >/dev/null; } \
			|| { echo "Could not install $(2): run 'apt-get install $(2)' as root, then make again."; exit 1; }; \
	fi; \
	[ -x "$(1)" ] || { echo "$(1) is missing: install Debian's package '$(2)' (apt-get install $(2)), then make again."; exit 1; }; \
fi
endef

.PHONY: help run reset-demo test test-clock lint format migrations-check chromium faketime assets bench bench-data cluster-check clean venv

help:
	@echo "make run        - set up .venv, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make reset-demo - delete the demo database ($(DEMO_DB)) and files, and load the demo into new ones"
	@echo "make test       - ruff, makemigrations --check and the whole pytest suite (browser tests too)"
	@echo "make test-clock - the suite without browser tests, with the clock $(CLOCK_SHIFT_DAYS) days ahead, then behind"
	@echo "make lint       - ruff check and ruff format --check"
	@echo "make format     - ruff format and ruff check --fix"
	@echo "make assets     - rebuild the GOV.UK Frontend CSS/JS in static/ (needs npm)"
	@echo "make bench-data - fill a PostgreSQL database (bench_ten_years) with ten years of fictional data"
	@echo "make bench      - the key pages under load on that data, PDF and import timings, against targets"
	@echo "make cluster-check - two web servers and two workers on one PostgreSQL and one S3 bucket (moto): upload, download, tasks, reminders"

$(PY):
	@if [ -z "$(BASE_PYTHON)" ]; then \
		echo "No Python 3.12 or newer found (tried: python3.13, python3.12, pyenv versions, python3)."; \
		echo "Install Python 3.12+ (e.g. 'pyenv install 3.12') and run make again."; exit 1; fi
	@echo "Creating $(VENV) with $(BASE_PYTHON)"
	$(BASE_PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip check
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "Demo sign-ins (password for all: demo-audit-2026):"
	@echo "  coordinator@example.org   audit coordinator"
	@echo "  csc.lead@example.org      agency lead, children's social care"
	@echo "  csc.auditor@example.org   auditor, children's social care"
	@echo "  police.lead@example.org   agency lead, police"
	@echo "  health.lead@example.org   agency lead, acute health"
	@echo "  schools.lead@example.org  agency lead, education"
	@echo "  board@example.org         board viewer"
	@echo "  approver@example.org      board approver (signs briefings off)"
	@echo "  admin@example.org         administrator (also /admin/)"
	@echo "Two-factor sign-in is offered but not forced here (DEBUG on); with DEBUG off it is required."
	@echo ""
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Only the embedded SQLite demo: a DATABASE_URL database is never deleted from here.
reset-demo: $(STAMP)
	@if [ -n "$$DATABASE_URL" ]; then echo "reset-demo resets only the SQLite demo; unset DATABASE_URL first."; exit 1; fi
	@echo "Deleting the demo database $(DEMO_DB) and its files in $(DEMO_FILES)/ (everything done in the demo is lost), then loading the demo again."
	rm -rf $(DEMO_DB) $(DEMO_DB)-journal $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_FILES)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Done: 'make run' serves the new demo."

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

chromium:
	$(call debian-package,$(CHROMIUM),chromium)

faketime:
	$(call debian-package,/usr/bin/faketime,faketime)

# The suite runs on every core (pytest-xdist), each worker with its own test database; the
# modules go to whichever worker is free, the longest first (tests/conftest.py).
# PYTEST_ARGS adds to the run (.ci/run: -m "not own_database" the second time).
test: lint migrations-check chromium
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# Every test runs on a frozen clock (tests/conftest.py); this shows that nothing depends on the
# machine's, by moving the whole process's clock with libfaketime. The pytest header says which
# clock each run saw. (Browser tests are left out: Chromium is a separate program on its own clock.)
test-clock: $(STAMP) faketime
	@for shift in +$(CLOCK_SHIFT_DAYS)d -$(CLOCK_SHIFT_DAYS)d; do \
		echo "=== the suite with the clock moved $$shift: $$(faketime -f "$$shift" date -u '+%Y-%m-%d') ==="; \
		faketime -f "$$shift" $(PY) -m pytest -n auto -m "not browser" || exit 1; \
	done

assets:
	bash assets/build.sh

# The key pages on ten years of data (make bench-data first), the chronology PDF task, a 5,000-row
# import and a briefing's PDF: each against its target (tests/bench/run.py). BENCH_ONLY=pages picks.
bench: $(STAMP)
	$(PY) -m tests.bench.run

# Ten years of one fictional partnership (tests/bench/data.py) in BENCH_DATABASE_URL (default
# bench_ten_years on the local PostgreSQL), made with createdb when missing. BENCH_SCALE=0.1 makes
# a tenth; BENCH_DATA_ARGS=--reset starts the database again.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_ten_years
bench-data: $(STAMP)
	@url="$(BENCH_DATABASE_URL)"; db="$${url##*/}"; rest="$${url#*://}"; hostport="$${rest#*@}"; hostport="$${hostport%%/*}"; \
	host="$${hostport%%:*}"; port="$${hostport##*:}"; [ "$$port" = "$$hostport" ] && port=5432; \
	psql -h "$$host" -p "$$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$$db'" postgres | grep -q 1 \
		|| { echo "Creating the database $$db"; createdb -h "$$host" -p "$$port" -U postgres "$$db"; }
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m tests.bench.data --scale $(or $(BENCH_SCALE),1.0) $(BENCH_DATA_ARGS)

# The service on several machines, in miniature (tests/cluster/check.py): a database of its own on
# the local PostgreSQL (CLUSTER_DATABASE_URL, default mca_cluster; dropped after), moto's S3
# server, two gunicorns and two db_workers; upload on one, download on the other, 50 tasks run
# once each, send_reminders twice at once sending each reminder once. Stops all it started.
cluster-check: $(STAMP)
	$(PY) -m tests.cluster.check

clean:
	rm -rf $(VENV) staticfiles test-artifacts
