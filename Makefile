# The README's two commands: `make run` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint setup screenshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py

screenshot: $(STAMP)
	scripts/ensure-system.sh
	CETRACK_SCREENSHOT=$(CURDIR)/docs/dashboard.png $(BIN)/pytest tests/e2e -q

test: $(STAMP)
	scripts/ensure-system.sh
	$(BIN)/ruff check .
	$(BIN)/cetrack rules lint state_rules
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV)
