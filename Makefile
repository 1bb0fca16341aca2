# Two commands: `make run` and `make test`. Everything else is installed by them.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install browser clean worker

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Sameboat needs Python 3.12 or newer (python3.13, python3.12 or a pyenv install)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium from Debian for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing and we are not root: browser tests will be skipped (CI=true makes that a failure)."; \
	  fi; \
	fi

# Links in the emails the worker sends point at this server.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/sameboat demo
	$(BIN)/python manage.py notifications schedule
	$(BIN)/python manage.py matching schedule
	$(BIN)/python manage.py decisions schedule
	$(BIN)/python manage.py calendars schedule
	$(BIN)/python manage.py referrals schedule
	$(BIN)/python manage.py privacy schedule
	$(BIN)/python manage.py audit schedule
	@echo ""
	@echo "Sameboat is at http://127.0.0.1:$(PORT)/"
	@echo "Demo logins (password: sameboat-demo): coordinator@example.org, facilitator@example.org, member1@example.org ... member60@example.org"
	@echo ""
	$(BIN)/python manage.py db_worker --queue-name '*' & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sameboat
	$(BIN)/bandit -c pyproject.toml -r sameboat -q
	$(BIN)/python scripts/audit_dependencies.py

test: install browser lint
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure."; exit 1; fi; \
	exit $$status

bench: install
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/directory.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
