# The README's two commands: `make run` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint lock setup screenshot clean

# Installs exactly the versions (and hashes) in requirements.lock; pyproject.toml keeps ranges.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/cetrack serve

screenshot: $(STAMP)
	scripts/ensure-system.sh
	CETRACK_SCREENSHOT=$(CURDIR)/docs/dashboard.png $(BIN)/pytest tests/e2e -q

test: $(STAMP)
	scripts/ensure-system.sh
	$(BIN)/ruff check .
	$(BIN)/cetrack rules lint state_rules
	$(BIN)/pytest -n 2

test-fast: $(STAMP)
	$(BIN)/pytest -n 2 -m "not slow"

# Re-pin every dependency (after changing pyproject.toml); review the diff before committing.
lock:
	$(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install --quiet pip-tools
	.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra dev -o requirements.lock pyproject.toml
	rm -rf .lock-venv

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV)
