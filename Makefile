# Two commands for a fresh clone: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installed as a regular (non-editable) package so that tests see what a user's install sees,
# including the framework and templates shipped inside the wheel.
INSTALLED := $(VENV)/.installed
SOURCES := pyproject.toml $(shell find src framework templates -type f -not -name '*.pyc' 2>/dev/null)
DEMO := build/demo

.PHONY: demo test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	touch $@

demo: $(INSTALLED)
	@bash scripts/demo.sh $(BIN) $(DEMO)

lint: $(INSTALLED)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/yamllint -d "{extends: default, rules: {line-length: disable, document-start: disable}}" --strict examples framework

typecheck: $(INSTALLED)
	$(BIN)/mypy

unit: $(INSTALLED)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(INSTALLED)
	$(BIN)/python benchmarks/collate.py

clean:
	rm -rf $(VENV) build dist
