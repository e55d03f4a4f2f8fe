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

.PHONY: help run test lint format migrations-check assets bench clean venv

help:
	@echo "make run     - set up .venv, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test    - ruff, makemigrations --check and the whole pytest suite (browser tests too)"
	@echo "make lint    - ruff check and ruff format --check"
	@echo "make format  - ruff format and ruff check --fix"
	@echo "make assets  - rebuild the GOV.UK Frontend CSS/JS in static/ (needs npm)"
	@echo "make bench   - time rendering a 6 step briefing to PDF (median of several runs)"

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
	@echo "  admin@example.org         administrator (also /admin/)"
	@echo "Two-factor sign-in is offered but not forced here (DEBUG on); with DEBUG off it is required."
	@echo ""
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

test: lint migrations-check
	$(PY) -m pytest

assets:
	bash assets/build.sh

bench: $(STAMP)
	$(PY) -m tests.bench.briefing_render

clean:
	rm -rf $(VENV) staticfiles test-artifacts
